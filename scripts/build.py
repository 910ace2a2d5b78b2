"""`make build`: build the site atomically into site/ (logic: kennisbank/publishing/build.py).

Usage: python scripts/build.py [--debug] [REPO]. MkDocs renders into a temporary folder;
site/ is replaced only when the whole build has succeeded.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kennisbank.publishing.build import OUT, run

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bouw de site in één keer naar site/.")
    parser.add_argument("repo", nargs="?", type=Path, default=REPO, help="map met mkdocs.yml")
    parser.add_argument("--debug", action="store_true", help="toon technische details")
    args = parser.parse_args(argv)
    root = args.repo.resolve()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    engine = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    engine += ["-f", str(root / "mkdocs.yml"), "-d", OUT]
    return run(root / "site", engine, cwd=root, debug=args.debug)


if __name__ == "__main__":
    sys.exit(main())
