"""Open data: every published document's metadata as JSON (with a JSON Schema) and CSV."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from collections.abc import Mapping
from typing import Any

from kennisbank.cache import RowCache
from kennisbank.content import readability
from kennisbank.content.model import Corpus, Document, Translation
from kennisbank.content.schema_check import known_keys
from kennisbank.registry import KINDS
from kennisbank.site.downloads import absolute, pdf_name

# CSV columns in order; list fields are joined with "; ".
COLUMNS = [
    "id",
    "type",
    "url",
    "title",
    "date",
    "updated",
    "summary",
    "summary_plain",
    "status",
    "language",
    "translations",
    "domains",
    "audiences",
    "tags",
    "authors",
    "related",
    "addressees",
    "reference",
    "recommendations",
    "actors",
    "version",
    "organisation",
    "place",
    "region",
    "period_start",
    "period_end",
    "contact",
    "example",
    "pdf",
    "readability_summary",
    "readability_summary_plain",
    "readability_body",
]
# Keys that stay out of the export: files are downloads, not data about the document.
PRIVATE = {"files", "changelog", "featured"}


def record(
    doc: Document, site_url: str, translations: Mapping[str, Translation] | None = None
) -> dict[str, Any]:
    """A document's open data; ``translations``: its French and English versions."""
    base = site_url.rstrip("/") + "/"
    data: dict[str, Any] = {"id": doc.id, "type": doc.kind, "url": base + doc.url}
    data.update({k: v for k, v in doc.meta.items() if k not in PRIVATE and k != "type"})
    data["status"] = doc.status
    data["language"] = doc.meta.get("language", "nl")
    data["summary"] = doc.summary
    if translations:
        data["translations"] = [
            {"language": code, "title": t.title, "url": base + t.url}
            for code, t in translations.items()
        ]
    if data["language"] == "nl":  # Flesch–Douma is a formula for Dutch
        data["readability"] = readability.scores(doc.meta, doc.source.body)
    data["pdf"] = absolute(site_url, doc, pdf_name(doc))
    if doc.attachments:
        data["downloads"] = [
            {"title": a.title, "url": f"{base}{doc.url}{a.name}", "bytes": a.size}
            for a in doc.attachments
        ]
    if "changelog" in known_keys(doc.kind):  # versioned kinds (toolkits)
        data["changelog"] = doc.meta.get("changelog", [])
    return data


def exports(corpus: Corpus, site_url: str, rows_cache: RowCache | None = None) -> dict[str, str]:
    """The open data. A preview builds the exports again after every edit; a document's
    JSON line and CSV row are kept in ``rows_cache`` while it is the same Document object
    for the same site URL."""
    kept: RowCache = rows_cache if rows_cache is not None else {}
    published = corpus.published()
    lines, rows = [], []
    for doc in published:
        hit = kept.get(doc.id)
        versions = corpus.translations.get(doc.id, {})
        # A row is kept for the same document, site URL and translations' titles.
        inputs = "|".join([site_url, *(f"{c}:{t.title}" for c, t in versions.items())])
        if hit is None or hit[0] is not doc or hit[1] != inputs:
            rec = record(doc, site_url, versions)
            hit = (doc, inputs, json.dumps(rec, ensure_ascii=False), csv_row(rec))
            kept[doc.id] = hit
        lines.append(hit[2])
        rows.append(hit[3])
    current = {doc.id for doc in published}
    for gone in set(kept) - current:
        del kept[gone]
    schema = json.loads(
        resources.files("kennisbank").joinpath("schema/opendata.schema.json").read_text("utf-8")
    )
    schema["$defs"]["document"]["properties"]["type"]["enum"] = list(KINDS)
    payload = {
        "description": "Alle gepubliceerde documenten van de Kennisbank van het Minderhedenforum.",
        "license": "CC BY 4.0",
        "count": len(published),
        "vocabularies": corpus.vocabularies,
    }
    return {
        "data/documenten.json": to_json(payload, lines),
        "data/documenten.schema.json": json.dumps(schema, ensure_ascii=False, indent=2) + "\n",
        "data/documenten.csv": to_csv(rows),
    }


def to_json(payload: dict[str, Any], documents: list[str]) -> str:
    """The export as JSON with one document per line (``documents``: each one's JSON,
    last in the object): readable and diffable, and written by json's C encoder (with
    ``indent`` json falls back to its Python encoder, which took 0.4 s per 4,000 documents
    on every preview rebuild)."""
    head = json.dumps(payload, ensure_ascii=False, indent=1)
    return head[: -len("\n}")] + ',\n "documents": [\n' + ",\n".join(documents) + "\n ]\n}\n"


FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


def cell(value: Any) -> str:
    if isinstance(value, float):  # a number, never a formula (a score can be negative)
        return str(value)
    text = _cell(value)
    return "'" + text if text.startswith(FORMULA) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return "; ".join(
            f"{v['id']}: {v['text']}" if isinstance(v, dict) and "id" in v else str(v)
            for v in value
        )
    return str(value)


def csv_row(rec: dict[str, Any]) -> list[str]:
    period = rec.get("period") or {}
    scores = rec.get("readability") or {}
    row = {**rec, "period_start": period.get("start"), "period_end": period.get("end")}
    row["translations"] = [t["language"] for t in rec.get("translations", [])]
    row |= {f"readability_{part}": score for part, score in scores.items()}
    return [cell(row.get(column)) for column in COLUMNS]


def to_csv(rows: list[list[str]]) -> str:
    """UTF-8 with a byte order mark, so spreadsheet programs detect the encoding."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()
