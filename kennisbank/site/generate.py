"""Step 4 of the pipeline: every generated page, feed, export and download as plain data.

``generate(corpus, site_url)`` makes one pass over the corpus to build its indexes (by kind,
vocabulary value and year) and returns ``Output``: Markdown pages by site source path, text
files (feeds, open data, robots.txt) and downloads. Any engine can render that; nothing here
knows about MkDocs.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup

from kennisbank.site import cms, feeds, followup, languages, search_words, translations
from kennisbank.site import opendata
from kennisbank.cache import CardCache, PreviewCache
from kennisbank.content.model import Corpus, Document, InternalError, Problem
from kennisbank.registry import (
    FACTS,
    FOLLOWUP,
    KINDS,
    LANGUAGES,
    PUBLISHER,
    SEARCH_FILTERS,
    SITE_LANGUAGES,
    VOCABULARIES,
)
from kennisbank.site.downloads import (
    Download,
    attachment_downloads,
    citation_files,
    citation_text,
)
from kennisbank.site.render import (
    PageSource,
    dutch_date,
    file_size,
    keep_block,
    macro,
    relative_url,
    render,
    render_page,
)

PAGE_SIZE = 20
RECENT_PER_KIND = 3


@dataclass(slots=True)
class Output:
    pages: dict[str, PageSource] = field(default_factory=dict)  # site source path -> page
    texts: dict[str, str] = field(default_factory=dict)  # site path -> feed, data, robots.txt
    files: dict[str, Path] = field(default_factory=dict)  # site path -> download on disk
    drafts: set[str] = field(default_factory=set)  # pages only a preview has (concepts)
    # Folder URL -> headers it gets instead of the site's (the published CMS).
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


RELATIVE_LINK = re.compile(r'<a href="(?![a-z][a-z0-9+.-]*:|#|/)([^"]*)"', re.I)


def print_urls(html: str, page_url: str, site_url: str) -> str:
    """Give every relative link its full URL as ``data-print-url``, which the print
    stylesheet shows after the link text (a printed advice needs addresses, not
    '../../adviezen/x/')."""
    if not site_url:
        return html
    base = urljoin(site_url.rstrip("/") + "/", page_url)

    def add(match: re.Match[str]) -> str:
        return f'{match.group()} data-print-url="{urljoin(base, match.group(1))}"'

    return RELATIVE_LINK.sub(add, html)


@dataclass(slots=True)
class Indexes:
    """The corpus grouped once, newest first everywhere."""

    by_kind: dict[str, list[Document]]
    by_value: dict[str, dict[str, list[Document]]]
    by_year: dict[int, list[Document]]


def values_of(doc: Document, vocabulary: str) -> list[str]:
    """The slugs a document has for a vocabulary (``region`` is a single value)."""
    value = doc.meta.get(VOCABULARIES[vocabulary].field)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def build_indexes(corpus: Corpus) -> Indexes:
    indexes = Indexes({kind: [] for kind in KINDS}, {v: {} for v in VOCABULARIES}, {})
    for doc in corpus.published():  # corpus.documents is newest first
        indexes.by_kind[doc.kind].append(doc)
        indexes.by_year.setdefault(doc.date.year, []).append(doc)
        for vocabulary in VOCABULARIES:
            for slug in values_of(doc, vocabulary):
                indexes.by_value[vocabulary].setdefault(slug, []).append(doc)
    return indexes


def newest(docs: list[Document]) -> dt.date | None:
    """When the newest change among ``docs`` was made: a listing's date for the sitemap."""
    return max((d.changed for d in docs), default=None)


def _same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Inputs compared by identity (documents, tuples of documents) or equality (text)."""
    return len(old) == len(new) and all(
        a is b
        or (isinstance(a, str) and a == b)
        or (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(x is y for x, y in zip(a, b, strict=True))
        )
        for a, b in zip(old, new, strict=True)
    )


CONCEPTS = "concepten/index.md"  # a preview's overview of the concepts


def generate(
    corpus: Corpus,
    site_url: str = "",
    cache: PreviewCache | None = None,
    preview: bool = False,
    downloads: dict[str, tuple[Download, ...]] | None = None,
    today: dt.date | None = None,
) -> Output:
    """Every generated page, feed, export and download of the site. With ``cache`` (a
    preview), a document page whose inputs did not change is taken from the last run (the
    inputs are the objects the page is made of, compared by identity), and so are cards
    and open data rows.
    ``preview``: concepts get their page too (in ``drafts``), marked as concepts, and are
    listed on a page of their own; listings, feeds, search and open data stay as without.
    ``downloads``: each document's PDF, bundle and attachments (``SiteBuilder.downloads``);
    without, only the attachments (no PDFs were made). ``today``: the date the follow-up
    of recommendations is judged on (stale or not); the build's date by default."""
    today = today or dt.date.today()
    cache = cache if cache is not None else PreviewCache()
    cards = cache.cards
    out = Output()
    if downloads is None:
        downloads = {doc.id: tuple(attachment_downloads(doc)) for doc in corpus.documents}
    if preview:
        concept_pages(corpus, out, cards, downloads)
    indexes = build_indexes(corpus)
    for doc in corpus.published():
        try:
            body = corpus.bodies.get(doc.id, doc.source.body)
            files = downloads.get(doc.id, ())
            inputs = (
                doc,
                body,
                tuple(corpus.related.get(doc.id, ())),
                tuple(corpus.suggested.get(doc.id, ())),
                tuple(corpus.backlinks.get(doc.id, ())),
                "|".join(f"{d.name}:{d.size}:{d.pages}" for d in files),
                site_url,
                tuple(corpus.followups.get(doc.id, ())),
                today.isoformat(),
                # its translations' languages (the switcher and the alternates)
                ",".join(corpus.translations.get(doc.id, {})),
            )
            hit = cache.pages.get(doc.id)
            if hit is not None and _same(hit[0], inputs):
                out.pages[doc.page_path] = hit[1]
            else:
                out.pages[doc.page_path] = document_page(
                    corpus, doc, body, cards, files, site_url, preview, today
                )
                cache.pages[doc.id] = (inputs, out.pages[doc.page_path])
        except Exception as err:  # a template bug: still name the document being rendered
            raise InternalError(doc.source.rel) from err
        add_downloads(out, doc, files, site_url)
    current = {doc.id: doc for doc in corpus.published()}
    for gone in set(cache.pages) - set(current):  # deleted or unpublished documents
        del cache.pages[gone]
    # Cards of documents that were deleted, unpublished or changed (a new Document object)
    # would never be used again: drop them, so that a long preview does not keep them.
    for key in [key for key, hit in cards.items() if current.get(key[0]) is not hit[0]]:
        del cards[key]
    for kind, docs in indexes.by_kind.items():
        out.pages.update(listing_pages(corpus, indexes, kind, docs, cards))
    for vocabulary in VOCABULARIES:
        out.pages.update(theme_pages(corpus, indexes, vocabulary, cards))
    out.pages.update(archive_pages(corpus, indexes, cards))
    out.pages.update(translations.pages(corpus, downloads, front_matter))
    # The dashboard and addressee pages depend on the followed documents' metadata, not on
    # their text: an edit of a body keeps them (they took 0.5 s per preview rebuild at
    # 1,000 documents).
    inputs = followup.page_inputs(corpus, today)
    if cache.followup_pages is not None and cache.followup_pages[0] == inputs:
        out.pages.update(cache.followup_pages[1])
    else:
        made = followup.pages(corpus, today, front_matter)
        cache.followup_pages = (inputs, made)
        out.pages.update(made)
    out.texts.update(
        feeds.all_feeds(corpus, indexes.by_kind, indexes.by_value["domains"], site_url)
    )
    out.texts.update(opendata.exports(corpus, site_url, cache.rows))
    out.texts.update(followup.exports(corpus, site_url))
    out.texts[f"feeds/{FOLLOWUP.feed}"] = followup.feed(corpus, site_url)
    out.texts["robots.txt"] = robots(site_url)
    out.texts[languages.CSS] = languages.site_css(corpus.root)
    out.files.update(languages.site_files(corpus.root))
    # The CMS (admin/): a preview always has it (with decap-server); `make build` when
    # content/_data/cms.yml says so, with its own headers.
    if preview or cms.published(corpus):
        out.texts.update(cms.texts(corpus, site_url, preview))
        out.files.update(cms.files(corpus.root))
        if not preview:
            out.headers[f"/{cms.FOLDER}/"] = cms.headers(corpus.cms)
    out.texts["assets/zoekfilters.json"] = json.dumps(search_labels(corpus), ensure_ascii=False)
    out.texts[search_words.FILE] = search_words.text(corpus, cache.words)
    return out


def add_downloads(out: Output, doc: Document, files: tuple[Download, ...], site_url: str) -> None:
    """A document's downloads and citation files, beside its page."""
    for download in files:
        out.files[f"{doc.section}/{doc.id}/{download.name}"] = download.source
    for name, text in citation_files(doc, site_url).items():
        out.texts[f"{doc.section}/{doc.id}/{name}"] = text


def concept_pages(
    corpus: Corpus, out: Output, cards: CardCache, downloads: dict[str, tuple[Download, ...]]
) -> None:
    """A preview's pages of concepts, and the overview that lists them."""
    concepts = [doc for doc in corpus.documents if not doc.published]
    for doc in concepts:
        files = downloads.get(doc.id, ())
        try:
            out.pages[doc.page_path] = document_page(
                corpus, doc, corpus.bodies.get(doc.id, doc.source.body), cards, files, "", True
            )
        except Exception as err:  # a template bug: still name the document being rendered
            raise InternalError(doc.source.rel) from err
        out.drafts.add(doc.page_path)
        add_downloads(out, doc, files, "")
    url = page_url(CONCEPTS)
    out.pages[CONCEPTS] = render_page(
        "concepts.md.j2",
        front_matter(
            title="Concepten",
            search=False,
            description="Documenten in voorbereiding; alleen in de voorvertoning.",
        ),
        cards=[card(cards, corpus, d, url) for d in concepts],
    )
    out.drafts.add(CONCEPTS)


def page_url(page_path: str) -> str:
    """Directory URL of a page source path: ``adviezen/x.md`` -> ``adviezen/x/``."""
    stem = page_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def front_matter(heading_lang: str | None = None, **values: Any) -> str:
    """YAML front matter, one JSON value per key (JSON is valid YAML, and 10x faster to
    write than yaml.safe_dump). Title and description are HTML-escaped here: Material
    writes them into <title> and <meta content="…"> without escaping.

    The title is also the page's h1, written here in Markdown: it is then the first entry
    of the page's table of contents, which is where the engine's "Ga naar inhoud" link
    goes (WCAG 2.4.1; the theme's own h1 is left out when the page has one).
    ``heading_lang``: the title's language when it is not the page's."""
    title = values.get("title")
    heading = f"# {markdown_text(title)}" if isinstance(title, str) else ""
    if heading and heading_lang:
        heading += f' {{: lang="{heading_lang}" }}'
    for key in ("title", "description"):
        if isinstance(values.get(key), str):
            values[key] = html.escape(values[key])
    lines = [
        f"{key}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in values.items()
        if value is not None
    ]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + (heading + "\n\n" if heading else "")


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown_text(text: str) -> str:
    """Plain text as Markdown that shows exactly that text (a title with * or _ stays as it
    is, a # at its end is not a closing sequence, { } is no attribute list)."""
    text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def theme_url(vocabulary: str, slug: str) -> str:
    return f"{VOCABULARIES[vocabulary].folder}/{slug}/"


def card(
    cards: CardCache, corpus: Corpus, doc: Document, from_url: str, heading: int = 2
) -> Markup:
    """A document as listings show it, as HTML. Links go up to the site root and down again,
    so a card is the same on every page at the same depth and is rendered once per depth
    (cards were a quarter of the generate step), kept in ``cards``: an entry is used only
    for the same Document object with the same labels (the vocabularies may have changed)."""
    depth = from_url.count("/")
    key = (doc.id, depth, heading)
    domains = doc.meta.get("domains", [])
    labels = tuple(corpus.label("domains", slug) for slug in domains)
    versions = corpus.translations.get(doc.id, {})
    inputs = labels + tuple(f"{code}:{t.title}" for code, t in versions.items())
    hit = cards.get(key)
    if hit is not None and hit[0] is doc and hit[1] == inputs:
        return hit[2]
    up = "../" * depth
    data = {
        "title": doc.title,
        "url": up + doc.url,
        "kind": doc.kind,
        "kind_label": doc.kind_label,
        "date": doc.date,
        "date_text": dutch_date(doc.date),
        # A card gives the summary in plain Dutch when there is one: quicker to take in.
        "summary": " ".join(str(doc.meta.get("summary_plain") or doc.summary).split()),
        "plain": bool(doc.meta.get("summary_plain")),
        "summaries": languages.summaries(doc),  # named in their own language
        "translations": [  # the same: each language in its own name, with its page
            {"code": code, "native": SITE_LANGUAGES[code].native, "url": up + t.url}
            for code, t in versions.items()
        ],
        "labels": [
            {"text": label, "url": up + theme_url("domains", slug)}
            for slug, label in zip(domains, labels, strict=True)
        ],
        "example": bool(doc.meta.get("example")),
        "archived": doc.status == "gearchiveerd",
        "concept": not doc.published,
        # Title and summary are in the document's language; None for Dutch.
        "lang": None if doc.meta.get("language", "nl") == "nl" else doc.meta["language"],
    }
    html_ = Markup(macro("_card.html.j2", "card_item")(data, heading))
    cards[key] = (doc, inputs, html_)
    return html_


def facts(corpus: Corpus, doc: Document) -> list[tuple[str, list[dict[str, str | None]]]]:
    """Metadata rows of a document page; vocabulary values link to their theme page."""
    rows: list[tuple[str, list[dict[str, str | None]]]] = [
        ("Soort", [{"text": doc.kind_label, "url": relative_url(f"{doc.section}/", doc.url)}])
    ]
    for fact in FACTS:
        label, vocabulary = fact.label, fact.vocabulary
        value = doc.meta.get(fact.key)
        if value in (None, "", []):
            continue
        items = value if isinstance(value, list) else [value]
        if vocabulary:
            cells: list[dict[str, str | None]] = [
                {
                    "text": corpus.label(vocabulary, v),
                    "url": relative_url(theme_url(vocabulary, v), doc.url),
                }
                for v in items
            ]
        else:
            cells = [{"text": str(v), "url": None} for v in items]
        rows.append((label, cells))
    period = doc.meta.get("period")
    if isinstance(period, dict):
        end = dutch_date(period.get("end")) if period.get("end") else "lopend"
        rows.append(("Periode", [{"text": f"{dutch_date(period['start'])} – {end}", "url": None}]))
    return rows


def download_items(doc: Document, files: tuple[Download, ...]) -> list[dict[str, Any]]:
    """The download block's rows: title, link, format, size, pages."""
    return [
        {
            "title": d.title,
            "url": d.name,
            "format": d.format,
            "size": file_size(d.size),
            "pages": d.pages,
            "role": d.role,
        }
        for d in files
    ]


def document_page(
    corpus: Corpus,
    doc: Document,
    body: str,
    cards: CardCache,
    files: tuple[Download, ...] = (),
    site_url: str = "",
    preview: bool = False,
    today: dt.date | None = None,
) -> PageSource:
    """A document's page; ``body`` is its Markdown with links rewritten (``enrich``)."""
    url = doc.url
    today = today or dt.date.today()
    followed = KINDS[doc.kind].followup and doc.published
    cited = KINDS[doc.kind].cite
    context = {
        "doc": doc,
        "meta": doc.meta,
        "facts": facts(corpus, doc),
        "body": Markup(body),  # Markdown: converted by the engine, never escaped here
        "related": [card(cards, corpus, d, url, 3) for d in corpus.related.get(doc.id, [])],
        "suggested": [card(cards, corpus, d, url, 3) for d in corpus.suggested.get(doc.id, [])],
        "backlinks": [card(cards, corpus, d, url, 3) for d in corpus.backlinks.get(doc.id, [])],
        "listing_url": relative_url(f"{doc.section}/", url),
        "switcher": translations.switcher(corpus, doc, "nl", url),
        **languages.context(doc, url),
        "date_text": dutch_date(doc.date),
        "updated_text": dutch_date(doc.updated),
        "downloads": download_items(doc, files),
        "pdf_pending": preview and not any(d.role == "pdf" for d in files),
        "publisher": PUBLISHER,
        "citation": citation_text(doc, site_url) if cited else None,
        "citation_files": list(citation_files(doc, site_url)) if cited else [],
        "recommendation_groups": followup.document_groups(corpus, doc, today),
        "followup_url": relative_url(f"{FOLLOWUP.folder}/", url) if followed else None,
    }
    language = doc.meta.get("language", "nl")
    front = front_matter(
        heading_lang=None if language == "nl" else language,
        title=doc.title,
        description=doc.summary,
        hide=["navigation"],  # documents are not in the nav: its column would be empty
        alternates=translations.alternates(corpus, doc) or None,
        feeds=[feeds.link(f"{doc.section}.xml", f"Nieuwe {KINDS[doc.kind].plural.lower()}")],
        search=(
            search_data(doc, followup.search_values(corpus, doc), corpus.translations.get(doc.id))
            if doc.published
            else False
        ),
    )
    concepts_url = relative_url(page_url(CONCEPTS), url)
    return render_page("document.md.j2", front, doc.changed, **context, concepts_url=concepts_url)


def search_data(
    doc: Document, followed: list[str] | None = None, translated: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What the search index knows of a document: filters (slugs) and display metadata.
    ``followed``: the implementation states of its recommendations (a filter);
    ``translated``: its translations, by language code (a reader finds it in those too)."""
    filters: dict[str, list[str]] = {"soort": [doc.kind], "jaar": [str(doc.date.year)]}
    for vocabulary in VOCABULARIES.values():
        values = values_of(doc, vocabulary.name)
        if values:
            filters[vocabulary.filter] = values
    if followed:
        filters[FOLLOWUP.filter] = followed
    # The languages a reader finds it in: its own, its translations, its summaries.
    summaries = doc.meta.get("summaries") or {}
    filters["taal"] = list(
        dict.fromkeys([doc.meta.get("language", "nl"), *(translated or {}), *summaries])
    )
    return {
        "filters": filters,
        "meta": {
            "soort": doc.kind_label,
            "datum": dutch_date(doc.date),
            "iso": doc.date.isoformat(),
        },
    }


def search_labels(corpus: Corpus) -> dict[str, dict[str, str]]:
    """Slug -> Dutch label per search filter, for the search page's facets."""
    labels = {"soort": {name: kind.plural for name, kind in KINDS.items()}}
    for vocabulary in VOCABULARIES.values():
        labels[vocabulary.filter] = dict(corpus.vocabularies.get(vocabulary.name, {}))
    labels[FOLLOWUP.filter] = followup.search_labels()
    labels["taal"] = {"nl": "Nederlands", **{c: lang.name for c, lang in LANGUAGES.items()}}
    return labels


def paginate(section_url: str, docs: list[Document]) -> list[tuple[str, list[Document]]]:
    """``[(page source path, documents)]``: page 1 is the section index, then ``pagina/N``."""
    chunks = [docs[i : i + PAGE_SIZE] for i in range(0, len(docs), PAGE_SIZE)] or [[]]
    return [
        (f"{section_url}index.md" if n == 1 else f"{section_url}pagina/{n}.md", chunk)
        for n, chunk in enumerate(chunks, start=1)
    ]


def listing_pages(
    corpus: Corpus, indexes: Indexes, kind: str, docs: list[Document], cards: CardCache
) -> dict[str, PageSource]:
    section, plural = KINDS[kind].section, KINDS[kind].plural
    pages = paginate(f"{section}/", docs)
    urls = [page_url(path) for path, _ in pages]
    facet = KINDS[kind].facet
    out: dict[str, PageSource] = {}
    for number, (path, chunk) in enumerate(pages, start=1):
        url = urls[number - 1]
        facet_links = []
        if facet and number == 1:
            facet_links = [
                {
                    "text": corpus.label(facet, slug),
                    "count": sum(d.kind == kind for d in found),
                    "url": relative_url(theme_url(facet, slug), url),
                }
                for slug, found in sorted(
                    indexes.by_value[facet].items(), key=lambda item: corpus.label(facet, item[0])
                )
                if any(d.kind == kind for d in found)
            ]
        title = plural if number == 1 else f"{plural} (pagina {number} van {len(pages)})"
        front = front_matter(
            title=title,
            search=False,
            description=KINDS[kind].intro,
            feeds=[feeds.link(f"{section}.xml", f"Nieuwe {plural.lower()}")],
        )
        out[path] = render_page(
            "listing.md.j2",
            front,
            newest(docs),  # a new document moves every page of the listing
            intro=KINDS[kind].intro,
            total=len(docs),
            first=(number - 1) * PAGE_SIZE + 1,
            cards=[card(cards, corpus, d, url) for d in chunk],
            pager=pager(urls, number, url),
            feed_url=relative_url(f"feeds/{section}.xml", url),
            facet_title=f"{plural} per {'actor' if facet == 'actors' else 'regio'}",
            facet_links=facet_links,
        )
    return out


def pager(urls: list[str], number: int, from_url: str) -> dict[str, Any] | None:
    if len(urls) < 2:
        return None
    link: Callable[[int], str] = lambda n: relative_url(urls[n - 1], from_url)  # noqa: E731
    return {
        "pages": [
            {"number": n, "url": link(n), "current": n == number} for n in range(1, len(urls) + 1)
        ],
        "previous": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if number < len(urls) else None,
    }


def grouped(
    corpus: Corpus, docs: list[Document], url: str, cards: CardCache
) -> list[dict[str, Any]]:
    """Documents grouped by kind, in the order of KINDS."""
    return [
        {
            "title": plural,
            "cards": [card(cards, corpus, d, url, 3) for d in docs if d.kind == kind],
        }
        for kind, plural in ((k.name, k.plural) for k in KINDS.values())
        if any(d.kind == kind for d in docs)
    ]


def theme_pages(
    corpus: Corpus, indexes: Indexes, vocabulary: str, cards: CardCache
) -> dict[str, PageSource]:
    entry = VOCABULARIES[vocabulary]
    folder, title, intro = entry.folder, entry.title, entry.intro
    used = indexes.by_value[vocabulary]
    out: dict[str, PageSource] = {}
    entries = []
    for slug, docs in sorted(used.items(), key=lambda item: corpus.label(vocabulary, item[0])):
        label = corpus.label(vocabulary, slug)
        url = theme_url(vocabulary, slug)
        entries.append({"text": label, "count": len(docs), "url": f"{slug}/"})
        feed = feeds.link(f"{folder}/{slug}.xml", f"Nieuw over {label}") if entry.feeds else None
        text = f"{intro} {label}." if entry.intro_names_value else intro
        out[f"{folder}/{slug}.md"] = render_page(
            "theme.md.j2",
            front_matter(
                title=label,
                search=False,
                description=f"{title}: {label}. {text}",
                feeds=[feed] if feed else None,
            ),
            newest(docs),
            intro=text,
            groups=grouped(corpus, docs, url, cards),
            total=len(docs),
            overview_url="../",
            overview_title=title,
            feed_url=relative_url(f"feeds/{folder}/{slug}.xml", url) if feed else None,
        )
    out[f"{folder}/index.md"] = render_page(
        "overview.md.j2",
        front_matter(
            title=title, search=False, description=f"Alle publicaties per {title.lower()}."
        ),
        newest([d for docs in used.values() for d in docs]),
        entries=entries,
        others=other_overviews(vocabulary),
    )
    return out


def other_overviews(current: str | None) -> list[dict[str, str]]:
    """Links from an overview page (one level deep) to the other overviews."""
    return [
        {"text": entry.title, "url": f"../{entry.folder}/"}
        for entry in VOCABULARIES.values()
        if entry.name != current
    ] + ([{"text": "Archief per jaar", "url": "../archief/"}] if current else [])


def archive_pages(corpus: Corpus, indexes: Indexes, cards: CardCache) -> dict[str, PageSource]:
    out: dict[str, PageSource] = {}
    entries = []
    for year, docs in sorted(indexes.by_year.items(), reverse=True):
        entries.append({"text": str(year), "count": len(docs), "url": f"{year}/"})
        out[f"archief/{year}.md"] = render_page(
            "theme.md.j2",
            front_matter(
                title=f"Archief {year}", search=False, description=f"Alle publicaties van {year}."
            ),
            newest(docs),
            intro=f"Alle publicaties van {year}, nieuwste eerst.",
            groups=grouped(corpus, docs, f"archief/{year}/", cards),
            total=len(docs),
            overview_url="../",
            overview_title="Archief",
            feed_url=None,
        )
    out["archief/index.md"] = render_page(
        "overview.md.j2",
        front_matter(title="Archief", search=False, description="Alle publicaties per jaar."),
        newest([d for docs in indexes.by_year.values() for d in docs]),
        entries=entries,
        others=other_overviews(None),
    )
    return out


def recent_block(corpus: Corpus, from_url: str, cards: CardCache) -> str:
    """The home page: latest adviezen and standpunten, featured toolkits, latest praktijken,
    and links to the theme overviews."""
    published = corpus.published()

    def latest(kind: str, docs: list[Document] | None = None) -> list[Markup]:
        pool = docs if docs is not None else [d for d in published if d.kind == kind]
        return [card(cards, corpus, d, from_url, 3) for d in pool[:RECENT_PER_KIND]]

    groups = []
    for kind in KINDS.values():
        if kind.home is None:
            continue
        docs = None
        if kind.home_featured:
            all_of_kind = [d for d in published if d.kind == kind.name]
            docs = [d for d in all_of_kind if d.meta.get("featured")] or all_of_kind
        groups.append(
            {
                "title": kind.home,
                "url": relative_url(f"{kind.section}/", from_url),
                "more": f"Alle {kind.plural.lower()}",
                "cards": latest(kind.name, docs),
            }
        )
    themes = [
        {"text": entry.title, "url": relative_url(f"{entry.folder}/", from_url)}
        for entry in VOCABULARIES.values()
    ] + [{"text": "Archief per jaar", "url": relative_url("archief/", from_url)}]
    return render("recent.html.j2", groups=groups, themes=themes)


def robots(site_url: str) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"


AUDIT_FILE = "content/_data/audit.json"  # written by `make audit` (scripts/audit.py)


def audit_block(corpus: Corpus, from_url: str, cards: CardCache) -> str:
    """Date, method and scores of the last accessibility audit, for the statement page."""
    path = corpus.root / AUDIT_FILE
    try:
        audit = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except ValueError as err:
        raise InternalError(AUDIT_FILE) from err  # written by `make audit`, never by hand
    return render("audit.html.j2", audit=audit)


# Blocks that site pages in content/ may embed with <!-- kennisbank:NAME -->.
def search_block(corpus: Corpus, from_url: str, cards: CardCache) -> str:
    """Where the search page's script builds the search (``content/assets/search.js``),
    with its filters in order: name and Dutch title, from the registry."""
    return render(
        "search.html.j2",
        filters=json.dumps(SEARCH_FILTERS, ensure_ascii=False),
        # Where a search without results points to: the overview of each theme.
        themes=f"{VOCABULARIES['domains'].folder}/",
        theme_filter=VOCABULARIES["domains"].filter,
    )


# Each gets the corpus, the URL of the page and the cards cache.
BLOCKS: dict[str, Callable[[Corpus, str, CardCache], str]] = {
    "recent": recent_block,
    "audit": audit_block,
    "zoeken": search_block,
}


BLOCK_MARKER = re.compile(r"<!--\s*kennisbank:([a-z-]+)\s*-->")


def fill_blocks(
    source: str, page_path: str, rel: str, corpus: Corpus, cards: CardCache
) -> tuple[PageSource, list[Problem]] | None:
    """A site page with ``<!-- kennisbank:NAME -->`` markers: the page with each block
    rendered as HTML to keep (like every generated block), and the problems (an unknown
    block stays an HTML comment). None for a page without markers. ``page_path``: the page
    in the site tree; ``rel``: its file, as messages name it."""
    if "kennisbank:" not in source:
        return None
    url = page_url(page_path)
    fragments: list[str] = []
    problems: list[Problem] = []

    def block(match: re.Match[str]) -> str:
        render_block = BLOCKS.get(match.group(1))
        if render_block is None:
            problems.append(
                Problem(
                    rel,
                    source.count("\n", 0, match.start()) + 1,
                    "",
                    f"onbekend blok '{match.group(1)}'. Bestaande blokken: {', '.join(BLOCKS)}.",
                    topic="blokken",
                )
            )
            return match.group()
        return keep_block(fragments, render_block(corpus, url, cards))

    markdown = BLOCK_MARKER.sub(block, source)
    # The blocks show the published documents: the page changes when they do.
    changed = newest(corpus.published()) if fragments else None
    return PageSource(markdown, tuple(fragments), changed), problems
