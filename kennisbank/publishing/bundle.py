"""A toolkit's bundle: one ZIP with its PDF, every attachment and a LEESMIJ.txt.

The ZIP's bytes depend only on its contents (fixed timestamps, order and permissions), so
a rebuild does not change it; it is cached under a hash of its contents and written to a
temporary name first, so no partial ZIP is ever left.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from kennisbank.content.model import Document
from kennisbank.publishing.pdf import write_atomic
from kennisbank.site.downloads import Download, bundle_name, leesmij

EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP can hold


def make_bundle(
    doc: Document, site_url: str, pdf: Download | None, attachments: list[Download], cache: Path
) -> Download:
    """The bundle of a toolkit: ``LEESMIJ.txt``, the PDF (if made), then the attachments
    in the order of ``files``."""
    members: list[tuple[str, bytes]] = []
    if pdf is not None:
        members.append((pdf.name, pdf.source.read_bytes()))
    members += [(att.name, att.source.read_bytes()) for att in attachments]
    readme = leesmij(doc, site_url, [(name, len(data)) for name, data in members])
    members.insert(0, ("LEESMIJ.txt", readme.encode("utf-8")))
    digest = hashlib.sha256()
    for name, data in members:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"{digest.hexdigest()}.zip"
    if not target.is_file():
        write_atomic(target, _zip(members))
    return Download(
        role="bundle",
        title="Volledige toolkit: PDF en sjablonen (ZIP)",
        name=bundle_name(doc),
        format="ZIP",
        size=target.stat().st_size,
        source=target,
    )


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()
