"""French and English versions of documents (issue #17): where they live, what the check
says of bad ones, the pages under /fr/ and /en/ with their language switcher, hreflang
alternates and fallback pages, and a search stemmed in the page's language."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILD, PAGES, advies, run_axe, set_palette, stops_check_and_build, write_doc

from kennisbank import registry
from kennisbank.content.loader import discover, discover_translations
from kennisbank.registry import SITE_LANGUAGES

ADV = "advisories/adviezen/een.md"
SAMPLE = "schoolkosten-en-gelijke-kansen"


def translation(
    title: str = "Un avis", summary: str = "Nous demandons ceci.", extra: str = ""
) -> str:
    front = (f'title: "{title}"\n' if title else "") + (
        f'summary: "{summary}"\n' if summary else ""
    )
    return f"---\n{front}{extra}---\n\n## Contexte\n\nLe texte de la traduction.\n"


def test_a_translation_is_beside_its_original_not_a_document() -> None:
    assert registry.translation_at("advisories/adviezen/x.fr.md")[1:] == ("x", "fr")
    assert registry.translation_at("toolkits/t/index.en.md")[1:] == ("t", "en")
    assert registry.translation_at("advisories/adviezen/x.md") is None
    assert registry.kind_at("advisories/adviezen/x.fr.md") is None
    assert registry.kind_at("toolkits/t/index.fr.md") is None
    root = Path(__file__).resolve().parent.parent
    found = [p.name for p in discover_translations(root)]
    assert f"{SAMPLE}.fr.md" in found and f"{SAMPLE}.en.md" in found
    assert not any(p.name.endswith((".fr.md", ".en.md")) for p in discover(root))


def test_the_sample_has_a_french_and_an_english_version(corpus) -> None:
    versions = corpus.translations[SAMPLE]
    assert list(versions) == ["fr", "en"]
    original = corpus.by_id()[SAMPLE]
    assert original.meta.get("example") is True and {"ar", "tr"} <= set(original.meta["summaries"])
    fr = versions["fr"]
    assert fr.title.startswith("Limiter") and fr.url == f"fr/adviezen/{SAMPLE}/"
    # A link in the translation goes to the Dutch toolkit (it has no French version), from
    # one folder deeper than the original.
    body = corpus.translation_bodies[(SAMPLE, "fr")]
    assert "](../../toolkits/schoolkosten-verlagen-op-school/index.md)" in body


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        ("bestaat-niet.fr.md", translation(), 1, "deze vertaling heeft geen origineel"),
        ("een.fra.md", translation(), 1, "geen taalcode van twee kleine letters (ISO 639-1)"),
        ("een.de.md", translation(), 1, "'de' is geen taal waarin de site vertalingen toont"),
        ("een.nl.md", translation(), 1, "het origineel is al Nederlands"),
        ("een.fr.md", translation(title=""), 1, "title: ontbreekt"),
        ("een.fr.md", translation(summary=""), 1, "summary: ontbreekt"),
        (
            "een.fr.md",
            translation(extra="domains: [onderwijs]\n"),
            4,
            "domains: hoort in het origineel",
        ),
        (
            "een.fr.md",
            '---\ntitle: "Un avis"\nsummary: "Ceci."\n---\n',
            4,
            "de tekst van de vertaling ontbreekt",
        ),
    ],
    ids=[
        "without-original",
        "not-iso-639-1",
        "not-supported",
        "dutch",
        "no-title",
        "no-summary",
        "metadata-of-the-original",
        "no-text",
    ],
)
def test_bad_translations_stop_check_and_build(
    scratch_repo: Path, name: str, text: str, line: int, words: str
) -> None:
    write_doc(scratch_repo, ADV, advies())
    rel = f"advisories/adviezen/{name}"
    write_doc(scratch_repo, rel, text)
    stops_check_and_build(scratch_repo, f"{rel}:{line}: ", words)


def test_the_same_translation_twice_stops_check_and_build(scratch_repo: Path) -> None:
    write_doc(scratch_repo, ADV, advies())
    write_doc(scratch_repo, "advisories/adviezen/een.fr.md", translation())
    write_doc(scratch_repo, "advisories/adviezen/een.FR.md", translation())
    where = "advisories/adviezen/een.FR.md:1: "
    stops_check_and_build(
        scratch_repo, where, "deze vertaling bestaat al: advisories/adviezen/een.fr.md"
    )


def test_a_translation_older_than_its_original_is_a_warning(scratch_repo: Path) -> None:
    write_doc(scratch_repo, ADV, advies(extra="updated: 2025-06-01\n"))
    write_doc(
        scratch_repo, "advisories/adviezen/een.fr.md", translation(extra="translated: 2025-05-01\n")
    )
    done = subprocess.run(
        [sys.executable, "-m", "kennisbank.cli", "check", "--format", "json"],
        cwd=scratch_repo,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = [p for p in json.loads(done.stdout)["problems"] if p["path"].endswith("een.fr.md")]
    assert [(p["field"], p["severity"]) for p in found] == [("translated", "warning")]
    assert "het origineel is bijgewerkt op 2025-06-01" in found[0]["message"]


def head_alternates(html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'<link rel="\s*alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_hreflang_alternates_go_both_ways(built_site: Path, corpus) -> None:
    original = corpus.by_id()[SAMPLE]
    pages = {"nl": original.url, **{c: t.url for c, t in corpus.translations[SAMPLE].items()}}
    sets = {}
    for code, url in pages.items():
        html = (built_site / url / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{code}"', html), code
        sets[code] = head_alternates(html)
    first = sets["nl"]
    assert all(found == first for found in sets.values()), sets  # the same list on each
    by_lang = dict(first)
    assert set(by_lang) == {"nl", "fr", "en", "x-default"}
    for code, url in pages.items():
        assert by_lang[code].endswith("/" + url), (code, by_lang[code])
    assert by_lang["x-default"] == by_lang["nl"]
    # A document without translations has no alternates and no switcher.
    other = next(d for d in corpus.published() if d.id not in corpus.translations)
    html = (built_site / other.url / "index.html").read_text(encoding="utf-8")
    assert not head_alternates(html) and "kb-langs" not in html


def test_pages_in_another_language_speak_it(built_site: Path, corpus) -> None:
    html = (built_site / f"fr/adviezen/{SAMPLE}/index.html").read_text(encoding="utf-8")
    assert "Aller au contenu" in html  # Material's own labels, in French
    assert 'placeholder="Rechercher"' in html  # Kennisbank's header search
    assert (
        "Publié le <time" in html and "14 mars 2023" in html
    )  # dates as French readers write them
    assert '<ul class="md-tabs__list" lang="nl">' in html  # the site's sections stay Dutch, marked
    assert '<div class="md-copyright" lang="nl">' in html
    assert 'data-pagefind-filter="taal:fr"' in html
    home = (built_site / "fr/index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home and "Publications en français" in home
    assert f'href="adviezen/{SAMPLE}/"' in home
    english = (built_site / "en/index.html").read_text(encoding="utf-8")
    assert "Publications in English" in english and f'href="adviezen/{SAMPLE}/"' in english
    dutch = (built_site / f"adviezen/{SAMPLE}/index.html").read_text(encoding="utf-8")
    for code in ("fr", "en"):  # found with the search page's language filter
        assert f'data-pagefind-filter="taal:{code}"' in dutch
    listing = (built_site / "adviezen/index.html").read_text(encoding="utf-8")
    card = listing[listing.index(f'href="../adviezen/{SAMPLE}/"') :]
    card = card[: card.index("</li>")]
    assert "Ook te lezen in: " in card
    link = rf'<a href="\.\./fr/adviezen/{SAMPLE}/"[^>]* hreflang="fr" lang="fr">Français</a>'
    assert re.search(link, card), card
    entry = json.loads((built_site / "pagefind/pagefind-entry.json").read_text())
    assert {"nl", "fr", "en"} <= set(entry["languages"])  # an index per language


def test_a_missing_translation_falls_back_to_the_original_with_a_notice(scratch_repo: Path) -> None:
    write_doc(scratch_repo, ADV, advies())
    write_doc(scratch_repo, "advisories/adviezen/een.fr.md", translation())
    done = subprocess.run([*BUILD, str(scratch_repo)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    site = scratch_repo / "site"
    dutch = (site / "adviezen/een/index.html").read_text(encoding="utf-8")
    # The switcher offers English too: its link leads to a page, not to a 404.
    assert 'href="../../en/adviezen/een/"' in dutch
    fallback = (site / "en/adviezen/een/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in fallback
    assert SITE_LANGUAGES["en"].label("fallback_text") in fallback
    assert '<meta name="robots" content="noindex">' in fallback
    assert '<div class="kb-doc-body" lang="nl">' in fallback  # the original's text, marked Dutch
    assert "data-pagefind-body" not in fallback  # not a search result of its own
    assert not head_alternates(fallback)
    assert dict(head_alternates(dutch)).keys() == {"nl", "fr", "x-default"}  # only real versions


@pytest.mark.browser
def test_switcher_and_french_stemmed_search_in_chromium(browser, site_url: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site_url + f"adviezen/{SAMPLE}/", wait_until="networkidle")
    switcher = page.locator("nav.kb-langs")
    assert switcher.get_attribute("aria-label") == "Taal"
    names = switcher.locator("a")
    assert names.all_inner_texts() == ["Nederlands", "Français", "English"]
    assert [names.nth(i).get_attribute("lang") for i in range(3)] == ["nl", "fr", "en"]
    assert names.nth(0).get_attribute("aria-current") == "page"
    names.nth(1).click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/fr/adviezen/{SAMPLE}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("body").get_attribute("dir") == "ltr"  # Material sets it there
    assert page.locator("nav.kb-langs a[aria-current=page]").inner_text() == "Français"
    assert page.locator("h1").inner_text().startswith("Limiter les frais scolaires")
    # The header search of a French page searches the French index, stemmed in French: the
    # page says "pauvreté", the query is the plural, which is no prefix of it.
    box = page.locator("#kb-hsearch-q")
    box.click()
    box.fill("pauvretés")
    result = page.locator(".kb-hresult__link").first
    result.wait_for(timeout=10_000)
    hrefs = page.locator(".kb-hresult__link").evaluate_all("els => els.map(e => e.href)")
    assert hrefs and all("/fr/" in h for h in hrefs), hrefs
    assert any(h.endswith(f"/fr/adviezen/{SAMPLE}/") for h in hrefs), hrefs
    assert "résultat" in page.locator(".kb-hsearch__status").inner_text()
    assert errors == []  # among them: no sitemap.xml fetched beside an alternate
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_on_the_french_pages(browser, site_url: str, scheme: str) -> None:
    for path in (PAGES["translation-fr"], PAGES["language-home-fr"]):
        page = browser.new_page()
        page.goto(site_url + path, wait_until="networkidle")
        set_palette(page, scheme)
        assert run_axe(page) == [], path
        page.close()


def test_feeds_and_open_data_carry_the_translations(built_site: Path, corpus) -> None:
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    for code, version in corpus.translations[SAMPLE].items():
        feed = ElementTree.parse(built_site / f"feeds/{code}.xml").getroot()
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == code
        titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
        assert version.title in titles
        home = (built_site / code / "index.html").read_text(encoding="utf-8")
        assert f'href="../feeds/{code}.xml"' in home  # announced on the language's home page
    data = json.loads((built_site / "data/documenten.json").read_text(encoding="utf-8"))
    record = next(d for d in data["documents"] if d["id"] == SAMPLE)
    assert [t["language"] for t in record["translations"]] == ["fr", "en"]
    assert record["translations"][0]["url"].endswith(f"/fr/adviezen/{SAMPLE}/")
    other = next(d for d in data["documents"] if d["id"] not in corpus.translations)
    assert "translations" not in other
    csv = (built_site / "data/documenten.csv").read_text(encoding="utf-8-sig").splitlines()
    columns = csv[0].split(",")
    row = next(line for line in csv if line.startswith(SAMPLE + ","))
    assert "translations" in columns and "fr; en" in row
