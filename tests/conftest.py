"""Shared fixtures: the real repository built with MkDocs, a local HTTP server, scratch repos."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_PARTS = ["mkdocs.yml", "content", "hooks", "overrides"]

sys.path.insert(0, str(ROOT / "scripts"))
from browser_flags import CHROMIUM, FLAGS  # noqa: E402  (shared with bench and audit)


def run_mkdocs(root: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a repository; ``extra`` e.g. "--dirty"."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            *extra,
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(site_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=300,
    )


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kennisbank.cli", *args],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (no browser download); never skipped on CI."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium ontbreekt op CI; 'make test' installeert het Debian-pakket.")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository itself, built once per test session with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs(ROOT, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on a free loopback port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


def site_files(site: Path, keep: Callable[[Path], bool] = lambda p: True) -> dict[str, bytes]:
    """A built site's files (path inside the site -> bytes), without the search index
    (its file names differ between runs), filtered by ``keep``."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and "pagefind" not in p.relative_to(site).parts and keep(p)
    }


def make_scratch_repo(root: Path) -> Path:
    """Copy the site skeleton and vocabularies, with no documents, into ``root``."""
    for part in SITE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, root / part)
        else:
            shutil.copy2(src, root / part)
    # The package is installed, not copied: drop its folder from mkdocs.yml's watch list.
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - kennisbank/templates\n", ""))
    for folder in ("advisories/adviezen", "advisories/standpunten", "toolkits/praktijken"):
        (root / folder).mkdir(parents=True)
    return root


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A copy of the site skeleton and vocabularies with no documents, to plant cases in."""
    return make_scratch_repo(tmp_path)


def write_doc(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def advies(
    title: str = "Een advies",
    extra: str = "",
    body: str = "Tekst.",
    ref: str = "ADV-2025-01",
    date: str = "2025-01-10",
) -> str:
    return (
        f"---\ntype: advies\ntitle: {title}\ndate: {date}\nsummary: Samenvatting van het advies.\n"
        f"domains: [onderwijs]\nreference: {ref}\n{extra}---\n{body}\n"
    )


# Hypothesis profiles for tests/test_fuzz.py: a short run in `make test`; `make fuzz` picks
# "fuzz" (4 tests x 2,500 = 10,000 examples). No deadline: timings vary on shared machines.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("short", max_examples=200, deadline=None)
_hypothesis_settings.register_profile("fuzz", max_examples=2500, deadline=None)
_hypothesis_settings.load_profile("short")
