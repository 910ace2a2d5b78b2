"""``kennisbank schema``: the metadata rules as plain JSON Schemas for text editors.

The kinds' schemas use Kennisbank's own keywords (``x-vocabulary``: the values come from
``content/_data/vocabularies.yml``; ``x-kind``). An editor's language server does not know
them, so these copies have the vocabularies inlined as ``enum`` (with the labels as
``enumDescriptions`` for hover help), one ``if``/``then`` per kind on ``type``, and no
references. Draft-07, which every YAML language server reads.

The YAML language server does not read the front matter of Markdown files, so
``.remarkrc.mjs`` (also written here) points remark-lint-frontmatter-schema at the metadata
schema for every kind's documents: VS Code's remark extension underlines mistakes there;
and ``frontmatter.json`` gives the Front Matter extension (10.10 and later) a content type
per kind, with a field per schema property: forms with the vocabularies as choices, the
Dutch labels and descriptions, required fields, and its own inline check.
"""

from __future__ import annotations

import json
from typing import Any

from kennisbank.content.schema_check import (
    FOLLOWUP_SCHEMA,
    TRANSLATION_SCHEMA,
    _deref,
    flattened,
    load_schema,
)
from kennisbank.registry import KINDS, LANGUAGES

DRAFT = "http://json-schema.org/draft-07/schema#"
FILES = {  # where `make docs` writes them (.vscode/settings.json maps the follow-up one)
    "metadata": ".vscode/kennisbank-metadata.schema.json",
    "opvolging": ".vscode/kennisbank-opvolging.schema.json",
    "vertaling": ".vscode/kennisbank-vertaling.schema.json",
}
REMARK = ".remarkrc.mjs"  # remark's configuration, found by remark-cli and VS Code's extension
FRONT_MATTER = "frontmatter.json"  # the Front Matter extension's project configuration


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
    if node.get("x-languages"):
        out["propertyNames"] = {"enum": list(LANGUAGES)}
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


def followup_schema(
    vocabularies: dict[str, dict[str, str]], name: str = FOLLOWUP_SCHEMA
) -> dict[str, Any]:
    """The schema of a follow-up file (or, with ``name``, of a translation), plain."""
    schema = plain(_deref(load_schema(name), name), vocabularies)
    schema.pop("$defs", None)
    schema.pop("$id", None)
    return {**schema, "$schema": DRAFT}


def texts(vocabularies: dict[str, dict[str, str]]) -> dict[str, str]:
    """The files of ``FILES``, as ``make docs`` writes them."""
    schemas = {
        "metadata": metadata_schema(vocabularies),
        "opvolging": followup_schema(vocabularies),
        "vertaling": followup_schema(vocabularies, TRANSLATION_SCHEMA),
    }
    out = {
        FILES[name]: json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        for name, schema in schemas.items()
    }
    out[REMARK] = remark_config()
    out[FRONT_MATTER] = json.dumps(front_matter_config(vocabularies), ensure_ascii=False, indent=2)
    out[FRONT_MATTER] += "\n"
    return out


def front_matter_field(
    kind: str,
    name: str,
    prop: dict[str, Any],
    required: bool,
    vocabularies: dict[str, dict[str, str]],
) -> dict[str, Any]:
    """One field of a Front Matter content type from one schema property (a list of
    objects refers to its field group, ``<kind>-<name>``)."""
    out: dict[str, Any] = {"title": prop.get("title", "Soort" if "const" in prop else name)}
    out["name"] = name
    items = prop.get("items", {})
    vocabulary = prop.get("x-vocabulary") or items.get("x-vocabulary")
    if "const" in prop:  # `type`: set, not edited
        out |= {"type": "string", "default": prop["const"], "hidden": True}
    elif vocabulary:
        values = vocabularies.get(vocabulary, {})
        out |= {"type": "choice", "choices": [{"id": k, "title": v} for k, v in values.items()]}
        if prop.get("type") == "array":
            out["multiple"] = True
    elif "enum" in prop:
        out |= {"type": "choice", "choices": list(prop["enum"])}
    elif prop.get("format") == "date":
        out |= {"type": "datetime", "dateFormat": "yyyy-MM-dd"}
    elif prop.get("type") == "boolean":
        out["type"] = "boolean"
    elif prop.get("x-languages"):  # one text per supported language
        out |= {
            "type": "fields",
            "fields": [
                {"title": f"{lang.name} ({lang.native})", "name": code, "type": "string"}
                for code, lang in LANGUAGES.items()
            ],
        }
    elif prop.get("type") == "object":
        out |= {"type": "fields", "fields": front_matter_fields(kind, prop, vocabularies)}
    elif prop.get("type") == "array" and items.get("type") == "object":
        out |= {"type": "block", "fieldGroup": [f"{kind}-{name}"]}
    elif prop.get("type") == "array":
        out["type"] = "list"
    else:
        out |= {"type": "string", "single": prop.get("maxLength", 0) <= 200}
    if prop.get("description"):
        out["description"] = prop["description"]
    if required:
        out["required"] = True
    return out


def front_matter_fields(
    kind: str, schema: dict[str, Any], vocabularies: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        front_matter_field(kind, name, prop, name in required, vocabularies)
        for name, prop in schema.get("properties", {}).items()
    ]


def front_matter_config(vocabularies: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The Front Matter extension's configuration: where each kind lives, its content type
    (chosen by the document's ``type``), and a field group per list of objects."""
    types, groups = [], {}
    for name, kind in KINDS.items():
        schema = flattened(name)
        types.append(
            {
                "name": name,
                "pageBundle": kind.layout == "folder",
                "fields": front_matter_fields(name, schema, vocabularies),
            }
        )
        for key, prop in schema["properties"].items():
            items = prop.get("items", {})
            if prop.get("type") == "array" and items.get("type") == "object":
                groups[f"{name}-{key}"] = {
                    "id": f"{name}-{key}",
                    "labelField": next(iter(items["properties"])),
                    "fields": front_matter_fields(name, items, vocabularies),
                }
    # A translation (<id>.fr.md) has no `type`: the extension gives it the content type
    # "default", here the translation's fields.
    translation = flattened(TRANSLATION_SCHEMA)
    types.append(
        {
            "name": "default",
            "pageBundle": False,
            "fields": front_matter_fields(TRANSLATION_SCHEMA, translation, vocabularies),
        }
    )
    folders = [
        {
            "title": kind.plural,
            "path": f"[[workspace]]/{kind.folder}",
            "contentTypes": [name],
            # A kind whose folder holds another kind's (toolkits/praktijken/) leaves it out.
            "excludePaths": [
                f"{other.folder.removeprefix(kind.folder + '/')}/**"
                for other in KINDS.values()
                if other.folder.startswith(kind.folder + "/")
            ],
        }
        for name, kind in KINDS.items()
    ]
    return {
        "frontMatter.content.pageFolders": [
            {k: v for k, v in folder.items() if v != []} for folder in folders
        ],
        "frontMatter.taxonomy.contentTypes": types,
        "frontMatter.taxonomy.fieldGroups": list(groups.values()),
        "frontMatter.validation.enabled": True,
    }


def document_globs() -> list[str]:
    """Where each kind's documents are (the registry), as globs from the repository: a
    name without a dot (<id>.fr.md is a translation)."""
    return [
        f"{kind.folder}/*/index.md" if kind.layout == "folder" else f"{kind.folder}/+([!.]).md"
        for kind in KINDS.values()
    ]


def translation_globs() -> list[str]:
    """Where translations are: beside a one-file document, in a toolkit's folder."""
    return [
        f"{kind.folder}/*/index.*.md" if kind.layout == "folder" else f"{kind.folder}/*.*.md"
        for kind in KINDS.values()
    ]


def remark_config() -> str:
    schemas = {
        "./" + FILES["metadata"]: document_globs(),
        "./" + FILES["vertaling"]: translation_globs(),
    }
    return (
        "// Generated by `make docs` (kennisbank schema --write); do not edit.\n"
        "// The metadata rules for the front matter of every document, for remark-lint (VS Code's\n"
        "// remark extension underlines mistakes; docs/editing.md).\n"
        'import remarkFrontmatter from "remark-frontmatter";\n'
        'import remarkLintFrontmatterSchema from "remark-lint-frontmatter-schema";\n\n'
        "export default {\n"
        "  plugins: [\n"
        "    remarkFrontmatter,\n"
        f"    [remarkLintFrontmatterSchema, {{ schemas: {json.dumps(schemas)} }}],\n"
        "  ],\n"
        "};\n"
    )
