"""JSON Schema validation of one front matter, with every error translated into Dutch.

The schemas (``schema/*.schema.json``) are data; this module only loads them, adds the
``x-vocabulary`` keyword (values come from the editable vocabularies file) and turns
jsonschema's errors into located ``Problem``s.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from referencing import Registry, Resource

from kennisbank.content.loader import VOCABULARY_FILE
from kennisbank.content.model import Problem, SourceFile, field_name
from kennisbank.content.reader import MAX_FILE_BYTES, ReadError, decode, parse_front_matter
from kennisbank.registry import KINDS, LANGUAGES

SCHEMA_BASE = "https://kennisbank.invalid/schema/"

TYPE_WORDS = {
    "string": "tekst",
    "array": "een lijst",
    "object": "een groep sleutels met waarden",
    "boolean": "true of false",
    "integer": "een geheel getal",
    "number": "een getal",
}

# Which error to keep when one field has several: the most basic one first.
PRIORITY = [
    "type",
    "required",
    "const",
    "enum",
    "x-kind",
    "x-vocabulary",
    "x-languages",
    "pattern",
    "format",
]


# The schema of the follow-up files (<id>.opvolging.yml), beside the kinds' schemas.
FOLLOWUP_SCHEMA = "opvolging"
# The schema of the browser CMS's setting (content/_data/cms.yml).
CMS_SCHEMA = "cms"
# The schema of a translation of a document (<id>.fr.md).
TRANSLATION_SCHEMA = "vertaling"


def schema_names() -> list[str]:
    return ["common", *KINDS, FOLLOWUP_SCHEMA, CMS_SCHEMA, TRANSLATION_SCHEMA]


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("kennisbank").joinpath(f"schema/{name}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def registry() -> Registry:
    resources_ = [(SCHEMA_BASE + f"{n}.schema.json", load_schema(n)) for n in schema_names()]
    return Registry().with_resources(
        (uri, Resource.from_contents(contents)) for uri, contents in resources_
    )


def _deref(node: Any, document: str) -> Any:
    """Inline every ``$ref`` (our schemas are not recursive), merging sibling keywords."""
    if isinstance(node, list):
        return [_deref(item, document) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _deref(value, document) for key, value in node.items() if key != "$ref"}
    ref = node.get("$ref")
    if ref:
        target_doc, _, pointer = ref.partition("#")
        name = target_doc.removesuffix(".schema.json") if target_doc else document
        target: Any = load_schema(name)
        for part in pointer.strip("/").split("/"):
            target = target[part] if part else target
        out = {**_deref(target, name), **out}
    return out


@cache
def flattened(kind: str) -> dict[str, Any]:
    """The kind's schema as one plain object schema: ``allOf`` parts merged, ``$ref``s
    inlined and ``unevaluatedProperties`` turned into ``additionalProperties``. Same rules
    as the schema files, validated about twice as fast (no reference lookups)."""
    schema = _deref(load_schema(kind), kind)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in [*schema.get("allOf", []), schema]:
        properties.update(part.get("properties", {}))
        required += [k for k in part.get("required", []) if k not in required]
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def known_keys(kind: str) -> list[str]:
    """All top-level keys a document of this kind may have (own and shared)."""
    return sorted(flattened(kind)["properties"])


class SchemaChecker:
    """Validates front matter against the kind schemas with the given vocabularies."""

    def __init__(self, vocabularies: dict[str, dict[str, str]]) -> None:
        self.vocabularies = vocabularies

        def vocabulary_keyword(
            validator: Any, name: str, instance: Any, schema: Mapping[str, Any]
        ) -> Iterator[ValidationError]:
            if isinstance(instance, str) and instance not in vocabularies.get(name, {}):
                yield ValidationError(f"{instance!r} is not in {name}")
            elif not isinstance(instance, str):
                yield ValidationError("not a string", validator="type", validator_value="string")

        def kind_keyword(
            validator: Any, wanted: bool, instance: Any, schema: Mapping[str, Any]
        ) -> Iterator[ValidationError]:
            if wanted and (not isinstance(instance, str) or instance not in KINDS):
                yield ValidationError(f"{instance!r} is not a kind")

        def languages_keyword(
            validator: Any, wanted: bool, instance: Any, schema: Mapping[str, Any]
        ) -> Iterator[ValidationError]:
            if wanted and isinstance(instance, dict):
                for key in instance:
                    if key not in LANGUAGES:
                        yield ValidationError(f"{key!r} is not a language", path=[key])

        cls = validators.extend(
            Draft202012Validator,
            {
                "x-vocabulary": vocabulary_keyword,
                "x-kind": kind_keyword,
                "x-languages": languages_keyword,
            },
        )
        checker = FormatChecker(["date"])
        self._validators: dict[str | None, Any] = {
            kind: cls(flattened(kind), format_checker=checker) for kind in KINDS
        }
        any_kind = {
            "$id": SCHEMA_BASE + "any.schema.json",
            "$ref": "common.schema.json#/$defs/base",
        }
        self._validators[None] = cls(any_kind, registry=registry(), format_checker=checker)
        for name in (FOLLOWUP_SCHEMA, CMS_SCHEMA, TRANSLATION_SCHEMA):
            self._validators[name] = cls(
                load_schema(name), registry=registry(), format_checker=checker
            )

    def check(self, source: SourceFile, kind: str | None) -> list[Problem]:
        """All schema problems of one front matter (or, with ``kind`` FOLLOWUP_SCHEMA or
        CMS_SCHEMA, of one follow-up file or the CMS setting), at most one per field."""
        chosen: dict[tuple[str | int, ...], ValidationError] = {}
        for error in self._validators[kind].iter_errors(source.meta):
            path = tuple(error.absolute_path)
            # One "required" error per missing key, all carrying the same list: key them apart.
            paths = (
                [(*path, k) for k in _missing_keys(error)]
                if (error.validator == "required")
                else [path]
            )
            for where in paths:
                current = chosen.get(where)
                if current is None or _rank(error) < _rank(current):
                    chosen[where] = error
        problems = []
        for path, error in chosen.items():
            problems.extend(_translate(source, path, error, kind, self.vocabularies))
        return sorted(problems, key=lambda p: (p.line, p.field))

    def check_data_file(
        self, path: Path, rel: str, schema: str, topic: str, empty: str
    ) -> tuple[SourceFile | None, list[Problem]]:
        """A YAML data file (a follow-up file, the CMS setting) read and checked against
        ``schema``: the file as a SourceFile (its data in ``meta``) and its problems, each
        with ``topic``; ``empty``: what to say when it holds no data."""
        problem: Problem | None = None
        try:
            raw = path.read_bytes()
            if len(raw) > MAX_FILE_BYTES:
                raise ReadError(1, "het bestand is groter dan 1 MB. Is er iets in geplakt?")
            text = decode(raw)
            if not any(
                line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()
            ):
                raise ReadError(1, empty)
            data, marks = parse_front_matter(text)
        except ReadError as err:
            problem = Problem(rel, err.line, err.field, err.message, topic=topic)
        except OSError:
            what = "is een map, geen bestand" if path.is_dir() else "kan niet gelezen worden"
            problem = Problem(rel, 1, "", f"het bestand {what}.", topic=topic)
        if problem is not None:
            return None, [problem]
        source = SourceFile(path, rel, data, marks, "", 0)
        return source, [
            Problem(p.path, p.line, p.field, p.message, topic=topic)
            for p in self.check(source, schema)
        ]


def _rank(error: ValidationError) -> int:
    return PRIORITY.index(str(error.validator)) if error.validator in PRIORITY else 99


def _missing_keys(error: ValidationError) -> list[str]:
    present = error.instance if isinstance(error.instance, dict) else {}
    return [str(key) for key in error.validator_value if key not in present]


def line_of(source: SourceFile, path: tuple[str | int, ...]) -> int:
    """The line of a field, or of its nearest parent that has one, or the first line."""
    while path:
        if path in source.lines:
            return source.lines[path]
        path = path[:-1]
    return 1


def suggest(value: str, choices: list[str]) -> str:
    matches = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f" Bedoelde je '{matches[0]}'?" if matches else ""


def _translate(
    source: SourceFile,
    path: tuple[str | int, ...],
    error: ValidationError,
    kind: str | None,
    vocabularies: dict[str, dict[str, str]],
) -> list[Problem]:
    keyword = str(error.validator)
    value = error.validator_value
    instance = error.instance
    field = field_name(path)

    def problem(message: str, at: tuple[str | int, ...] = path, name: str = field) -> Problem:
        return Problem(source.rel, line_of(source, at), name, message)

    if keyword == "required":
        hint = _description(kind, path[-1]) if len(path) == 1 else ""
        return [
            problem(
                f"ontbreekt. Voeg een regel '{path[-1]}: …' toe." + (f" ({hint})" if hint else ""),
                at=path[:-1],
            )
        ]
    if keyword in ("unevaluatedProperties", "additionalProperties"):
        if keyword == "unevaluatedProperties":
            allowed = known_keys(kind) if kind else []
        else:
            allowed = sorted(error.schema.get("properties", {}))
        unknown = [k for k in instance if k not in allowed]
        return [
            problem(
                f"onbekende sleutel.{suggest(key, allowed)} Toegestaan zijn: {', '.join(allowed)}.",
                at=(*path, key),
                name=field_name((*path, key)),
            )
            for key in unknown
        ]
    if keyword == "type":
        wanted = value if isinstance(value, str) else value[0]
        message = f"moet {TYPE_WORDS.get(wanted, wanted)} zijn, niet {_show(instance)}."
        if wanted == "array":
            message += (
                f" Schrijf een lijst, bijvoorbeeld '{path[-1] if path else 'veld'}: "
                f"[{instance if isinstance(instance, str) else 'waarde'}]'."
            )
        elif wanted == "string" and isinstance(instance, bool | int | float):
            message += " Zet de waarde tussen aanhalingstekens als ze als tekst bedoeld is."
        return [problem(message)]
    if keyword == "x-vocabulary":
        choices = sorted(vocabularies.get(value, {}))
        return [
            problem(
                f"'{instance}' bestaat niet in de woordenlijst '{value}'."
                f"{suggest(str(instance), choices)} Kies uit: {', '.join(choices)}. "
                f"Een nieuwe waarde voeg je toe in {VOCABULARY_FILE}."
            )
        ]
    if keyword == "x-languages":
        code = str(path[-1])
        known = ", ".join(f"{c} ({lang.name})" for c, lang in LANGUAGES.items())
        what = (
            "de brontaal: de gewone samenvatting is al Nederlands"
            if code == "nl"
            else "geen ondersteunde taal"
            if re.fullmatch(r"[a-z]{2}", code)
            else "geen ISO 639-1-code (twee kleine letters, zoals ar of tr)"
        )
        return [
            problem(
                f"'{code}' is {what}.{suggest(code, list(LANGUAGES))} Ondersteunde talen: "
                f"{known}."
            )
        ]
    if keyword in ("enum", "const", "x-kind"):
        choices = [str(v) for v in (value if keyword == "enum" else [value])]
        if keyword == "x-kind":
            choices = list(KINDS)
        return [
            problem(
                f"{_show(instance)} is geen geldige waarde.{suggest(str(instance), choices)} "
                f"Kies uit: {', '.join(choices)}."
            )
        ]
    if keyword == "format":
        return [problem(f"'{instance}' is geen bestaande datum. Controleer dag en maand.")]
    if keyword == "pattern":
        if value == "\\S":
            return [problem("mag niet leeg zijn.")]
        if value == load_schema("common")["$defs"]["date"]["pattern"]:
            hint = "Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2025-03-14."
        else:
            hint = _pattern_hint(path) or str(error.schema.get("description", ""))
        return [problem(f"'{instance}' heeft niet de juiste vorm. {hint}".rstrip())]
    if keyword == "maxLength":
        return [
            problem(f"is te lang ({len(instance)} tekens; hoogstens {value}). Kort de tekst in.")
        ]
    if keyword in ("minLength", "minItems"):
        return [
            problem(
                "mag niet leeg zijn." if value <= 1 else f"heeft minstens {value} waarden nodig."
            )
        ]
    if keyword == "uniqueItems":
        return [problem("bevat dezelfde waarde meer dan eens. Haal de dubbele waarde weg.")]
    return [problem(f"ongeldige waarde {_show(instance)} ({error.message}).")]


def _pattern_hint(path: tuple[str | int, ...]) -> str:
    last = next((p for p in reversed(path) if isinstance(p, str)), "")
    hints = {
        "related": "Gebruik het id van een document: de bestandsnaam zonder .md.",
        "version": "Gebruik een versienummer als 1.2.0.",
        "reference": "Gebruik een kenmerk als ADV-2025-03.",
        "id": "Gebruik letters, cijfers, punten of koppeltekens, zoals R1.",
    }
    return hints.get(last, "")


def _description(kind: str | None, key: str | int) -> str:
    for name in [kind] if kind else []:
        props = load_schema(name).get("properties", {})
        if key in props and "description" in props[key]:
            return str(props[key]["description"])
    common = load_schema("common")["$defs"]
    for part in ("base", "policy"):
        props = common[part].get("properties", {})
        if key in props and "description" in props[key]:
            return str(props[key]["description"])
    return ""


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een groep sleutels"
    if value is None:
        return "leeg"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
