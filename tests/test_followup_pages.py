"""The follow-up as readers get it: the built dashboard, addressee pages, document pages,
feed and exports, checked against numbers computed here straight from the sample YAML
(the documents' front matter and their ``*.opvolging.yml``), not through kennisbank."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import ROOT
from jsonschema import Draft202012Validator
from lxml import html

SCHEMA = json.loads((ROOT / "kennisbank/schema/opvolging.schema.json").read_text("utf-8"))
ENTRY = SCHEMA["$defs"]["entry"]["properties"]
RESPONSES: dict[str, str] = ENTRY["response"]["x-labels"]
IMPLEMENTATIONS: dict[str, str] = ENTRY["implementation"]["x-labels"]
CLOSED = set(ENTRY["implementation"]["x-closed"])
VOCABULARIES = yaml.safe_load((ROOT / "content/_data/vocabularies.yml").read_text("utf-8"))
NONE = "Nog geen opvolging"


@dataclass(frozen=True)
class Row:
    """One recommendation for one addressee, with its latest entry."""

    doc: str
    reference: str
    rec: str
    text: str
    addressee: str
    domains: tuple[str, ...]
    published: dt.date
    latest: dict | None

    @property
    def response(self) -> str:
        return RESPONSES[self.latest["response"]] if self.latest else NONE

    @property
    def implementation(self) -> str:
        return IMPLEMENTATIONS[self.latest["implementation"]] if self.latest else NONE

    @property
    def last_update(self) -> dt.date:
        return self.latest["date"] if self.latest else self.published

    @property
    def is_open(self) -> bool:
        return not self.latest or self.latest["implementation"] not in CLOSED


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n")[1])


def followed_documents() -> list[tuple[Path, dict, list[dict]]]:
    registry = yaml.safe_load((ROOT / "kennisbank/schema/registry.yml").read_text("utf-8"))
    out = []
    for kind in registry["kinds"].values():
        if not kind.get("followup"):
            continue
        for path in sorted((ROOT / kind["folder"]).glob("*.md")):
            meta = front_matter(path)
            if meta.get("status") == "concept" or not meta.get("recommendations"):
                continue
            data = path.with_suffix(".opvolging.yml")
            entries = yaml.safe_load(data.read_text("utf-8"))["entries"] if data.exists() else []
            out.append((path, meta, entries))
    return out


def truth() -> list[Row]:
    rows = []
    for path, meta, entries in followed_documents():
        for rec in meta["recommendations"]:
            for who in rec.get("addressees", meta.get("addressees", [])):
                own = [
                    e for e in entries if e["recommendation"] == rec["id"] and e["addressee"] == who
                ]
                rows.append(
                    Row(
                        path.stem,
                        meta["reference"],
                        rec["id"],
                        rec["text"],
                        who,
                        tuple(meta.get("domains", [])),
                        meta["date"],
                        max(own, key=lambda e: e["date"]) if own else None,
                    )
                )
    return rows


ROWS = truth()


def share(rows: list[Row]) -> str:
    done = sum(1 for r in rows if r.latest and r.latest["implementation"] == "uitgevoerd")
    return f"{round(100 * done / len(rows))} %"


def page(site: Path, url: str) -> html.HtmlElement:
    return html.fromstring((site / url / "index.html").read_text("utf-8"))


def text(element: html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def table_after(tree: html.HtmlElement, heading: str) -> tuple[list[str], dict[str, list[str]]]:
    """The first table after a heading: its column headers, and its rows as
    {first cell: the other cells}."""
    found = tree.xpath(f"//*[self::h2 or self::h3][starts-with(normalize-space(.), '{heading}')]")
    assert found, f"geen kop {heading!r}"
    table = found[0].xpath("following::table[1]")[0]
    headers = [text(th) for th in table.xpath(".//thead//th")]
    rows = [[text(td) for td in tr.xpath("./td")] for tr in table.xpath(".//tbody/tr")]
    return headers, {row[0]: row[1:] for row in rows}


def expected_rows(
    groups: dict[str, list[Row]], attribute: str, labels: dict[str, str]
) -> dict[str, list[str]]:
    """Per group: the number of recommendations, the count per label and "none", and for
    the implementation the share implemented."""
    out = {}
    for label, rows in groups.items():
        counts = Counter(getattr(r, attribute) for r in rows)
        out[label] = [str(len(rows)), *(str(counts[c]) for c in [*labels.values(), NONE])]
        if attribute == "implementation":
            out[label].append(share(rows))
    return out


def grouped(key) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for row in ROWS:
        for value in key(row):
            out.setdefault(value, []).append(row)
    return out


def test_the_sample_has_follow_up_to_count() -> None:
    assert len(ROWS) > 20
    assert {r.implementation for r in ROWS} == {*IMPLEMENTATIONS.values(), NONE}


def test_dashboard_tables_equal_the_yaml(built_site: Path) -> None:
    tree = page(built_site, "opvolging")
    by_addressee = grouped(lambda r: [VOCABULARIES["addressees"][r.addressee]])
    by_domain = grouped(lambda r: [VOCABULARIES["domains"][d] for d in r.domains])
    for heading, first, groups, attribute, labels in [
        ("Antwoord per adressaat", "Adressaat", by_addressee, "response", RESPONSES),
        ("Uitvoering per adressaat", "Adressaat", by_addressee, "implementation", IMPLEMENTATIONS),
        ("Per thema", "Thema", by_domain, "implementation", IMPLEMENTATIONS),
    ]:
        headers, rows = table_after(tree, heading)
        share_column = ["Aandeel uitgevoerd"] if attribute == "implementation" else []
        assert headers == [first, "Totaal", *labels.values(), NONE, *share_column], heading
        assert rows == expected_rows(groups, attribute, labels), heading
    assert list(table_after(tree, "Per adressaat")[1]) == sorted(by_addressee)


def test_dashboard_totals_equal_the_yaml(built_site: Path) -> None:
    tree = page(built_site, "opvolging")
    summary = text(tree.xpath("//p[contains(@class, 'kb-count')]")[0])
    documents = len({r.doc for r in ROWS})
    open_rows = sum(1 for r in ROWS if r.is_open)
    assert summary.startswith(f"{len(ROWS)} aanbevelingen uit {documents} adviezen en standpunten")
    assert f"{share(ROWS)} is uitgevoerd; {open_rows} staan nog open" in summary


def stale_references(tree: html.HtmlElement) -> list[str]:
    items = tree.xpath("//h2[starts-with(., 'Al meer dan')]/following::ul[1]/li")
    return [
        text(li.xpath(".//strong")[0]) + " " + text(li.xpath(".//a[@class='kb-status__who']")[0])
        for li in items
    ]


def test_dashboard_flags_what_was_not_updated_for_a_year(built_site: Path) -> None:
    """The build's today is the date the site was built: the test's today."""
    today = dt.date.today()
    leap_day = (today.month, today.day) == (2, 29)
    year_ago = today.replace(year=today.year - 1, day=28 if leap_day else today.day)
    expected = sorted(
        (r for r in ROWS if r.is_open and r.last_update < year_ago),
        key=lambda r: r.last_update,
    )
    tree = page(built_site, "opvolging")
    assert expected, "the sample has stale recommendations"
    assert stale_references(tree) == [
        f"{r.reference}/{r.rec} {VOCABULARIES['addressees'][r.addressee]}" for r in expected
    ]
    oldest = tree.xpath("//h2[starts-with(., 'Oudste open')]/following::ul[1]/li//strong")
    assert len(oldest) == min(10, sum(1 for r in ROWS if r.is_open))


def badges(li: html.HtmlElement) -> list[str]:
    return [text(b) for b in li.xpath(".//span[contains(@class, 'kb-badge')]")]


@pytest.mark.parametrize("addressee", sorted({r.addressee for r in ROWS}))
def test_an_addressee_page_lists_each_of_its_recommendations_with_status(
    built_site: Path, addressee: str
) -> None:
    tree = page(built_site, f"opvolging/{addressee}")
    items = tree.xpath("//ul[contains(@class, 'kb-followup-list')]/li")
    found = {text(li.xpath(".//strong")[0]): badges(li) for li in items}
    mine = [r for r in ROWS if r.addressee == addressee]
    assert set(found) == {f"{r.reference}/{r.rec}" for r in mine}
    for row in mine:
        shown = found[f"{row.reference}/{row.rec}"]
        if row.latest:
            assert shown[:2] == [f"Antwoord: {row.response}", f"Uitvoering: {row.implementation}"]
        else:
            assert shown[0] == NONE
    label = VOCABULARIES["addressees"][addressee]
    assert text(tree.xpath("//h1")[0]) == f"Opvolging: {label}"
    assert text(tree.xpath("//p[contains(@class, 'kb-count')]")[0]).startswith(f"{len(mine)} ")


def test_each_document_page_shows_its_recommendations_once_with_badges_in_words(
    built_site: Path, corpus
) -> None:
    by_doc: dict[str, list[Row]] = {}
    for row in ROWS:
        by_doc.setdefault(row.doc, []).append(row)
    for doc_id, rows in by_doc.items():
        doc = corpus.by_id()[doc_id]
        tree = page(built_site, doc.url.rstrip("/"))
        for row in rows:
            anchor = f"aanbeveling-{row.rec.lower()}"
            found = tree.xpath(f"//*[@id='{anchor}']")
            assert len(found) == 1, (doc_id, anchor)
            item = found[0]
            assert row.text in text(item)
            statuses = [text(p) for p in item.xpath(".//p[contains(@class, 'kb-status')]")]
            shown = f"Antwoord: {row.response} Uitvoering: {row.implementation}"
            assert any((shown if row.latest else NONE) in s for s in statuses), (doc_id, statuses)
        # Each badge says what it shows in words; colour is extra.
        for badge in tree.xpath("//span[contains(@class, 'kb-badge')]"):
            assert re.search(r"\w{3}", text(badge)), html.tostring(badge)
        # The timeline lists the entries newest first.
        for ol in tree.xpath("//details[contains(@class, 'kb-timeline')]/ol"):
            dates = [t.get("datetime") for t in ol.xpath("./li/time")]
            assert dates == sorted(dates, reverse=True)


def test_the_chart_has_its_numbers_in_a_table(built_site: Path) -> None:
    tree = page(built_site, "opvolging")
    figure = tree.xpath("//figure[contains(@class, 'kb-chart')]")[0]
    # The bars are hidden from screen readers because the table beside them has the numbers.
    assert figure.xpath(".//dl")[0].get("aria-hidden") == "true"
    assert "tabellen hieronder" in text(figure.xpath(".//figcaption")[0])
    bars = {
        text(dt_).rsplit(" (", 1)[0]: dd
        for dt_, dd in zip(figure.xpath(".//dt"), figure.xpath(".//dd"), strict=True)
    }
    by_addressee = grouped(lambda r: [VOCABULARIES["addressees"][r.addressee]])
    assert set(bars) == set(by_addressee)
    for label, rows in by_addressee.items():
        widths = [
            float(rect.get("width")) for rect in bars[label].xpath(".//*[local-name()='rect']")
        ]
        assert sum(widths) == pytest.approx(100, abs=0.1)
        assert len(widths) == len({r.implementation for r in rows})
    legend = [text(li) for li in figure.xpath(".//ul/li")]
    assert legend == [*IMPLEMENTATIONS.values(), NONE]


def test_the_exports_match_the_yaml(built_site: Path) -> None:
    data = json.loads((built_site / "data/aanbevelingen.json").read_text("utf-8"))
    schema = json.loads((built_site / "data/aanbevelingen.schema.json").read_text("utf-8"))
    Draft202012Validator(schema).validate(data)
    expected = []
    for path, meta, entries in followed_documents():
        for rec in meta["recommendations"]:
            own = [e for e in entries if e["recommendation"] == rec["id"]]
            latest = max(own, key=lambda e: e["date"]) if own else None
            expected.append(
                {
                    "document": path.stem,
                    "reference": f"{meta['reference']}/{rec['id']}",
                    "text": rec["text"],
                    "addressees": rec.get("addressees", meta.get("addressees", [])),
                    "response": latest["response"] if latest else None,
                    "implementation": latest["implementation"] if latest else None,
                    "updated": latest["date"].isoformat() if latest else None,
                    "entries": len(own),
                }
            )
    found = [{k: r[k] for k in expected[0]} for r in data["recommendations"]]
    key = lambda r: r["reference"]  # noqa: E731
    assert sorted(found, key=key) == sorted(expected, key=key)
    assert data["count"] == len(expected)
    csv_text = (built_site / "data/aanbevelingen.csv").read_text("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(csv_text)))
    assert [r["reference"] for r in table] == [r["reference"] for r in data["recommendations"]]
    for line, record in zip(table, data["recommendations"], strict=True):
        assert line["addressees"] == "; ".join(record["addressees"])
        assert line["implementation"] == (record["implementation"] or "")
        assert int(line["entries"]) == record["entries"]


def test_the_feed_has_an_entry_per_step_newest_first(built_site: Path) -> None:
    feed = feedparser.parse((built_site / "feeds/opvolging.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    steps = sum(len(entries) for _, _, entries in followed_documents())
    assert len(feed.entries) == min(steps, 100)
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert all(re.match(r"(ADV|STP)-\d{4}-\d+/R\d+ \(", e.title) for e in feed.entries)
