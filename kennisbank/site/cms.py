"""The browser CMS at ``/admin/`` (Decap CMS), as plain data for any engine.

``config`` derives Decap's ``config.yml`` from the kinds' JSON Schemas and the vocabularies:
a collection per kind (its folder, one file or one folder per document), a widget per field
(a select for a vocabulary or an enum, a date picker for dates, lists and objects for
recommendations, files, changelog and period, Markdown for the body), the schema's Dutch
``title`` as label and ``description`` as hint, its ``required`` and ``pattern`` rules in the
form. Nothing about a field is written here twice: a field added to a schema is in the CMS.

Decap itself (``decap-cms`` from npm, pinned in package-lock.json) and the ``yaml`` library
its saves go through (``admin/kennisbank-cms.js``: a front-matter format that keeps the
file's comments, key order and unknown keys) are copied from ``node_modules`` into the
site; nothing comes from a CDN. The local backend is ``decap-server`` (``make cms``).
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

from kennisbank.content.model import Corpus
from kennisbank.content.schema_check import flattened
from kennisbank.registry import KINDS, PUBLISHER

FOLDER = "admin"
PORT = "KENNISBANK_CMS_PORT"  # decap-server's port (its default, 8081, when not set)
FORMAT = "kb-frontmatter"  # registered by admin/kennisbank-cms.js
DECAP = Path("node_modules/decap-cms/dist")
YAML_JS = Path("node_modules/yaml/browser/dist")


def local_backend() -> str:
    return f"http://localhost:{os.environ.get(PORT, '8081')}"


def csp() -> str:
    """The page's own policy: Decap compiles its config schema at run time (eval), styles
    itself with inline styles and talks to decap-server on localhost (docs/editing.md)."""
    return (
        "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:; connect-src 'self' {local_backend()}; "
        "object-src 'none'; base-uri 'none'; form-action 'self'"
    )


DATE = {
    "widget": "datetime",
    "format": "YYYY-MM-DD",
    "date_format": "YYYY-MM-DD",
    "time_format": False,
}


def field(name: str, prop: dict[str, Any], required: bool, corpus: Corpus) -> dict[str, Any]:
    """One Decap field from one schema property."""
    out: dict[str, Any] = {"name": name, "label": prop.get("title", name)}
    if prop.get("description"):
        out["hint"] = prop["description"]
    if not required:
        out["required"] = False
    items = prop.get("items", {})
    vocabulary = prop.get("x-vocabulary") or items.get("x-vocabulary")
    if vocabulary:
        values = corpus.vocabularies.get(vocabulary, {})
        out |= {
            "widget": "select",
            "options": [{"label": v, "value": k} for k, v in values.items()],
        }
        if prop.get("type") == "array":
            out["multiple"] = True  # "at least one" is `required` (Decap's `min` skips 0)
    elif name == "related":
        # Decap's relation widget reads one collection; related ids cross all kinds. Only
        # published documents: `check` refuses a link from a published one to a concept.
        out |= {
            "widget": "select",
            "multiple": True,
            "options": [
                {"label": f"{d.title} ({KINDS[d.kind].label.lower()})", "value": d.id}
                for d in sorted(corpus.published(), key=lambda d: d.title)
            ],
        }
    elif "enum" in prop:
        out |= {"widget": "select", "options": list(prop["enum"])}
    elif prop.get("format") == "date":
        out |= DATE
    elif prop.get("type") == "boolean":
        out["widget"] = "boolean"
    elif prop.get("type") == "object":
        out |= {"widget": "object", "fields": fields(prop, corpus)}
    elif prop.get("type") == "array" and items.get("type") == "object":
        out |= {"widget": "list", "fields": fields(items, corpus)}
    elif prop.get("type") == "array":
        out |= {
            "widget": "list",
            "field": {"name": "item", "label": out["label"], "widget": "string"},
        }
    else:
        out["widget"] = "text" if prop.get("maxLength", 0) > 200 else "string"
        if prop.get("pattern"):
            # Decap shows "<label> komt niet overeen met het patroon: <this>".
            out["pattern"] = [prop["pattern"], prop.get("description", prop["pattern"])]
    if name == "status":  # a document made in the CMS starts as a concept
        out["default"] = "concept"
    return out


def fields(schema: dict[str, Any], corpus: Corpus) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        field(name, prop, name in required, corpus)
        for name, prop in schema.get("properties", {}).items()
    ]


def collection(kind: str, corpus: Corpus) -> dict[str, Any]:
    made = KINDS[kind]
    schema = flattened(kind)
    own = [f for f in fields(schema, corpus) if f["name"] != "type"]
    body: dict[str, Any] = {"name": "body", "label": "Tekst", "widget": "markdown"}
    if made.layout != "folder":  # only a toolkit shows images (its own files)
        body["editor_components"] = []
    out: dict[str, Any] = {
        "name": made.section,
        "label": made.plural,
        "label_singular": made.label,
        "folder": made.folder,
        "create": True,
        "extension": "md",
        "format": FORMAT,
        "slug": "{{slug}}",
        "summary": "{{title}} ({{date}})",
        "sortable_fields": ["date", "title"],
        # Other kinds may live below this folder (praktijken under toolkits/).
        "filter": {"field": "type", "value": kind},
        "fields": [{"name": "type", "widget": "hidden", "default": kind}, *own, body],
    }
    if made.layout == "folder":
        out |= {"path": "{{slug}}/index", "media_folder": "", "public_folder": ""}
    return out


def config(corpus: Corpus, site_url: str = "") -> dict[str, Any]:
    return {
        "locale": "nl",
        "site_url": site_url or None,
        # The production backend is a setting of the host (docs/editing.md); the local one
        # is decap-server, which `make cms` starts.
        "backend": {"name": "git-gateway", "branch": "main"},
        "local_backend": {"url": local_backend() + "/api/v1"},
        "publish_mode": "simple",
        "media_folder": "content/assets/uploads",
        "public_folder": "/assets/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, corpus) for kind in KINDS],
    }


def page() -> str:
    template = resources.files("kennisbank.site").joinpath("templates/cms.html")
    return (
        template.read_text("utf-8")
        .replace("{{CSP}}", csp())
        .replace("{{TITLE}}", f"Redactie – {PUBLISHER.name}")
    )


def texts(corpus: Corpus, site_url: str) -> dict[str, str]:
    data = {k: v for k, v in config(corpus, site_url).items() if v is not None}
    order = list(dict.fromkeys(key for kind in KINDS for key in flattened(kind)["properties"]))
    script = resources.files("kennisbank.site").joinpath("templates/cms.js").read_text("utf-8")
    script = script.replace("/*ORDER*/[]", json.dumps(order)).replace("/*FORMAT*/", FORMAT)
    return {
        f"{FOLDER}/index.html": page(),
        # JSON is YAML too, and writing it is ~50 times faster than PyYAML's dump: with
        # `related` listing every document, the dump cost 1.3 s per preview rebuild at
        # 1,000 documents.
        f"{FOLDER}/config.yml": json.dumps(data, ensure_ascii=False, indent=1) + "\n",
        f"{FOLDER}/kennisbank-cms.js": script,
        f"{FOLDER}/manual-init.js": "window.CMS_MANUAL_INIT = true;\n",
    }


def files(root: Path) -> dict[str, Path]:
    """Decap's bundle (its lazy chunks and WebAssembly too, no source maps) and the yaml
    library's browser build, from node_modules."""
    out: dict[str, Path] = {}
    decap = root / DECAP
    for path in sorted(decap.glob("*decap-cms.js")) + sorted(decap.glob("*.wasm")):
        out[f"{FOLDER}/decap/{path.name}"] = path
    library = root / YAML_JS
    for path in sorted(library.rglob("*.js")):
        out[f"{FOLDER}/yaml/{path.relative_to(library).as_posix()}"] = path
    return out
