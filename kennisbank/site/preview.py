"""The preview's problem panel (engine-agnostic: plain data, a Jinja template and WSGI).

While documents have problems, the preview keeps serving the last good site, and every HTML
page it serves gets a Dutch panel at the top: the same lines as ``kennisbank check``, each
with a link to the editor guide's section on that message. The panel is put into pages as
they are served (``PanelMiddleware``), never written into the site folder, so nothing of
it can reach the output of ``make build``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kennisbank.content.model import Problem, errors
from kennisbank.site.render import render

GUIDE = "redactiegids/"  # the editor guide's page, from the site root

# Topic -> anchor of the editor guide's section on it (headings of content/redactiegids.md;
# a test checks that each one exists on the built page).
GUIDE_SECTIONS: dict[str, str] = {
    "metadata": "wat-niet-mag",
    "metadata-per-soort": "metadata-per-soort",
    "links": "links-naar-andere-documenten",
    "bijlagen": "bijlagen-bij-een-toolkit",
    "afbeeldingen": "afbeeldingen",
    "status": "status",
    "woordenlijsten": "woordenlijsten",
    "domains": "domains-themas",
    "audiences": "audiences-doelgroepen",
    "actors": "actors-lokale-actoren-toolkits-en-praktijken",
    "region": "regions-regios-sleutel-region-bij-een-praktijk",
    "addressees": "addressees-geadresseerden-adviezen-en-standpunten",
    "nieuw": "een-nieuw-document-beginnen",
    "id": "regels-voor-een-id",
    "plaats": "wat-hoort-waar",
    "niet-toegestaan": "wat-niet-mag",
    "blokken": "uitgelicht-op-de-startpagina",
    "mkdocs": "controleren-en-voorvertonen",
    "foutmelding": "een-foutmelding-lezen",
    "pdf": "downloads-en-pdf",
    "opvolging": "opvolging-van-aanbevelingen",
    "cms": "in-de-browser-bewerken-cms",
    "eenvoudige-taal": "in-eenvoudige-taal",
    "vertalingen": "vertalingen-in-het-frans-en-het-engels",
    "aanbevelingen": "opvolging-van-aanbevelingen",
}

# Field (its first part) -> topic; every other field is described under "Metadata per soort".
FIELD_TOPICS: dict[str, str] = {
    "domains": "domains",
    "audiences": "audiences",
    "actors": "actors",
    "region": "region",
    "addressees": "addressees",
    "related": "links",
    "files": "bijlagen",
    "changelog": "bijlagen",
    "version": "bijlagen",
    "status": "status",
    "summary_plain": "eenvoudige-taal",
}

VOCABULARY_FILE = "content/_data/vocabularies.yml"


def guide_anchor(problem: Problem) -> str:
    """The editor guide's section on a problem."""
    if problem.path == VOCABULARY_FILE:
        topic = "woordenlijsten"
    elif problem.topic == "cms":
        topic = "cms"
    elif problem.field:
        root = problem.field.split(".")[0].split("[")[0]
        topic = FIELD_TOPICS.get(root, "metadata-per-soort")
    else:
        topic = problem.topic or "foutmelding"
    return GUIDE_SECTIONS[topic]


def panel(problems: Sequence[Problem], warnings: Sequence[str], root: str = "/") -> str:
    """The panel's HTML, or "" when there is nothing to report. ``problems``: Kennisbank's
    (errors, which keep the last good site, and warnings, which do not); ``warnings``: what
    the site engine itself warned about (MkDocs' own words); ``root``: the site's URL path."""
    if not problems and not warnings:
        return ""
    found = errors(list(problems))
    items = [
        {
            "where": f"{p.path}:{p.line}",
            "field": p.field,
            "message": p.message,
            "warning": p.warning,
            "help": f"{root}{GUIDE}#{guide_anchor(p)}",
        }
        for p in sorted(problems, key=lambda p: p.warning)  # errors first
    ]
    items += [
        {
            "where": "",
            "field": "",
            "message": text,
            "warning": True,
            "help": f"{root}{GUIDE}#{GUIDE_SECTIONS['mkdocs']}",
        }
        for text in warnings
    ]
    return render(
        "preview_panel.html.j2",
        items=items,
        problems=len(found),
        files=len({p.path for p in found}),
        warnings=len(problems) - len(found) + len(warnings),
        engine_warnings=len(warnings),
    )


def insert_panel(page: bytes, html: bytes) -> bytes:
    """The page with the panel first in its body (or first of all, if it has none)."""
    start = page.find(b"<body")
    end = page.find(b">", start) if start != -1 else -1
    at = end + 1 if end != -1 else 0
    return page[:at] + html + page[at:]


class PanelMiddleware:
    """WSGI middleware: puts the current panel into every HTML response of the preview
    server. ``current`` returns the panel's HTML (``b""`` while there are no problems)."""

    def __init__(self, app: Callable[..., Iterable[bytes]], current: Callable[[], bytes]):
        self.app = app
        self.current = current

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        html = self.current()
        if not html:
            return self.app(environ, start_response)
        held: dict[str, Any] = {}
        body: list[bytes] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kind = next((v for k, v in headers if k.lower() == "content-type"), "")
            if not kind.startswith("text/html"):
                return start_response(status, headers, exc_info)
            held["status"], held["headers"] = status, headers
            return body.append

        result = self.app(environ, hold)
        if "status" not in held:  # not a page: passed on as it is
            return result
        try:
            body.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        data = insert_panel(b"".join(body), html)
        headers = [(k, v) for k, v in held["headers"] if k.lower() != "content-length"]
        start_response(held["status"], [*headers, ("Content-Length", str(len(data)))])
        return [data]

