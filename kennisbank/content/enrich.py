"""Step 3 of the pipeline: derive what documents say about each other.

Editors link with relative paths on disk (so links also work in a git web view and in
their editor); here those links are rewritten to the site's page paths, checked, and
turned into relations (``related`` and "Verwezen door").
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
from pathlib import Path

from kennisbank.cache import PreviewCache
from kennisbank.content.model import Corpus, Document, Problem, SourceFile
from kennisbank.content.safety import FENCE, SCHEME
from kennisbank.registry import SITE_LANGUAGES

CONTENT = "content"
# The target excludes brackets so that a hostile line cannot make matching quadratic.
LINK = re.compile(r"(\]\(\s*<?)([^)\s>\[\]]+)(>?(?:\s+\"[^\"]*\")?\s*\))")
REF_DEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?(?:\s+.*)?)$")


def site_paths(corpus: Corpus) -> tuple[dict[str, str], set[str]]:
    """Disk path -> site path for everything a document may link to; plus concept files."""
    mapping: dict[str, str] = {}
    concepts: set[str] = set()
    content = corpus.root / CONTENT
    if content.is_dir():
        for path in content.rglob("*"):
            if path.is_file() and "_data" not in path.relative_to(content).parts:
                mapping[_key(path)] = path.relative_to(content).as_posix()
    for doc in corpus.documents:
        if not doc.published:
            concepts.add(_key(doc.source.path))
            continue
        mapping[_key(doc.source.path)] = doc.page_path
        for att in doc.attachments:
            mapping[_key(att.path)] = f"{doc.section}/{doc.id}/{att.name}"
    return mapping, concepts


def _key(path: Path) -> str:
    return os.path.normpath(os.path.abspath(path))


def relative(path: str, base: str) -> str:
    """``posixpath.relpath`` for two normalised site paths (no '.', '..' or '//'), by
    string arithmetic: relpath normalises both and was half of the link rewriting."""
    parts, here = path.split("/"), base.split("/") if base else []
    common = 0
    while common < min(len(parts) - 1, len(here)) and parts[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + parts[common:])


def enrich(
    corpus: Corpus,
    failed: set[str] = frozenset(),  # type: ignore[assignment]
    cache: PreviewCache | None = None,
) -> list[Problem]:
    """Rewrite body links, fill ``corpus.bodies``, ``related`` and ``backlinks``.

    A preview enriches the whole corpus after every edit. A document's rewritten body and
    link targets depend on its text and on what exists to link to: kept in ``cache`` per
    document (the same Document object) while the link targets stay the same. Documents
    with link problems are not kept (their messages look at the disk)."""
    cache = cache if cache is not None else PreviewCache()
    mapping, concepts = site_paths(corpus)
    failed_keys = {_key(Path(p)) for p in failed}
    concepts |= failed_keys
    targets_now = (mapping, concepts, failed_keys)
    if cache.links_for != targets_now:
        cache.links.clear()
        cache.links_for = targets_now
    pages = {doc.page_path: doc for doc in corpus.published()}
    by_id = corpus.by_id()
    problems: list[Problem] = []
    links: dict[str, list[str]] = {}
    for doc in corpus.published():
        hit = cache.links.get(doc.id)
        doc_problems: list[Problem]
        if hit is not None and hit[0] is doc:
            body, targets, doc_problems = hit[1], hit[2], []
        else:
            body, targets, doc_problems = rewrite_links(
                doc.source, doc.page_path, mapping, concepts, failed_keys
            )
            if doc_problems:
                cache.links.pop(doc.id, None)
            else:
                cache.links[doc.id] = (doc, body, targets)
        corpus.bodies[doc.id] = body
        problems += doc_problems
        links[doc.id] = [pages[t].id for t in targets if t in pages and pages[t].id != doc.id]
        corpus.related[doc.id] = [by_id[i] for i in doc.meta.get("related", []) or [] if i in by_id]
    rewrite_concepts(corpus, mapping, failed_keys)
    problems += rewrite_translations(corpus, mapping, concepts, failed_keys)
    for source in corpus.invalid:  # every problem at once: metadata and links
        if source.meta.get("status") != "concept":
            # Its own files are not published while it has problems; links to them are
            # not a problem of their own.
            own = {_key(source.path.parent / name) for name in _listed(source)}
            problems += rewrite_links(source, "", mapping, concepts | own, failed_keys | own)[2]
    backlinks: dict[str, set[str]] = {}
    for doc in corpus.published():
        for target in [*links[doc.id], *(d.id for d in corpus.related[doc.id])]:
            backlinks.setdefault(target, set()).add(doc.id)
    corpus.suggested = suggest_related(corpus, cache)
    for doc in corpus.published():
        corpus.backlinks[doc.id] = sorted(
            (by_id[i] for i in backlinks.get(doc.id, ())), key=lambda d: d.sort_key, reverse=True
        )
    return problems


def _listed(source: SourceFile) -> list[str]:
    """The file names under a document's ``files``, as written."""
    files = source.meta.get("files")
    return [
        item["path"].strip()
        for item in (files if isinstance(files, list) else [])
        if isinstance(item, dict) and isinstance(item.get("path"), str)
    ]


def rewrite_concepts(corpus: Corpus, mapping: dict[str, str], failed_keys: set[str]) -> None:
    """Concepts' bodies with site links, for a preview, which shows concepts too: they may
    link to each other there. Their link problems are reported once they are published."""
    concepts = [doc for doc in corpus.documents if not doc.published]
    if not concepts:
        return
    with_concepts = dict(mapping)
    for doc in concepts:
        with_concepts[_key(doc.source.path)] = doc.page_path
        for att in doc.attachments:
            with_concepts[_key(att.path)] = f"{doc.section}/{doc.id}/{att.name}"
    for doc in concepts:
        corpus.bodies[doc.id] = rewrite_links(
            doc.source, doc.page_path, with_concepts, set(), failed_keys
        )[0]


def rewrite_translations(
    corpus: Corpus, mapping: dict[str, str], concepts: set[str], failed_keys: set[str]
) -> list[Problem]:
    """The bodies of the pages under /<code>/ (``corpus.translation_bodies``): of each
    translation, and of the original where a translated document lacks one language (the
    fallback page shows it). Their links go to the version in the same language where
    there is one, else to the original."""
    problems: list[Problem] = []
    if not corpus.translations:
        return problems
    by_id = corpus.by_id()
    for code in SITE_LANGUAGES:
        here = dict(mapping)
        for doc_id, versions in corpus.translations.items():
            if code in versions:
                here[_key(by_id[doc_id].source.path)] = versions[code].page_path
        for doc_id, versions in corpus.translations.items():
            doc = by_id[doc_id]
            source = versions[code].source if code in versions else doc.source
            body, _, found = rewrite_links(
                source, f"{code}/{doc.page_path}", here, concepts, failed_keys
            )
            corpus.translation_bodies[(doc_id, code)] = body
            if code in versions:  # the original's own link problems are reported already
                problems += found
    return problems


def rewrite_links(
    source: SourceFile,
    page_path: str,
    mapping: dict[str, str],
    concepts: set[str],
    failed_keys: set[str],
) -> tuple[str, list[str], list[Problem]]:
    """Return the body with links relative to ``page_path`` (the document's page in the
    site), the page paths it links to, and problems."""
    folder = source.path.parent
    base = posixpath.dirname(page_path)
    problems: list[Problem] = []
    targets: list[str] = []
    out: list[str] = []
    in_fence = False

    def replace(target: str, line_no: int) -> str:
        if not target or target.startswith(("#", "/")) or SCHEME.match(target):
            return target
        path_part, hash_, fragment = target.partition("#")
        key = _key(folder / path_part.replace("%20", " "))
        if key in mapping:
            site_path = mapping[key]
            targets.append(site_path)
            return relative(site_path, base) + hash_ + fragment
        if key in concepts and key in failed_keys:
            return target
        if key in concepts:
            message = (
                f"de link naar '{path_part}' wijst naar een concept dat niet gepubliceerd "
                "wordt. Haal de link weg of publiceer dat document eerst."
            )
        elif not os.path.exists(key):
            message = (
                f"de link naar '{path_part}' wijst naar een bestand dat niet bestaat."
                f"{nearest(key, folder, mapping)} Controleer de naam en het pad (relatief "
                "vanaf dit bestand)."
            )
        else:
            message = (
                f"de link naar '{path_part}' kan niet gepubliceerd worden. Link naar een "
                "document, een bestand uit 'files' van een toolkit, of iets in content/."
            )
        problems.append(Problem(source.rel, line_no, "", message, topic="links"))
        return target

    body = source.body
    if "](" not in body and "]:" not in body:  # no link at all (LINK and REF_DEF need these)
        return body, targets, problems
    for offset, line in enumerate(body.split("\n")):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or ("](" not in line and "]:" not in line):
            out.append(line)
            continue
        line_no = source.body_line + offset

        def sub(match: re.Match[str], line_no: int = line_no) -> str:
            return match.group(1) + replace(match.group(2), line_no) + match.group(3)

        line = REF_DEF.sub(sub, LINK.sub(sub, line))
        out.append(line)
    return "\n".join(out), targets, problems


def nearest(missing: str, folder: Path, mapping: dict[str, str]) -> str:
    """ " Bedoelde je '…'?" with the existing file whose name is closest to a missing link
    target, as a path from the linking file's folder; "" if none is close."""
    by_name: dict[str, list[str]] = {}
    for key in mapping:
        by_name.setdefault(os.path.basename(key), []).append(key)
    match = difflib.get_close_matches(os.path.basename(missing), list(by_name), n=1, cutoff=0.6)
    if not match:
        return ""
    # Of the files with that name, one in the folder the link pointed to, if there is one.
    here = os.path.dirname(missing)
    target = min(by_name[match[0]], key=lambda k: (os.path.dirname(k) != here, k))
    return f" Bedoelde je '{Path(os.path.relpath(target, folder)).as_posix()}'?"


AUTO_RELATED = 5


def suggest_related(corpus: Corpus, cache: PreviewCache | None = None) -> dict[str, list[Document]]:
    """Up to five published documents per document that share domains (weight 2) and tags
    (weight 1), best first, newest on ties; explicit ``related`` ones are left out.
    The ranking depends only on ids, dates, topics and ``related``; a preview rebuild
    after a text edit reuses the previous ranking (memoised on exactly those inputs)."""
    published = corpus.published()
    inputs = tuple(
        (d.id, d.date.toordinal(), tuple(sorted(_topics(d))), tuple(d.meta.get("related") or ()))
        for d in published
    )
    cache = cache if cache is not None else PreviewCache()
    if cache.related_for != inputs:
        cache.related_for, cache.related = inputs, _rank_related(corpus, published)
    ranking = cache.related
    by_id = {d.id: d for d in published}
    return {doc_id: [by_id[i] for i in ids] for doc_id, ids in ranking.items()}


def _rank_related(corpus: Corpus, published: list[Document]) -> dict[str, list[str]]:
    """Score every document against all others at once, with bit sets.

    Bit ``i`` stands for the i-th document in tie-break order (newest first, then id).
    Each topic is the set of documents that have it, as one Python integer. A document's
    scores against all others are summed in a bit-sliced counter (slice ``k`` holds bit
    ``k`` of every score), so the work is a few big-integer operations per topic, done
    word by word in C, instead of one step per pair of documents, which made this
    quadratic in the size of a domain. The best five are then the lowest set bits of the
    highest score levels: the same ranking as sorting by (-score, -date, id), which
    ``tests/test_related.py`` checks against that direct count."""
    order = sorted(published, key=lambda d: (-d.date.toordinal(), d.id))
    position = {d.id: i for i, d in enumerate(order)}
    members: dict[tuple[str, str], list[int]] = {}
    for i, doc in enumerate(order):
        for key in _topics(doc):
            members.setdefault(key, []).append(i)
    sets = {key: _bit_set(indices, len(order)) for key, indices in members.items()}
    out: dict[str, list[str]] = {}
    for doc in published:
        slices: list[int] = []
        anyone = 0
        for key in _topics(doc):
            _add(slices, sets[key], 1 if key[0] == "d" else 0)  # domains weigh 2, tags 1
            anyone |= sets[key]
        skip = 1 << position[doc.id]
        for other in corpus.related.get(doc.id, []):
            if other.id in position:
                skip |= 1 << position[other.id]
        candidates = anyone & ~skip
        best: list[str] = []
        for score in range((1 << len(slices)) - 1, 0, -1):
            level = candidates
            for k, bits in enumerate(slices):
                level &= bits if score >> k & 1 else ~bits
            while level and len(best) < AUTO_RELATED:
                lowest = level & -level
                best.append(order[lowest.bit_length() - 1].id)
                level ^= lowest
            if len(best) == AUTO_RELATED:
                break
        out[doc.id] = best
    return out


def _bit_set(indices: list[int], size: int) -> int:
    """The integer with exactly the bits in ``indices`` set."""
    flags = bytearray((size + 7) // 8)
    for i in indices:
        flags[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(flags, "little")


def _add(slices: list[int], bits: int, weight_exponent: int) -> None:
    """Add ``2**weight_exponent`` to the counter of every document in ``bits``
    (ripple-carry addition on the bit slices)."""
    while len(slices) < weight_exponent:
        slices.append(0)
    carry, k = bits, weight_exponent
    while carry:
        if k == len(slices):
            slices.append(0)
        slices[k], carry = slices[k] ^ carry, slices[k] & carry
        k += 1


def _topics(doc: Document) -> set[tuple[str, str]]:
    domains = {("d", str(v)) for v in doc.meta.get("domains", [])}
    return domains | {("t", str(v).lower()) for v in doc.meta.get("tags", []) or []}
