"""Accessibility beyond axe (issue #20), tried as keyboard, speech-input and magnifier users
would, in real Chromium: the skip link lands on the page's h1, focus is never covered by
the sticky header, the menu works by keyboard on narrow screens, no single-key shortcut
fires unless the reader turned shortcuts on, and pages reflow at 320 px."""

from __future__ import annotations

import journeys  # scripts/journeys.py (conftest puts scripts/ on the path)
import pytest
from conftest import PAGES

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_skip_link_lands_on_the_h1_of_main(browser, site_url: str, name: str) -> None:
    page = browser.new_page()
    page.goto(site_url + PAGES[name], wait_until="load")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert "md-skip" in skip.get_attribute("class").split(), name  # the first Tab stop
    french = PAGES[name].startswith("fr/")
    assert skip.inner_text().strip() == ("Aller au contenu" if french else "Ga naar inhoud")
    page.keyboard.press("Enter")
    target = page.evaluate(
        "() => { const t = document.querySelector(':target');"
        " return t && [t.tagName, !!t.closest('main'), t === document.querySelector('main h1')]; }"
    )
    assert target == ["H1", True, True], (name, target)
    # The next Tab goes on from there: to the first thing to focus after the h1.
    page.keyboard.press("Tab")
    after = page.evaluate(
        "() => !!(document.querySelector('main h1').compareDocumentPosition("
        "document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING"
        " || document.querySelector('main h1').contains(document.activeElement))"
    )
    assert after, name
    page.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_sideways_scrolling_at_320_px(browser, site_url: str, name: str) -> None:
    page = browser.new_page(viewport=NARROW)
    page.goto(site_url + PAGES[name], wait_until="load")
    if name == "search-results":
        page.wait_for_selector(".kb-search-result", timeout=10_000)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] == widths[1], (name, widths)
    page.close()


def covered(page) -> str | None:
    """What covers the focused element, if anything: the sticky header or Material's
    "Terug naar boven" button, drawn on top of it."""
    result: str | None = page.evaluate(journeys.COVERED)
    return result


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("name", ["document-advies", "document-toolkit", "search-results"])
def test_focus_is_never_covered_going_back_with_shift_tab(
    browser, site_url: str, name: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 700})
    page.goto(site_url + PAGES[name], wait_until="load")
    if name == "search-results":
        page.wait_for_selector(".kb-search-result", timeout=10_000)
    # To the end of the page, then back through every stop.
    page.keyboard.press("End")
    page.evaluate("document.querySelector('footer a').focus()")
    stops, problems = 0, []
    for _ in range(200):
        page.keyboard.press("Shift+Tab")
        page.wait_for_timeout(150)  # Material shows "Terug naar boven" on scrolling up
        if page.evaluate("document.activeElement.classList.contains('md-skip')"):
            break
        stops += 1
        found = covered(page)
        if found:
            problems.append(found)
    else:
        pytest.fail("Shift+Tab never reached the skip link")
    assert stops > 10
    assert problems == [], problems


def test_the_menu_works_by_keyboard_on_a_narrow_screen(browser, site_url: str) -> None:
    page = browser.new_page(viewport=NARROW)
    page.goto(site_url + PAGES["site-page"], wait_until="load")
    drawer_links = page.locator(".md-sidebar--primary a")
    assert drawer_links.count() > 5
    # While the drawer is closed, its links are not in the Tab order.
    assert all(not link.is_visible() for link in drawer_links.all())
    button = page.locator("button.kb-menu")
    assert button.is_visible() and button.get_attribute("aria-label") == "Menu"
    assert button.get_attribute("aria-expanded") == "false"
    for _ in range(10):  # the skip link, the logo, then the menu button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('kb-menu')"):
            break
    else:
        pytest.fail("Tab never reached the menu button")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # its focus is visible
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)  # the drawer slides in
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
    visible = [link for link in drawer_links.all() if link.is_visible()]
    assert len(visible) > 5
    page.keyboard.press("Escape")
    page.wait_for_timeout(400)
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('kb-menu')")
    assert all(not link.is_visible() for link in drawer_links.all())
    page.close()


SHORTCUTS = ["n", ".", "p", ",", "f", "s", "/"]


def test_single_key_shortcuts_fire_only_when_the_reader_turned_them_on(
    browser, site_url: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    start = site_url + PAGES["site-page"]
    page.goto(start, wait_until="load")
    assert page.locator("link[rel=next]").count() == 1  # Material's n would go there
    for key in SHORTCUTS:
        page.keyboard.press(key)
        page.wait_for_timeout(150)
        assert page.url == start, key
        assert page.evaluate("document.activeElement === document.body"), key
    assert page.locator(".kb-hsearch__key").is_hidden()  # no "/" shown in the search box
    # Turned on, on the accessibility statement: they work, on every page, until turned off.
    page.goto(site_url + "toegankelijkheid/", wait_until="load")
    switch = page.locator("#kb-sneltoetsen")
    assert switch.is_visible() and not switch.is_checked()
    switch.check()
    page.goto(start, wait_until="load")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "kb-hsearch-q"
    page.keyboard.press("Escape")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("n")
    page.wait_for_url(lambda url: url != start)
    page.goto(site_url + "toegankelijkheid/", wait_until="load")
    page.locator("#kb-sneltoetsen").uncheck()
    page.goto(start, wait_until="load")
    page.keyboard.press("n")
    page.wait_for_timeout(300)
    assert page.url == start
    # Typing in a text field is never held back.
    page.locator("#kb-hsearch-q").fill("")
    page.locator("#kb-hsearch-q").type("n/p")
    assert page.locator("#kb-hsearch-q").input_value() == "n/p"
    context.close()


def test_landmarks_and_the_logo_are_named_in_dutch(browser, site_url: str) -> None:
    page = browser.new_page()
    page.goto(site_url + PAGES["site-page"], wait_until="load")
    names = page.evaluate(
        "() => [...document.querySelectorAll('[aria-label]')]"
        ".map(e => e.getAttribute('aria-label'))"
    )
    assert not {"Header", "Tabs", "Footer"} & set(names), names
    assert {"Kopbalk", "Hoofdmenu"} <= set(names), names
    logo = page.locator(".md-header .md-logo")
    assert logo.locator("img").get_attribute("alt") == ""
    assert logo.get_attribute("aria-label") == "Kennisbank Minderhedenforum"
    page.goto(site_url + "404.html", wait_until="load")
    assert page.title().startswith("Pagina niet gevonden")
    page.close()


def test_the_palette_follows_the_systems_dark_preference(browser, site_url: str) -> None:
    for preference, scheme in (("dark", "slate"), ("light", "default")):
        context = browser.new_context(color_scheme=preference)
        page = context.new_page()
        page.goto(site_url + PAGES["site-page"], wait_until="load")
        assert page.locator("body").get_attribute("data-md-color-scheme") == scheme
        context.close()


@pytest.mark.parametrize("width", [1280, 320])
def test_the_keyboard_journeys_of_the_three_kinds_of_users(
    browser, site_url: str, width: int
) -> None:
    """Tab, Shift+Tab, Enter and Space only (and the letters of a search word): a reader
    finds an advies by theme and goes to its recommendations; a municipality finds a toolkit
    and reaches its first download; a reader filters search results and opens one. At every
    stop the focus is visible and not covered. The key presses are in `make bench`'s report
    (scripts/journeys.py)."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    if width == 1280:
        done = journeys.all_journeys(page, site_url)
    else:  # on a phone (no tabs: the home page's own links to the toolkits)
        done = [journeys.municipality_toolkit(page, site_url)]
    for journey in done:
        print(f"{journey.name} ({width} px): {journey.keys} key presses")
        assert journey.problems == [], (journey.name, journey.problems)
        assert journey.keys > 3
    page.close()
