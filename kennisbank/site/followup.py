"""The follow-up of recommendations as pages, a feed and open data (plain data, any engine).

The unit everything counts is one recommendation for one addressee (``Tracked``): a
recommendation addressed to two governments is followed up, and counted, once for each.
Its state is its latest entry: the response and the implementation. It is *open* until the
implementation is one of ``CLOSED`` (uitgevoerd, niet-uitgevoerd), and *stale* when it is
open and nothing was recorded (or, without entries, nothing was published) for longer than
``FOLLOWUP.stale_months``.

``today`` is a parameter everywhere, so tests fix it; a build passes the build date.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
from importlib import resources
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from feedgen.feed import FeedGenerator

from kennisbank.content.followup import (
    CLOSED,
    IMPLEMENTATIONS,
    NO_FOLLOWUP,
    RESPONSES,
    Entry,
    Recommendation,
    followed_kinds,
    recommendations,
)
from kennisbank.content.model import Corpus, Document
from kennisbank.registry import FOLLOWUP, PUBLISHER, VOCABULARIES
from kennisbank.site.render import PageSource, dutch_date, relative_url, render, render_page

NONE = "geen-opvolging"  # the search filter's value (and a column) for "no entries yet"
OLDEST_OPEN = 10  # how many the dashboard lists
FEED_ENTRIES = 100
EXPORT = "data/aanbevelingen"  # .json, .csv and .schema.json
SCHEMA = "schema/aanbevelingen.schema.json"


@dataclass(frozen=True, slots=True)
class Tracked:
    """One recommendation for one addressee, with its entries (oldest first)."""

    rec: Recommendation
    addressee: str
    entries: tuple[Entry, ...]

    @property
    def latest(self) -> Entry | None:
        return self.entries[-1] if self.entries else None

    @property
    def response(self) -> str | None:
        return self.latest.response if self.latest else None

    @property
    def implementation(self) -> str | None:
        return self.latest.implementation if self.latest else None

    @property
    def is_open(self) -> bool:
        return self.implementation not in CLOSED

    @property
    def last_update(self) -> dt.date:
        return self.latest.date if self.latest else self.rec.doc.date

    def stale(self, today: dt.date) -> bool:
        return self.is_open and self.last_update < months_before(today, FOLLOWUP.stale_months)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the last day of a shorter month)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def tracked_of(corpus: Corpus, doc: Document) -> list[Tracked]:
    entries: tuple[Entry, ...] = corpus.followups.get(doc.id, ())
    return [
        Tracked(rec, who, tuple(e for e in entries if e.recommendation == rec.id and e.addressee == who))
        for rec in recommendations(doc)
        for who in rec.addressees
    ]


def tracked(corpus: Corpus) -> list[Tracked]:
    """Every recommendation per addressee of the published documents, newest document
    first."""
    kinds = followed_kinds()
    return [t for doc in corpus.published() if doc.kind in kinds for t in tracked_of(corpus, doc)]


@dataclass(frozen=True, slots=True)
class Counts:
    """Counts per response and per implementation (``None``: no entries yet)."""

    total: int
    responses: dict[str | None, int]
    implementations: dict[str | None, int]

    @property
    def implemented(self) -> int:
        return self.implementations.get("uitgevoerd", 0)

    @property
    def share(self) -> str:
        """The share implemented, as a Dutch percentage: "25 %"."""
        return f"{round(100 * self.implemented / self.total) if self.total else 0} %"


def count(items: Iterable[Tracked]) -> Counts:
    items = list(items)
    responses: dict[str | None, int] = {key: 0 for key in [*RESPONSES, None]}
    implementations: dict[str | None, int] = {key: 0 for key in [*IMPLEMENTATIONS, None]}
    for item in items:
        responses[item.response] += 1
        implementations[item.implementation] += 1
    return Counts(len(items), responses, implementations)


# --- badges and states, shared by the document page and the dashboard ---------------------


def state(item: Tracked, corpus: Corpus, from_url: str, today: dt.date) -> dict[str, Any]:
    """What a template shows of one recommendation for one addressee: badges as text and
    the timeline, newest first."""
    latest = item.latest
    return {
        "addressee": corpus.label("addressees", item.addressee),
        "addressee_url": relative_url(f"{FOLLOWUP.folder}/{item.addressee}/", from_url),
        "response": RESPONSES[latest.response] if latest else None,
        "response_slug": latest.response if latest else NONE,
        "implementation": IMPLEMENTATIONS[latest.implementation] if latest else None,
        "implementation_slug": latest.implementation if latest else NONE,
        "none": NO_FOLLOWUP,
        "last_update": item.last_update,
        "stale": item.stale(today),
        "open": item.is_open,
        "timeline": [step(e, corpus, from_url) for e in reversed(item.entries)],
    }


def step(entry: Entry, corpus: Corpus, from_url: str) -> dict[str, Any]:
    source_url, source_text = "", ""
    if entry.source_is_url:
        source_url, source_text = entry.source, "Bron"
    elif entry.source:
        target = corpus.by_id().get(entry.source)
        if target is not None and target.published:
            source_url, source_text = relative_url(target.url, from_url), target.title
    return {
        "date": entry.date,
        "addressee": corpus.label("addressees", entry.addressee),
        "response": RESPONSES[entry.response],
        "implementation": IMPLEMENTATIONS[entry.implementation],
        "note": entry.note,
        "source_url": source_url,
        "source_text": source_text,
        "external": entry.source_is_url,
    }


def join_labels(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " en " + labels[-1]


def document_groups(corpus: Corpus, doc: Document, today: dt.date) -> list[dict[str, Any]]:
    """A document's recommendations grouped by their addressees, in the order they first
    appear; each recommendation once, with its state per addressee."""
    items = tracked_of(corpus, doc)
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for rec in recommendations(doc):
        group = groups.setdefault(
            rec.addressees,
            {
                "title": "Gericht aan "
                + join_labels([corpus.label("addressees", a) for a in rec.addressees])
                if rec.addressees
                else "Aanbevelingen",
                "recommendations": [],
            },
        )
        group["recommendations"].append(
            {
                "id": rec.id,
                "anchor": rec.anchor,
                "reference": rec.reference,
                "text": rec.text,
                "states": [
                    state(t, corpus, doc.url, today) for t in items if t.rec.id == rec.id
                ],
                "several": len(rec.addressees) > 1,
            }
        )
    return list(groups.values())


def search_values(corpus: Corpus, doc: Document) -> list[str]:
    """The implementation states of a document's recommendations, for the search filter."""
    return sorted({t.implementation or NONE for t in tracked_of(corpus, doc)})


def search_labels() -> dict[str, str]:
    return {**IMPLEMENTATIONS, NONE: NO_FOLLOWUP}


# --- pages ---------------------------------------------------------------------------------


def chart(rows: list[tuple[str, Counts]]) -> list[dict[str, Any]]:
    """Bars of the implementation states per row, as shares of 100 (SVG widths)."""
    out = []
    for label, counts in rows:
        x = 0.0
        parts = []
        for key in [*IMPLEMENTATIONS, None]:
            n = counts.implementations[key]
            if not n:
                continue
            width = 100 * n / counts.total
            parts.append({"slug": key or NONE, "x": round(x, 2), "width": round(width, 2), "n": n})
            x += width
        out.append({"label": label, "parts": parts, "total": counts.total})
    return out


# The tables are Markdown (the engine wraps them for narrow screens); their links name the
# pages' sources, as links in documents do.
def table_rows(
    rows: list[tuple[str, str, Counts]],
) -> list[dict[str, Any]]:
    return [{"label": label, "url": url, "counts": counts} for label, url, counts in rows]


def page_inputs(corpus: Corpus, today: dt.date) -> tuple[Any, ...]:
    """Everything ``pages`` reads, as plain values: the followed documents' metadata (not
    their text), their follow-up entries, the labels and the date."""
    kinds = followed_kinds()
    return (
        today,
        json.dumps(corpus.vocabularies, sort_keys=True),
        tuple(
            (d.id, d.url, d.title, d.date, json.dumps(d.meta, sort_keys=True, default=str),
             corpus.followups.get(d.id, ()))
            for d in corpus.published()
            if d.kind in kinds
        ),
    )


def pages(
    corpus: Corpus, today: dt.date, front_matter: Callable[..., str]
) -> dict[str, PageSource]:
    """The dashboard (``opvolging/index.md``) and one page per addressee that has
    recommendations."""
    items = tracked(corpus)
    if not items:
        return {}
    folder = FOLLOWUP.folder
    url = f"{folder}/"
    newest = max(t.last_update for t in items)
    by_addressee: dict[str, list[Tracked]] = {}
    for item in items:
        by_addressee.setdefault(item.addressee, []).append(item)
    by_domain: dict[str, list[Tracked]] = {}
    for item in items:
        for domain in item.rec.doc.meta.get("domains", []):
            by_domain.setdefault(domain, []).append(item)
    addressee_rows = sorted(
        (
            (corpus.label("addressees", slug), f"{slug}.md", count(found))
            for slug, found in by_addressee.items()
        ),
        key=lambda row: row[0],
    )
    domain_rows = sorted(
        (
            (corpus.label("domains", slug), f"../{VOCABULARIES['domains'].folder}/{slug}.md", count(found))
            for slug, found in by_domain.items()
        ),
        key=lambda row: row[0],
    )
    open_items = sorted((t for t in items if t.is_open), key=lambda t: (t.rec.doc.date, t.rec.id))
    stale = sorted((t for t in items if t.stale(today)), key=lambda t: t.last_update)

    def listed(found: list[Tracked], from_url: str) -> list[dict[str, Any]]:
        return [
            {
                "reference": t.rec.reference,
                "text": t.rec.text,
                "url": relative_url(t.rec.doc.url, from_url) + "#" + t.rec.anchor,
                "doc_title": t.rec.doc.title,
                "state": state(t, corpus, from_url, today),
            }
            for t in found
        ]

    documents = {t.rec.doc.id for t in items}
    out = {
        f"{folder}/index.md": render_page(
            "followup.md.j2",
            front_matter(title=FOLLOWUP.title, description=FOLLOWUP.intro),
            newest,
            intro=FOLLOWUP.intro,
            total=count(items),
            documents=len(documents),
            today=today,
            stale_months=FOLLOWUP.stale_months,
            responses=RESPONSES,
            implementations=IMPLEMENTATIONS,
            none_label=NO_FOLLOWUP,
            none_slug=NONE,
            addressees=table_rows(addressee_rows),
            addressee_chart=chart([(label, counts) for label, _, counts in addressee_rows]),
            domains=table_rows(domain_rows),
            oldest=listed(open_items[:OLDEST_OPEN], url),
            open_count=len(open_items),
            stale=listed(stale, url),
            feed_url=relative_url(f"feeds/{FOLLOWUP.feed}", url),
            data_url=relative_url(f"{EXPORT}.csv", url),
        )
    }
    for slug, found in by_addressee.items():
        page = f"{folder}/{slug}/"
        label = corpus.label("addressees", slug)
        docs: dict[str, list[Tracked]] = {}
        for item in found:
            docs.setdefault(item.rec.doc.id, []).append(item)
        out[f"{folder}/{slug}.md"] = render_page(
            "followup_addressee.md.j2",
            front_matter(
                title=f"Opvolging: {label}",
                description=f"Alle aanbevelingen van het {PUBLISHER.name} aan {label}, "
                "met het antwoord en de stand van de uitvoering.",
            ),
            max(t.last_update for t in found),
            label=label,
            total=count(found),
            today=today,
            stale_months=FOLLOWUP.stale_months,
            dashboard_url="../",
            groups=[
                {
                    "title": group[0].rec.doc.title,
                    "url": relative_url(group[0].rec.doc.url, page),
                    "meta": group[0].rec.doc,
                    "recs": listed(group, page),
                }
                for group in docs.values()
            ],
        )
    return out


# --- feed and open data ----------------------------------------------------------------------


def feed(corpus: Corpus, site_url: str) -> str:
    """An Atom entry per follow-up step, newest first."""
    base = site_url.rstrip("/") + "/" if site_url else "/"
    steps = sorted(
        ((e, t) for t in tracked(corpus) for e in t.entries),
        key=lambda pair: (pair[0].date, pair[1].rec.reference),
        reverse=True,
    )[:FEED_ENTRIES]
    fg = FeedGenerator()
    fg.id(base + f"feeds/{FOLLOWUP.feed}")
    fg.title(f"{FOLLOWUP.title} – {PUBLISHER.name}")
    fg.subtitle(FOLLOWUP.intro)
    fg.link(href=base + f"{FOLLOWUP.folder}/", rel="alternate")
    fg.link(href=base + f"feeds/{FOLLOWUP.feed}", rel="self")
    fg.language("nl")
    latest = steps[0][0].date if steps else dt.date(2000, 1, 1)
    fg.updated(dt.datetime.combine(latest, dt.time(12), dt.timezone.utc))
    for entry, item in reversed(steps):  # feedgen puts the last added first
        fe = fg.add_entry()
        link = base + item.rec.doc.url + "#" + item.rec.anchor
        fe.id(f"{link}/{entry.addressee}/{entry.date.isoformat()}")
        who = corpus.label("addressees", entry.addressee)
        fe.title(
            f"{item.rec.reference} ({who}): {RESPONSES[entry.response]}, "
            f"uitvoering {IMPLEMENTATIONS[entry.implementation].lower()}"
        )
        fe.link(href=link)
        fe.updated(dt.datetime.combine(entry.date, dt.time(12), dt.timezone.utc))
        summary = f"{item.rec.text} — {entry.note}" if entry.note else item.rec.text
        fe.summary(summary)
    return str(fg.atom_str(pretty=True).decode("utf-8"))


COLUMNS = (
    "document",
    "reference",
    "recommendation",
    "text",
    "addressees",
    "response",
    "implementation",
    "updated",
    "entries",
    "url",
)


def records(corpus: Corpus, site_url: str) -> list[dict[str, Any]]:
    """One record per recommendation: its latest step over all its addressees."""
    base = site_url.rstrip("/") + "/" if site_url else "/"
    out = []
    kinds = followed_kinds()
    for doc in corpus.published():
        if doc.kind not in kinds:
            continue
        entries: tuple[Entry, ...] = corpus.followups.get(doc.id, ())
        for rec in recommendations(doc):
            own = [e for e in entries if e.recommendation == rec.id]
            latest = max(own, key=lambda e: e.date) if own else None
            out.append(
                {
                    "document": doc.id,
                    "reference": rec.reference,
                    "recommendation": rec.id,
                    "text": rec.text,
                    "addressees": list(rec.addressees),
                    "response": latest.response if latest else None,
                    "implementation": latest.implementation if latest else None,
                    "updated": latest.date.isoformat() if latest else None,
                    "entries": len(own),
                    "url": base + doc.url + "#" + rec.anchor,
                }
            )
    return out


def exports(corpus: Corpus, site_url: str) -> dict[str, str]:
    """``data/aanbevelingen.json``, ``.csv`` and their JSON Schema."""
    rows = records(corpus, site_url)
    schema = resources.files("kennisbank").joinpath(SCHEMA).read_text("utf-8")
    data = {
        "description": f"De aanbevelingen van het {PUBLISHER.name} en wat ermee gebeurde.",
        "license": PUBLISHER.licence,
        "count": len(rows),
        "responses": RESPONSES,
        "implementations": IMPLEMENTATIONS,
        "recommendations": rows,
    }
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                "; ".join(row[c]) if c == "addressees" else ("" if row[c] is None else row[c])
                for c in COLUMNS
            ]
        )
    return {
        f"{EXPORT}.json": json.dumps(data, ensure_ascii=False, indent=1) + "\n",
        f"{EXPORT}.csv": "\ufeff" + text.getvalue(),
        f"{EXPORT}.schema.json": schema,
    }
