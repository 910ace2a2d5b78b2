"""How Debian's Chromium is started here, shared by the tests (tests/conftest.py), the
benchmark and the Lighthouse audit: as root, without a sandbox, and never reaching for the
closed network (see NOTES.md)."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextlib.contextmanager
def site_page(site: Path, viewport: dict[str, int] | None = None) -> Iterator[tuple[Any, str]]:
    """A built site served with its production headers and one page of a fresh headless
    Chromium: (page, the site's base URL ending in "/"), for the benchmark's and the
    scripts' runs in the browser."""
    from playwright.sync_api import sync_playwright

    from kennisbank.publishing.local_server import serve_with_headers

    server, base = serve_with_headers(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                yield browser.new_page(viewport=viewport), base.rstrip("/") + "/"
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
