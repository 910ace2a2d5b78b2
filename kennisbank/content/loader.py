"""Find the document files of a repository and load the vocabularies."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from kennisbank import registry
from kennisbank.content.model import Problem
from kennisbank.content.reader import ReadError, decode, parse_front_matter, relpath
from kennisbank.content.safety import unsafe_reason

VOCABULARY_FILE = "content/_data/vocabularies.yml"
VOCABULARIES = tuple(registry.VOCABULARIES)
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def discover(root: Path) -> list[Path]:
    """Every document file in the kinds' folders (``schema/registry.yml``), in a stable
    order. A top folder that holds only one-file kinds (advisories/) is searched whole, so
    that a document in the wrong place is found and reported; where a kind keeps a folder
    per document (toolkits/), only its index.md files count (the rest are attachments)."""
    found: set[Path] = set()
    for kind in registry.KINDS.values():
        folder = root / kind.folder
        if not folder.is_dir():
            continue
        if kind.layout == "file":
            found |= set(folder.glob("*.md"))
        else:
            found |= {
                p / "index.md"
                for p in folder.iterdir()
                if p.is_dir()
                and not registry.is_kind_folder((*kind.parts, p.name))
                and (p / "index.md").is_file()
            }
    for top in registry.ROOTS:
        whole = all(k.layout == "file" for k in registry.KINDS.values() if k.parts[0] == top)
        if whole and (root / top).is_dir():
            found |= {p for p in (root / top).rglob("*.md") if p.name.lower() != "readme.md"}
    return sorted(p for p in found if not is_translation(p, root))


def is_translation(path: Path, root: Path) -> bool:
    # Only a name with a second dot can be one (<id>.fr.md, index.fr.md): the registry is
    # asked for those alone (asking it for 1,000 files took 0.1 s per preview rebuild).
    return "." in path.stem and registry.translation_at(relpath(path, root)) is not None


def discover_translations(root: Path) -> list[Path]:
    """Every translation file (``<id>.<code>.md``, ``<id>/index.<code>.md``) in the kinds'
    folders, in a stable order."""
    found: set[Path] = set()
    for kind in registry.KINDS.values():
        folder = root / kind.folder
        if not folder.is_dir():
            continue
        pattern = "*.*.md" if kind.layout == "file" else "*/index.*.md"
        found |= {p for p in folder.glob(pattern) if p.is_file() and is_translation(p, root)}
    return sorted(found)


def folders_without_index(root: Path) -> list[Path]:
    """Folders where a kind keeps a folder per document (toolkits/) that have no index.md."""
    out = []
    for kind in registry.KINDS.values():
        folder = root / kind.folder
        if kind.layout != "folder" or not folder.is_dir():
            continue
        out += [
            p
            for p in folder.iterdir()
            if p.is_dir()
            and not registry.is_kind_folder((*kind.parts, p.name))
            and not (p / "index.md").is_file()
        ]
    return sorted(out)


def kinds_at(rel: str) -> tuple[str, ...]:
    """The kinds allowed at a path relative to the repository (``SourceFile.rel``); empty
    when the location is not a document place."""
    found = registry.kind_at(rel)
    return (found[0].name,) if found else ()


def document_id(path: Path, root: Path) -> str:
    return id_at(relpath(path, root))


def id_at(rel: str) -> str:
    """``document_id`` of a path relative to the repository (``SourceFile.rel``)."""
    found = registry.kind_at(rel)
    return found[1] if found else PurePosixPath(rel).stem


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
