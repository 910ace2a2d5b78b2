"""Keyboard journeys of the three kinds of users (issue #20), in Chromium with Tab,
Shift+Tab, Enter and Space only (and the letters of a search word): at every stop the
focus must be visible and not covered by the sticky header or "Terug naar boven". Each
journey counts its key presses. Used by tests/test_keyboard.py and by `make bench`.

    python scripts/journeys.py SITE_DIR   # prints each journey and its key presses
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LIMIT = 150  # Tab presses to reach one target before the journey counts as failed

# What covers the focused element, if anything (the sticky header or "Terug naar boven",
# drawn on top of it); and whether the focus is visible (an outline or a shadow).
COVERED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) return null;
  // What is drawn on top at a few points of the element: the header or the button there
  // (and the element not inside it) means it is covered.
  const xs = [box.left + 2, (box.left + box.right) / 2, box.right - 2];
  const ys = [box.top + 2, (box.top + box.bottom) / 2, box.bottom - 2];
  for (const x of xs) for (const y of ys) {
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const top = document.elementFromPoint(x, y);
    const over = top && top.closest('.md-header, .md-top');
    if (over && !over.contains(el) && !el.contains(top)) {
      return (over.classList.contains('md-top') ? '.md-top' : '.md-header')
        + ' over ' + el.outerHTML.slice(0, 80);
    }
  }
  return null;
}"""
VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return true;
  const own = getComputedStyle(el);
  const label = el.id && document.querySelector('label[for="' + el.id + '"]');
  const shown = s => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
    || (s.boxShadow && s.boxShadow !== 'none');
  return shown(own) || (label ? shown(getComputedStyle(label)) : false);
}"""


class JourneyFailed(AssertionError):
    pass


@dataclass
class Journey:
    page: Any
    name: str
    keys: int = 0
    problems: list[str] = field(default_factory=list)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1
        self.page.wait_for_timeout(60)  # Material shows "Terug naar boven" on scrolling up
        self.check()

    def check(self) -> None:
        covered = self.page.evaluate(COVERED)
        if covered:
            self.problems.append(covered)
        if not self.page.evaluate(VISIBLE):
            active = self.page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
            self.problems.append("no visible focus on " + active)

    def tab_to(self, predicate: str, what: str, back: bool = False) -> None:
        for _ in range(LIMIT):
            self.press("Shift+Tab" if back else "Tab")
            if self.page.evaluate(predicate):
                return
        raise JourneyFailed(f"{self.name}: {what} not reached with Tab")

    def type(self, text: str) -> None:
        for char in text:
            self.page.keyboard.press(char)
            self.keys += 1

    def follow(self, key: str = "Enter") -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.keys += 1
        self.page.wait_for_load_state("load")


def active_link_to(pattern: str) -> str:
    return (
        "(() => { const a = document.activeElement;"
        f" return a.tagName === 'A' && /{pattern}/.test(a.href); }})()"
    )


def reader_by_theme(page: Any, base: str) -> Journey:
    """A reader goes from the home page to the themes, opens one, opens an advies there and
    goes to its recommendations."""
    page.goto(base, wait_until="load")
    j = Journey(page, "lezer: advies via thema")
    j.tab_to(active_link_to(r"\/domeinen\/$"), "de tab Thema's")
    j.follow()
    j.tab_to(active_link_to(r"\/domeinen\/[a-z0-9-]+\/$"), "een thema")
    j.follow()
    j.tab_to(active_link_to(r"\/adviezen\/[a-z0-9-]+\/$"), "een advies")
    j.follow()
    j.tab_to(active_link_to(r"#aanbevelingen$"), "de link naar de aanbevelingen")
    j.press("Enter")
    if page.evaluate("document.querySelector(':target')?.id") != "aanbevelingen":
        raise JourneyFailed(f"{j.name}: Enter did not go to the recommendations")
    return j


def municipality_toolkit(page: Any, base: str) -> Journey:
    """A municipality goes from the home page to the toolkits, opens one and reaches its
    first download."""
    page.goto(base, wait_until="load")
    j = Journey(page, "gemeente: toolkit en download")
    j.tab_to(active_link_to(r"\/toolkits\/$"), "de tab Toolkits")
    j.follow()
    j.tab_to(active_link_to(r"\/toolkits\/[a-z0-9-]+\/$"), "een toolkit")
    j.follow()
    j.tab_to("document.activeElement.hasAttribute('download')", "de eerste download")
    return j


def reader_filters_search(
    page: Any, base: str, word: str = "gemeente", facet: str = "soort"
) -> Journey:
    """A reader opens the search page, types a word, ticks a filter with Space and opens
    the first result."""
    page.goto(base, wait_until="load")
    j = Journey(page, "lezer: zoeken en filteren")
    j.tab_to(active_link_to(r"\/zoeken\/$"), "de tab Zoeken")
    j.follow()
    j.tab_to("document.activeElement.id === 'kb-search-q'", "het zoekvak")
    j.type(word)
    page.wait_for_selector(".kb-search-result")
    j.tab_to(f"document.activeElement.name === '{facet}'", f"een filter {facet}")
    before = page.locator(".kb-search__status").inner_text()
    j.press("Space")
    if not page.evaluate("document.activeElement.checked"):
        raise JourneyFailed(f"{j.name}: Space did not tick the filter")
    page.wait_for_function(
        "t => document.querySelector('.kb-search__status').textContent !== t", arg=before
    )
    j.tab_to("document.activeElement.classList.contains('kb-search-result__link')", "een resultaat")
    j.follow()
    return j


JOURNEYS = (reader_by_theme, municipality_toolkit, reader_filters_search)


def all_journeys(page: Any, base: str) -> list[Journey]:
    return [walk(page, base) for walk in JOURNEYS]


def main(argv: list[str]) -> int:
    from browser_flags import site_page  # scripts/, beside this file

    with site_page(Path(argv[0]), {"width": 1280, "height": 800}) as (page, base):
        for journey in all_journeys(page, base):
            print(f"{journey.name}: {journey.keys} toetsen, problemen: {journey.problems}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
