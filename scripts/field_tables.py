"""`make docs`: the metadata tables of the editor guide and the developer reference,
generated from the JSON Schemas (logic: kennisbank/content/field_tables.py).

Usage: python scripts/field_tables.py [--check] [REPO]. Rewrites the blocks between
``<!-- velden:NAME -->`` and ``<!-- /velden -->`` in content/redactiegids.md and
docs/metadata.md; with --check nothing is written and the exit code is 1 when a block is
out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kennisbank.content.field_tables import TARGETS, BlockError, update

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Zet de tabellen met metadata uit de schema's in de redactiegids en "
        f"de ontwikkelaarsdocumentatie ({', '.join(TARGETS)})."
    )
    parser.add_argument("repo", nargs="?", type=Path, default=REPO, help="map van de Kennisbank")
    parser.add_argument(
        "--check",
        action="store_true",
        help="niets schrijven; exitcode 1 als een tabel verouderd is",
    )
    args = parser.parse_args(argv)
    try:
        stale = update(args.repo.resolve(), check=args.check)
    except (BlockError, OSError) as err:
        print(f"Fout: {err}", file=sys.stderr)
        return 1
    for rel in stale:
        if args.check:
            print(
                f"{rel}: de tabellen met metadata wijken af van de schema's. "
                "Voer 'make docs' uit en neem de wijziging mee.",
                file=sys.stderr,
            )
        else:
            print(f"{rel}: tabellen bijgewerkt.")
    if args.check:
        return 1 if stale else 0
    if not stale:
        print("De tabellen met metadata zijn al bijgewerkt.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
