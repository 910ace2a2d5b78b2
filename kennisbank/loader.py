"""Find the document files of a repository and load the vocabularies."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from .model import Problem
from .reader import ReadError, decode, parse_front_matter, relpath
from .safety import unsafe_reason

ADVISORIES = "advisories"
TOOLKITS = "toolkits"
PRACTICES = "praktijken"  # folder inside toolkits/ that holds the praktijken
VOCABULARY_FILE = "content/_data/vocabularies.yml"
VOCABULARIES = ("domains", "audiences", "actors", "regions", "addressees")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Which kinds may live where: the folder tells editors where to put a document.
LOCATIONS = {
    (ADVISORIES, "adviezen"): ("advies",),
    (ADVISORIES, "standpunten"): ("standpunt",),
    (TOOLKITS, PRACTICES): ("praktijk",),
}


def discover(root: Path) -> list[Path]:
    """Every document file under advisories/ and toolkits/, in a stable order."""
    found: list[Path] = []
    adv = root / ADVISORIES
    if adv.is_dir():
        found += [p for p in adv.rglob("*.md") if p.name.lower() != "readme.md"]
    tk = root / TOOLKITS
    if tk.is_dir():
        found += list((tk / PRACTICES).glob("*.md")) if (tk / PRACTICES).is_dir() else []
        found += [
            p / "index.md"
            for p in tk.iterdir()
            if p.is_dir() and p.name != PRACTICES and (p / "index.md").is_file()
        ]
    return sorted(found)


def folders_without_index(root: Path) -> list[Path]:
    """Folders in toolkits/ that look like a toolkit but have no index.md file."""
    tk = root / TOOLKITS
    if not tk.is_dir():
        return []
    return sorted(
        p
        for p in tk.iterdir()
        if p.is_dir() and p.name != PRACTICES and not (p / "index.md").is_file()
    )


def kinds_at(rel: str) -> tuple[str, ...]:
    """The kinds allowed at a path relative to the repository (``SourceFile.rel``); empty
    when the location is not a document place."""
    parts = PurePosixPath(rel).parts
    if len(parts) == 3 and parts[0] == TOOLKITS and parts[2] == "index.md":
        return ("toolkit",)
    if len(parts) == 3:
        return LOCATIONS.get((parts[0], parts[1]), ())
    return ()


def document_id(path: Path, root: Path) -> str:
    return id_at(relpath(path, root))


def id_at(rel: str) -> str:
    """``document_id`` of a path relative to the repository (``SourceFile.rel``)."""
    parts = PurePosixPath(rel).parts
    if len(parts) == 3 and parts[0] == TOOLKITS and parts[2] == "index.md":
        return parts[1]
    return PurePosixPath(rel).stem


def load_vocabularies(root: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Read the slug -> label lists; every problem is located in the vocabularies file."""
    path = root / VOCABULARY_FILE
    problems: list[Problem] = []
    try:
        data, marks = parse_front_matter(decode(path.read_bytes()))
    except OSError:
        return {}, [Problem(VOCABULARY_FILE, 1, "", "het bestand met woordenlijsten ontbreekt.")]
    except ReadError as err:
        return {}, [Problem(VOCABULARY_FILE, err.line, err.field, err.message)]
    out: dict[str, dict[str, str]] = {}
    for name in VOCABULARIES:
        values = data.get(name)
        if not isinstance(values, dict):
            problems.append(
                Problem(
                    VOCABULARY_FILE,
                    marks.get((name,), 1),
                    name,
                    "ontbreekt of is geen lijst van 'slug: Label'-regels.",
                )
            )
            continue
        out[name] = {}
        for slug, label in values.items():
            line = marks.get((name, slug), 1)
            if not SLUG.match(str(slug)):
                problems.append(
                    Problem(
                        VOCABULARY_FILE,
                        line,
                        f"{name}.{slug}",
                        "een slug bestaat uit kleine letters, cijfers en koppeltekens "
                        "(bijvoorbeeld 'lokale-besturen').",
                    )
                )
            elif not isinstance(label, str) or not label.strip():
                problems.append(
                    Problem(VOCABULARY_FILE, line, f"{name}.{slug}", "geef een Nederlands label.")
                )
            elif unsafe_reason(label) or "<" in label:
                problems.append(
                    Problem(
                        VOCABULARY_FILE,
                        line,
                        f"{name}.{slug}",
                        "een label is gewone tekst: zonder HTML-code, scripts of links.",
                    )
                )
            else:
                out[name][str(slug)] = label
    for key in data:
        if key not in VOCABULARIES:
            problems.append(
                Problem(
                    VOCABULARY_FILE,
                    marks.get((key,), 1),
                    key,
                    f"onbekende woordenlijst. Bestaande lijsten: {', '.join(VOCABULARIES)}.",
                )
            )
    return out, problems
