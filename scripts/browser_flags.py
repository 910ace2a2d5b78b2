"""How Debian's Chromium is started here, shared by the tests (tests/conftest.py), the
benchmark and the Lighthouse audit: as root, without a sandbox, and never reaching for the
closed network (see NOTES.md)."""

from __future__ import annotations

import shutil

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
