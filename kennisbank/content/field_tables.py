"""The metadata reference tables, generated from the JSON Schemas (``make docs``).

The schemas are the one source of what a document's metadata may hold. This module turns
them into Markdown: one table per kind for the editor guide (Dutch) and one table of all
fields for the developer reference. The tables sit in those files between the markers
``<!-- velden:NAME -->`` and ``<!-- /velden -->`` (NAME: a kind, or ``alle`` for the table
of all fields); the text around them stays hand-written. ``scripts/field_tables.py``
rewrites the blocks; ``--check`` (and ``tests/test_field_tables.py``) fails when one is
out of date.

What a table says about a field comes from its schema: ``required``, ``description``,
``examples``, ``enum``/``default``/``const``, ``x-vocabulary`` and the type keywords.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from kennisbank.content.attachments import CONTENT_NAMES
from kennisbank.content.schema_check import (
    CMS_SCHEMA,
    FOLLOWUP_SCHEMA,
    SCHEMA_BASE,
    TRANSLATION_SCHEMA,
    _deref,
    flattened,
    load_schema,
    registry,
)
from kennisbank.registry import ATTACHMENT_TYPES, FONTS, KINDS, LANGUAGES, MAX_ATTACHMENT_BYTES

ALL = "alle"  # the block with the table of all fields

# The files with blocks (from the repository root) and the blocks each must have.
TARGETS: dict[str, tuple[str, ...]] = {
    "content/redactiegids.md": (*KINDS, "bijlagen", "opvolging", "talen", "vertaling"),
    "docs/metadata.md": (ALL, "attachments", "followup", "translation"),
    "docs/editing.md": ("cms",),
}

BLOCK = re.compile(
    r"(?P<open><!-- velden:(?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(?P<close><!-- /velden -->)",
    re.S,
)
OPENING = re.compile(r"<!-- velden:(?P<name>[a-z0-9-]+) -->")

# Annotations a kind's own property keeps from the shared one it overrides (``type``).
ANNOTATIONS = ("description", "examples", "default")

# Structured fields are written out in full in the guide, not in a table cell: the title
# and anchor of that place. Under its own kind's table the cell says "zie hieronder".
GUIDE_WRITTEN_OUT: dict[str, tuple[str, str]] = {
    "recommendations": ("Advies", "advies"),
    "files": ("Bijlagen bij een toolkit", "bijlagen-bij-een-toolkit"),
    "changelog": ("Bijlagen bij een toolkit", "bijlagen-bij-een-toolkit"),
    "period": ("Praktijk", "praktijk"),
}

YAML_SPECIAL = set(",[]{}#:\"'")  # anywhere in a plain value inside brackets
YAML_START = set("!&*|>%@`-?")  # at its start


class BlockError(ValueError):
    """A file's markers are wrong (the message is Dutch and names the file)."""


# --- The schemas -------------------------------------------------------------------------


def effective_schema(kind: str) -> dict[str, Any]:
    """The kind's flattened schema (see ``schema_check.flattened``) with each property's
    annotations kept: where a kind overrides a shared property (``type``), the shared
    description and examples stay. A copy: the caller may change it."""
    schema = copy.deepcopy(flattened(kind))
    own = load_schema(kind)
    resolver = registry().resolver(base_uri=SCHEMA_BASE + f"{kind}.schema.json")
    parts = [resolver.lookup(part["$ref"]).contents for part in own.get("allOf", [])]
    for key, prop in schema["properties"].items():
        for part in [*parts, own]:
            for name in ANNOTATIONS:
                value = part.get("properties", {}).get(key, {}).get(name)
                if value is not None and name not in prop:
                    prop[name] = copy.deepcopy(value)
    return schema


def schemas() -> dict[str, dict[str, Any]]:
    """Every kind's effective schema, in the registry's order."""
    return {kind: effective_schema(kind) for kind in KINDS}


def ordered_keys(schema: Mapping[str, Any], shared: Iterable[str]) -> list[str]:
    """Required keys first (in the schema's order), then the kind's own optional keys,
    then the optional keys every kind has."""
    required = list(schema["required"])
    optional = [key for key in schema["properties"] if key not in required]
    common = set(shared)
    return (
        required
        + [key for key in optional if key not in common]
        + [key for key in optional if key in common]
    )


def shared_keys(all_schemas: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """The keys every kind has."""
    keys = [set(schema["properties"]) for schema in all_schemas.values()]
    return set.intersection(*keys) if keys else set()


def vocabulary(prop: Mapping[str, Any]) -> str | None:
    """The vocabulary a field's values come from (its own or its items'), if any."""
    name = prop.get("x-vocabulary") or prop.get("items", {}).get("x-vocabulary")
    return str(name) if name else None


# --- Markdown ----------------------------------------------------------------------------


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.replace("|", "\\|").split())


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def code(value: object) -> str:
    return f"`{value}`"


def dutch_list(items: Sequence[str]) -> str:
    """``a, b of c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} of {items[-1]}"


def yaml_flow(value: Any) -> str:
    """A value as an editor writes it in the front matter, on one line: lists in brackets,
    text with spaces or special characters in double quotes (JSON's quoting is YAML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(yaml_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {yaml_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return value if _plain(value) else json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def _plain(text: str) -> bool:
    """Whether text can be written without quotes (dates stay as typed: see reader.py)."""
    if not text or text[0] in YAML_START or any(c.isspace() or c in YAML_SPECIAL for c in text):
        return False
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    return loaded == text or (str(loaded) == text and not isinstance(loaded, bool | int | float))


# --- The editor guide (Dutch) ------------------------------------------------------------


def guide_explanation(prop: Mapping[str, Any]) -> str:
    """The description, with where the values come from: a vocabulary or a fixed list."""
    text = str(prop.get("description", "")).strip()
    name = vocabulary(prop)
    if name:
        text = f"{text.rstrip('.')}, uit de woordenlijst {code(name)}."
    if "enum" in prop:
        values = [
            code(v) + (" (standaard)" if "default" in prop and v == prop["default"] else "")
            for v in prop["enum"]
        ]
        text += f" Kies uit {dutch_list(values)}."
    return text.strip()


def guide_example(kind: str, key: str, prop: Mapping[str, Any]) -> str:
    if "const" in prop:
        return code(yaml_flow(prop["const"]))
    if key in GUIDE_WRITTEN_OUT:
        title, anchor = GUIDE_WRITTEN_OUT[key]
        return "zie hieronder" if title == KINDS[kind].label else f"zie [{title}](#{anchor})"
    examples = prop.get("examples") or []
    return code(yaml_flow(examples[0])) if examples else ""


def guide_table(kind: str, all_schemas: Mapping[str, Mapping[str, Any]]) -> str:
    """The guide's table of one kind: Sleutel, Verplicht?, Uitleg, Voorbeeld."""
    schema = all_schemas[kind]
    props = schema["properties"]
    rows = [
        (
            code(key),
            "ja" if key in schema["required"] else "nee",
            guide_explanation(props[key]),
            guide_example(kind, key, props[key]),
        )
        for key in ordered_keys(schema, shared_keys(all_schemas))
    ]
    return table(["Sleutel", "Verplicht?", "Uitleg", "Voorbeeld"], rows)


# --- The developer reference (English) ---------------------------------------------------


def value_summary(kind: str, prop: Mapping[str, Any], kinds: Sequence[str]) -> str:
    """What a value may be, in a few English words."""
    if "const" in prop:
        if prop["const"] == kind:
            return "the kind: " + ", ".join(code(k) for k in kinds)
        return code(yaml_flow(prop["const"]))
    if "enum" in prop:
        return ", ".join(
            code(v) + (" (default)" if "default" in prop and v == prop["default"] else "")
            for v in prop["enum"]
        )
    name = vocabulary(prop)
    kind_of = prop.get("type")
    if kind_of == "array":
        items = prop.get("items", {})
        what = f"vocabulary {code(name)}" if name else _items(items)
        out = f"list from {what}" if name else f"list of {what}"
        extra = [f"≥ {prop['minItems']}"] if prop.get("minItems") else []
        extra += ["unique"] if prop.get("uniqueItems") else []
        return out + (f" ({', '.join(extra)})" if extra else "")
    if name:
        return f"one value from vocabulary {code(name)}"
    if prop.get("x-languages"):
        return "language code (ISO 639-1, `languages` in the registry) → text"
    if kind_of == "object":
        return _object(prop)
    if kind_of == "boolean":
        return "boolean"
    if kind_of == "string":
        return _text(prop)
    return str(kind_of or "any value")


def _items(items: Mapping[str, Any]) -> str:
    if items.get("type") == "object":
        return _object(items)
    if items.get("type") == "string":
        return _text(items)
    return str(items.get("type", "values"))


def _object(prop: Mapping[str, Any]) -> str:
    required = prop.get("required", [])
    keys = [k if k in required else f"{k}?" for k in prop.get("properties", {})]
    return code("{" + ", ".join(keys) + "}")


def _text(prop: Mapping[str, Any]) -> str:
    if prop.get("format") == "date":
        return "date (`YYYY-MM-DD`)"
    out = "text"
    pattern = prop.get("pattern")
    if pattern and pattern != r"\S":
        out += f" matching {code(pattern)}"
    if "maxLength" in prop:
        out += f", ≤ {prop['maxLength']} characters"
    return out


def _per_kind(values: Mapping[str, str]) -> str:
    """One text when all kinds that have the field agree, else ``*kind, kind:* text …``."""
    distinct = list(dict.fromkeys(values.values()))
    if len(distinct) == 1:
        return distinct[0]
    return " ".join(
        "*" + ", ".join(k for k, v in values.items() if v == text) + ":* " + text
        for text in distinct
    )


def reference_table(all_schemas: Mapping[str, Mapping[str, Any]]) -> str:
    """All fields: Field, Kinds, Required for, Value, Description."""
    kinds = list(all_schemas)
    keys = list(dict.fromkeys(k for schema in all_schemas.values() for k in schema["properties"]))
    rows = []
    for key in keys:
        having = [k for k in kinds if key in all_schemas[k]["properties"]]
        required = [k for k in having if key in all_schemas[k]["required"]]
        props = {k: all_schemas[k]["properties"][key] for k in having}
        everywhere = len(having) == len(kinds)
        rows.append(
            (
                code(key),
                "all" if everywhere else ", ".join(having),
                "all" if len(required) == len(kinds) else (", ".join(required) or "–"),
                _per_kind({k: value_summary(k, p, kinds) for k, p in props.items()}),
                _per_kind({k: str(p.get("description", "")) for k, p in props.items()}),
            )
        )
    return table(["Field", "Kinds", "Required for", "Value", "Description"], rows)


# --- The blocks --------------------------------------------------------------------------


def attachment_tables() -> dict[str, str]:
    """The attachment types of the registry: for the guide (Dutch) and the reference."""
    types = list(ATTACHMENT_TYPES.values())
    limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
    guide = table(
        ["Extensie", "Getoond als", "Het bestand moet zijn"],
        [[code(f".{t.extension}"), t.format, CONTENT_NAMES[t.content]] for t in types],
    )
    reference = table(
        ["Extension", "Shown as", "Content checked"],
        [[code(f".{t.extension}"), t.format, t.content] for t in types],
    )
    return {
        "bijlagen": f"{guide}\n\nEen bijlage mag hoogstens {limit} MB groot zijn.",
        "attachments": f"{reference}\n\nAt most {limit} MB per file.",
    }


def followup_tables() -> dict[str, str]:
    """The fields of an entry of a follow-up file (``opvolging.schema.json``): for the
    guide (Dutch) and the reference."""
    entry = _deref(load_schema(FOLLOWUP_SCHEMA), FOLLOWUP_SCHEMA)["$defs"]["entry"]
    props = entry["properties"]
    # Required unless the condition (``if``) holds: the schema's if/else.
    unless = {
        key: next(iter(entry["if"]["properties"].items()))
        for key in entry.get("else", {}).get("required", [])
    }

    def required(key: str, yes: str, no: str, but: str) -> str:
        if key in unless:
            field, condition = unless[key]
            return f"{yes}, {but} {code(field + ': ' + condition['const'])}"
        return yes if key in entry["required"] else no

    guide = table(
        ["Sleutel", "Verplicht?", "Uitleg", "Voorbeeld"],
        [
            (
                code(key),
                required(key, "ja", "nee", "behalve als"),
                guide_explanation(prop),
                code(yaml_flow(prop["examples"][0])) if prop.get("examples") else "",
            )
            for key, prop in props.items()
        ],
    )
    reference = table(
        ["Field", "Required", "Value", "Description"],
        [
            (
                code(key),
                required(key, "yes", "no", "unless"),
                value_summary("", prop, []),
                str(prop.get("description", "")),
            )
            for key, prop in props.items()
        ],
    )
    return {"opvolging": guide, "followup": reference}


def _conditions(schema: Mapping[str, Any]) -> dict[str, str]:
    """Key -> the condition under which the schema's ``if``/``then`` (also inside
    ``allOf``) requires it, as ``name: value``."""
    out = {}
    for rule in [schema, *schema.get("allOf", [])]:
        if "if" not in rule:
            continue
        ((field, condition),) = rule["if"]["properties"].items()
        for key in rule["then"]["required"]:
            out[key] = f"{field}: {yaml_flow(condition['const'])}"
    return out


def cms_table() -> dict[str, str]:
    """The keys of the CMS setting (``content/_data/cms.yml``, ``cms.schema.json``) and of
    a translation (``vertaling.schema.json``), nested keys under their parent, for the
    developer docs."""
    return {
        "cms": key_table(load_schema(CMS_SCHEMA)),
        "translation": key_table(_deref(load_schema(TRANSLATION_SCHEMA), TRANSLATION_SCHEMA)),
    }


def key_table(schema: Mapping[str, Any]) -> str:
    rows = []

    def add(schema: Mapping[str, Any], prefix: str) -> None:
        when = _conditions(schema)
        for key, prop in schema["properties"].items():
            required = "yes" if key in schema.get("required", []) else "no"
            if key in when:
                required = f"when {code(when[key])}"
            value = value_summary("", prop, [])
            rows.append((code(prefix + key), required, value, str(prop.get("description", ""))))
            if prop.get("type") == "object":
                add(prop, f"{prefix}{key}.")

    add(schema, "")
    return table(["Key", "Required", "Value", "Description"], rows)


def blocks(all_schemas: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, str]:
    """Every block's generated text, by name."""
    all_schemas = schemas() if all_schemas is None else all_schemas
    out = {kind: guide_table(kind, all_schemas) for kind in all_schemas}
    out[ALL] = reference_table(all_schemas)
    out.update(attachment_tables())
    out.update(followup_tables())
    out.update(cms_table())
    out["talen"] = languages_table()
    out["vertaling"] = translation_guide_table()
    return out


def translation_guide_table() -> str:
    """The guide's table of a translation's keys (``vertaling.schema.json``)."""
    schema = flattened(TRANSLATION_SCHEMA)
    rows = [
        (
            code(key),
            "ja" if key in schema["required"] else "nee",
            guide_explanation(prop),
            code(yaml_flow(prop["examples"][0])) if prop.get("examples") else "",
        )
        for key, prop in schema["properties"].items()
    ]
    return table(["Sleutel", "Verplicht?", "Uitleg", "Voorbeeld"], rows)


def languages_table() -> str:
    """The languages a summary may be in (the registry's ``languages``), for the guide."""
    scripts = {
        "latin": "Latijns",
        "cyrillic": "Cyrillisch",
        "arabic": "Arabisch",
        "ethiopic": "Ethiopisch (ge'ez)",
    }
    return table(
        ["Code", "Taal", "Eigen naam", "Schrift", "Richting"],
        [
            (
                code(key),
                lang.name,
                f'<span lang="{key}" dir="{lang.dir}">{lang.native}</span>',  # WCAG 3.1.2
                f"{scripts.get(lang.script, lang.script)} ({FONTS[lang.script].family})",
                "van rechts naar links" if lang.dir == "rtl" else "van links naar rechts",
            )
            for key, lang in LANGUAGES.items()
        ],
    )


def fill(text: str, generated: Mapping[str, str], expected: Sequence[str], rel: str) -> str:
    """The text with each marked block replaced by its generated text (a blank line on
    either side, so Markdown sees a table). ``expected``: the blocks the file must have."""
    found = [m.group("name") for m in BLOCK.finditer(text)]
    opened = [m.group("name") for m in OPENING.finditer(text)]
    if opened != found:
        raise BlockError(
            f"{rel}: een blok <!-- velden:… --> is niet afgesloten met <!-- /velden -->."
        )
    unknown = [name for name in found if name not in expected]
    missing = [name for name in expected if name not in found]
    doubles = sorted({name for name in found if found.count(name) > 1})
    if unknown or missing or doubles:
        parts = [f"onbekend blok {', '.join(unknown)}"] if unknown else []
        parts += [f"blok ontbreekt: {', '.join(missing)}"] if missing else []
        parts += [f"blok staat er meer dan eens: {', '.join(doubles)}"] if doubles else []
        raise BlockError(f"{rel}: {'; '.join(parts)}. Verwacht: {', '.join(expected)}.")

    def replace(match: re.Match[str]) -> str:
        body = generated[match.group("name")]
        return f"{match.group('open')}\n{body}\n{match.group('close')}"

    return BLOCK.sub(replace, text)


def update(root: Path, check: bool = False) -> list[str]:
    """Brings every target file's blocks up to date (or, with ``check``, only compares);
    returns the files (relative to ``root``) that were or are out of date."""
    generated = blocks()
    stale = []
    for rel, expected in TARGETS.items():
        path = root / rel
        old = path.read_text(encoding="utf-8")
        new = fill(old, generated, expected, rel)
        if new != old:
            stale.append(rel)
            if not check:
                path.write_text(new, encoding="utf-8")
    return stale
