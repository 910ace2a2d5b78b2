"""`make audit`: Lighthouse (npm, against Debian's Chromium, offline) on key pages.

Serves the built site/ with the headers from site/_headers, runs Lighthouse's
accessibility, best-practices and SEO categories on the home page, an advisory, a toolkit
and the search page, then writes content/_data/audit.json (shown on the accessibility
statement) and the "Accessibility audit" table in docs/accessibility.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from browser_flags import FLAGS  # noqa: E402  (the sibling script)

from kennisbank.pipeline import load  # noqa: E402
from kennisbank.publishing.local_server import serve_with_headers  # noqa: E402

CATEGORIES = ["accessibility", "best-practices", "seo"]
CHROME_FLAGS = " ".join(["--headless=new", *FLAGS])
AUDIT_FILE = ROOT / "content" / "_data" / "audit.json"
DOC = ROOT / "docs" / "accessibility.md"


def pages() -> list[tuple[str, str]]:
    corpus, problems = load(ROOT)
    if problems:
        sys.exit("kennisbank: los eerst de problemen op (make check).")
    advies = next(d for d in corpus.published() if d.kind == "advies")
    toolkit = next(d for d in corpus.published() if d.kind == "toolkit")
    return [
        ("Startpagina", ""),
        (f"Advies: {advies.title}", advies.url),
        (f"Toolkit: {toolkit.title}", toolkit.url),
        ("Zoekpagina", "zoeken/?q=gemeente"),
    ]


def lighthouse(url: str) -> dict[str, int]:
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
        subprocess.run(
            [
                str(binary),
                url,
                "--output=json",
                f"--output-path={out}",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            check=True,
            env=env,
            timeout=300,
        )
        report = json.loads(out.read_text(encoding="utf-8"))
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def version(package: str) -> str:
    data = json.loads((ROOT / "node_modules" / package / "package.json").read_text())
    return str(data["version"])


def write_doc(audit: dict[str, object]) -> None:
    rows = audit["lighthouse"]
    assert isinstance(rows, list)
    table = [
        f"Last run {audit['date']}: {audit['method']}.",
        "",
        "| Page | Accessibility | Best practices | SEO |",
        "|---|---|---|---|",
        *(
            f"| {r['page']} | {r['accessibility']} | {r['best-practices']} | {r['seo']} |"
            for r in rows
        ),
        "",
    ]
    text = DOC.read_text(encoding="utf-8")
    section = "## Accessibility audit\n\n" + "\n".join(table) + "\n"
    pattern = re.compile(r"## Accessibility audit\n.*?(?=\n## |\Z)", re.S)
    text = (
        pattern.sub(lambda _: section.rstrip("\n") + "\n", text)
        if pattern.search(text)
        else text.rstrip("\n") + "\n\n" + section
    )
    DOC.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", default=str(ROOT / "site"))
    args = parser.parse_args()
    site = Path(args.site)
    server, base = serve_with_headers(site)
    rows = []
    try:
        for title, path in pages():
            scores = lighthouse(base + path)
            print(f"{title}: {scores}")
            rows.append({"page": title, **scores})
    finally:
        server.shutdown()
    audit = {
        "date": dt.date.today().isoformat(),
        "method": (
            f"Lighthouse {version('lighthouse')} (toegankelijkheid, beste praktijken, SEO) op "
            f"vier kernpagina's, en axe-core {version('axe-core')} (WCAG 2.2 A en AA) op elk "
            "paginatype in lichte en donkere weergave, in Chromium"
        ),
        "lighthouse": rows,
    }
    AUDIT_FILE.write_text(json.dumps(audit, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_doc(audit)
    failing = [r for r in rows if min(r[c] for c in CATEGORIES) < 100]
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
