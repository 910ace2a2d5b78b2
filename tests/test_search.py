"""Search (issue #3): the Pagefind index, the header box and /zoeken/ in Debian's Chromium."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT, make_scratch_repo, run_mkdocs, serve, write_doc

from kennisbank.publishing.search import (
    BODY_END,
    BODY_START,
    SearchIndexError,
    for_index,
    index_site,
)
from kennisbank.registry import SEARCH_FILTERS, SITE_LANGUAGES

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
FACETS = [
    "soort",
    "domein",
    "doelgroep",
    "actor",
    "regio",
    "jaar",
    "adressaat",
    "opvolging",
    "taal",
]
# A word on every document and site page, so that every facet has values to narrow.
EVERYTHING = "de"

browser_test = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # The reader turned single-key shortcuts on (they are off by default, issue #20), so
    # that "/" focuses search.
    context.add_init_script("localStorage.setItem('kb-sneltoetsen', 'aan')")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == []


def count(page: Any) -> int:
    """The number of results that the live region announces on /zoeken/."""
    from playwright.sync_api import expect

    status = page.locator(".kb-search__status")
    expect(status).to_have_text(re.compile(r"resulta"))
    text = status.inner_text()
    if text.startswith("Geen"):
        return 0
    match = re.match(r"(\d+) resulta", text)
    assert match, text
    return int(match.group(1))


def search_page(page: Any, site_url: str, query: str) -> int:
    page.goto(site_url + "zoeken/?" + query)
    page.locator("main .kb-search-result").first.wait_for()
    return count(page)


def url_state(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def wait_for_count_change(page: Any, before: str) -> None:
    page.wait_for_function(
        "before => document.querySelector('.kb-search__status').textContent !== before",
        arg=before,
    )


# ---------- The index (no browser) ----------


def test_build_writes_a_pagefind_index_of_articles_only(built_site: Path) -> None:
    entry = json.loads((built_site / "pagefind" / "pagefind-entry.json").read_text())
    # An index per page language: Dutch stemming for the Dutch pages; the translations'
    # own languages (tests/test_translations.py) for the pages under /fr/ and /en/.
    assert entry["languages"]["nl"]["page_count"] > 10
    assert set(entry["languages"]) <= {"nl", *SITE_LANGUAGES}
    doc = (built_site / "adviezen" / "schoolkosten-en-gelijke-kansen" / "index.html").read_text()
    assert doc.count("data-pagefind-body") == 1
    article = doc[doc.index('<article class="md-content__inner') :]
    assert "data-pagefind-body" in article  # not the header, nav or footer
    for expected in (
        'data-pagefind-filter="soort:advies"',
        'data-pagefind-filter="jaar:2023"',
        'data-pagefind-filter="domein:onderwijs"',
        'data-pagefind-meta="soort:Advies"',
    ):
        assert expected in doc
    site_page = (built_site / "contact" / "index.html").read_text()
    assert 'data-pagefind-filter="soort:pagina"' in site_page
    for unindexed in (
        "adviezen/index.html",
        "domeinen/index.html",
        "zoeken/index.html",
        "404.html",
    ):
        assert "data-pagefind-body" not in (built_site / unindexed).read_text(), unindexed


def fragments(site: Path) -> dict[str, Any]:
    """Every page Pagefind indexed: URL -> its fragment (text, filters, meta)."""
    out = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes())
        data = json.loads(raw[raw.index(b"{") :])
        out[data["url"]] = data
    return out


def test_the_index_fed_during_the_build_equals_the_cli_index(
    built_site: Path, tmp_path: Path
) -> None:
    """`mkdocs build` hands each page to Pagefind's service while rendering; Pagefind's CLI
    over the finished site must give exactly the same pages, texts, filters and meta."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    shutil.rmtree(copy / "pagefind")
    index_site(copy)
    fed, cli = fragments(built_site), fragments(copy)
    assert len(fed) > 20
    assert fed == cli


def test_downloads_and_citation_stay_out_of_the_index(built_site: Path) -> None:
    """Every document has the same download block and request line; indexed, a search for
    "pdf" or "mail" would find them all and their excerpts would start with it."""
    indexed = {url: data for url, data in fragments(built_site).items() if "/adviezen/" in url}
    assert indexed
    page = (built_site / "adviezen/schoolkosten-en-gelijke-kansen/index.html").read_text()
    assert "Mail naar" in page and "Citeer dit document" in page
    for url, data in indexed.items():
        assert "Mail naar" not in data["content"], url
        assert "Download de verwijzing" not in data["content"], url
        assert "Downloaden" not in data["content"], url


def test_pagefind_is_sent_only_the_head_and_the_indexed_part(built_site: Path) -> None:
    """While the site is built, Pagefind gets each page without the theme's header, nav and
    footer (the test above shows the index is still the CLI's). Every indexed page carries
    the end marker, or it would be sent whole."""
    pages = [p for p in built_site.rglob("*.html") if "data-pagefind-body" in p.read_text()]
    assert len(pages) > 20
    whole = sent_total = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        sent = for_index(html)
        assert len(sent) < len(html), path
        whole, sent_total = whole + len(html), sent_total + len(sent)
        head = html[: html.index("<body")]
        body = html[html.index(BODY_START) : html.index(BODY_END)]
        assert sent == f"{head}<body>{body}</body></html>"
        assert 'class="md-header' not in sent and 'class="md-footer' not in sent
    assert sent_total < whole * 0.6
    assert for_index("<html><body><p>x</p></body></html>") == "<html><body><p>x</p></body></html>"


def test_a_failing_indexer_stops_the_build_in_dutch(scratch_repo: Path, tmp_path: Path) -> None:
    """Pagefind that dies (here: a binary that exits at once) fails the build with a Dutch
    message and no traceback."""
    site = tmp_path / "site"
    env = {**os.environ, "PAGEFIND_BINARY_PATH": "/bin/false", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=scratch_repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "de zoekindex (Pagefind) kon niet gemaakt worden" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_indexing_a_folder_without_pages_fails_in_dutch(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="geen HTML-pagina's"):
        index_site(tmp_path)


def test_without_javascript_the_search_page_explains_and_links(built_site: Path) -> None:
    html = (built_site / "zoeken" / "index.html").read_text()
    noscript = html[html.index("<noscript>") : html.index("</noscript>")]
    assert "Zoeken werkt alleen met JavaScript" in noscript
    for listing in ("adviezen", "standpunten", "toolkits", "praktijken", "domeinen"):
        assert f'href="../{listing}/"' in noscript


# ---------- Loading ----------


@browser_test
def test_nothing_of_search_is_fetched_on_page_load(browser: Any, site_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for path in ("", "adviezen/", "adviezen/schoolkosten-en-gelijke-kansen/", "zoeken/"):
        page.goto(site_url + path, wait_until="networkidle")
    searchy = [u for u in requests if "/pagefind/" in u or "zoekfilters" in u]
    assert searchy == []
    # Focusing the header box is using search: now Pagefind loads.
    page.locator("#kb-hsearch-q").focus()
    page.wait_for_event("request", lambda r: "/pagefind/" in r.url)
    context.close()


@browser_test
def test_noscript_message_shows_without_javascript(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "zoeken/")
    message = page.locator("main .kb-search-noscript")
    assert message.is_visible()
    assert "Zoeken werkt alleen met JavaScript" in message.inner_text()
    assert page.locator("main .kb-search").is_hidden()
    context.close()


# ---------- Stemming, in a scratch site with planted documents ----------

SINGULAR_ONLY = """---
type: standpunt
title: Inspraak in het lokale beleid
date: 2025-02-01
summary: Over inspraak van bewoners.
domains: [discriminatie]
reference: STP-2025-01
---
Elke gemeente kan bewoners betrekken bij het beleid over xylofoonlessen.
"""
ADVIES_ONLY = """---
type: standpunt
title: Taal op de werkvloer
date: 2025-03-01
summary: Over taal op het werk.
domains: [discriminatie]
reference: STP-2025-02
---
Wij geven dit advies aan werkgevers die taalcursussen willen organiseren.
"""


@pytest.fixture(scope="module")
def stem_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_scratch_repo(tmp_path_factory.mktemp("stem-repo"))
    write_doc(root, "advisories/standpunten/inspraak-lokaal.md", SINGULAR_ONLY)
    write_doc(root, "advisories/standpunten/taal-werkvloer.md", ADVIES_ONLY)
    site = tmp_path_factory.mktemp("stem-site")
    result = run_mkdocs(root, site)
    assert result.returncode == 0, result.stdout + result.stderr
    for path, absent in (("inspraak-lokaal", "gemeenten"), ("taal-werkvloer", "adviezen")):
        html = (site / "standpunten" / path / "index.html").read_text().lower()
        assert absent not in html[html.index("data-pagefind-body") : html.index("</article>")]
    with serve(site) as url:
        yield url


@browser_test
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("gemeenten", "/standpunten/inspraak-lokaal/"),
        ("gemeente", "/standpunten/inspraak-lokaal/"),
        ("adviezen", "/standpunten/taal-werkvloer/"),
        ("advies", "/standpunten/taal-werkvloer/"),
    ],
)
def test_dutch_stemming_finds_other_forms(
    page: Any, stem_site: str, query: str, found: str
) -> None:
    page.goto(stem_site + "zoeken/?q=" + query)
    result = page.locator(f"main .kb-search-result a[href='{found}']")
    result.wait_for()
    assert page.locator("main .kb-search-result mark").count() >= 1


# ---------- The search page ----------


@browser_test
def test_results_show_title_kind_date_and_marked_excerpt(page: Any, site_url: str) -> None:
    search_page(page, site_url, "q=huurmarkt")
    first = page.locator("main .kb-search-result").first
    assert first.locator("h3 a").inner_text().strip()
    assert first.locator(".kb-search-result__kind").inner_text().strip()
    assert first.locator("time").get_attribute("datetime")
    assert "huurmarkt" in first.locator("mark").first.inner_text().lower()
    status = page.locator(".kb-search__status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.get_attribute("role") == "status"


@browser_test
def test_facets_are_the_registrys_in_its_order(page: Any, site_url: str) -> None:
    """The search page's filters and their titles come from the registry of kinds and
    vocabularies (through the page), not from a list in search.js."""
    search_page(page, site_url, "q=" + EVERYTHING)
    names = page.locator("fieldset.kb-facet").evaluate_all(
        "sets => sets.map(s => s.getAttribute('data-facet'))"
    )
    legends = page.locator("fieldset.kb-facet > legend").all_inner_texts()
    assert names == [name for name, _ in SEARCH_FILTERS]
    assert legends == [title for _, title in SEARCH_FILTERS]
    assert sorted(names) == sorted(FACETS)


@browser_test
@pytest.mark.parametrize("facet", FACETS)
def test_each_facet_narrows_the_results(page: Any, site_url: str, facet: str) -> None:
    total = search_page(page, site_url, "q=" + EVERYTHING)
    values = page.locator(f"fieldset[data-facet={facet}] li:not([hidden])")
    assert values.count() >= 1, f"facet {facet} has no values"
    # The first value that holds fewer than all results (a value on every result narrows nothing).
    for i in range(values.count()):
        shown = int(re.search(r"\((\d+)\)", values.nth(i).inner_text()).group(1))  # type: ignore[union-attr]
        if 0 < shown < total:
            break
    else:
        pytest.fail(f"no value of {facet} narrows the {total} results")
    before = page.locator(".kb-search__status").inner_text()
    values.nth(i).locator("input").check()
    wait_for_count_change(page, before)
    assert count(page) == shown < total
    assert url_state(page)[facet] == [values.nth(i).locator("input").get_attribute("value")]


@browser_test
def test_values_of_one_facet_add_up_and_facets_combine(page: Any, site_url: str) -> None:
    search_page(page, site_url, "q=" + EVERYTHING)
    kinds = page.locator("fieldset[data-facet=soort] li:not([hidden])")
    counts = [int(re.search(r"\((\d+)\)", kinds.nth(i).inner_text()).group(1)) for i in range(2)]  # type: ignore[union-attr]
    for i in range(2):
        before = page.locator(".kb-search__status").inner_text()
        kinds.nth(i).locator("input").check()
        wait_for_count_change(page, before)
    both = count(page)
    assert both == sum(counts)  # values of one facet: any of them
    assert len(url_state(page)["soort"]) == 2
    year = page.locator("fieldset[data-facet=jaar] li:not([hidden])").first
    year_count = int(re.search(r"\((\d+)\)", year.inner_text()).group(1))  # type: ignore[union-attr]
    before = page.locator(".kb-search__status").inner_text()
    year.locator("input").check()
    wait_for_count_change(page, before)
    assert count(page) == year_count <= both  # different facets: all of them


@browser_test
def test_state_lives_in_the_url_and_back_restores_it(page: Any, site_url: str) -> None:
    from playwright.sync_api import expect

    first = search_page(page, site_url, "q=gemeenten&soort=advies")
    assert page.locator("main input[type=search]").input_value() == "gemeenten"
    assert page.locator("input[name=soort][value=advies]").is_checked()
    year = page.locator("fieldset[data-facet=jaar] li:not([hidden]) input").first
    value = year.get_attribute("value")
    before = page.locator(".kb-search__status").inner_text()
    year.check()
    wait_for_count_change(page, before)
    second = count(page)
    assert url_state(page) == {"q": ["gemeenten"], "soort": ["advies"], "jaar": [value]}
    # Bookmarked or shared: the same URL in another tab shows the same state.
    other = page.context.new_page()
    assert search_page(other, site_url, urlsplit(page.url).query) == second
    assert other.locator(f"input[name=jaar][value='{value}']").is_checked()
    other.close()
    page.go_back()  # back to the state before the year was chosen
    expect(page.locator(f"input[name=jaar][value='{value}']")).not_to_be_checked()
    assert count(page) == first
    assert url_state(page) == {"q": ["gemeenten"], "soort": ["advies"]}


@browser_test
def test_typing_on_the_search_page_updates_results_and_url(page: Any, site_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(site_url + "zoeken/")
    box = page.locator("main input[type=search]")
    box.fill("")
    box.press_sequentially("onderwijs", delay=20)
    page.locator("main .kb-search-result").first.wait_for()
    expect(page).to_have_url(re.compile(r"zoeken/\?q=onderwijs$"))
    assert count(page) >= 1


# ---------- The header box ----------


@browser_test
def test_slash_focuses_the_header_search_and_shows_results(page: Any, site_url: str) -> None:
    page.goto(site_url + "adviezen/schoolkosten-en-gelijke-kansen/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "kb-hsearch-q"
    page.keyboard.type("gemeenten")
    result = page.locator(".kb-hresult").first
    # Results follow the typing: wait for those of the whole word (not of "g" or "gem").
    page.locator(".kb-hresult mark", has_text=re.compile("gemeente", re.I)).first.wait_for()
    assert result.locator("a").inner_text().strip()
    assert result.locator(".kb-hresult__kind").inner_text().strip()
    assert "gemeente" in result.locator("mark").first.inner_text().lower()
    assert re.match(r"\d+ resulta", page.locator(".kb-hsearch__status").inner_text())
    # "/" typed into a text field is just a character.
    page.keyboard.type("/")
    assert page.locator("#kb-hsearch-q").input_value() == "gemeenten/"


@browser_test
def test_header_search_by_keyboard_only(page: Any, site_url: str) -> None:
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("huurmarkt")
    page.locator(".kb-hresult").first.wait_for()
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    assert target and page.evaluate("document.activeElement.matches(':focus-visible')")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + target)
    # Enter in the box without choosing a result opens the search page.
    page.keyboard.press("/")
    page.keyboard.type("onderwijs")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/zoeken/\?q=onderwijs$"))
    page.locator("main .kb-search-result").first.wait_for()


@browser_test
def test_header_results_that_arrive_keep_a_reader_in_the_list(page: Any, site_url: str) -> None:
    """A reader who went into the results with ArrowDown while the results of the finished
    word arrive stays in the list, at the same place, and the panel stays open."""
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("huurmarkt")
    page.locator(".kb-hresult").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.keyboard.press("ArrowDown")
    first = page.locator(".kb-hresult__link").first.element_handle()
    assert page.evaluate("e => document.activeElement === e", first)
    # New results arrive (as for a word still being typed) while the focus is in the list.
    page.evaluate(
        "() => { const i = document.getElementById('kb-hsearch-q'); i.value = 'gemeente';"
        " i.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    page.wait_for_function("e => !e.isConnected", arg=first)  # the list was replaced
    assert page.evaluate("document.activeElement === document.querySelector('.kb-hresult__link')")
    assert page.locator(".kb-hsearch__panel").is_visible()


@browser_test
def test_search_page_by_keyboard_only(page: Any, site_url: str) -> None:
    page.goto(site_url + "zoeken/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "kb-search-q"
    page.keyboard.type("gemeenten")
    page.keyboard.press("Enter")
    page.locator("main .kb-search-result").first.wait_for()
    # The facets follow the results (their counts load after); a reader tabs once they show.
    page.locator(".kb-facet input[type=checkbox]").first.wait_for()
    # Tab to the first facet value and tick it with the space bar.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    name = page.evaluate("document.activeElement.name")
    before = page.locator(".kb-search__status").inner_text()
    page.keyboard.press("Space")
    wait_for_count_change(page, before)
    assert name in url_state(page)
    assert page.evaluate("document.activeElement.type") == "checkbox"  # focus stays put
    # Tab on to the first result and open it.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.kb-search-result')"):
            break
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + target)


@browser_test
def test_phone_header_opens_from_the_magnifier(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + "toolkits/")
    assert page.locator("#kb-hsearch-q").is_hidden()
    page.locator(".kb-hsearch__toggle").click()
    assert page.locator("#kb-hsearch-q").is_visible()
    page.keyboard.type("gemeenten")
    page.locator(".kb-hresult").first.wait_for()
    page.keyboard.press("Escape")
    assert page.locator(".kb-hsearch__panel").is_hidden()
    context.close()


@browser_test
def test_phone_loads_facets_only_when_they_are_opened(browser: Any, site_url: str) -> None:
    """On a phone the facets start folded away: the first search fetches no facet data
    (the labels, the filter chunks but the one of `soort`, which puts publications before
    site pages); opening "Verfijnen" loads them and shows values with counts for the
    current search."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + "zoeken/?q=gemeente")
    page.locator(".kb-search-result").first.wait_for()
    expect_status = page.locator(".kb-search__status")
    expect_status.filter(has_text="result").wait_for()
    page.wait_for_load_state("networkidle")
    assert [u for u in requests if "zoekfilters" in u] == []
    first = [u for u in requests if "/pagefind/filter/" in u]
    assert len(first) == 1, first  # soort's chunk only
    assert page.locator(".kb-facet").count() == 0
    page.locator(".kb-search__facets-title").click()
    page.locator(".kb-facet input[type=checkbox]").first.wait_for()
    assert len([u for u in requests if "/pagefind/filter/" in u]) > len(first)
    counts = page.locator(".kb-facet__value:not([hidden]) .kb-facet__count").all_text_contents()
    assert counts and all(re.fullmatch(r"\(\d+\)", c) and c != "(0)" for c in counts)
    context.close()


# ---------- Accessibility ----------


@browser_test
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_search_page_has_no_axe_violations(page: Any, site_url: str, scheme: str) -> None:
    if not AXE.exists():
        pytest.fail("node_modules/axe-core ontbreekt: voer 'make node_modules' (npm ci) uit.")
    # Every kind ticked: results, checked facets and the "more results" button all show.
    kinds = "&".join(f"soort={k}" for k in ("advies", "standpunt", "toolkit", "praktijk"))
    search_page(page, site_url, f"q={EVERYTHING}&{kinds}")
    assert page.locator(".kb-search__more").is_visible()
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.wait_for_timeout(300)  # Material's colour transitions (125 ms) must finish first
    # The header results are part of the page too: open them.
    page.locator("#kb-hsearch-q").fill("onderwijs")
    page.locator(".kb-hresult").first.wait_for()
    # Evaluated, not added as a <script>: the page's own CSP (its meta) blocks inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes']][:3]})"
        for v in result["violations"]
    ]
    assert violations == []


FAKE_PAGEFIND = '''#!{python}
"""A stand-in for `pagefind --service` that misbehaves in one way: {mode}."""
import base64, json, sys

mode = {mode!r}
stdin = sys.stdin.buffer
out = sys.stdout.buffer


def reply(message_id, payload):
    data = json.dumps({{"message_id": message_id, "payload": payload}}).encode()
    out.write(base64.b64encode(data) + b",")
    out.flush()


buffer = b""
while True:
    chunk = stdin.read1(65536)
    if not chunk:
        sys.exit(0)
    buffer += chunk
    *messages, buffer = buffer.split(b",")
    for raw in messages:
        message = json.loads(base64.b64decode(raw))
        kind, message_id = message["payload"]["type"], message["message_id"]
        if kind == "NewIndex":
            if mode == "dies":
                sys.exit(3)
            reply(message_id, {{"type": "NewIndex", "index_id": 0}})
        elif kind == "AddFile":
            if mode == "garbage":
                out.write(b"not base64 at all!,")
                out.flush()
            elif mode == "error":
                reply(message_id, {{"type": "Error", "message": "Failed to add file"}})
            else:
                reply(message_id, {{"type": "IndexedFile", "page_word_count": 1}})
        elif kind == "GetFiles":
            reply(message_id, {{"type": "GetFiles"}})  # no files
'''


@pytest.mark.parametrize("mode", ["error", "dies", "garbage", "no-files"])
def test_a_misbehaving_indexer_fails_in_dutch_and_never_hangs(
    mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever Pagefind's service does wrong (an error reply, dying, unreadable output, a
    reply without files), feeding more pages than the queue holds never blocks, and finish()
    ends with a Dutch SearchIndexError instead of hanging."""
    import threading

    from kennisbank.publishing.search import IndexFeeder

    fake = tmp_path / "pagefind"
    fake.write_text(FAKE_PAGEFIND.format(python=sys.executable, mode=mode))
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            feeder = IndexFeeder()
            for n in range(200):  # the queue holds 64
                feeder.add(f"p{n}/index.html", "<html data-pagefind-body>tekst</html>")
            feeder.finish(tmp_path / "site")
            outcome.append(None)
        except BaseException as err:  # checked below
            outcome.append(err)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), f"the feeder hangs when Pagefind {mode}"
    assert isinstance(outcome[0], SearchIndexError), outcome
    assert "de zoekindex (Pagefind) kon niet gemaakt worden" in str(outcome[0])


@browser_test
def test_the_language_filter_finds_documents_with_a_summary_in_that_language(
    page: Any, site_url: str, corpus
) -> None:
    """`taal` holds each document's language and the languages of its summaries: a reader
    of Arabic finds the documents with an Arabic summary, under the language's Dutch name."""
    wanted = sorted(d.url for d in corpus.published() if "ar" in (d.meta.get("summaries") or {}))
    assert wanted
    assert search_page(page, site_url, f"q={EVERYTHING}&taal=ar") == len(wanted)
    found = page.locator("main .kb-search-result a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    assert sorted({u.strip("/") + "/" for u in found}) == wanted
    box = page.locator("fieldset[data-facet=taal]").get_by_label(re.compile(r"^Arabisch"))
    assert box.count() == 1 and box.is_checked()
