"""Open data: every published document's metadata as JSON (with a JSON Schema) and CSV."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from typing import Any

from .model import Corpus, Document

# CSV columns in order; list fields are joined with "; ".
COLUMNS = [
    "id",
    "type",
    "url",
    "title",
    "date",
    "updated",
    "summary",
    "status",
    "language",
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
]
# Keys that stay out of the export: files are downloads, not data about the document.
PRIVATE = {"files", "changelog", "featured"}


def record(doc: Document, site_url: str) -> dict[str, Any]:
    base = site_url.rstrip("/") + "/"
    data: dict[str, Any] = {"id": doc.id, "type": doc.kind, "url": base + doc.url}
    data.update({k: v for k, v in doc.meta.items() if k not in PRIVATE and k != "type"})
    data["status"] = doc.status
    data["language"] = doc.meta.get("language", "nl")
    data["summary"] = doc.summary
    if doc.attachments:
        data["downloads"] = [
            {"title": a.title, "url": f"{base}{doc.url}{a.name}", "bytes": a.size}
            for a in doc.attachments
        ]
    if doc.kind == "toolkit":
        data["changelog"] = doc.meta.get("changelog", [])
    return data


def exports(corpus: Corpus, site_url: str) -> dict[str, str]:
    records = [record(d, site_url) for d in corpus.published()]
    schema = resources.files("kennisbank").joinpath("schema/opendata.schema.json")
    payload = {
        "description": "Alle gepubliceerde documenten van de Kennisbank van het Minderhedenforum.",
        "license": "CC BY 4.0",
        "count": len(records),
        "vocabularies": corpus.vocabularies,
        "documents": records,
    }
    return {
        "data/documenten.json": to_json(payload),
        "data/documenten.schema.json": schema.read_text("utf-8"),
        "data/documenten.csv": to_csv(records),
    }


def to_json(payload: dict[str, Any]) -> str:
    """The export as JSON with one document per line: readable and diffable, and written by
    json's C encoder (with ``indent`` json falls back to its Python encoder, which took
    0.4 s per 4,000 documents on every preview rebuild). ``documents`` comes last."""
    head = json.dumps(
        {key: value for key, value in payload.items() if key != "documents"},
        ensure_ascii=False,
        indent=1,
    )
    lines = ",\n".join(json.dumps(doc, ensure_ascii=False) for doc in payload["documents"])
    return head[: -len("\n}")] + ',\n "documents": [\n' + lines + "\n ]\n}\n"


FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run these as formulas


def cell(value: Any) -> str:
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


def to_csv(records: list[dict[str, Any]]) -> str:
    """UTF-8 with a byte order mark, so spreadsheet programs detect the encoding."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for rec in records:
        period = rec.get("period") or {}
        row = {**rec, "period_start": period.get("start"), "period_end": period.get("end")}
        writer.writerow([cell(row.get(column)) for column in COLUMNS])
    return "\ufeff" + out.getvalue()
