"""Atom 1.0 feeds, written with feedgen (a maintained feed library)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

from kennisbank.content.model import Corpus, Document
from kennisbank.registry import KINDS, SITE_LANGUAGES

FEED_ENTRIES = 50  # a feed reader needs the recent items, not the whole archive
TZ = ZoneInfo("Europe/Brussels")
SITE_TITLE = "Kennisbank Minderhedenforum"


def link(path: str, title: str) -> dict[str, str]:
    """A feed announced on a page (front matter ``feeds``); ``href`` is site-relative."""
    return {"href": f"feeds/{path}", "title": f"{SITE_TITLE}: {title}"}


def _moment(date: dt.date) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(9, 0), tzinfo=TZ)


def atom(corpus: Corpus, docs: list[Document], path: str, title: str, site_url: str) -> str:
    """One Atom feed of the newest documents; its ``updated`` comes from the content, so
    an unchanged corpus gives a byte-identical feed."""
    base = site_url.rstrip("/") + "/"
    fg = FeedGenerator()
    fg.id(base + path)
    fg.title(f"{SITE_TITLE}: {title}")
    fg.subtitle("Adviezen, standpunten, toolkits en praktijken van het Minderhedenforum.")
    fg.author({"name": "Minderhedenforum"})
    fg.link(href=base, rel="alternate", type="text/html")
    fg.link(href=base + path, rel="self", type="application/atom+xml")
    fg.language("nl")
    fg.generator("Kennisbank")
    fg.rights("Minderhedenforum")
    entries = docs[:FEED_ENTRIES]
    latest = max((d.changed for d in entries), default=dt.date(2000, 1, 1))
    fg.updated(_moment(latest))
    for doc in entries:
        entry = fg.add_entry(order="append")
        entry.id(base + doc.url)
        entry.title(doc.title)
        entry.link(href=base + doc.url, rel="alternate", type="text/html")
        entry.summary(doc.summary)
        entry.published(_moment(doc.date))
        entry.updated(_moment(doc.changed))
        entry.category(term=doc.kind, label=doc.kind_label)
        for slug in doc.meta.get("domains", []):
            entry.category(term=f"domein:{slug}", label=corpus.label("domains", slug))
    xml: bytes = fg.atom_str(pretty=True)
    return xml.decode("utf-8")


def translation_feed(corpus: Corpus, code: str, site_url: str) -> str:
    """The feed of a site language (``/feeds/<code>.xml``): the documents translated into
    it, newest first, with their translated titles and summaries, in that language."""
    lang = SITE_LANGUAGES[code]
    base = site_url.rstrip("/") + "/"
    path = f"feeds/{code}.xml"
    versions = sorted(
        (v[code] for v in corpus.translations.values() if code in v),
        key=lambda t: t.original.sort_key,
        reverse=True,
    )[:FEED_ENTRIES]
    fg = FeedGenerator()
    fg.id(base + path)
    fg.title(f"{SITE_TITLE}: {lang.label('feed')}")
    fg.subtitle(lang.label("home_intro"))
    fg.author({"name": "Minderhedenforum"})
    fg.link(href=base + f"{code}/", rel="alternate", type="text/html")
    fg.link(href=base + path, rel="self", type="application/atom+xml")
    fg.language(code)
    fg.generator("Kennisbank")
    fg.rights("Minderhedenforum")
    changed = [max(t.original.changed, t.translated or t.original.changed) for t in versions]
    fg.updated(_moment(max(changed, default=dt.date(2000, 1, 1))))
    for version, when in zip(versions, changed, strict=True):
        entry = fg.add_entry(order="append")
        entry.id(base + version.url)
        entry.title(version.title)
        entry.link(href=base + version.url, rel="alternate", type="text/html")
        entry.summary(version.summary)
        entry.published(_moment(version.original.date))
        entry.updated(_moment(when))
        entry.category(term=version.original.kind, label=lang.kind(version.original.kind))
    xml: bytes = fg.atom_str(pretty=True)
    return xml.decode("utf-8")


def all_feeds(
    corpus: Corpus,
    by_kind: dict[str, list[Document]],
    by_domain: dict[str, list[Document]],
    site_url: str,
) -> dict[str, str]:
    """``{site path: Atom XML}``: everything, per kind and per used domain."""
    out = {
        "feeds/alles.xml": atom(
            corpus, corpus.published(), "feeds/alles.xml", "alle publicaties", site_url
        )
    }
    for kind, docs in by_kind.items():
        section, plural = KINDS[kind].section, KINDS[kind].plural
        path = f"feeds/{section}.xml"
        out[path] = atom(corpus, docs, path, plural.lower(), site_url)
    if corpus.translations:
        for code in SITE_LANGUAGES:
            out[f"feeds/{code}.xml"] = translation_feed(corpus, code, site_url)
    for slug, docs in by_domain.items():
        path = f"feeds/domeinen/{slug}.xml"
        out[path] = atom(corpus, docs, path, f"thema {corpus.label('domains', slug)}", site_url)
    return out
