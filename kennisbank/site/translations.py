"""The pages in the site's other languages (``site_languages`` in schema/registry.yml), as
plain data: a page per translation at ``/<code>/<section>/<id>/``, a fallback page where a
translated document lacks a language (the original with a notice in that language, so
that the language switcher never leads to a 404), and a home page per language that lists
what it has. The language switcher and the ``hreflang`` alternates of a document are
derived here too.

Only documents with at least one translation get these pages: a site of 1,000 documents
with a handful of translations has a handful of extra pages, not 2,000."""

from __future__ import annotations

import datetime as dt
from typing import Any

from babel.dates import format_date
from markupsafe import Markup

from kennisbank.content.model import Corpus, Document, Translation
from kennisbank.registry import DUTCH_NATIVE, SITE_LANGUAGES, VOCABULARIES, SiteLanguage
from kennisbank.site import feeds
from kennisbank.site.downloads import Download
from kennisbank.site.render import PageSource, file_size, macro, relative_url, render_page

HOME = "index.md"  # /<code>/: the home page of a language


def local_date(date: dt.date | None, code: str) -> str:
    """A date as readers of the language write it (CLDR, through Babel)."""
    return format_date(date, format="long", locale=code) if date else ""


def versions(corpus: Corpus, doc: Document) -> list[dict[str, Any]]:
    """Every language a translated document is offered in, Dutch first: its code, its own
    name, the page (site-relative) and whether that page is a real version (a translation
    or the original) or the fallback page. Empty for a document without translations."""
    translated = corpus.translations.get(doc.id)
    if not translated:
        return []
    out = [{"code": "nl", "native": DUTCH_NATIVE, "url": doc.url, "real": True}]
    for code, lang in SITE_LANGUAGES.items():
        out.append(
            {
                "code": code,
                "native": lang.native,
                "url": f"{code}/{doc.url}",
                "real": code in translated,
            }
        )
    return out


def switcher(corpus: Corpus, doc: Document, current: str, from_url: str) -> Markup:
    """The language switcher of a document's pages ("" without translations): each
    language named in that language, the current one marked."""
    items = versions(corpus, doc)
    if not items:
        return Markup("")
    label = "Taal" if current == "nl" else SITE_LANGUAGES[current].label("versions")
    links = [
        {**item, "href": relative_url(item["url"], from_url), "current": item["code"] == current}
        for item in items
    ]
    return Markup(macro("_languages.html.j2", "switcher")(links, label))


def alternates(corpus: Corpus, doc: Document) -> list[dict[str, str]]:
    """The ``hreflang`` alternates of a document's real versions (front matter
    ``alternates``, written in <head> by overrides/main.html), with ``x-default`` the
    Dutch original; the same list on every version, so the pairs go both ways."""
    real = [item for item in versions(corpus, doc) if item["real"]]
    if not real:
        return []
    return [{"hreflang": i["code"], "href": i["url"]} for i in real] + [
        {"hreflang": "x-default", "href": doc.url}
    ]


def search_labels(lang: SiteLanguage) -> dict[str, str]:
    """The header search's words on a page in ``lang`` (overrides/partials/header.html)."""
    words = {key: lang.label(key) for key in ("search", "search_label", "search_hint", "home_link")}
    # Its search finds the pages in its language (Pagefind's index of the page's lang);
    # the search page is Dutch, so the form and "more" lead to the language's home page.
    return {**words, "home": f"{lang.code}/"}


def pages(
    corpus: Corpus,
    downloads: dict[str, tuple[Download, ...]],
    front_matter: Any,
) -> dict[str, PageSource]:
    """Every page under /<code>/: translations, fallbacks and the language homes."""
    out: dict[str, PageSource] = {}
    by_id = corpus.by_id()
    for code, lang in SITE_LANGUAGES.items():
        listed: list[Translation] = []
        for doc_id, translated in corpus.translations.items():
            doc = by_id[doc_id]
            version = translated.get(code)
            if version is not None:
                listed.append(version)
            out[f"{code}/{doc.page_path}"] = page(
                corpus, doc, lang, version, downloads.get(doc_id, ()), front_matter
            )
        listed.sort(key=lambda t: t.original.sort_key, reverse=True)
        out[f"{code}/{HOME}"] = home(corpus, lang, listed, front_matter)
    return out


def page(
    corpus: Corpus,
    doc: Document,
    lang: SiteLanguage,
    version: Translation | None,
    files: tuple[Download, ...],
    front_matter: Any,
) -> PageSource:
    """A translation's page, or (``version`` None) the fallback page: the original, in
    Dutch, under a notice in ``lang``."""
    url = f"{lang.code}/{doc.url}"
    themes = VOCABULARIES["domains"]
    facts = [  # the themes, with their Dutch labels and overview pages
        {
            "text": corpus.label(themes.name, slug),
            "url": relative_url(f"{themes.folder}/{slug}/", url),
        }
        for slug in doc.meta.get(themes.field, [])
    ]
    context = {
        "t": lang.labels,
        "code": lang.code,
        "doc": doc,
        "version": version,
        "kind": lang.kind(doc.kind),
        "home_url": relative_url(f"{lang.code}/", url),
        "original_url": relative_url(doc.url, url),
        "date_text": local_date(doc.date, lang.code),
        "updated_text": local_date(doc.updated, lang.code),
        "translated_text": local_date(version.translated if version else None, lang.code),
        "switcher": switcher(corpus, doc, lang.code, url),
        "facts": facts,
        "downloads": [
            {
                "title": d.title,
                "url": relative_url(f"{doc.section}/{doc.id}/{d.name}", url),
                "info": f"{d.format}, {file_size(d.size)}",
            }
            for d in files
        ],
        "body": Markup(corpus.translation_bodies.get((doc.id, lang.code), "")),
    }
    title = version.title if version else doc.title
    front = front_matter(
        heading_lang=None if version else "nl",  # a fallback shows the Dutch original
        title=title,
        description=version.summary if version else doc.summary,
        hide=["navigation"],
        feeds=[feeds.link(f"{lang.code}.xml", lang.label("feed"))],
        site_language=lang.code,
        labels=search_labels(lang),
        alternates=alternates(corpus, doc) if version else None,
        # A fallback shows the original's text: the original is the page to find and index.
        robots="noindex" if version is None else None,
        search=translation_search(doc, lang) if version else False,
    )
    return render_page("translation.md.j2", front, doc.changed, **context)


def translation_search(doc: Document, lang: SiteLanguage) -> dict[str, Any]:
    """What the search index of ``lang`` knows of a translation (overrides/main.html)."""
    return {
        "filters": {"soort": [doc.kind], "jaar": [str(doc.date.year)], "taal": [lang.code]},
        "meta": {
            "soort": lang.kind(doc.kind),
            "datum": local_date(doc.date, lang.code),
            "iso": doc.date.isoformat(),
        },
    }


def home(
    corpus: Corpus, lang: SiteLanguage, listed: list[Translation], front_matter: Any
) -> PageSource:
    """The home page of a language: what it is, and the documents it has."""
    url = f"{lang.code}/"
    items = [
        {
            "title": t.title,
            "url": relative_url(t.url, url),
            "kind": lang.kind(t.original.kind),
            "date": t.original.date,
            "date_text": local_date(t.original.date, lang.code),
            "summary": t.summary,
        }
        for t in listed
    ]
    front = front_matter(
        title=lang.label("home_title"),
        description=lang.label("home_intro"),
        hide=["navigation", "toc"],
        site_language=lang.code,
        labels=search_labels(lang),
        feeds=[feeds.link(f"{lang.code}.xml", lang.label("feed"))],
        search=False,
    )
    newest = max((t.original.changed for t in listed), default=None)
    return render_page(
        "language_home.md.j2",
        front,
        newest,
        t=lang.labels,
        code=lang.code,
        items=items,
        dutch_url=relative_url("", url),
    )
