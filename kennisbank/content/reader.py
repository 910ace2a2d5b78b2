"""Step 1 of the pipeline: read a Markdown file into front matter, line marks and body.

Everything that can go wrong while reading comes back as a located Dutch ``Problem``;
this module never raises on bad input.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from kennisbank.content.model import Problem, SourceFile, field_name

MAX_FILE_BYTES = 1024 * 1024  # a document over 1 MiB is almost surely a paste accident
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_DEPTH = 10  # our deepest field (changelog[].changes[]) needs 3
MAX_NUMBER_CHARS = 100  # Python refuses to turn more than 4,300 digits into an int

FENCES = ("---",)
# A value (of a key or a list item) in Word's curly quotes: YAML keeps them as text, so they
# end up in titles, or a ': ' inside them breaks the line.
CURLY_VALUE = re.compile(
    r"^\s*(?P<dash>-\s+)?(?P<key>(?P<field>[A-Za-z_][\w-]*):\s+)?[“”„‘’‚«»]"
    r"(?P<text>.*?)(?P<close>[“”‘’«»])?\s*$"
)
CLOSERS = ("---", "...")

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StringDateLoader(_Loader):  # type: ignore[misc, valid-type]
    """Keeps dates as the text the editor typed; the validator checks them."""


def _construct_timestamp_as_str(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_StringDateLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_str)


class ReadError(Exception):
    def __init__(self, line: int, message: str, field: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.field = field


@functools.lru_cache(maxsize=16)
def _real(root: Path) -> Path:
    return root.resolve()


def relpath(path: Path, root: Path) -> str:
    # A symlink (even a broken one) is named where it lies, not where it points.
    where = path.parent.resolve() / path.name if path.is_symlink() else path.resolve()
    try:
        return where.relative_to(_real(root)).as_posix()
    except ValueError:
        return path.as_posix()


def read_document(path: Path, root: Path) -> tuple[SourceFile | None, list[Problem]]:
    """Read one document; return the source or the problems that stop it."""
    rel = relpath(path, root)
    try:
        return _read(path, rel, root), []
    except ReadError as err:
        return None, [Problem(rel, err.line, err.field, err.message, topic="metadata")]


def _read(path: Path, rel: str, root: Path) -> SourceFile:
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        raise ReadError(
            1,
            "het bestand is een snelkoppeling naar een plaats buiten de kennisbank. Zet het "
            "document zelf in deze map.",
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(
                1,
                f"het bestand is te groot ({-(-size // 1024)} KiB; de grens is "
                f"{MAX_FILE_BYTES // 1024} KiB). Zet grote bijlagen in een aparte download "
                "of splits de tekst op.",
            )
        raw = path.read_bytes()
    except IsADirectoryError as err:
        raise ReadError(
            1, "dit is een map, geen bestand. Geef de map een naam zonder '.md'."
        ) from err
    except FileNotFoundError as err:
        raise ReadError(
            1, "het bestand bestaat niet (meer); misschien een verbroken snelkoppeling."
        ) from err
    except PermissionError as err:
        raise ReadError(1, "je hebt geen toestemming om dit bestand te lezen.") from err
    except OSError as err:
        raise ReadError(1, f"het bestand kan niet gelezen worden ({err.strerror}).") from err
    text = decode(raw)
    return split(text, path, rel)


def decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ReadError(
            line,
            "het bestand is geen geldige UTF-8-tekst (byte "
            f"0x{raw[err.start]:02x}). Sla het op als 'UTF-8' in je editor.",
        ) from err
    # Word and Windows editors add a BOM and CRLF; both are harmless, so accept them.
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(text: str, path: Path, rel: str) -> SourceFile:
    lines = text.split("\n")
    if not text.strip():
        raise ReadError(
            1,
            "het bestand is leeg. Begin met metadata tussen twee regels '---' "
            "(zie de voorbeelden in de handleiding voor redacteurs).",
        )
    if lines[0].rstrip() not in FENCES:
        raise ReadError(
            1,
            "het bestand begint niet met metadata. Zet op de eerste regel '---', daarna de "
            "metadata (type, title, date, …) en sluit af met een regel '---'.",
        )
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in CLOSERS), None)
    if end is None:
        raise ReadError(
            1,
            "de metadata wordt nooit afgesloten. Voeg na de laatste metadataregel een regel "
            "'---' toe.",
        )
    front = "\n".join(lines[1:end])
    if len(front.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise ReadError(
            1,
            f"de metadata is te groot (meer dan {MAX_FRONT_MATTER_BYTES // 1024} KiB). "
            "Zet lange tekst in de hoofdtekst, niet in de metadata.",
        )
    meta, marks = parse_front_matter(front, first_line=2)
    body = "\n".join(lines[end + 1 :])
    return SourceFile(path=path, rel=rel, meta=meta, lines=marks, body=body, body_line=end + 2)


def parse_front_matter(
    text: str, first_line: int = 1
) -> tuple[dict[str, Any], dict[tuple[str | int, ...], int]]:
    """Parse YAML safely: no aliases, bounded depth, no duplicate keys, lines kept."""
    offset = first_line - 1
    for number, line in enumerate(text.split("\n"), start=first_line):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise ReadError(
                number,
                "er staat een tab in de inspringing. Vervang elke tab door twee spaties "
                "(twee spaties per niveau, zoals in de sjablonen).",
            )
        curly = CURLY_VALUE.match(line)
        if (
            curly
            and (curly.group("dash") or curly.group("key"))  # not a line inside a long text
            and (curly.group("close") or ": " in curly.group("text"))
        ):
            raise ReadError(
                number,
                "de waarde staat tussen gekrulde aanhalingstekens (“ ” of ‘ ’), zoals Word "
                "ze maakt. Gebruik rechte aanhalingstekens (\") of laat ze weg: "
                f"{curly.group('key') or ''}\"{curly.group('text')}\".",
                curly.group("field") or "",
            )
        # YAML ends a line at these; editors do not, so every line number after it would drift.
        odd = next((c for c in line if c in "\x85\u2028\u2029"), None)
        if odd:
            raise ReadError(
                number,
                f"er staat een onzichtbaar regeleinde-teken (U+{ord(odd):04X}) in de metadata. "
                "Verwijder het, of typ de regel opnieuw.",
            )
    try:
        _check_events(text, offset)
        loader = _StringDateLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise ReadError(
                    first_line,
                    "de metadata is leeg. Vul minstens type, title, date, summary en domains in.",
                )
            marks: dict[tuple[str | int, ...], int] = {}
            _walk(node, (), marks, offset)
            try:
                data = loader.construct_document(node)
            except (ValueError, TypeError, OverflowError) as err:  # e.g. a 5,000-digit number
                raise ReadError(
                    first_line,
                    "een waarde in de metadata kan niet gelezen worden. Zet ongewone waarden "
                    "tussen aanhalingstekens.",
                ) from err
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        # An unclosed quote or bracket is best found where it was opened.
        opened = "quoted" in str(err.context) or "flow" in str(err.context)
        mark = (err.context_mark if opened else None) or err.problem_mark or err.context_mark
        at = (mark.line + 1 + offset) if mark else first_line
        raise ReadError(at, yaml_message(err)) from err
    except yaml.reader.ReaderError as err:
        # A control character (NUL, BEL, ...) pasted in from another program.
        at = text[: err.position].count("\n") + first_line
        raise ReadError(
            at,
            f"er staat een onzichtbaar stuurteken (#x{err.character:04x}) in de metadata. "
            "Verwijder het, of typ de regel opnieuw.",
        ) from err
    except yaml.YAMLError as err:
        raise ReadError(first_line, f"de metadata is geen geldige YAML ({err}).") from err
    if not isinstance(data, dict):
        raise ReadError(
            first_line,
            "de metadata moet bestaan uit regels 'sleutel: waarde' (bijvoorbeeld "
            "'title: Mijn titel').",
        )
    return data, marks


def _check_events(text: str, offset: int) -> None:
    """Refuse aliases and deep nesting on the event stream, before anything is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = (event.start_mark.line if event.start_mark else 0) + 1 + offset
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ReadError(
                line,
                "YAML-verwijzingen (& en *) zijn niet toegestaan in de metadata. Schrijf de "
                "waarde voluit.",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ReadError(
                    line,
                    f"de metadata is te diep genest (meer dan {MAX_DEPTH} niveaus). Controleer "
                    "de inspringing en de haakjes.",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _walk(
    node: yaml.Node,
    path: tuple[str | int, ...],
    marks: dict[tuple[str | int, ...], int],
    offset: int,
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            field = field_name(path)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise ReadError(
                    line,
                    "elke sleutel moet een woord zijn, zoals 'title'. Controleer deze regel.",
                    field,
                )
            key = str(key_node.value)
            if key in seen:
                raise ReadError(
                    line,
                    f"de sleutel '{key}' staat twee keer in de metadata (ook op regel "
                    f"{seen[key]}). Houd er één over.",
                    field_name((*path, key)),
                )
            seen[key] = line
            marks[(*path, key)] = line
            _walk(value_node, (*path, key), marks, offset)
    elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int":
        if len(node.value) > MAX_NUMBER_CHARS:  # Python refuses to convert huge numbers
            raise ReadError(
                node.start_mark.line + 1 + offset,
                "dit getal is te lang. Zet het tussen aanhalingstekens als het tekst is.",
                field_name(path),
            )
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            marks[(*path, index)] = item.start_mark.line + 1 + offset
            _walk(item, (*path, index), marks, offset)


def yaml_message(err: yaml.MarkedYAMLError) -> str:
    """Translate PyYAML's English problem into a Dutch hint an editor can act on."""
    problem = f"{err.context or ''} {err.problem or ''}"
    if "'\\t'" in problem or "\t" in problem:
        hint = (
            "er staat een tab in de metadata. Vervang elke tab door twee spaties (twee spaties "
            "per niveau, zoals in de sjablonen)."
        )
    elif "end of stream" in problem and "quoted" in problem:
        hint = "een aanhalingsteken wordt niet afgesloten. Sluit de tekst af met hetzelfde teken."
    elif "mapping values are not allowed" in problem:
        hint = (
            "een dubbele punt op een onverwachte plaats. Zet tekst met ': ' tussen "
            "aanhalingstekens, of controleer de inspringing."
        )
    elif "flow" in problem or "expected ',' or" in problem:
        hint = "een haakje [ of { wordt niet afgesloten. Sluit het af met ] of }."
    elif any(w in problem for w in ("expected <block end>", "block mapping", "expected key")):
        hint = "de inspringing klopt niet. Lijn sleutels van hetzelfde niveau precies onder elkaar."
    elif "could not find expected ':'" in problem:
        hint = "er ontbreekt een dubbele punt na een sleutel, of de inspringing klopt niet."
    elif "could not determine a constructor" in problem:
        hint = "onbekend YAML-label (iets met '!'). Verwijder het label en schrijf gewone tekst."
    else:
        hint = (
            "de metadata is geen geldige YAML. Controleer inspringing, dubbele punten en "
            "aanhalingstekens."
        )
    return f"{hint} (YAML: {(err.problem or err.context or '').strip()})"
