"""Translations of documents into the site's other languages (``site_languages`` in
schema/registry.yml): ``<id>.<code>.md`` beside a one-file document, ``index.<code>.md``
in a toolkit's folder. A translation has its own title, summary and text
(schema/vertaling.schema.json); everything else is the original's.

``check`` is the single-file part (what ``kennisbank check FILE`` and the schema examples
use), ``load`` the corpus part: each translation must have an original, the language must
be one the site has, and each language once per document."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from kennisbank import registry
from kennisbank.cache import FileCache
from kennisbank.content import loader
from kennisbank.content.model import Corpus, Problem, SourceFile, Translation, errors
from kennisbank.content.reader import read_document, relpath
from kennisbank.content.schema_check import (
    TRANSLATION_SCHEMA,
    SchemaChecker,
    known_keys,
    line_of,
    suggest,
)
from kennisbank.registry import KINDS, LANGUAGES, SITE_LANGUAGES

CODES = ", ".join(f"{code} ({lang.native})" for code, lang in SITE_LANGUAGES.items())


def _code_problem(rel: str, code: str) -> str | None:
    """What is wrong with the language code in a translation's file name, if anything."""
    name = Path(rel).name
    good = name.replace(f".{code}.md", ".fr.md")
    if code in SITE_LANGUAGES:
        return None
    if code.lower() in SITE_LANGUAGES:
        return (
            f"schrijf de taalcode in de bestandsnaam in kleine letters: "
            f"'{name.replace(f'.{code}.md', f'.{code.lower()}.md')}'."
        )
    if code == "nl":
        return (
            f"het origineel is al Nederlands. Een vertaling heet '{good}' of "
            f"'{good.replace('.fr.md', '.en.md')}'."
        )
    if re.fullmatch(r"[a-z]{2}", code):
        summary = (
            f" Een samenvatting in het {LANGUAGES[code].name} zet je bij 'summaries' in het "
            "origineel."
            if code in LANGUAGES
            else ""
        )
        return (
            f"'{code}' is geen taal waarin de site vertalingen toont. Dat kan in: {CODES}."
            + summary
        )
    return (
        f"'{code}' in de bestandsnaam is geen taalcode van twee kleine letters (ISO 639-1)."
        f"{suggest(code.lower(), list(SITE_LANGUAGES))} Een vertaling heet '{good}' "
        f"(Frans) of '{good.replace('.fr.md', '.en.md')}' (Engels). Is dit geen vertaling? "
        "Gebruik dan geen punt in de bestandsnaam."
    )


def check(source: SourceFile, checker: SchemaChecker, kind: str | None) -> list[Problem]:
    """The rules of a translation of its own: its language code, its metadata and that it
    has a text (``validate.check_translation`` adds the rules of text that documents share).
    ``kind``: the kind of the original's place, for the hint about metadata that belongs in
    the original."""
    problems = []
    code = Path(source.rel).name.removesuffix(".md").rpartition(".")[2]
    message = _code_problem(source.rel, code)
    if message:
        problems.append(Problem(source.rel, 1, "", message, topic="vertalingen"))
    originals = [kind] if kind else list(KINDS)
    theirs = {key for k in originals for key in known_keys(k)} - set(known_keys(TRANSLATION_SCHEMA))
    for problem in checker.check(source, TRANSLATION_SCHEMA):
        if problem.field in theirs:
            problem = Problem(
                problem.path,
                problem.line,
                problem.field,
                "hoort in het origineel, niet in de vertaling: een vertaling neemt thema's, "
                "datum en de andere metadata over van het origineel. Haal deze regel weg; "
                "een vertaling heeft alleen title, summary, translated en translators.",
                topic="vertalingen",
            )
        problems.append(problem)
    if not source.body.strip():
        problems.append(
            Problem(
                source.rel,
                source.body_line - 1,
                "",
                "de tekst van de vertaling ontbreekt. Schrijf ze onder deze regel '---'.",
                topic="vertalingen",
            )
        )
    return problems


def load(
    root: Path,
    corpus: Corpus,
    checker: SchemaChecker,
    originals: dict[str, SourceFile],
    unreadable: set[str],
    check_one: Callable[[SourceFile, str], list[Problem]],
    cache: FileCache | None = None,
) -> list[Problem]:
    """Read and check every translation; fill ``corpus.translations`` with those whose
    original is published and valid. ``originals``: every readable document file by id
    (valid or not); ``unreadable``: ids of document files that could not be read;
    ``check_one``: the single-file check of a translation at a kind's place."""
    problems: list[Problem] = []
    documents = {doc.id: doc for doc in corpus.documents}
    seen: dict[tuple[str, str], str] = {}
    # A name with the code as it should be (lower case) first: the other one is the double.
    found_paths = loader.discover_translations(root)
    for path in sorted(found_paths, key=lambda p: (p.name != p.name.lower(), p)):
        rel = relpath(path, root)
        found = registry.translation_at(rel)
        if found is None:  # discover_translations gives only translations' places
            continue
        kind, doc_id, code = found
        try:
            stat = path.stat()
            stamp: tuple[int, ...] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = ()
        hit = cache.get(str(path)) if cache is not None else None
        if hit is not None and hit[0] == stamp:
            source, own = hit[1], hit[2]
        else:
            source, own = read_document(path, root)
            if source is not None:
                own = own + check_one(source, kind.name)
            if cache is not None:
                cache[str(path)] = (stamp, source, own, None, [])
        problems += own
        if source is None:
            continue
        key = (doc_id, code.lower())
        if key in seen:
            problems.append(
                Problem(
                    rel,
                    1,
                    "",
                    f"deze vertaling bestaat al: {seen[key]}. Houd er één over en verwijder "
                    "de andere.",
                    topic="vertalingen",
                )
            )
            continue
        seen[key] = rel
        original = originals.get(doc_id)
        if original is None and doc_id not in unreadable:
            where = registry.target(kind, doc_id)
            ids = sorted(d for d, s in originals.items() if registry.kind_at(s.rel))
            problems.append(
                Problem(
                    rel,
                    1,
                    "",
                    f"deze vertaling heeft geen origineel: er is geen document '{doc_id}' "
                    f"({where}).{suggest(doc_id, ids)} Een vertaling heet zoals het "
                    "origineel, met de taalcode vóór .md: <id>.fr.md naast <id>.md.",
                    topic="vertalingen",
                )
            )
            continue
        if original is not None and original.meta.get("language") == code:
            problems.append(
                Problem(
                    rel,
                    1,
                    "",
                    f"het origineel ({original.rel}) is al in deze taal (language: {code}). "
                    "Verwijder deze vertaling of pas 'language' in het origineel aan.",
                    topic="vertalingen",
                )
            )
            continue
        doc = documents.get(doc_id)
        if errors(own) or doc is None or code not in SITE_LANGUAGES:
            continue  # its own problems are reported; an invalid original has its own too
        translation = Translation(
            original=doc,
            lang=code,
            source=source,
            title=" ".join(str(source.meta["title"]).split()),
            summary=" ".join(str(source.meta["summary"]).split()),
        )
        if translation.translated and translation.translated < doc.changed:
            problems.append(
                Problem(
                    rel,
                    line_of(source, ("translated",)),
                    "translated",
                    f"het origineel is bijgewerkt op {doc.changed.isoformat()}, na deze "
                    f"vertaling ({translation.translated.isoformat()}). Kijk na of de "
                    "vertaling nog klopt en zet dan de datum van vandaag bij 'translated'.",
                    topic="vertalingen",
                    warning=True,
                )
            )
        if doc.published:
            corpus.translations.setdefault(doc_id, {})[code] = translation
    for versions in corpus.translations.values():  # in the registry's order
        ordered = {c: versions[c] for c in SITE_LANGUAGES if c in versions}
        versions.clear()
        versions.update(ordered)
    return problems
