"""Listings, theme pages, archive, related content, feeds and open data (issue #4)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import feedparser
import pytest
from conftest import PLAIN, advies, run_mkdocs, write_doc
from jsonschema import Draft202012Validator

from kennisbank.pipeline import load
from kennisbank.registry import KINDS, SITE_LANGUAGES, VOCABULARIES
from kennisbank.site.generate import PAGE_SIZE, generate, values_of
from kennisbank.site.render import expand

SITE_URL = "https://kennisbank.example/"


@pytest.fixture(scope="module")
def output(corpus):
    return generate(corpus, SITE_URL)


@pytest.fixture
def many(scratch_repo: Path):
    """45 adviezen on distinct dates, one concept among them."""
    for n in range(45):
        extra = PLAIN + ("status: concept\n" if n == 7 else "")
        write_doc(
            scratch_repo,
            f"advisories/adviezen/advies-{n:02d}.md",
            advies(
                title=f"Advies {n:02d}",
                ref=f"ADV-2020-{n:02d}",
                extra=extra,
                date=f"2020-{1 + n // 28:02d}-{1 + n % 28:02d}",
            ),
        )
    return scratch_repo


def full(output, path: str) -> str:
    """A generated page with its HTML blocks put back, as the engine would."""
    return expand(output.pages[path].markdown, output.pages[path].html)


def linked_titles(markdown: str) -> list[str]:
    return re.findall(r'class="kb-card__title"><a href="[^"]+">([^<]+)</a>', markdown)


def test_pagination_20_per_page_newest_first(many: Path, tmp_path: Path) -> None:
    corpus, problems = load(many)
    assert problems == []
    output = generate(corpus, SITE_URL)
    pages = output.pages
    first, second, third = (
        full(output, "adviezen/index.md"),
        full(output, "adviezen/pagina/2.md"),
        full(output, "adviezen/pagina/3.md"),
    )
    assert "adviezen/pagina/4.md" not in pages
    titles = linked_titles(first) + linked_titles(second) + linked_titles(third)
    expected = [f"Advies {n:02d}" for n in range(44, -1, -1) if n != 7]
    assert titles == expected
    assert [len(linked_titles(p)) for p in (first, second, third)] == [PAGE_SIZE, PAGE_SIZE, 4]
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert 'href="../3/" rel="next"' in second and 'href="../../" rel="prev"' in second
    assert 'aria-current="page">2<' in second
    assert "44 documenten" in first
    assert 'href="../feeds/adviezen.xml"' in first
    site = tmp_path / "site"
    result = run_mkdocs(many, site)
    assert result.returncode == 0, result.stderr
    assert (site / "adviezen/pagina/3/index.html").exists()


def test_theme_pages_for_used_values_only(corpus, output) -> None:
    for vocabulary, entry in VOCABULARIES.items():
        folder = entry.folder
        used = {slug for d in corpus.published() for slug in values_of(d, vocabulary)}
        pages = {
            p.split("/")[1].removesuffix(".md")
            for p in output.pages
            if p.startswith(f"{folder}/") and not p.endswith("index.md")
        }
        assert pages == used, vocabulary
        overview = full(output, f"{folder}/index.md")
        for slug in used:
            count = sum(slug in values_of(d, vocabulary) for d in corpus.published())
            label = corpus.label(vocabulary, slug)
            assert f'<a href="{slug}/">{label}</a>' in overview.replace("&#39;", "'")
            assert f"({count} document" in overview


def test_theme_page_groups_by_kind(corpus, output) -> None:
    page = full(output, "domeinen/discriminatie.md")
    docs = [d for d in corpus.published() if "discriminatie" in d.meta["domains"]]
    kinds = {d.kind_label for d in docs}
    assert len(kinds) > 1
    headings = re.findall(r"^## (.+)$", page, re.M)
    assert headings == [
        p
        for p in ("Adviezen", "Standpunten", "Toolkits", "Praktijken")
        if any(d.section.capitalize() == p for d in docs)
    ]
    assert set(linked_titles(page)) == {d.title for d in docs}


def test_labels_on_document_pages_link_to_theme_pages(built_site: Path, corpus) -> None:
    doc = next(d for d in corpus.published() if d.kind == "praktijk")
    html = (built_site / doc.url / "index.html").read_text(encoding="utf-8")
    assert f'href="../../regios/{doc.meta["region"]}/"' in html
    for slug in doc.meta["domains"]:
        assert f'href="../../domeinen/{slug}/"' in html


def test_year_archive(corpus, output) -> None:
    years = {d.date.year for d in corpus.published()}
    assert {p for p in output.pages if p.startswith("archief/")} == {
        "archief/index.md",
        *(f"archief/{y}.md" for y in years),
    }
    for year in years:
        titles = linked_titles(full(output, f"archief/{year}.md"))
        assert sorted(titles) == sorted(d.title for d in corpus.published() if d.date.year == year)


def test_listing_facets(output) -> None:
    assert "Toolkits per actor" in full(output, "toolkits/index.md")
    assert 'href="../actoren/gemeente/"' in full(output, "toolkits/index.md")
    assert "Praktijken per regio" in full(output, "praktijken/index.md")


def test_related_explicit_first_then_suggested_and_backlinks(corpus) -> None:
    for doc in corpus.published():
        explicit = corpus.related[doc.id]
        assert [d.id for d in explicit] == list(doc.meta.get("related", []))
        suggested = corpus.suggested[doc.id]
        assert len(suggested) <= 5
        assert not {d.id for d in suggested} & {doc.id, *(d.id for d in explicit)}
        for other in suggested:
            shared = set(doc.meta["domains"]) & set(other.meta["domains"]) or set(
                doc.meta.get("tags", [])
            ) & set(other.meta.get("tags", []))
            assert shared, (doc.id, other.id)
        for target in explicit:
            assert doc.id in [d.id for d in corpus.backlinks[target.id]]


def test_document_page_lists_related_before_suggested(corpus, output) -> None:
    doc = next(d for d in corpus.published() if d.meta.get("related") and corpus.suggested[d.id])
    page = full(output, doc.page_path)
    section = page[page.index("## Gerelateerde documenten") :]
    section = section[: section.index("\n## ")] if "\n## " in section else section
    titles = linked_titles(section)
    expected = [d.title for d in corpus.related[doc.id] + corpus.suggested[doc.id]]
    assert titles == expected
    if corpus.backlinks[doc.id]:
        assert "## Verwezen door" in page


def test_feeds_parse_without_errors(corpus, output) -> None:
    published = corpus.published()
    expected = {"feeds/alles.xml": published}
    for section in ("adviezen", "standpunten", "toolkits", "praktijken"):
        expected[f"feeds/{section}.xml"] = [d for d in published if d.section == section]
    for slug in {s for d in published for s in d.meta["domains"]}:
        expected[f"feeds/domeinen/{slug}.xml"] = [d for d in published if slug in d.meta["domains"]]
    followed = {"feeds/opvolging.xml"}  # its entries are steps, not documents: test_followup
    followed |= {f"feeds/{code}.xml" for code in SITE_LANGUAGES}  # test_translations
    assert {p for p in output.texts if p.startswith("feeds/")} - followed == set(expected)
    assert feedparser.parse(output.texts["feeds/opvolging.xml"]).bozo == 0
    for path, docs in expected.items():
        feed = feedparser.parse(output.texts[path])
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        assert feed.feed.language == "nl"
        assert [e.link for e in feed.entries] == [SITE_URL + d.url for d in docs[:50]]
        first, doc = feed.entries[0], docs[0]
        assert first.title == doc.title and first.summary == doc.summary
        assert first.published.startswith(doc.date.isoformat())
        assert first.updated.startswith((doc.updated or doc.date).isoformat())
        assert first.tags[0].term == doc.kind


def test_feeds_are_announced_in_head(built_site: Path) -> None:
    def alternates(url: str) -> list[str]:
        html = (built_site / url / "index.html").read_text(encoding="utf-8")
        links = re.findall(
            r'<link rel="([^"]+)" type="application/atom\+xml"[^>]* href="([^"]+)"', html
        )
        assert all("alternate" in rel.split() for rel, _ in links)
        return [href for _, href in links]

    assert alternates("") == ["feeds/alles.xml"]
    assert "../feeds/adviezen.xml" in alternates("adviezen")
    assert "../../feeds/domeinen/onderwijs.xml" in alternates("domeinen/onderwijs")


def test_open_data_json_and_csv(corpus, output, built_site: Path) -> None:
    published = corpus.published()
    assert any(not d.published for d in corpus.documents)
    data = json.loads(output.texts["data/documenten.json"])
    schema = json.loads(output.texts["data/documenten.schema.json"])
    Draft202012Validator.check_schema(schema)
    assert schema["$defs"]["document"]["properties"]["type"]["enum"] == list(KINDS)
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert errors == []
    assert [r["id"] for r in data["documents"]] == [d.id for d in published]
    assert data["count"] == len(published)
    raw = output.texts["data/documenten.csv"]
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == [d.id for d in published]
    row = next(r for r in rows if r["type"] == "advies")
    doc = corpus.by_id()[row["id"]]
    assert row["domains"] == "; ".join(doc.meta["domains"])
    assert row["url"] == SITE_URL + doc.url
    for name in ("documenten.json", "documenten.csv", "documenten.schema.json"):
        assert (built_site / "data" / name).exists()


def test_sitemap_and_robots(built_site: Path, corpus) -> None:
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    for doc in corpus.published():
        assert doc.url in sitemap
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://" in robots and robots.rstrip().endswith("/sitemap.xml")


def test_home_page_blocks(built_site: Path, corpus) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    featured = [d for d in corpus.published() if d.meta.get("featured")]
    assert "Uitgelichte toolkits" in home
    for doc in featured[:3]:
        assert f'href="{doc.url}"' in home
    for heading in (
        "Recente adviezen",
        "Recente standpunten",
        "Recente praktijken",
        "Zoek per thema",
    ):
        assert heading in home
    assert 'href="domeinen/"' in home and 'href="archief/"' in home


def test_open_data_json_has_one_document_per_line() -> None:
    """`to_json` writes the vocabularies indented and each document on one line; whatever
    the payload, it reads back as the same data."""
    import json

    from kennisbank.site.opendata import to_json

    payload = {
        "description": "x",
        "count": 2,
        "vocabularies": {"domains": {"onderwijs": "Onderwijs"}},
        "documents": [{"id": "a", "title": 'Één, "twee"\n'}, {"id": "b", "tags": ["x"]}],
    }
    head = {key: value for key, value in payload.items() if key != "documents"}
    docs = [json.dumps(doc, ensure_ascii=False) for doc in payload["documents"]]
    text = to_json(head, docs)
    assert json.loads(text) == payload
    assert json.loads(to_json(head, []))["documents"] == []
    lines = text.splitlines()
    assert [json.loads(line.rstrip(",")) for line in lines if line.startswith('{"id"')] == (
        payload["documents"]
    )
