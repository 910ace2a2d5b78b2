"""Browser smoke test in Debian's Chromium through Playwright (no browser download)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from kennisbank.pipeline import load
from kennisbank.registry import SITE_LANGUAGES

pytestmark = pytest.mark.browser


def smoke_urls() -> list[str]:
    corpus, _ = load(ROOT)
    urls = ["", "adviezen/", "standpunten/", "toolkits/", "praktijken/", "over-ons/"]
    for kind in ("advies", "standpunt", "toolkit", "praktijk"):
        urls.append(next(d.url for d in corpus.published() if d.kind == kind))
    for versions in list(corpus.translations.values())[:1]:  # pages in French and English
        urls += [t.url for t in versions.values()]
    return urls


@pytest.mark.parametrize("path", smoke_urls())
def test_page_loads_without_console_errors(browser, site_url: str, path: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response is not None and response.status == 200
    language = path.split("/")[0] if path.split("/")[0] in SITE_LANGUAGES else "nl"
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().strip()
    assert errors == []
    page.close()


def test_listing_links_to_documents(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + "toolkits/")
    first = page.locator(".kb-card__title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert page.locator("a[download]").count() >= 1
    page.close()
