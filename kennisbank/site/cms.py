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
from urllib.parse import urlsplit

from kennisbank.content.model import Corpus
from kennisbank.content.schema_check import flattened
from kennisbank.registry import KINDS, LANGUAGES, PUBLISHER

FOLDER = "admin"
PORT = "KENNISBANK_CMS_PORT"  # decap-server's port (its default, 8081, when not set)
FORMAT = "kb-frontmatter"  # registered by admin/kennisbank-cms.js
DECAP = Path("node_modules/decap-cms/dist")
YAML_JS = Path("node_modules/yaml/browser/dist")


def local_backend() -> str:
    return f"http://localhost:{os.environ.get(PORT, '8081')}"


# Per git host: its API when the setting names none, and where the editors' avatars come
# from (Decap shows them in its header).
HOSTS = {
    "github": {"api": "https://api.github.com", "images": ["https://avatars.githubusercontent.com"]},
    "gitlab": {"api": "https://gitlab.com", "images": ["https://secure.gravatar.com"]},
}


def published(corpus: Corpus) -> bool:
    """Whether ``make build`` publishes /admin/ (``content/_data/cms.yml``: publish)."""
    return bool(corpus.cms.get("publish"))


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def csp(setting: dict[str, Any], preview: bool, header: bool = False) -> str:
    """The page's own policy: Decap compiles its config schema at run time (eval) and
    styles itself with inline styles. A preview talks to decap-server on localhost; the
    published page to its git host's API (and, for GitLab, its sign-in). ``header``: as a
    response header, with what a meta element may not hold (docs/editing.md)."""
    connect, images = ["'self'"], ["'self'", "data:", "blob:"]
    backend = setting.get("backend", {})
    if preview:
        connect.append(local_backend())
    elif backend:
        host = HOSTS[backend["name"]]
        apis = [backend.get("api_root", host["api"])]
        if backend["name"] == "gitlab":  # PKCE fetches its token from the sign-in server
            apis.append(backend.get("base_url", host["api"]))
        # GitHub's sign-in (base_url) is a window of its own: no connection of this page.
        connect += dict.fromkeys(origin(url) for url in apis)
        images += host["images"]
        if backend["name"] == "gitlab" or "api_root" in backend:
            images += connect[1:]  # avatars kept by a GitLab or GitHub Enterprise server
    directives = [
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src {' '.join(dict.fromkeys(images))}",
        f"connect-src {' '.join(connect)}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
    if header:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def headers(setting: dict[str, Any]) -> dict[str, str]:
    """What the published /admin/ is sent instead of the site's own headers: its policy,
    for GitHub an opener policy that lets its sign-in window report back (the site's
    ``same-origin`` cuts it off; GitLab's PKCE sign-in opens no window), and no indexing."""
    popup = setting.get("backend", {}).get("name") == "github"
    return {
        "Content-Security-Policy": csp(setting, preview=False, header=True),
        "Cross-Origin-Opener-Policy": "same-origin-allow-popups" if popup else "same-origin",
        "X-Robots-Tag": "noindex, nofollow",
    }


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
    elif prop.get("x-languages"):  # one optional text per supported language
        out |= {
            "widget": "object",
            "collapsed": True,
            "fields": [
                {
                    "name": code,
                    "label": f"{lang.name} ({lang.native})",
                    "widget": "text",
                    "required": False,
                }
                for code, lang in LANGUAGES.items()
            ],
        }
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


def backend(setting: dict[str, Any]) -> dict[str, Any]:
    """Decap's ``backend`` from the setting: GitLab signs in with PKCE (no server of our
    own). Without a setting (a preview), a placeholder: on 127.0.0.1 Decap uses the local
    backend instead."""
    chosen = dict(setting.get("backend") or {"name": "git-gateway", "branch": "main"})
    if chosen["name"] == "gitlab":
        chosen["auth_type"] = "pkce"
    return chosen


def config(corpus: Corpus, site_url: str = "", preview: bool = True) -> dict[str, Any]:
    return {
        "locale": "nl",
        "site_url": site_url or None,
        "backend": backend(corpus.cms),
        # The preview's backend is decap-server, which `make cms` starts.
        "local_backend": {"url": local_backend() + "/api/v1"} if preview else None,
        "publish_mode": "simple",
        "media_folder": "content/assets/uploads",
        "public_folder": "/assets/uploads",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, corpus) for kind in KINDS],
    }


def page(setting: dict[str, Any], preview: bool) -> str:
    template = resources.files("kennisbank.site").joinpath("templates/cms.html")
    return (
        template.read_text("utf-8")
        .replace("{{CSP}}", csp(setting, preview))
        .replace("{{TITLE}}", f"Redactie – {PUBLISHER.name}")
    )


def texts(corpus: Corpus, site_url: str, preview: bool = True) -> dict[str, str]:
    data = {k: v for k, v in config(corpus, site_url, preview).items() if v is not None}
    order = list(dict.fromkeys(key for kind in KINDS for key in flattened(kind)["properties"]))
    script = resources.files("kennisbank.site").joinpath("templates/cms.js").read_text("utf-8")
    script = script.replace("/*ORDER*/[]", json.dumps(order)).replace("/*FORMAT*/", FORMAT)
    return {
        f"{FOLDER}/index.html": page(corpus.cms, preview),
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
