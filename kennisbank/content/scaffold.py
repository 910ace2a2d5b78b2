"""``kennisbank new``: start a document from the kind's template.

The templates are the ``sjabloon.md`` files among the schema's valid examples, so the test
over all examples also proves every template is a valid document.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

from kennisbank import registry
from kennisbank.content import loader
from kennisbank.content.validate import slugify

TEMPLATE = "schema/examples/{kind}/valid/sjabloon.md"


class TemplateError(Exception):
    pass


def target_path(root: Path, kind: str, doc_id: str) -> Path:
    return root / registry.target(registry.KINDS[kind], doc_id)


TEMPLATE_DATE = "2026-01-01"  # every date in the templates; replaced by today's date


def template_text(kind: str, today: dt.date | None = None, reference: str | None = None) -> str:
    text = resources.files("kennisbank").joinpath(TEMPLATE.format(kind=kind)).read_text("utf-8")
    text = text.replace(TEMPLATE_DATE, (today or dt.date.today()).isoformat())
    if reference:
        text = re.sub(r"^reference: .*$", f"reference: {reference}", text, count=1, flags=re.M)
    return text


def next_reference(root: Path, kind: str, year: int) -> str | None:
    """The first free reference of the year, e.g. ADV-2026-04 after ADV-2026-03."""
    prefix = registry.KINDS[kind].reference_prefix
    if prefix is None:
        return None
    pattern = re.compile(rf"^reference:\s*['\"]?{prefix}-{year}-(\d+)", re.M)
    used = {
        int(m.group(1))
        for path in loader.discover(root)
        if path.is_file()
        for m in pattern.finditer(path.read_text(encoding="utf-8", errors="replace"))
    }
    number = next(n for n in range(1, len(used) + 2) if n not in used)
    return f"{prefix}-{year}-{number:02d}"


def check_id(root: Path, doc_id: str) -> None:
    """A new document's id: valid, and not used by any document yet."""
    if not loader.SLUG.match(doc_id):
        raise TemplateError(
            f"'{doc_id}' is geen geldig id. Gebruik kleine letters zonder accenten, cijfers en "
            f"koppeltekens, bijvoorbeeld '{slugify(doc_id)}'."
        )
    used = {loader.document_id(p, root) for p in loader.discover(root)}
    if doc_id in used:
        raise TemplateError(f"het id '{doc_id}' bestaat al. Kies een ander id.")


def create(root: Path, kind: str, doc_id: str) -> Path:
    check_id(root, doc_id)
    target = target_path(root, kind, doc_id)
    if target.exists():  # never overwrite an editor's work
        raise TemplateError(f"{target.relative_to(root)} bestaat al. Kies een ander id.")
    target.parent.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    text = template_text(kind, today, next_reference(root, kind, today.year))
    target.write_text(text, encoding="utf-8")
    return target
