"""WCAG 2.2 AA with axe-core in real Chromium, keyboard use, privacy (issue #5)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import PAGES, ROOT, advies, run_axe, set_palette, write_doc

from kennisbank.pipeline import load
from kennisbank.site.downloads import bundle_name, pdf_name

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_axe_has_no_violations(browser, site_url: str, name: str, scheme: str) -> None:
    page = browser.new_page()
    page.goto(site_url + PAGES[name], wait_until="networkidle")
    if name == "search-results":
        page.wait_for_selector(".kb-search-result", timeout=10_000)
    # The palette toggle sets this attribute; setting it directly tests both palettes.
    set_palette(page, scheme)
    assert run_axe(page) == []
    page.close()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_preview_problem_panel_passes_axe(browser, scratch_repo, preview_of, scheme: str) -> None:
    """The panel `make serve` puts on every page while a document has problems: axe in
    both palettes, at the very top, its guide links reachable first by keyboard."""
    write_doc(scratch_repo, "advisories/adviezen/een.md", advies(title="Eerste advies"))
    write_doc(
        scratch_repo,
        "advisories/adviezen/twee.md",
        advies(ref="ADV-2025-02", extra="domains: [onderwjs]\n", body="[x](bestaat-niet.md)"),
    )
    preview = preview_of(scratch_repo)
    page = browser.new_page()
    page.goto(preview.url + "adviezen/een/", wait_until="load")
    panel = page.locator(".kb-preview-problems")
    assert panel.is_visible()
    assert "Voorvertoning: " in panel.locator("h2").inner_text()
    box = panel.bounding_box()
    assert box is not None and box["y"] < 1
    set_palette(page, scheme)
    assert run_axe(page) == []
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.kb-preview-problems') !== null")
    page.close()


def test_skip_link_and_visible_focus(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + PAGES["document-advies"])
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.className")
    assert "md-skip" in skip
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' +"
        " getComputedStyle(document.activeElement).outlineWidth"
    )
    assert not outline.startswith("none"), outline
    page.keyboard.press("Enter")
    page.close()


def test_keyboard_only_from_home_to_a_toolkit_download(browser, site_url: str) -> None:
    """Tab through the home page to a toolkit, open it, tab to a download; no mouse."""
    corpus, _ = load(ROOT)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(site_url)

    def tab_to(predicate: str, limit: int = 200) -> bool:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate):
                return True
        return False

    toolkit_link = (
        "(() => { const a = document.activeElement;"
        " return a.tagName === 'A' && /toolkits\\/[a-z0-9-]+\\/$/.test(a.href); })()"
    )
    assert tab_to(toolkit_link), "no toolkit link reachable by Tab from the home page"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/toolkits/" in page.url
    download_link = "document.activeElement.hasAttribute('download')"
    assert tab_to(download_link), "no download reachable by Tab on the toolkit page"
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    toolkits = [d for d in corpus.published() if d.kind == "toolkit"]
    names = {a.name for d in toolkits for a in d.attachments}
    names |= {pdf_name(d) for d in toolkits} | {bundle_name(d) for d in toolkits}
    assert download.suggested_filename in names
    context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_third_party_requests_and_no_cookies(browser, site_url: str, name: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(urlparse(r.url).netloc))
    page.goto(site_url + PAGES[name], wait_until="networkidle")
    page.mouse.wheel(0, 5000)
    page.wait_for_timeout(200)
    assert hosts == {urlparse(site_url).netloc}
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    context.close()


def test_print_stylesheet_hides_navigation(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + PAGES["document-advies"])
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.md-header', '.md-sidebar--primary', '.md-footer']"
        ".map(s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none", "none", "none"]
    # Site links print with their full address (site_url + path), not a relative one.
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.kb-facts a[href*=domeinen]'), '::after').content"
    )
    assert after.startswith('" (https://') and "/domeinen/" in after, after
    page.close()
