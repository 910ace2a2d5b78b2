"""The relevance test set of the public search (tests/data/relevantie.yml), run in
Chromium against a built site's real index through its search page (/zoeken/), as a
reader types. Used by tests/test_relevance.py and by `make bench` (scripts/bench.py).

    python scripts/relevance.py SITE_DIR   # prints each case and the share met
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CASES = Path(__file__).resolve().parent.parent / "tests" / "data" / "relevantie.yml"
SHOWN = 10  # the results a reader sees before "Meer resultaten tonen"
MORE_PAGES = 5  # how often a reader looking for a site page presses it (50 more results)


@dataclass(frozen=True)
class Outcome:
    case: dict[str, str]
    results: list[str]  # site paths of the results shown, in order ("adviezen/x/")
    suggestion: str  # the word the page suggests after zero results, or ""
    met: bool

    def line(self) -> str:
        want = ", ".join(f"{k}: {v}" for k, v in self.case.items() if k != "query")
        got = f"suggests '{self.suggestion}'" if self.suggestion else ", ".join(self.results[:3])
        return f"{'ok  ' if self.met else 'MISS'} {self.case['query']!r} ({want}) -> {got or '-'}"


def cases() -> list[dict[str, str]]:
    data: dict[str, Any] = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return list(data["cases"])


def judge(case: dict[str, str], results: list[str], suggestion: str, urls: dict[str, str]) -> bool:
    """Whether the results meet the case; ``urls``: a document's id -> its site path."""
    if "first" in case:
        return bool(results) and results[0] == urls[case["first"]]
    if "top3" in case:
        return urls[case["top3"]] in results[:3]
    if "found" in case:
        return case["found"] in results
    return not results and suggestion == case["suggest"]


def run(page: Any, base: str, urls: dict[str, str]) -> list[Outcome]:
    """Every case on the search page of the site at ``base`` (ending in "/")."""
    out = []
    for case in cases():
        page.goto(f"{base}zoeken/?q={quote(case['query'])}")
        page.wait_for_function(
            "() => /resultaat|resultaten|Geen/.test("
            "document.querySelector('.kb-search__status')?.textContent || '')",
            timeout=15_000,
        )
        if "suggest" in case:  # the suggestion is loaded after the zero results
            with contextlib.suppress(PlaywrightTimeout):  # none: the case is not met
                page.locator(".kb-search__suggest a").first.wait_for(timeout=5_000)
        if "found" in case:  # a reader looking for a site page pages on to it
            for _ in range(MORE_PAGES):
                target = page.locator(f'.kb-search-result__link[href$="/{case["found"]}"]')
                more = page.locator(".kb-search__more")
                if target.count() or not more.is_visible():
                    break
                shown = page.locator(".kb-search-result").count()
                more.click()
                page.wait_for_function(
                    "n => document.querySelectorAll('.kb-search-result').length > n", arg=shown
                )
        links = page.locator(".kb-search-result__link").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        )
        results = [urlsplit(href).path.lstrip("/") for href in links]
        if "found" not in case:
            results = results[:SHOWN]
        base_path = urlsplit(base).path.lstrip("/")
        results = [r.removeprefix(base_path) for r in results]
        suggestion = ""
        if page.locator(".kb-search__suggest a").count():
            suggestion = page.locator(".kb-search__suggest a").first.inner_text().strip()
        out.append(Outcome(case, results, suggestion, judge(case, results, suggestion, urls)))
    return out


def share(outcomes: list[Outcome]) -> float:
    return sum(o.met for o in outcomes) / len(outcomes)


def run_site(site: Path, urls: dict[str, str]) -> list[Outcome]:
    """Every case on a built site, served as a host would, in a fresh Chromium."""
    from browser_flags import site_page  # scripts/, beside this file

    with site_page(site) as (page, base):
        return run(page, base, urls)


def main(argv: list[str]) -> int:
    from kennisbank.pipeline import load

    site = Path(argv[0])
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    corpus, _ = load(root)
    outcomes = run_site(site, {doc.id: doc.url for doc in corpus.published()})
    for outcome in outcomes:
        print(outcome.line())
    print(f"{sum(o.met for o in outcomes)} of {len(outcomes)} met ({share(outcomes):.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
