"""The follow-up of recommendations: what governments did with an advice, per step.

A document of a kind with ``followup: true`` (``schema/registry.yml``) may have a file
``<id>.opvolging.yml`` beside it (``schema/opvolging.schema.json``): dated entries, each for
one recommendation and one addressee, with the response and how far the implementation is.
The file is separate so that recording a step never touches the advice's text.

``load`` reads and checks every such file against the documents and returns the entries by
document id, with located Dutch problems for what is wrong. The labels of the responses and
implementation states, and which states close a recommendation, are in the schema.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kennisbank.content.model import Corpus, Document, Problem, SourceFile, errors
from kennisbank.content.reader import relpath
from kennisbank.content.schema_check import FOLLOWUP_SCHEMA, SchemaChecker, line_of, load_schema
from kennisbank.registry import KINDS

SUFFIX = ".opvolging.yml"
_ENTRY = load_schema(FOLLOWUP_SCHEMA)["$defs"]["entry"]["properties"]
RESPONSES: dict[str, str] = dict(_ENTRY["response"]["x-labels"])  # slug -> Dutch label
IMPLEMENTATIONS: dict[str, str] = dict(_ENTRY["implementation"]["x-labels"])
CLOSED: tuple[str, ...] = tuple(_ENTRY["implementation"]["x-closed"])  # no longer open
NO_FOLLOWUP = "Nog geen opvolging"  # a recommendation without entries for an addressee
URL = re.compile(r"^https?://")

# Per follow-up file: (stamp, source, problems of reading and the schema).
FollowUpCache = dict[str, tuple[tuple[int, ...], SourceFile | None, list[Problem]]]


@dataclass(frozen=True, slots=True)
class Entry:
    """One step in the follow-up of one recommendation by one addressee."""

    recommendation: str
    date: dt.date
    addressee: str
    response: str
    implementation: str
    source: str = ""  # a URL or a document id; empty for "geen-antwoord"
    note: str = ""

    @property
    def source_is_url(self) -> bool:
        return bool(URL.match(self.source))


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A recommendation of a document, with the addressees it is meant for (its own, or
    the document's) and how it is referred to: ``ADV-2024-01/R1``."""

    doc: Document
    id: str
    text: str
    addressees: tuple[str, ...]

    @property
    def reference(self) -> str:
        return f"{self.doc.meta.get('reference') or self.doc.id}/{self.id}"

    @property
    def anchor(self) -> str:
        return f"aanbeveling-{self.id.lower()}"


def recommendations(doc: Document) -> list[Recommendation]:
    own = doc.meta.get("addressees") or []
    return [
        Recommendation(doc, str(rec["id"]), str(rec["text"]), tuple(rec.get("addressees") or own))
        for rec in doc.meta.get("recommendations") or []
    ]


def followed_kinds() -> list[str]:
    return [kind.name for kind in KINDS.values() if kind.followup]


def path_for(doc: Document) -> Path:
    return doc.source.path.with_name(doc.source.path.stem + SUFFIX)


def load(
    root: Path,
    documents: list[Document],
    ids: set[str],
    checker: SchemaChecker,
    today: dt.date,
    cache: FollowUpCache | None = None,
    vocabulary_stamp: tuple[int, ...] = (),
) -> tuple[dict[str, tuple[Entry, ...]], list[Problem]]:
    """Every follow-up file of the followed kinds' folders: its entries by document id,
    and the problems. ``documents``: the valid documents; ``ids``: every document id that
    exists (also of files with problems), for sources that name a document. With
    ``cache`` (a preview), a file is read again only when it or the vocabularies changed."""
    by_path = {doc.source.path.with_name(doc.source.path.stem + SUFFIX): doc for doc in documents}
    found: dict[str, tuple[Entry, ...]] = {}
    problems: list[Problem] = []
    for kind in followed_kinds():
        folder = root / KINDS[kind].folder
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*" + SUFFIX)):
            source, read_problems = _read(path, root, checker, cache, vocabulary_stamp)
            problems += read_problems
            rel = relpath(path, root)
            document_file = path.with_name(path.name.removesuffix(SUFFIX) + ".md")
            if not document_file.is_file():
                problems.append(
                    Problem(
                        rel,
                        1,
                        "",
                        f"bij dit opvolgingsbestand hoort geen document ({document_file.name} "
                        "bestaat niet). Geef het de naam van het document, met .opvolging.yml "
                        "in plaats van .md, of verwijder het.",
                        topic="opvolging",
                    )
                )
                continue
            doc = by_path.get(path)
            if source is None or read_problems or doc is None:
                continue  # the document's own problems come first
            entries, found_problems = _check(source, doc, ids, today)
            problems += found_problems
            if not found_problems:
                found[doc.id] = entries
    return found, problems


def check_file(path: Path, root: Path, checker: SchemaChecker) -> list[Problem]:
    """The problems of one follow-up file on its own (reading and the schema), wherever it
    lies (the schema's examples): the rules against its document are left out."""
    return _read(path, root, checker, None, ())[1]


def _stamp(path: Path) -> tuple[int, ...]:
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)


def _read(
    path: Path,
    root: Path,
    checker: SchemaChecker,
    cache: FollowUpCache | None,
    vocabulary_stamp: tuple[int, ...],
) -> tuple[SourceFile | None, list[Problem]]:
    """The file as a SourceFile (its data in ``meta``, its lines) and the problems of
    reading it and of the schema; cached while the file is unchanged."""
    key = str(path)
    try:
        stamp = (*_stamp(path), *vocabulary_stamp)
    except OSError:
        stamp = ()
    if cache is not None and stamp and key in cache and cache[key][0] == stamp:
        return cache[key][1], cache[key][2]
    source, problems = checker.check_data_file(
        path,
        relpath(path, root),
        FOLLOWUP_SCHEMA,
        "opvolging",
        "het bestand is leeg. Schrijf 'entries:' met de stappen eronder, of verwijder het.",
    )
    if cache is not None and stamp:
        cache[key] = (stamp, source, problems)
    return source, problems


def _check(
    source: SourceFile, doc: Document, ids: set[str], today: dt.date
) -> tuple[tuple[Entry, ...], list[Problem]]:
    """The rules across the file and its document, on data that passed the schema."""
    problems: list[Problem] = []
    recs = {rec.id: rec for rec in recommendations(doc)}
    known = ", ".join(recs) or "geen: het document heeft nog geen aanbevelingen"
    last: dict[str, tuple[dt.date, int]] = {}  # recommendation -> its latest date so far
    rejected: set[tuple[str, str]] = set()  # (recommendation, addressee) once rejected
    entries: list[Entry] = []
    for n, item in enumerate(source.meta.get("entries") or []):
        entry = _entry(item)

        def add(key: str, message: str, n: int = n) -> None:
            where = ("entries", n, key) if key else ("entries", n)
            problems.append(
                Problem(
                    source.rel,
                    line_of(source, where),
                    f"entries[{n}]" + (f".{key}" if key else ""),
                    message,
                    topic="opvolging",
                )
            )

        rec = recs.get(entry.recommendation)
        if rec is None:
            add(
                "recommendation",
                f"'{entry.recommendation}' is geen aanbeveling van {doc.source.rel}. "
                f"Bestaande aanbevelingen: {known}.",
            )
        elif entry.addressee not in rec.addressees:
            add(
                "addressee",
                f"'{entry.addressee}' is geen adressaat van {rec.reference}. Kies uit: "
                f"{', '.join(rec.addressees) or '(geen)'}, of voeg de adressaat toe aan de "
                "aanbeveling in het document.",
            )
        if entry.date > today:
            add(
                "date",
                f"{entry.date.isoformat()} ligt in de toekomst. Noteer een stap pas als hij "
                "gebeurd is.",
            )
        elif entry.date < doc.date:
            add(
                "date",
                f"{entry.date.isoformat()} ligt vóór de datum van het document "
                f"({doc.date.isoformat()}). Controleer het jaar.",
            )
        previous = last.get(entry.recommendation)
        if previous is not None and entry.date < previous[0]:
            add(
                "date",
                f"de stappen van {entry.recommendation} staan niet in volgorde van datum: deze "
                f"({entry.date.isoformat()}) is ouder dan die op regel {previous[1]} "
                f"({previous[0].isoformat()}). Zet de oudste stap eerst.",
            )
        else:
            last[entry.recommendation] = (entry.date, line_of(source, ("entries", n)))
        pair = (entry.recommendation, entry.addressee)
        if entry.response == "verworpen":
            rejected.add(pair)
        if entry.implementation == "uitgevoerd" and pair in rejected and not entry.note:
            add(
                "note",
                "de aanbeveling was verworpen en is nu toch uitgevoerd: leg in een 'note' uit "
                "wat er veranderde.",
            )
        if entry.source and not entry.source_is_url and entry.source not in ids:
            add(
                "source",
                f"'{entry.source}' is geen document van deze site. Geef een webadres "
                "(https://…) of het id van een document (de bestandsnaam zonder .md).",
            )
        entries.append(entry)
    return tuple(entries), problems


def _entry(item: dict[str, Any]) -> Entry:
    return Entry(
        recommendation=str(item["recommendation"]),
        date=dt.date.fromisoformat(str(item["date"])),
        addressee=str(item["addressee"]),
        response=str(item["response"]),
        implementation=str(item["implementation"]),
        source=str(item.get("source") or ""),
        note=str(item.get("note") or ""),
    )


# --- recording a step: `kennisbank opvolging ADV-2024-01/R2 --antwoord … --uitvoering …` ----


class RecordError(Exception):
    """The step cannot be recorded; the message is Dutch and says what to do."""


HEADER = (
    "# Opvolging van de aanbevelingen van {reference} ({name}).\n"
    "# Een stap toevoegen: kennisbank opvolging {reference}/R1 --antwoord … --uitvoering …\n"
    "entries:\n"
)


def find(documents: list[Document], reference: str) -> tuple[Document, Recommendation]:
    """The document and recommendation a reference such as ``ADV-2024-01/R2`` names (the
    document's id also works in place of its reference)."""
    doc_ref, _, rec_id = reference.partition("/")
    if not rec_id:
        raise RecordError(
            f"'{reference}' noemt geen aanbeveling. Schrijf het kenmerk van het document, een "
            "schuine streep en het id van de aanbeveling, bijvoorbeeld ADV-2024-01/R2."
        )
    followed = [d for d in documents if KINDS[d.kind].followup]
    doc = next((d for d in followed if d.meta.get("reference") == doc_ref or d.id == doc_ref), None)
    if doc is None:
        raise RecordError(
            f"geen advies of standpunt met kenmerk of id '{doc_ref}'. Controleer het kenmerk "
            "bovenaan het document (reference)."
        )
    rec = next((r for r in recommendations(doc) if r.id.lower() == rec_id.lower()), None)
    if rec is None:
        ids = ", ".join(r.id for r in recommendations(doc)) or "geen"
        raise RecordError(
            f"{doc.source.rel} heeft geen aanbeveling '{rec_id}'. Bestaande aanbevelingen: {ids}."
        )
    return doc, rec


def entry_text(entry: Entry, indent: str) -> str:
    """One entry as YAML lines, each value quoted as JSON (valid YAML)."""
    values = {
        "recommendation": entry.recommendation,
        "date": entry.date.isoformat(),
        "addressee": entry.addressee,
        "response": entry.response,
        "implementation": entry.implementation,
        "source": entry.source,
        "note": entry.note,
    }
    lines = []
    for n, (key, value) in enumerate((k, v) for k, v in values.items() if v):
        shown = value if key == "date" else json.dumps(value, ensure_ascii=False)
        lines.append(f"{indent}{'- ' if n == 0 else '  '}{key}: {shown}")
    return "\n".join(lines) + "\n"


def appended(text: str | None, entry: Entry, doc: Document) -> str:
    """The follow-up file with ``entry`` added at the end of its entries (a new file
    when there is none): the lines already there are kept as they are."""
    if text is None or not text.strip():
        reference = doc.meta.get("reference") or doc.id
        header = HEADER.format(reference=reference, name=doc.source.path.name)
        return header + entry_text(entry, "  ")
    items = re.search(r"^entries:[ \t]*\n(?:[ \t]*#.*\n)*([ \t]*)- ", text, re.M)
    if re.search(r"^entries:[ \t]*\[\s*\][ \t]*$", text, re.M):  # "entries: []"
        text = re.sub(r"^entries:[ \t]*\[\s*\][ \t]*$", "entries:", text, count=1, flags=re.M)
        items = None
    indent = items.group(1) if items else "  "
    return text.rstrip("\n") + "\n" + entry_text(entry, indent)


def record(
    root: Path,
    load: Callable[[Path], tuple[Corpus, list[Problem]]],
    reference: str,
    response: str,
    implementation: str,
    source: str = "",
    addressee: str | None = None,
    note: str = "",
    day: dt.date | None = None,
) -> tuple[Path, Entry, list[Problem]]:
    """Add a step to a document's follow-up file; ``load``: the check (``pipeline.load``),
    run before and after. Returns the file, the entry and, when the file would not pass the
    check with it, its problems (the file is then left exactly as it was). Raises
    ``RecordError`` when the step cannot be made at all."""
    corpus, problems = load(root)
    try:
        doc, rec = find(corpus.documents, reference)
    except RecordError:
        if errors(problems):
            raise RecordError(
                "de documenten hebben problemen; los ze eerst op ('make check'):\n"
                + "\n".join(p.format() for p in errors(problems))
            ) from None
        raise
    path = path_for(doc)
    rel = relpath(path, root)
    entry = _entry_for(rec, addressee, response, implementation, source, note, day)
    blocking = [p for p in errors(problems) if p.path in (rel, doc.source.rel)]
    if blocking:
        return path, entry, blocking
    old = path.read_text(encoding="utf-8") if path.exists() else None
    _write(path, appended(old, entry, doc))
    _, after = load(root)
    found = [p for p in errors(after) if p.path == rel]
    if found:
        if old is None:
            path.unlink()
        else:
            _write(path, old)
    return path, entry, found


def _entry_for(
    rec: Recommendation,
    addressee: str | None,
    response: str,
    implementation: str,
    source: str,
    note: str,
    day: dt.date | None,
) -> Entry:
    if addressee is None:
        if len(rec.addressees) != 1:
            raise RecordError(
                f"{rec.reference} is gericht aan meer dan een adressaat. Zeg wie antwoordde "
                f"met --adressaat: {', '.join(rec.addressees) or '(geen)'}."
            )
        addressee = rec.addressees[0]
    return Entry(rec.id, day or dt.date.today(), addressee, response, implementation, source, note)


def _write(path: Path, text: str) -> None:
    """Write whole or not at all: a temporary file beside it, then renamed."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
