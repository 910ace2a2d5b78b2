"""Synthetic Kennisbank corpus for benchmarks: N valid Dutch documents over all four kinds.

Words are drawn by their real frequency from wordfreq's Dutch list, so the vocabulary grows
like real text (a small made-up vocabulary makes search indexes look far too small). The
same seed gives the same documents. 60 % of the adviezen and standpunten get follow-up data
(``<id>.opvolging.yml``), dated up to today.

    python scripts/corpus.py /tmp/kb-copy 1000 [--seed 6] [--replace]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import json
import os
import random
import re
import shutil
import sys
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

# Share of each kind; praktijk takes the rest.
MIX = {"advies": 0.35, "standpunt": 0.15, "toolkit": 0.15}
FOLDERS = {
    "advies": "advisories/adviezen",
    "standpunt": "advisories/standpunten",
    "toolkit": "toolkits",
    "praktijk": "toolkits/praktijken",
}
REFERENCE_PREFIX = {"advies": "ADV", "standpunt": "STP"}
VOCABULARY_FILE = "content/_data/vocabularies.yml"
FIRST_YEAR, YEARS = 2016, 10
WORDS = 60_000
BODY_WORDS = (300, 900)
FIXED_TIME = dt.datetime(2020, 1, 1)
WORD = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")  # letters only: no numbers, no Markdown


@dataclass(frozen=True, slots=True)
class Planned:
    kind: str
    id: str
    title: str
    date: dt.date

    @property
    def path(self) -> str:
        """Path of the document file relative to the project root."""
        if self.kind == "toolkit":
            return f"{FOLDERS['toolkit']}/{self.id}/index.md"
        return f"{FOLDERS[self.kind]}/{self.id}.md"


@dataclass(slots=True)
class CorpusInfo:
    documents: int = 0
    per_kind: Counter[str] = field(default_factory=Counter)
    attachments: int = 0
    words: int = 0
    bytes: int = 0
    paths: list[str] = field(default_factory=list)  # document files, relative to the root
    query: str = ""  # a word that a few percent of the documents contain (for search)
    followups: int = 0  # follow-up entries in <id>.opvolging.yml files


class Words:
    """Dutch words with cumulative frequencies, for fast weighted draws."""

    def __init__(self) -> None:
        import wordfreq  # imported here so that importing this module stays cheap

        freq = wordfreq.get_frequency_dict("nl")
        words = [w for w in wordfreq.top_n_list("nl", WORDS) if WORD.match(w)]
        self.all = words
        self.all_cum = list(itertools.accumulate(freq[w] for w in words))
        # Titles, headings and tags read better without the function words.
        self.content = [w for w in words if len(w) >= 5]
        self.content_cum = list(itertools.accumulate(freq[w] for w in self.content))

    def draw(self, rng: random.Random, k: int, content: bool = False) -> list[str]:
        words, cum = (self.content, self.content_cum) if content else (self.all, self.all_cum)
        return rng.choices(words, cum_weights=cum, k=k)


@cache
def words() -> Words:
    return Words()


@cache
def docx_template() -> bytes:
    """One small real .docx, copied into every toolkit (python-docx takes ~20 ms per file)."""
    import docx

    document = docx.Document()
    document.core_properties.created = document.core_properties.modified = FIXED_TIME
    document.add_heading("Sjabloon", level=1)
    document.add_paragraph("Vul dit sjabloon aan voor je eigen organisatie.")
    buffer = io.BytesIO()
    document.save(buffer)
    # Re-pack with fixed timestamps so that the same seed gives byte-identical files.
    fixed = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(fixed, "w") as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item))
    return fixed.getvalue()


def slugify(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def sentence(rng: random.Random, low: int = 6, high: int = 20) -> str:
    drawn = words().draw(rng, rng.randint(low, high))
    if len(drawn) > 8 and rng.random() < 0.4:
        drawn[rng.randint(3, len(drawn) - 3)] += ","
    return drawn[0].capitalize() + " " + " ".join(drawn[1:]) + "."


def title(rng: random.Random, low: int, high: int) -> str:
    drawn = words().draw(rng, rng.randint(low, high), content=True)
    return " ".join([drawn[0].capitalize(), *drawn[1:]])


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def flow(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def pick(rng: random.Random, values: list[str], low: int, high: int) -> list[str]:
    return rng.sample(values, rng.randint(low, min(high, len(values))))


def random_date(rng: random.Random) -> dt.date:
    return dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365 * YEARS))


def later(rng: random.Random, date: dt.date, days: int = 700) -> dt.date:
    return min(date + dt.timedelta(days=rng.randint(1, days)), dt.date(FIRST_YEAR + YEARS, 12, 31))


def plan(n: int, rng: random.Random) -> list[Planned]:
    counts = {kind: round(n * share) for kind, share in MIX.items()}
    counts["praktijk"] = n - sum(counts.values())
    used: set[str] = set()
    planned = []
    for kind, count in counts.items():
        for _ in range(count):
            text = title(rng, 4, 9)
            base = "-".join(slugify(text).split("-")[:6]) or kind
            doc_id = base
            for number in itertools.count(2):
                if doc_id not in used:
                    break
                doc_id = f"{base}-{number}"
            used.add(doc_id)
            planned.append(Planned(kind, doc_id, text, random_date(rng)))
    return planned


def front_matter(
    doc: Planned,
    rng: random.Random,
    vocab: dict[str, list[str]],
    related: list[str],
    references: Counter[tuple[str, int]],
    files: list[tuple[str, str]],
) -> list[str]:
    lines = [
        f"type: {doc.kind}",
        f"title: {q(doc.title)}",
        f"date: {doc.date.isoformat()}",
    ]
    updated = later(rng, doc.date) if rng.random() < 0.3 else None
    if updated:
        lines.append(f"updated: {updated.isoformat()}")
    summary = " ".join(sentence(rng, 12, 30) for _ in range(rng.randint(1, 2)))
    lines += [
        f"summary: {q(summary[:380].rstrip(' ,'))}",
        f"domains: {flow(pick(rng, vocab['domains'], 1, 3))}",
        f"audiences: {flow(pick(rng, vocab['audiences'], 1, 3))}",
    ]
    if doc.kind in REFERENCE_PREFIX:
        prefix = REFERENCE_PREFIX[doc.kind]
        references[(prefix, doc.date.year)] += 1
        lines += [
            f"addressees: {flow(pick(rng, vocab['addressees'], 1, 2))}",
            f"reference: {prefix}-{doc.date.year}-{references[(prefix, doc.date.year)]:02d}",
            "recommendations:",
        ]
        for number in range(1, rng.randint(2, 5) + 1):
            lines += [f"  - id: R{number}", f"    text: {q(sentence(rng, 8, 24))}"]
    elif doc.kind == "toolkit":
        major, minor = rng.randint(1, 3), rng.randint(0, 4)
        lines += [
            f"actors: {flow(pick(rng, vocab['actors'], 1, 3))}",
            f"version: {major}.{minor}.0",
            "files:",
        ]
        for name, file_title in files:
            lines += [f"  - path: {name}", f"    title: {q(file_title)}"]
        lines.append("changelog:")
        newest = updated or doc.date
        versions = range(minor, max(minor - 3, -1), -1)
        span = (newest - doc.date).days
        dates = sorted(
            (doc.date + dt.timedelta(days=rng.randint(0, span)) for _ in versions), reverse=True
        )
        dates[0] = newest
        for version_minor, date in zip(versions, dates, strict=True):
            lines += [
                f"  - version: {major}.{version_minor}.0",
                f"    date: {date.isoformat()}",
                "    changes:",
                *(f"      - {q(sentence(rng, 5, 14))}" for _ in range(rng.randint(1, 3))),
            ]
    else:  # praktijk
        start = random_date(rng)
        lines += [
            f"actors: {flow(pick(rng, vocab['actors'], 1, 3))}",
            f"organisation: {q(title(rng, 1, 3))}",
            f"place: {q(title(rng, 1, 1))}",
            f"region: {rng.choice(vocab['regions'])}",
            "period:",
            f"  start: {start.isoformat()}",
        ]
        if rng.random() < 0.6:
            lines.append(f"  end: {later(rng, start, 1500).isoformat()}")
    tags = list(dict.fromkeys(words().draw(rng, rng.randint(2, 5), content=True)))
    lines.append(f"tags: {flow([q(t) for t in tags])}")
    if related:
        lines.append(f"related: {flow(related)}")
    lines.append(f"authors: [{q('Team ' + words().draw(rng, 1, content=True)[0])}]")
    lines.append("language: nl")
    if rng.random() < 0.05:
        lines.append("status: gearchiveerd")
    return lines


def body(
    doc: Planned,
    rng: random.Random,
    link_targets: list[Planned],
    files: list[tuple[str, str]],
) -> tuple[str, int]:
    """Markdown with ## sections, lists and relative links; returns (text, word count)."""
    target_words = rng.randint(*BODY_WORDS)
    sections = 2 + target_words // 250
    here = os.path.dirname(doc.path)
    links = [f"[{title(rng, 2, 5).lower()}]({os.path.relpath(t.path, here)})" for t in link_targets]
    list_section = rng.randrange(sections)
    out: list[str] = []
    count = 0
    for index in range(sections):
        out.append(f"## {title(rng, 1, 4)}")
        budget = target_words // sections
        written = 0
        while written < budget:
            paragraph = []
            for _ in range(rng.randint(2, 6)):
                text = sentence(rng)
                written += text.count(" ") + 1
                paragraph.append(text)
            if links and rng.random() < 0.5:
                paragraph.insert(rng.randrange(len(paragraph) + 1), f"Zie ook {links.pop()}.")
            out.append(" ".join(paragraph))
        if index == list_section:
            bullet = "1." if rng.random() < 0.3 else "-"
            items = [sentence(rng, 4, 12) for _ in range(rng.randint(3, 6))]
            written += sum(item.count(" ") + 1 for item in items)
            out.append("\n".join(f"{bullet} {item}" for item in items))
        count += written
    if files:
        out.append("## Downloads in deze toolkit")
        out.append("\n".join(f"- [{file_title}]({name})" for name, file_title in files))
    if links:
        out.append(" ".join(f"Lees ook {link}." for link in links))
    return "\n\n".join(out) + "\n", count


def attachments(doc: Planned, rng: random.Random) -> list[tuple[str, str]]:
    """One or two (file name, title) pairs: a .docx template, sometimes a .csv overview."""
    stem = slugify(words().draw(rng, 1, content=True)[0])
    files = [(f"sjabloon-{stem}.docx", f"Sjabloon {title(rng, 1, 3).lower()}")]
    if rng.random() < 0.5:
        files.append((f"overzicht-{stem}.csv", f"Overzicht {title(rng, 1, 3).lower()}"))
    return files


def write_attachment(folder: Path, name: str, rng: random.Random) -> int:
    target = folder / name
    if name.endswith(".docx"):
        target.write_bytes(docx_template())
    else:
        rows = ["onderdeel;aantal;bedrag"] + [
            f"{w};{rng.randint(1, 40)};{rng.randint(5, 900)}"
            for w in words().draw(rng, rng.randint(4, 12), content=True)
        ]
        target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return target.stat().st_size


FOLLOWUP_SHARE = 0.6  # of the adviezen and standpunten, as on the real site
FOLLOWUP_SCHEMA = "kennisbank/schema/opvolging.schema.json"


def followup(
    root: Path, doc: Planned, meta: dict, rng: random.Random, sources: list[Planned], today: dt.date
) -> int:
    """Write ``<id>.opvolging.yml`` for some of the recommendations: one to three steps per
    addressee, dated after the document and before today, sometimes citing a document as
    the source; a rejected one is never implemented (that would need a note). Returns the
    number of entries."""
    schema = json.loads((root / FOLLOWUP_SCHEMA).read_text("utf-8"))["$defs"]["entry"]["properties"]
    responses, implementations = schema["response"]["enum"], schema["implementation"]["enum"]
    entries = []
    for rec in meta["recommendations"]:
        steps = []
        for who in meta["addressees"]:
            if rng.random() < 0.3:
                continue
            day, rejected = doc.date, False
            for _ in range(rng.randint(1, 3)):
                day = min(day + dt.timedelta(days=rng.randint(20, 400)), today)
                response = rng.choice(responses)
                rejected = rejected or response == "verworpen"
                allowed = [i for i in implementations if not rejected or i != "uitgevoerd"]
                entry = {
                    "recommendation": rec["id"],
                    "date": day.isoformat(),
                    "addressee": who,
                    "response": response,
                    "implementation": rng.choice(allowed),
                }
                if response != "geen-antwoord":
                    source = rng.choice(sources) if sources and rng.random() < 0.3 else None
                    entry["source"] = (
                        source.id if source else f"https://example.org/{doc.id}/{len(steps)}"
                    )
                    entry["note"] = sentence(rng, 6, 18)
                steps.append(entry)
        entries += sorted(steps, key=lambda e: e["date"])  # in date order per recommendation
    text = yaml.safe_dump({"entries": entries}, allow_unicode=True, sort_keys=False)
    (root / doc.path).with_suffix(".opvolging.yml").write_text(text, encoding="utf-8")
    return len(entries)


def load_vocabularies(root: Path) -> dict[str, list[str]]:
    data = yaml.load((root / VOCABULARY_FILE).read_text("utf-8"), Loader=yaml.CSafeLoader)
    return {name: list(values) for name, values in data.items()}


def generate(root: Path, n: int, seed: int = 6, replace: bool = False) -> CorpusInfo:
    """Write ``n`` documents (and toolkit attachments) under ``root``; deterministic per seed."""
    for folder in ("advisories", "toolkits"):
        if (root / folder).exists():
            if not replace:
                raise FileExistsError(f"{root / folder} bestaat al (gebruik --replace)")
            shutil.rmtree(root / folder)
    rng = random.Random(seed)
    vocab = load_vocabularies(root)
    planned = plan(n, rng)
    references: Counter[tuple[str, int]] = Counter()
    info = CorpusInfo()
    seen_in: Counter[str] = Counter()
    # Its own random stream, so the documents stay the same as without follow-up.
    follow = random.Random(f"{seed}-followup")
    today = dt.date.today()
    for doc in planned:
        others = [p for p in rng.sample(planned, min(6, len(planned))) if p.id != doc.id]
        related = [p.id for p in others[: rng.randint(1, 3)]] if rng.random() < 0.4 else []
        link_targets = others[: rng.randint(0, 3)]
        folder = root / os.path.dirname(doc.path)
        folder.mkdir(parents=True, exist_ok=True)
        files = attachments(doc, rng) if doc.kind == "toolkit" else []
        for name, _ in files:
            info.bytes += write_attachment(folder, name, rng)
        info.attachments += len(files)
        meta = front_matter(doc, rng, vocab, related, references, files)
        text, word_count = body(doc, rng, link_targets, files)
        content = "---\n" + "\n".join(meta) + "\n---\n\n" + text
        (root / doc.path).write_text(content, encoding="utf-8")
        if doc.kind in REFERENCE_PREFIX and follow.random() < FOLLOWUP_SHARE:
            data = yaml.load("\n".join(meta), Loader=yaml.CSafeLoader)
            info.followups += followup(root, doc, data, follow, others, today)
        info.documents += 1
        info.per_kind[doc.kind] += 1
        info.words += word_count
        info.bytes += len(content.encode("utf-8"))
        info.paths.append(doc.path)
        seen_in.update({w.lower() for w in re.findall(r"\w{7,}", text)})
    info.query = search_word(seen_in, n)
    return info


def search_word(seen_in: Counter[str], n: int) -> str:
    """The most common long word that only a few percent of the documents contain."""
    fitting = [(count, word) for word, count in seen_in.items() if count <= max(2, n * 0.05)]
    return max(fitting)[1] if fitting else "gemeente"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="project folder (with content/_data/)")
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--replace", action="store_true", help="delete existing advisories/ and toolkits/ first"
    )
    args = parser.parse_args(argv)
    info = generate(args.root, args.n, args.seed, args.replace)
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(info.per_kind.items()))
    print(
        f"{info.documents} documenten ({kinds}), {info.attachments} bijlagen, "
        f"{info.words} woorden, {info.followups} opvolgingsstappen, "
        f"{info.bytes / 1e6:.1f} MB in {args.root}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
