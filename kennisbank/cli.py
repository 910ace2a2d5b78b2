"""The ``kennisbank`` command for editors: ``check`` and ``new``. Output is Dutch."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import templates
from .loader import discover
from .model import KINDS
from .pipeline import InternalError, load, summary
from .reader import relpath
from .schema_check import SchemaChecker
from .validate import check_file


class DutchParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            2,
            f"kennisbank: fout in de opdracht: {message}\n"
            "Gebruik 'kennisbank --help' voor uitleg.\n",
        )


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder upwards with a mkdocs.yml."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return start


def build_parser() -> DutchParser:
    parser = DutchParser(
        prog="kennisbank", description="Kennisbank: controleer en maak documenten."
    )
    parser.add_argument(
        "--debug", action="store_true", help="toon technische details bij een interne fout"
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=DutchParser)
    check = sub.add_parser("check", help="controleer documenten (standaard: alles)")
    check.add_argument(
        "paths", nargs="*", metavar="PAD", help="bestand(en) of map(pen) om te tonen"
    )
    check.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="uitvoer als tekst (standaard) of JSON",
    )
    check.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
    new = sub.add_parser("new", help="maak een nieuw document vanuit een sjabloon")
    new.add_argument(
        "kind", choices=list(KINDS), metavar="SOORT", help="advies, standpunt, toolkit of praktijk"
    )
    new.add_argument("id", metavar="ID", help="id van het document, bv. schoolkosten-2026")
    new.add_argument("--debug", action="store_true", default=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    root = find_root(Path.cwd())
    try:
        if args.command == "new":
            return cmd_new(root, args.kind, args.id)
        return cmd_check(root, args.paths, args.format)
    except InternalError as err:
        if args.debug:
            traceback.print_exception(err.__cause__ or err)
        print(
            f"{err.path}:1: interne fout van Kennisbank bij het verwerken van dit bestand. "
            "Dit is geen fout in je tekst. Meld het aan het webteam, met dit bestand erbij "
            "(technische details: kennisbank --debug check).",
            file=sys.stderr,
        )
        return 3
    except Exception as err:  # a bug outside any file still gets a short Dutch message
        if args.debug:
            traceback.print_exception(err)
        print(
            "kennisbank: interne fout. Dit is geen fout in je tekst. Meld het aan het webteam "
            "(technische details: kennisbank --debug …).",
            file=sys.stderr,
        )
        return 3


def cmd_check(root: Path, paths: list[str], fmt: str) -> int:
    wanted: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            print(
                f"kennisbank: '{raw}' bestaat niet. Geef een bestaand bestand of map.",
                file=sys.stderr,
            )
            return 2
        wanted.append(relpath(path, root))
    corpus, problems = load(root)
    if wanted:
        problems = [p for p in problems if any(_under(p.path, w) for w in wanted)]
        # A file outside the document folders (a draft elsewhere) is checked on its own.
        known = {p.resolve() for p in discover(root)}
        checker = SchemaChecker(corpus.vocabularies)
        for raw in paths:
            path = Path(raw)
            if path.is_file() and path.suffix == ".md" and path.resolve() not in known:
                problems += check_file(path, root, checker)
    if fmt == "json":
        json.dump(
            {"problems": [p.as_dict() for p in problems], "documents": len(corpus.documents)},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        for problem in problems:
            print(problem.format())
        print(summary(problems, len(corpus.documents)), file=sys.stderr)
    return 1 if problems else 0


def _under(path: str, folder: str) -> bool:
    return folder in (".", "") or path == folder or path.startswith(folder.rstrip("/") + "/")


def cmd_new(root: Path, kind: str, doc_id: str) -> int:
    try:
        target = templates.create(root, kind, doc_id)
    except templates.TemplateError as err:
        print(f"kennisbank: {err}", file=sys.stderr)
        return 2
    article = "Nieuw" if kind in ("advies", "standpunt") else "Nieuwe"  # het/de-woord
    print(
        f"{article} {KINDS[kind][1].lower()} aangemaakt: {relpath(target, root)}. Vul de metadata "
        "aan en controleer met 'make check'."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
