"""Step 4 of the pipeline: generated pages and downloads as plain data.

``generate(corpus)`` returns ``{site source path: Markdown}`` plus ``{site path: file}``;
any engine renders those. Nothing here knows about MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .model import KINDS, Corpus, Document, InternalError
from .render import dutch_date, relative_url, render

LISTING_INTRO = {
    "advies": "Adviezen van het Minderhedenforum aan overheden en beleidsmakers.",
    "standpunt": "Standpunten van het Minderhedenforum over actuele thema's.",
    "toolkit": "Praktische toolkits voor lokale besturen, scholen, verenigingen en andere "
    "lokale actoren, met sjablonen om te downloaden en aan te passen.",
    "praktijk": "Goede praktijken van lokale actoren in Vlaanderen en Brussel, om van te leren.",
}

RECENT_PER_KIND = 3

# Metadata rows on a document page: (key, Dutch label, vocabulary or None).
FACTS: list[tuple[str, str, str | None]] = [
    ("reference", "Kenmerk", None),
    ("domains", "Thema's", "domains"),
    ("audiences", "Doelgroepen", "audiences"),
    ("addressees", "Gericht aan", "addressees"),
    ("actors", "Voor actoren", "actors"),
    ("organisation", "Organisatie", None),
    ("place", "Plaats", None),
    ("region", "Regio", "regions"),
    ("version", "Versie", None),
    ("authors", "Auteurs", None),
    ("tags", "Trefwoorden", None),
    ("contact", "Contact", None),
]


@dataclass(slots=True)
class Output:
    pages: dict[str, str] = field(default_factory=dict)  # site source path -> Markdown
    files: dict[str, Path] = field(default_factory=dict)  # site path -> file on disk


def generate(corpus: Corpus) -> Output:
    """Every generated page and download of the site, in one pass over the corpus."""
    out = Output()
    published = corpus.published()
    by_kind: dict[str, list[Document]] = {kind: [] for kind in KINDS}
    for doc in published:  # already newest first
        by_kind[doc.kind].append(doc)
        try:
            out.pages[doc.page_path] = document_page(corpus, doc)
        except Exception as err:  # a template bug: still name the document being rendered
            raise InternalError(doc.source.rel) from err
        for att in doc.attachments:
            out.files[f"{doc.section}/{doc.id}/{att.name}"] = att.path
    for kind, docs in by_kind.items():
        section = KINDS[kind][0]
        out.pages[f"{section}/index.md"] = listing_page(corpus, kind, docs, f"{section}/")
    return out


def page_url(page_path: str) -> str:
    """Directory URL of a page source path: ``adviezen/x.md`` -> ``adviezen/x/``."""
    stem = page_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def front_matter(**values: Any) -> str:
    dumped = yaml.safe_dump(values, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n\n"


def card(corpus: Corpus, doc: Document, from_url: str) -> dict[str, Any]:
    """What a listing shows of a document."""
    return {
        "title": doc.title,
        "url": relative_url(doc.url, from_url),
        "kind": doc.kind,
        "kind_label": doc.kind_label,
        "date": doc.date,
        "date_text": dutch_date(doc.date),
        "summary": doc.summary,
        "domains": [corpus.label("domains", d) for d in doc.meta.get("domains", [])],
        "example": bool(doc.meta.get("example")),
        "archived": doc.status == "gearchiveerd",
    }


def facts(corpus: Corpus, doc: Document) -> list[tuple[str, list[str]]]:
    rows: list[tuple[str, list[str]]] = [("Soort", [doc.kind_label])]
    for key, label, vocabulary in FACTS:
        value = doc.meta.get(key)
        if value in (None, "", []):
            continue
        values = value if isinstance(value, list) else [value]
        rows.append(
            (label, [corpus.label(vocabulary, v) if vocabulary else str(v) for v in values])
        )
    period = doc.meta.get("period")
    if isinstance(period, dict):
        end = dutch_date(period.get("end")) if period.get("end") else "lopend"
        rows.append(("Periode", [f"{dutch_date(period['start'])} – {end}"]))
    return rows


def document_page(corpus: Corpus, doc: Document) -> str:
    url = doc.url
    context = {
        "doc": doc,
        "meta": doc.meta,
        "facts": facts(corpus, doc),
        "body": corpus.bodies.get(doc.id, doc.source.body),
        "related": [card(corpus, d, url) for d in corpus.related.get(doc.id, [])],
        "backlinks": [card(corpus, d, url) for d in corpus.backlinks.get(doc.id, [])],
        "listing_url": relative_url(f"{doc.section}/", url),
        "listing_label": KINDS[doc.kind][2],
        "date_text": dutch_date(doc.date),
        "updated_text": dutch_date(doc.updated),
    }
    return front_matter(title=doc.title, description=doc.summary) + render(
        "document.md.j2", **context
    )


def listing_page(corpus: Corpus, kind: str, docs: list[Document], url: str) -> str:
    label = KINDS[kind][2]
    body = render(
        "listing.md.j2",
        title=label,
        intro=LISTING_INTRO[kind],
        cards=[card(corpus, d, url) for d in docs],
    )
    return front_matter(title=label, description=LISTING_INTRO[kind]) + body


def recent_block(corpus: Corpus, from_url: str) -> str:
    """The home page's "latest per kind" block, as HTML for a Markdown page."""
    groups = []
    for kind, (section, _, plural) in KINDS.items():
        docs = [d for d in corpus.published() if d.kind == kind][:RECENT_PER_KIND]
        groups.append(
            {
                "title": plural,
                "url": relative_url(f"{section}/", from_url),
                "cards": [card(corpus, d, from_url) for d in docs],
            }
        )
    return render("recent.html.j2", groups=groups)


# Blocks that site pages in content/ may embed with <!-- kennisbank:NAME -->.
BLOCKS = {"recent": recent_block}
