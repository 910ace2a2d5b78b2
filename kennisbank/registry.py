"""The kinds of documents and the vocabularies, as data (``schema/registry.yml``).

Every module that depends on a kind or a vocabulary reads it from here: the loader (where
files live), the check, ``kennisbank new``, the generated pages, feeds and search filters.
Adding a kind is data only: an entry in the registry, its schema, its template and its
documents (``tests/test_registry.py`` builds a fifth kind that way).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath
from typing import Any

import yaml

REGISTRY = "schema/registry.yml"


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # the value of `type`
    folder: str  # where its files live, from the repository root
    layout: str  # "file": <folder>/<id>.md; "folder": <folder>/<id>/index.md (+ attachments)
    section: str  # URL of its listing and pages
    label: str
    plural: str
    article: str  # "Nieuw" or "Nieuwe" (het- or de-woord), for `kennisbank new`
    intro: str  # of its listing
    reference_prefix: str | None = None  # `kennisbank new` numbers <prefix>-<year>-NN
    facet: str | None = None  # the vocabulary its listing can be narrowed by
    home: str | None = None  # title of its block on the home page
    home_featured: bool = False  # that block shows `featured: true` documents first
    cite: bool = False  # a "Citeer dit document" block with BibTeX and CSL-JSON
    bundle: bool = False  # a ZIP of its PDF and attachments
    followup: bool = False  # its recommendations are followed up (<id>.opvolging.yml)
    plain_summary: bool = False  # one without `summary_plain` gets a warning

    @property
    def parts(self) -> tuple[str, ...]:
        return PurePosixPath(self.folder).parts


@dataclass(frozen=True, slots=True)
class Vocabulary:
    name: str  # the key in the metadata and in content/_data/vocabularies.yml
    folder: str  # URL of its overview pages
    title: str
    intro: str
    filter: str  # the search filter's name
    filter_title: str  # its title on the search page
    intro_names_value: bool = False  # the intro ends with the value's label
    feeds: bool = False  # one feed per value
    key: str = ""  # the metadata key, when it is not ``name``
    single: bool = False  # one value instead of a list

    @property
    def field(self) -> str:
        return self.key or self.name


@dataclass(frozen=True, slots=True)
class Fact:
    key: str
    label: str
    vocabulary: str | None = None


@dataclass(frozen=True, slots=True)
class FollowUpSettings:
    folder: str  # URL of the dashboard and the addressee pages
    title: str
    intro: str
    filter: str  # the search filter's name
    filter_title: str
    stale_months: int  # open and not updated for longer than this: flagged
    feed: str  # file name under /feeds/


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    licence: str
    licence_url: str
    contact: str  # where readers ask for another format


@dataclass(frozen=True, slots=True)
class AttachmentType:
    extension: str  # lower case, without the dot
    format: str  # as the download block shows it: PDF, DOCX, ...
    content: str  # what the file must be inside: zip, pdf, png, jpeg, text


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # ISO 639-1
    name: str  # in Dutch
    native: str  # in the language itself
    dir: str  # "ltr" or "rtl"
    script: str  # a key of FONTS


@dataclass(frozen=True, slots=True)
class Font:
    script: str
    family: str
    package: str  # node_modules/@fontsource/<package>
    subsets: tuple[str, ...]

    def files(self) -> list[str]:
        """The package's regular-weight WOFF2 files used, relative to node_modules."""
        return [
            f"@fontsource/{self.package}/files/{self.package}-{subset}-400-normal.woff2"
            for subset in self.subsets
        ]


@dataclass(frozen=True, slots=True)
class SiteLanguage:
    """A language the site has pages in besides Dutch (translations of documents)."""

    code: str  # ISO 639-1; its pages are under /<code>/
    native: str  # its name in the language itself, as the language switcher shows it
    labels: dict[str, Any]  # Kennisbank's own words on its pages (see registry.yml)

    def label(self, key: str) -> str:
        return str(self.labels[key])

    def kind(self, kind: str) -> str:
        return str(self.labels["kinds"][kind])


def _data() -> dict[str, Any]:
    text = resources.files("kennisbank").joinpath(REGISTRY).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


_DATA = _data()
KINDS: dict[str, Kind] = {name: Kind(name=name, **entry) for name, entry in _DATA["kinds"].items()}
VOCABULARIES: dict[str, Vocabulary] = {
    name: Vocabulary(name=name, **entry) for name, entry in _DATA["vocabularies"].items()
}
FACTS: tuple[Fact, ...] = tuple(Fact(**entry) for entry in _DATA["facts"])
PUBLISHER = Publisher(**_DATA["publisher"])
FOLLOWUP = FollowUpSettings(**_DATA["followup"])
ATTACHMENT_TYPES: dict[str, AttachmentType] = {
    ext: AttachmentType(extension=ext, **entry)
    for ext, entry in _DATA["attachments"]["types"].items()
}
MAX_ATTACHMENT_BYTES: int = int(_DATA["attachments"]["max_megabytes"]) * 1024 * 1024
LANGUAGES: dict[str, Language] = {
    code: Language(code=code, **entry) for code, entry in _DATA["languages"].items()
}
FONTS: dict[str, Font] = {
    script: Font(
        script=script,
        family=entry["family"],
        package=entry["package"],
        subsets=tuple(entry["subsets"]),
    )
    for script, entry in _DATA["fonts"].items()
}
SITE_LANGUAGES: dict[str, SiteLanguage] = {
    code: SiteLanguage(code=code, native=entry["native"], labels=entry)
    for code, entry in _DATA["site_languages"].items()
}
SEARCH_WEIGHTS: dict[str, float] = dict(_DATA["search_weights"])
DUTCH_NATIVE = "Nederlands"  # the site's own language, named in the language switcher

# The search page's filters, in order: (name, Dutch title). "soort" and "jaar" come from
# every document's kind and date, "taal" from its language and its summaries in other
# languages, the others from the vocabularies.
SEARCH_FILTERS: tuple[tuple[str, str], ...] = (
    ("soort", "Soort"),
    *((v.filter, v.filter_title) for v in VOCABULARIES.values()),
    (FOLLOWUP.filter, FOLLOWUP.filter_title),
    ("taal", "Taal"),
    ("jaar", "Jaar"),
)

# The top folders that hold documents (advisories/, toolkits/).
ROOTS: tuple[str, ...] = tuple(dict.fromkeys(kind.parts[0] for kind in KINDS.values()))


def place_at(rel: str) -> tuple[Kind, str, str | None] | None:
    """What a path (relative to the repository, as ``SourceFile.rel``) is the place of: the
    kind, the document's id and, for a translation, the language code as written (None for
    the document itself); None when the path is no such place. A document is
    ``<folder>/<id>.md`` or ``<folder>/<id>/index.md``; its translation is beside it,
    ``<folder>/<id>.<code>.md`` or ``<folder>/<id>/index.<code>.md``."""
    parts = PurePosixPath(rel).parts
    for kind in KINDS.values():
        n = len(kind.parts)
        if parts[:n] != kind.parts:
            continue
        rest = parts[n:]
        if kind.layout == "file" and len(rest) == 1 and rest[0].endswith(".md"):
            doc_id, dot, code = rest[0].removesuffix(".md").rpartition(".")
            if not dot and code:
                return kind, code, None  # no dot: rpartition puts the whole stem last
            if dot and doc_id and code:
                return kind, doc_id, code
        if (
            kind.layout == "folder"
            and len(rest) == 2
            and rest[1].startswith("index")
            and rest[1].endswith(".md")
            and not is_kind_folder((*kind.parts, rest[0]))
        ):
            code = rest[1].removeprefix("index").removesuffix(".md")
            if not code:
                return kind, rest[0], None
            if code.startswith(".") and len(code) > 1:
                return kind, rest[0], code[1:]
    return None


def kind_at(rel: str) -> tuple[Kind, str] | None:
    """The kind whose document's place a path is, and the document's id."""
    found = place_at(rel)
    return (found[0], found[1]) if found and found[2] is None else None


def translation_at(rel: str) -> tuple[Kind, str, str] | None:
    """The kind, the original's id and the language code of a translation's place."""
    found = place_at(rel)
    return (found[0], found[1], found[2]) if found and found[2] is not None else None


def is_kind_folder(parts: tuple[str, ...]) -> bool:
    """Whether a folder is where a kind's files live (toolkits/praktijken is not a toolkit)."""
    return any(kind.parts == parts for kind in KINDS.values())


def target(kind: Kind, doc_id: str) -> str:
    """Where a new document of a kind goes, from the repository root."""
    if kind.layout == "folder":
        return f"{kind.folder}/{doc_id}/index.md"
    return f"{kind.folder}/{doc_id}.md"
