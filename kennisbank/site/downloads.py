"""What a reader can take away from a document page, as plain data: the PDF, a toolkit's
bundle (ZIP), its attachments, and the citation files of the kinds that are cited.

Names carry the document's id and, for versioned documents, the version
(``<id>-v1.2.0.pdf``), so a municipality can tell which version it has. The files
themselves are made by ``publishing.pdf`` and ``publishing.bundle``; this module only names
and describes them (engine-agnostic, no rendering here).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kennisbank.content.model import Document
from kennisbank.registry import ATTACHMENT_TYPES, KINDS, PUBLISHER
from kennisbank.site.render import dutch_date, file_size


@dataclass(frozen=True, slots=True)
class Download:
    """One file of the download block: ``name`` is its file name beside the page."""

    role: str  # "pdf", "bundle" or "attachment"
    title: str
    name: str
    format: str  # PDF, ZIP, DOCX, ...
    size: int
    source: Path  # the file on disk that the site gets
    pages: int | None = None  # PDFs: measured when it was made


def stem(doc: Document) -> str:
    """``<id>-v<version>`` for a versioned document, else the id."""
    version = doc.meta.get("version")
    return f"{doc.id}-v{version}" if version else doc.id


def pdf_name(doc: Document) -> str:
    return f"{stem(doc)}.pdf"


def bundle_name(doc: Document) -> str:
    return f"{stem(doc)}.zip"


def absolute(site_url: str, doc: Document, name: str = "") -> str:
    return f"{site_url.rstrip('/')}/{doc.url}{name}"


def attachment_downloads(doc: Document) -> list[Download]:
    return [
        Download(
            role="attachment",
            title=att.title,
            name=att.name,
            format=ATTACHMENT_TYPES[att.path.suffix.lower().lstrip(".")].format,
            size=att.size,
            source=att.path,
        )
        for att in doc.attachments
    ]


def leesmij(doc: Document, site_url: str, files: list[tuple[str, int]]) -> str:
    """The LEESMIJ.txt of a toolkit's bundle: what it is, which version, where it comes
    from, its licence and its files. CRLF line ends: it is opened on Windows too."""
    date = doc.changed
    lines = [
        doc.title,
        "=" * len(doc.title),
        "",
        f"{doc.kind_label}, uitgegeven door {PUBLISHER.name}",
        f"Versie: {doc.meta.get('version', '-')}",
        f"Datum: {dutch_date(date)}",
        f"Bron: {absolute(site_url, doc)}",
        f"Licentie: {PUBLISHER.licence} ({PUBLISHER.licence_url})",
        "",
        doc.summary,
        "",
        "Bestanden in deze map:",
        *(f"- {name} ({file_size(size)})" for name, size in files),
        "",
        "Je mag de sjablonen aanpassen aan je eigen organisatie. Vermeld dan de bron.",
        f"Vragen of een andere vorm nodig? Mail naar {PUBLISHER.contact}.",
    ]
    return "\r\n".join(lines) + "\r\n"


# ---- Citations -------------------------------------------------------------------------


def citation_text(doc: Document, site_url: str) -> str:
    """A plain-text reference, as a reader pastes it into a note or a council decision."""
    reference = doc.meta.get("reference")
    what = f"{doc.kind_label} {reference}" if reference else doc.kind_label
    return (
        f"{PUBLISHER.name} ({doc.date.year}). {doc.title} ({what}, {dutch_date(doc.date)}). "
        f"{absolute(site_url, doc)}"
    )


BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_~^])")
BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\^{}"}


def bibtex_escape(text: str) -> str:
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def citation_key(doc: Document) -> str:
    return re.sub(r"[^A-Za-z0-9:_-]", "", str(doc.meta.get("reference") or doc.id)) or doc.id


def bibtex(doc: Document, site_url: str) -> str:
    """A biblatex entry (UTF-8): a report by the organisation."""
    fields = {
        "author": "{" + bibtex_escape(PUBLISHER.name) + "}",  # an organisation, not a person
        "title": bibtex_escape(doc.title),
        "institution": bibtex_escape(PUBLISHER.name),
        "type": bibtex_escape(doc.kind_label),
        "number": bibtex_escape(str(doc.meta.get("reference", ""))),
        "date": doc.date.isoformat(),
        "year": str(doc.date.year),
        "url": absolute(site_url, doc),
        "langid": {"nl": "dutch", "fr": "french", "en": "english"}.get(
            str(doc.meta.get("language", "nl")), "dutch"
        ),
    }
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items() if value)
    return f"@report{{{citation_key(doc)},\n{body}\n}}\n"


def csl_json(doc: Document, site_url: str) -> str:
    """CSL-JSON (what Zotero and reference managers import): a list of one item."""
    item = {
        "id": citation_key(doc),
        "type": "report",
        "title": doc.title,
        "author": [{"literal": PUBLISHER.name}],
        "publisher": PUBLISHER.name,
        "genre": doc.kind_label,
        "number": doc.meta.get("reference"),
        "issued": {"date-parts": [[doc.date.year, doc.date.month, doc.date.day]]},
        "URL": absolute(site_url, doc),
        "language": str(doc.meta.get("language", "nl")),
        "abstract": doc.summary,
    }
    data = [{k: v for k, v in item.items() if v is not None}]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def citation_files(doc: Document, site_url: str) -> dict[str, str]:
    """``{file name beside the page: text}`` for a kind that is cited (``cite:`` in the
    registry); none for others."""
    if not KINDS[doc.kind].cite:
        return {}
    return {f"{doc.id}.bib": bibtex(doc, site_url), f"{doc.id}.json": csl_json(doc, site_url)}
