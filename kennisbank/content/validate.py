"""Step 2 of the pipeline: turn read files into typed documents, collecting every problem.

Per file: schema (via ``schema_check``), location and id, dates, toolkit files and content
that could execute. Across files: unique ids and references, ``related`` that resolve.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kennisbank import registry
from kennisbank.cache import FileCache
from kennisbank.content import attachments as attachments_rules
from kennisbank.content import followup, loader, readability, translations
from kennisbank.content.model import (
    Attachment,
    Corpus,
    Document,
    InternalError,
    Problem,
    SourceFile,
    errors,
    field_name,
)
from kennisbank.content.reader import read_document, relpath
from kennisbank.content.safety import (
    FENCE,
    MAX_SCAN_PER_DOCUMENT,
    SCHEME,
    slow_paragraphs,
    unsafe_lines,
    unsafe_reason,
)
from kennisbank.content.schema_check import CMS_SCHEMA, SchemaChecker, line_of, suggest
from kennisbank.registry import KINDS


def slugify(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "document"


def _stamp(path: Path, vocabulary: tuple[int, ...]) -> tuple[int, ...]:
    """What a file's check depends on: the file, the vocabularies and, for a toolkit, the
    files in its folder."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size, *vocabulary)
    if path.name == "index.md":  # a toolkit: its attachments, in subfolders too
        for folder, _, names in sorted(os.walk(path.parent)):
            for name in sorted(names):
                info = os.stat(os.path.join(folder, name))
                stamp += (hash((folder, name)), info.st_mtime_ns, info.st_size)
    return stamp


def load_corpus(
    root: Path,
    cache: FileCache | None = None,
    followups: followup.FollowUpCache | None = None,
    today: dt.date | None = None,
) -> tuple[Corpus, list[Problem]]:
    """Load, validate and type every document under ``root`` and the follow-up of their
    recommendations; return all problems. With ``cache`` and ``followups``, unchanged
    files are not read or checked again. ``today``: what "in the future" means."""
    vocabularies, problems = loader.load_vocabularies(root)
    corpus = Corpus(root=root, vocabularies=vocabularies)
    checker = SchemaChecker(vocabularies)
    vocab_file = root / loader.VOCABULARY_FILE
    vocab_stamp = (
        (vocab_file.stat().st_mtime_ns, vocab_file.stat().st_size)
        if (vocab_file.exists())
        else (0, 0)
    )
    sources: list[tuple[str, SourceFile]] = []
    unreadable: set[str] = set()  # ids of files that exist but could not be read
    for path in loader.discover(root):
        try:
            key = str(path)
            stamp = _stamp(path, vocab_stamp) if cache is not None else ()
            if cache is not None and key in cache and cache[key][0] == stamp:
                _, source, read_problems, document, doc_problems = cache[key]
            else:
                source, read_problems = read_document(path, root)
                document, doc_problems = (
                    check_document(source, root, checker) if source else (None, [])
                )
                if cache is not None:
                    cache[key] = (stamp, source, read_problems, document, doc_problems)
        except OSError:
            # The stamp could not be taken (a file vanished mid-save, a broken symlink):
            # check without the cache.
            source, read_problems = read_document(path, root)
            document, doc_problems = check_document(source, root, checker) if source else (None, [])
        except Exception as err:  # a bug, not an editor's mistake: name the file
            raise InternalError(relpath(path, root)) from err
        problems += read_problems + doc_problems
        if source is None:
            unreadable.add(loader.id_at(relpath(path, root)))
            continue
        sources.append((loader.id_at(source.rel), source))
        if document is not None:
            corpus.documents.append(document)
        else:
            corpus.invalid.append(source)
    for folder in loader.folders_without_index(root):
        problems.append(
            Problem(
                relpath(folder, root),
                1,
                "",
                "deze toolkitmap heeft geen "
                "bestand index.md. Maak er een met 'kennisbank new toolkit "
                f"{folder.name}' of verwijder de map.",
                topic="nieuw",
            )
        )
    problems += check_corpus(sources, unreadable)
    corpus.followups, found = followup.load(
        root,
        corpus.documents,
        {doc_id for doc_id, _ in sources} | unreadable,
        checker,
        today or dt.date.today(),
        followups,
        vocab_stamp,
    )
    problems += found
    problems += translations.load(
        root,
        corpus,
        checker,
        {doc_id: source for doc_id, source in sources},
        unreadable,
        lambda source, kind: check_translation(source, checker, kind),
        cache,
    )
    corpus.cms, found = load_cms_setting(root, checker)
    problems += found
    corpus.documents.sort(key=lambda d: d.sort_key, reverse=True)
    return corpus, sorted(set(problems), key=lambda p: (p.path, p.line, p.field))


CMS_FILE = "content/_data/cms.yml"


def load_cms_setting(root: Path, checker: SchemaChecker) -> tuple[dict[str, Any], list[Problem]]:
    """The browser CMS's setting (whether ``make build`` publishes /admin/, and with which
    git host), checked against ``schema/cms.schema.json``; ``{}`` when the file is absent
    or has a problem (then only the preview has /admin/)."""
    path = root / CMS_FILE
    if not path.exists():
        return {}, []
    source, problems = checker.check_data_file(
        path,
        CMS_FILE,
        CMS_SCHEMA,
        "cms",
        "het bestand is leeg. Zet er minstens 'publish: false' in.",
    )
    return ({} if problems or source is None else source.meta), problems


def check_file(path: Path, root: Path, checker: SchemaChecker) -> list[Problem]:
    """All single-file problems of one document, wherever it lies (schema examples, editors'
    scratch files); location, id and cross-document rules are left out."""
    source, problems = read_document(path, root)
    if source is None:
        return problems
    translation = registry.translation_at(source.rel) or TRANSLATION_NAME.search(path.name)
    if translation:
        kind = translation[0].name if isinstance(translation, tuple) else None
        return problems + check_translation(source, checker, kind)
    return check_document(source, root, checker, in_corpus=False)[1]


# A translation's file name wherever it lies (a schema example, an editor's scratch file).
TRANSLATION_NAME = re.compile(r"^[^.]+\.[^.]+\.md$")


def check_translation(
    source: SourceFile, checker: SchemaChecker, kind: str | None
) -> list[Problem]:
    """Every single-file rule of a translation (``translations.check``) and the rules of
    text that documents have too."""
    return translations.check(source, checker, kind) + _check_unsafe(source) + _check_images(source)


def _places() -> str:
    """Where each kind's documents go, for the message about a misplaced file."""
    files = [f"{k.plural.lower()} in {k.folder}/" for k in KINDS.values() if k.layout == "file"]
    folders = [
        f"een {k.label.lower()} als {k.folder}/<id>/index.md"
        for k in KINDS.values()
        if k.layout == "folder"
    ]
    parts = files + folders
    return ", ".join(parts[:-1]) + " en " + parts[-1] if len(parts) > 1 else "".join(parts)


PLACES = _places()


def check_document(
    source: SourceFile, root: Path, checker: SchemaChecker, in_corpus: bool = True
) -> tuple[Document | None, list[Problem]]:
    meta = source.meta
    problems: list[Problem] = []
    kind = meta.get("type") if isinstance(meta.get("type"), str) and meta["type"] in KINDS else None
    problems += checker.check(source, kind)

    def add(field: tuple[str | int, ...], message: str, topic: str = "") -> None:
        problems.append(
            Problem(source.rel, line_of(source, field), field_name(field), message, topic)
        )

    allowed = loader.kinds_at(source.rel)
    doc_id = loader.id_at(source.rel)
    if not in_corpus:
        pass
    elif not allowed:
        add(
            (),
            f"dit bestand staat op een plaats waar geen documenten horen. Zet {PLACES}.",
            topic="plaats",
        )
    elif kind is not None and kind not in allowed:
        add(
            ("type",),
            f"een document van type '{kind}' hoort niet in deze map; deze map is "
            f"voor type '{allowed[0]}'. Verplaats het bestand of pas 'type' aan.",
        )
    if in_corpus and not loader.SLUG.match(doc_id):
        in_folder = any(KINDS[k].layout == "folder" for k in (kind, *allowed) if k)
        what = "de mapnaam" if in_folder else "de bestandsnaam"
        add(
            (),
            f"{what} '{doc_id}' is geen geldig id. Gebruik kleine letters zonder accenten, "
            f"cijfers en koppeltekens, bijvoorbeeld '{slugify(doc_id)}'.",
            topic="id",
        )
    if not source.body.strip():
        problems.append(
            Problem(
                source.rel,
                source.body_line - 1,
                "",
                "de hoofdtekst ontbreekt. Schrijf de tekst van het document onder deze regel "
                "'---'.",
                topic="nieuw",
            )
        )
    problems += _check_dates(source, add)
    problems += _check_unsafe(source)
    problems += _check_images(source)
    if "recommendations" in meta:
        _check_unique_items(meta.get("recommendations"), "id", ("recommendations",), add)
    attachments: list[Attachment] = []
    if kind is not None and KINDS[kind].layout == "folder":  # a folder with its files
        attachments = _check_files(source, add)
        changelog = meta.get("changelog")
        if (
            isinstance(changelog, list)
            and changelog
            and isinstance(changelog[0], dict)
            and (changelog[0].get("version") != meta.get("version"))
        ):
            add(
                ("changelog", 0, "version"),
                f"de nieuwste versie in changelog moet gelijk zijn "
                f"aan 'version' ({meta.get('version')}). Zet de nieuwste versie bovenaan.",
            )
    if errors(problems) or kind is None:
        return None, problems
    problems += _check_repeated_recommendations(source)
    problems += _check_plain_summary(source, kind)
    document = Document(
        id=doc_id,
        kind=kind,
        source=source,
        title=meta["title"].strip(),
        date=dt.date.fromisoformat(meta["date"]),
        summary=" ".join(meta["summary"].split()),
        meta=meta,
        attachments=tuple(attachments),
    )
    return document, problems


WORDS = re.compile(r"[^\W_]+")
REPEAT_WORDS = 6  # a body line with a recommendation's first words repeats it


def _words(text: str) -> list[str]:
    return WORDS.findall(text.lower())


def _check_repeated_recommendations(source: SourceFile) -> list[Problem]:
    """A warning where the body repeats a recommendation: the page shows them from the
    metadata, grouped by addressee, so a second wording in the text only confuses."""
    found = []
    lines = [" ".join(_words(line)) for line in source.body.split("\n")]
    for rec in source.meta.get("recommendations") or []:
        start = " ".join(_words(str(rec.get("text", "")))[:REPEAT_WORDS])
        if len(start.split()) < REPEAT_WORDS:
            continue
        at = next((i for i, line in enumerate(lines) if start in line), None)
        if at is not None:
            found.append(
                Problem(
                    source.rel,
                    source.body_line + at,
                    "",
                    f"deze regel herhaalt aanbeveling {rec.get('id')}. De pagina toont de "
                    "aanbevelingen uit de metadata, per adressaat: schrap ze uit de tekst, "
                    "of verwijs ernaar ('zie aanbeveling R1').",
                    topic="aanbevelingen",
                    warning=True,
                )
            )
    return found


def _check_plain_summary(source: SourceFile, kind: str) -> list[Problem]:
    """Warnings about the summary in plain Dutch (``summary_plain``, readability.TARGET):
    one harder than the target, or none on a kind that should have one. Only for Dutch."""
    meta = source.meta
    if meta.get("language", "nl") != "nl":
        return []
    plain = meta.get("summary_plain")
    if not plain:
        if not KINDS[kind].plain_summary:
            return []
        return [
            Problem(
                source.rel,
                line_of(source, ("summary",)),
                "summary_plain",
                f"ontbreekt. Een {KINDS[kind].label.lower()} krijgt ook een samenvatting in "
                "eenvoudige taal (taalniveau B1), voor wie Nederlands als tweede taal leest: "
                "voeg onder 'summary' een regel 'summary_plain: …' toe.",
                topic="eenvoudige-taal",
                warning=True,
            )
        ]
    score = readability.douma(str(plain))
    if score is None or score >= readability.TARGET:
        return []
    return [
        Problem(
            source.rel,
            line_of(source, ("summary_plain",)),
            "summary_plain",
            f"is moeilijker dan eenvoudige taal: Flesch-Douma {score:g}, de streefwaarde is "
            f"minstens {readability.TARGET:g}. Schrijf kortere zinnen (hoogstens 15 woorden) "
            "en gewone, korte woorden.",
            topic="eenvoudige-taal",
            warning=True,
        )
    ]


def _check_dates(source: SourceFile, add: Any) -> list[Problem]:
    meta = source.meta
    pairs: list[tuple[Any, Any, tuple[str | int, ...], str]] = [
        (meta.get("date"), meta.get("updated"), ("updated",), "'updated' ligt vóór 'date'"),
    ]
    period = meta.get("period")
    if isinstance(period, dict):
        pairs.append(
            (
                period.get("start"),
                period.get("end"),
                ("period", "end"),
                "het einde van de periode ligt vóór het begin",
            )
        )
    for start, end, field, what in pairs:
        try:
            if (
                isinstance(start, str)
                and isinstance(end, str)
                and (dt.date.fromisoformat(end) < dt.date.fromisoformat(start))
            ):
                add(field, f"{what} ({end} < {start}). Controleer beide datums.")
        except ValueError:
            pass  # the schema already reported the bad date
    return []


def _check_unique_items(items: Any, key: str, field: tuple[str | int, ...], add: Any) -> None:
    if not isinstance(items, list):
        return
    seen: set[Any] = set()
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get(key), str):
            continue  # the schema reports a missing or non-text value
        if item.get(key) in seen:
            add(
                (*field, index, key),
                f"'{item.get(key)}' komt al eerder voor. Elk(e) {key} "
                "moet uniek zijn binnen het document.",
            )
        else:
            seen.add(item.get(key))


def _strings(
    value: Any, path: tuple[str | int, ...]
) -> Iterable[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _check_unsafe(source: SourceFile) -> list[Problem]:
    problems = []
    for path, text in _strings(source.meta, ()):
        reason = unsafe_reason(text)
        if reason:
            problems.append(
                Problem(
                    source.rel,
                    line_of(source, path),
                    field_name(path),
                    f"bevat {reason}. Dat is niet toegestaan: schrijf gewone "
                    "tekst zonder HTML-code of scripts.",
                )
            )
    for line, scanned, limit in slow_paragraphs(source.body):
        where = "de tekst" if limit == MAX_SCAN_PER_DOCUMENT else "deze alinea"
        problems.append(
            Problem(
                source.rel,
                source.body_line + line,
                "",
                f"{where} laat het omzetten {scanned} tekens doorzoeken (hoogstens {limit}), "
                "door haken '[', '(' of '<' die niet of pas veel verder gesloten "
                "worden. Dat maakt het omzetten naar een webpagina erg traag. Sluit elke "
                "haak (met ']', ')' of '>') of haal overbodige haken weg.",
                topic="niet-toegestaan",
            )
        )
    for line, reason in sorted(unsafe_lines(source.body).items()):
        problems.append(
            Problem(
                source.rel,
                source.body_line + line,
                "",
                f"de tekst bevat {reason}. Dat is niet toegestaan: gebruik "
                "gewone Markdown zonder scripts.",
                topic="niet-toegestaan",
            )
        )
    return problems


# The description `kennisbank import` gives an image that has none in Word: refused here,
# so that nobody publishes it without describing it.
IMAGE_PLACEHOLDER = "BESCHRIJF DEZE AFBEELDING"

# A Markdown image: ![alt](address "title"), the address up to a space or the closing ')'.
IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^\s)>]*)")


def _check_images(source: SourceFile) -> list[Problem]:
    """Every image has a description and comes from the site itself (whether its file is
    published is the link check's: only a toolkit's ``files`` are)."""
    problems = []
    fenced = False
    for number, line in enumerate(source.body.split("\n")):
        if FENCE.match(line):
            fenced = not fenced
        if fenced or "![" not in line:
            continue
        for alt, address in IMAGE.findall(line):
            if SCHEME.match(address) or address.startswith("//"):
                message = (
                    f"de afbeelding '{address}' komt van een andere website. Dat mag niet: "
                    "die website zou zien wie de pagina leest. Zet het bestand in de map "
                    "van de toolkit en vermeld het onder files."
                )
            elif alt.strip() == IMAGE_PLACEHOLDER:
                message = (
                    f"de afbeelding '{address}' heeft nog geen beschrijving: vervang "
                    f"'{IMAGE_PLACEHOLDER}' door wat erop staat. Wie de afbeelding niet ziet, "
                    "hoort die tekst."
                )
            elif not alt.strip():
                message = (
                    f"de afbeelding '{address}' heeft geen beschrijving. Schrijf tussen de "
                    f"vierkante haken wat erop staat, bijvoorbeeld ![Schema van de vijf "
                    f"stappen]({address}). Wie de afbeelding niet ziet, hoort die tekst."
                )
            else:
                continue
            problems.append(
                Problem(source.rel, source.body_line + number, "", message, topic="afbeeldingen")
            )
    return problems


def _check_files(source: SourceFile, add: Any) -> list[Attachment]:
    folder = source.path.parent
    files = source.meta.get("files")
    attachments: list[Attachment] = []
    if not isinstance(files, list):
        return attachments
    for index, item in enumerate(files):
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        name = item["path"].strip()
        field = ("files", index, "path")
        target = folder / name
        if Path(name).is_absolute() or name.startswith(("/", "\\")) or ":" in name:
            add(
                field,
                f"'{name}' is een absoluut pad. Geef de bestandsnaam binnen de map van de "
                f"toolkit ({relpath(folder, source.path.parents[2])}/).",
            )
            continue
        try:
            resolved = target.resolve()
            inside = resolved.is_relative_to(folder.resolve())
        except (OSError, RuntimeError):
            inside = False
        if not inside or ".." in Path(name).parts:
            add(
                field,
                f"'{name}' wijst naar een plaats buiten de map van de toolkit. Zet het "
                "bestand in de map van de toolkit en geef alleen de bestandsnaam.",
            )
        elif not target.exists():
            present = sorted(
                p.name for p in folder.iterdir() if p.is_file() and p.name != "index.md"
            )
            add(
                field,
                f"het bestand '{name}' bestaat niet in de map van de toolkit."
                f"{suggest(name, present)} Aanwezig: {', '.join(present) or 'geen bestanden'}.",
            )
        elif not target.is_file():
            add(field, f"'{name}' is een map, geen bestand. Verwijs naar een bestand.")
        elif name == "index.md":
            add(field, "index.md is de toolkit zelf, geen bijlage.")
        elif (refused := attachments_rules.refusal(target, name)) is not None:
            add(field, refused)
        else:
            attachments.append(
                Attachment(
                    path=resolved,
                    name=Path(name).as_posix(),
                    title=str(item.get("title", name)),
                    size=resolved.stat().st_size,
                )
            )
    return attachments


# File names that say "a copy of another file" (Windows, macOS, Finder, Word, LibreOffice).
COPY_NAME = re.compile(r"(?i)(kopie|copy|\(\d+\)| \d+$|~$)")


def expected_first(source: SourceFile) -> tuple[bool, int, str]:
    """Which of two files that share an id or a reference is the original: not named like a
    copy, then the older file, then by path. The other one gets the message."""
    try:
        modified = source.path.stat().st_mtime_ns
    except OSError:
        modified = 0
    return (bool(COPY_NAME.search(Path(source.rel).stem)), modified, source.rel)


def check_corpus(
    sources: list[tuple[str, SourceFile]],
    unreadable: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[Problem]:
    """Cross-document rules over every readable file (valid or not): unique ids and
    references, and ``related`` ids that resolve to published documents. ``unreadable``:
    ids of document files that could not be read (they have problems of their own)."""
    problems: list[Problem] = []
    first: dict[str, SourceFile] = {}
    references: dict[str, SourceFile] = {}
    for doc_id, source in sorted(sources, key=lambda s: expected_first(s[1])):
        other = first.get(doc_id)
        if other is not None:
            problems.append(
                Problem(
                    source.rel,
                    1,
                    "",
                    f"het id '{doc_id}' wordt al gebruikt "
                    f"door {other.rel}. Geef één van beide een andere "
                    "bestandsnaam.",
                    topic="id",
                )
            )
        else:
            first[doc_id] = source
        ref = source.meta.get("reference")
        if isinstance(ref, str):
            if ref in references:
                original = references[ref]
                problems.append(
                    Problem(
                        source.rel,
                        line_of(source, ("reference",)),
                        "reference",
                        f"het kenmerk '{ref}' staat ook in {original.rel} (regel "
                        f"{line_of(original, ('reference',))}). Is dit bestand een kopie? "
                        "Verwijder het dan, of geef het een eigen kenmerk.",
                    )
                )
            else:
                references[ref] = source
    ids = sorted(first)
    for doc_id, source in sources:
        related = source.meta.get("related")
        if not isinstance(related, list):
            continue
        for index, rel_id in enumerate(related):
            if not isinstance(rel_id, str):
                continue
            field = ("related", index)
            target = first.get(rel_id)
            message = None
            if rel_id == doc_id:
                message = "een document kan niet naar zichzelf verwijzen. Haal dit id weg."
            elif target is None and rel_id in unreadable:
                message = (
                    f"het document '{rel_id}' kan nu niet gelezen worden door een fout in dat "
                    "bestand (zie de melding daarover). Los die eerst op."
                )
            elif target is None:
                message = (
                    f"er bestaat geen document met id '{rel_id}'.{suggest(rel_id, ids)} "
                    "Het id is de bestandsnaam zonder .md (voor een toolkit de mapnaam)."
                )
            elif _is_concept(target) and not _is_concept(source):
                message = (
                    f"'{rel_id}' is een concept en wordt niet gepubliceerd. Publiceer het "
                    "eerst of haal de verwijzing weg."
                )
            if message:
                problems.append(
                    Problem(source.rel, line_of(source, field), field_name(field), message)
                )
    return problems


def _is_concept(source: SourceFile) -> bool:
    return source.meta.get("status") == "concept"
