"""``kennisbank schema``: the metadata rules as plain JSON Schemas for text editors.

The kinds' schemas use Kennisbank's own keywords (``x-vocabulary``: the values come from
``content/_data/vocabularies.yml``; ``x-kind``). An editor's language server does not know
them, so these copies have the vocabularies inlined as ``enum`` (with the labels as
``enumDescriptions`` for hover help), one ``if``/``then`` per kind on ``type``, and no
references. Draft-07, which every YAML language server reads.
"""

from __future__ import annotations

import json
from typing import Any

from kennisbank.content.schema_check import FOLLOWUP_SCHEMA, _deref, flattened, load_schema
from kennisbank.registry import KINDS

DRAFT = "http://json-schema.org/draft-07/schema#"
FILES = {  # where `make docs` writes them (.vscode/settings.json maps the follow-up one)
    "metadata": ".vscode/kennisbank-metadata.schema.json",
    "opvolging": ".vscode/kennisbank-opvolging.schema.json",
}


def plain(node: Any, vocabularies: dict[str, dict[str, str]]) -> Any:
    """The node with Kennisbank's keywords replaced by standard ones."""
    if isinstance(node, list):
        return [plain(item, vocabularies) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: plain(v, vocabularies) for k, v in node.items() if not k.startswith("x-")}
    if "x-vocabulary" in node:
        values = vocabularies.get(node["x-vocabulary"], {})
        out["enum"] = list(values)
        out["enumDescriptions"] = list(values.values())
    if node.get("x-kind"):
        out["enum"] = list(KINDS)
    return out


def metadata_schema(vocabularies: dict[str, dict[str, str]]) -> dict[str, Any]:
    """One schema for the front matter of every kind."""
    return {
        "$schema": DRAFT,
        "title": "Kennisbank: metadata van een document",
        "description": "De metadata bovenaan een advies, standpunt, toolkit of praktijk. "
        "Gemaakt door 'kennisbank schema' uit kennisbank/schema/: pas die bestanden aan, "
        "niet dit.",
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {
                "enum": list(KINDS),
                "enumDescriptions": [kind.label for kind in KINDS.values()],
                "description": "Soort document.",
            }
        },
        "allOf": [
            {
                "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
                "then": plain(flattened(name), vocabularies),
            }
            for name in KINDS
        ],
    }


def followup_schema(vocabularies: dict[str, dict[str, str]]) -> dict[str, Any]:
    schema = plain(_deref(load_schema(FOLLOWUP_SCHEMA), FOLLOWUP_SCHEMA), vocabularies)
    schema.pop("$defs", None)
    schema.pop("$id", None)
    return {**schema, "$schema": DRAFT}


def texts(vocabularies: dict[str, dict[str, str]]) -> dict[str, str]:
    """The files of ``FILES``, as ``make docs`` writes them."""
    schemas = {
        "metadata": metadata_schema(vocabularies),
        "opvolging": followup_schema(vocabularies),
    }
    return {
        FILES[name]: json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        for name, schema in schemas.items()
    }
