"""The ``kennisbank`` command for editors: ``check`` and ``new``. Output is Dutch."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from kennisbank.content import editor_schema, followup, scaffold, word
from kennisbank.content.loader import discover, load_vocabularies
from kennisbank.content.model import errors
from kennisbank.content.reader import relpath
from kennisbank.content.schema_check import SchemaChecker
from kennisbank.content.validate import check_file
from kennisbank.pipeline import InternalError, load, summary
from kennisbank.registry import KINDS

# argparse's own English error texts (Python 3.11-3.13), in Dutch.
ARGPARSE_ERRORS = [
    (re.compile(r"the following arguments are required: (.*)"), r"dit ontbreekt nog: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"onbekend in deze opdracht: \1"),
    (
        re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"),
        r"\1: \2 bestaat niet; kies uit \3",
    ),
    (re.compile(r"argument (\S+): expected one argument"), r"\1: geef er een waarde bij"),
    (re.compile(r"argument (\S+): ignored explicit argument (.*)"), r"\1: \2 hoort hier niet"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"\1 kan meer betekenen: \2"),
]


def dutch_error(message: str) -> str:
    for pattern, dutch in ARGPARSE_ERRORS:
        if pattern.fullmatch(message):
            return pattern.sub(dutch, message)
    return message


class DutchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "Gebruik: " if prefix is None else prefix)


class DutchParser(argparse.ArgumentParser):
    """argparse with Dutch help, usage and errors: arguments go into groups with Dutch
    titles (argparse's own titles stay empty and are left out), and the help option is
    our own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", DutchFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.arguments = self.add_argument_group("argumenten")
        self.options = self.add_argument_group("opties")
        self.options.add_argument("-h", "--help", action="help", help="toon deze uitleg en stop")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            2,
            f"kennisbank: fout in de opdracht: {dutch_error(message)}.\n"
            "Gebruik 'kennisbank --help' voor uitleg.\n",
        )


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder upwards with a mkdocs.yml."""
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return start


DEBUG_HELP = "toon technische details bij een interne fout"


def build_parser() -> DutchParser:
    parser = DutchParser(
        prog="kennisbank",
        description="Kennisbank: controleer en maak documenten, en noteer hun opvolging.",
    )
    parser.options.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        parser_class=DutchParser,
        title="opdrachten",
        metavar="OPDRACHT",
    )
    check = sub.add_parser("check", help="controleer documenten (standaard: alles)")
    check.arguments.add_argument(
        "paths", nargs="*", metavar="PAD", help="bestand(en) of map(pen) om te controleren"
    )
    check.options.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="uitvoer als tekst (standaard) of JSON",
    )
    check.options.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
    )
    new = sub.add_parser("new", help="maak een nieuw document vanuit een sjabloon")
    new.arguments.add_argument(
        "kind",
        choices=list(KINDS),
        metavar="SOORT",
        help=" of ".join(KINDS).replace(" of ", ", ", len(KINDS) - 2),
    )
    new.arguments.add_argument(
        "id", metavar="ID", help="id van het document, bv. schoolkosten-2026"
    )
    new.options.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
    )
    word_import = sub.add_parser(
        "import", help="maak een nieuw concept van een Word-bestand (.docx)"
    )
    word_import.arguments.add_argument(
        "docx", metavar="BESTAND.docx", help="het Word-bestand, bv. ~/Downloads/advies.docx"
    )
    word_import.options.add_argument(
        "--kind",
        required=True,
        choices=list(KINDS),
        metavar="SOORT",
        help="soort document: " + " of ".join(KINDS).replace(" of ", ", ", len(KINDS) - 2),
    )
    word_import.options.add_argument(
        "--id", help="id van het document (standaard: gemaakt van de titel)"
    )
    word_import.options.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
    )
    schema = sub.add_parser(
        "schema", help="de metadataregels als JSON Schema, voor teksteditors (VS Code)"
    )
    schema.options.add_argument(
        "--write",
        action="store_true",
        help="schrijf ze naar .vscode/ (zoals 'make docs') in plaats van ze te tonen",
    )
    schema.options.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
    )
    step = sub.add_parser(
        "opvolging", help="noteer wat een overheid deed met een aanbeveling (vandaag)"
    )
    step.arguments.add_argument(
        "reference", metavar="KENMERK/ID", help="de aanbeveling, bv. ADV-2024-01/R2"
    )
    step.options.add_argument(
        "--antwoord", required=True, choices=list(followup.RESPONSES), help="het antwoord"
    )
    step.options.add_argument(
        "--uitvoering",
        required=True,
        choices=list(followup.IMPLEMENTATIONS),
        help="hoe ver de uitvoering staat",
    )
    step.options.add_argument(
        "--bron", default="", help="webadres of id van een document (niet bij geen-antwoord)"
    )
    step.options.add_argument(
        "--adressaat", help="wie antwoordde (nodig als de aanbeveling er meer heeft)"
    )
    step.options.add_argument("--notitie", default="", help="korte toelichting")
    step.options.add_argument("--datum", help="JJJJ-MM-DD, als het niet vandaag gebeurde")
    step.options.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    root = find_root(Path.cwd())
    try:
        if args.command == "new":
            return cmd_new(root, args.kind, args.id)
        if args.command == "opvolging":
            return cmd_followup(root, args)
        if args.command == "schema":
            return cmd_schema(root, args.write)
        if args.command == "import":
            return cmd_import(root, Path(args.docx), args.kind, args.id)
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
    documents = len(discover(root))
    if wanted:
        problems = [p for p in problems if any(_under(p.path, w) for w in wanted)]
        # A file outside the document folders (a draft elsewhere) is checked on its own.
        known = {p.resolve() for p in discover(root)}
        documents = sum(any(_under(relpath(p, root), w) for w in wanted) for p in known)
        checker = SchemaChecker(corpus.vocabularies)
        for raw in paths:
            path = Path(raw)
            if path.is_file() and path.suffix == ".md" and path.resolve() not in known:
                problems += check_file(path, root, checker)
                documents += 1
    if fmt == "json":
        json.dump(
            {"problems": [p.as_dict() for p in problems], "documents": documents},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        for problem in problems:
            print(problem.format())
        print(summary(problems, documents))
    return 1 if errors(problems) else 0


def _under(path: str, folder: str) -> bool:
    return folder in (".", "") or path == folder or path.startswith(folder.rstrip("/") + "/")


def cmd_followup(root: Path, args: argparse.Namespace) -> int:
    day = None
    if args.datum:
        try:
            day = dt.date.fromisoformat(args.datum)
        except ValueError:
            print(
                f"kennisbank: '{args.datum}' is geen datum. Schrijf JJJJ-MM-DD, bv. 2026-03-14.",
                file=sys.stderr,
            )
            return 2
    try:
        path, entry, problems = followup.record(
            root,
            load,
            args.reference,
            args.antwoord,
            args.uitvoering,
            args.bron,
            args.adressaat,
            args.notitie,
            day,
        )
    except followup.RecordError as err:
        print(f"kennisbank: {err}", file=sys.stderr)
        return 2
    if problems:
        for problem in problems:
            print(problem.format(), file=sys.stderr)
        print(
            f"De stap is niet toegevoegd; {relpath(path, root)} is niet gewijzigd. Los de "
            "problemen hierboven op, of pas de opdracht aan.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Stap toegevoegd aan {relpath(path, root)}: {args.reference} "
        f"({entry.addressee}), {entry.response}, uitvoering {entry.implementation}, "
        f"{entry.date.isoformat()}."
    )
    return 0


def cmd_new(root: Path, kind: str, doc_id: str) -> int:
    try:
        target = scaffold.create(root, kind, doc_id)
    except scaffold.TemplateError as err:
        print(f"kennisbank: {err}", file=sys.stderr)
        return 2
    made = KINDS[kind]
    print(
        f"{made.article} {made.label.lower()} aangemaakt: {relpath(target, root)}. "
        "Vul de metadata aan en controleer met 'make check'."
    )
    return 0


def cmd_schema(root: Path, write: bool) -> int:
    """The editor schemas: printed (the metadata one), or written into .vscode/ (with
    remark's configuration that points at them)."""
    vocabularies, _ = load_vocabularies(root)  # its problems are for `check` to report
    texts = editor_schema.texts(vocabularies)
    if not write:
        sys.stdout.write(texts[editor_schema.FILES["metadata"]])
        return 0
    for path, text in texts.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"{path} geschreven")
    return 0


def cmd_import(root: Path, docx: Path, kind: str, doc_id: str | None) -> int:
    """Exit 0: the concept is written (its check follows); 1: the Word file or the id
    cannot be used, and nothing is written."""
    try:
        done = word.import_docx(root, docx, kind, doc_id)
    except word.WordError as err:
        print(f"kennisbank: {err} Er is niets aangemaakt.", file=sys.stderr)
        return 1
    made = KINDS[kind]
    print(
        f"{made.article} {made.label.lower()} aangemaakt uit {docx.name}: "
        f"{relpath(done.target, root)} (concept)."
    )
    if done.recommendations:
        print(f"- {done.recommendations} aanbevelingen overgenomen in 'recommendations'.")
    for image in done.images:
        print(f"- afbeelding bewaard: {relpath(image, root)}")
    if done.notes:
        print("Niet (helemaal) overgenomen uit Word:")
        for note in done.notes:
            print(f"- {note}")
    print(
        "Vul de metadata aan (thema's, doelgroepen, trefwoorden) en kijk de tekst na. "
        "Controle van het nieuwe bestand:"
    )
    cmd_check(root, [str(done.target)], "text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
