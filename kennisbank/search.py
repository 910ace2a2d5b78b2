"""Search index: run Pagefind over a finished site folder (engine-agnostic, no MkDocs here).

Pagefind reads the built HTML: only elements marked ``data-pagefind-body`` are indexed (the
article of a page; see overrides/main.html), and hidden ``data-pagefind-filter`` /
``data-pagefind-meta`` spans carry a document's facets. The result is a chunked index in
``SITE/pagefind/`` that the browser loads only when someone searches (content/assets/search.js).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

OUTPUT = "pagefind"  # the index folder inside the site; search.js loads pagefind/pagefind.js

# Parts of an article that are not its own text: cards of other documents (related documents,
# the home page's latest publications), the "¶" permalinks of headings, the kind/date line and
# the "Voorbeeld" notice (kind and date are searchable metadata already; the notice is the same
# on every sample document and would fill the excerpts) and the labels of the facts list (Pagefind
# glued them to their values: "SoortToolkit").
EXCLUDE = ".kb-cards, .headerlink, .kb-doc-dates, .kb-badge, .kb-facts dt"


class SearchIndexError(Exception):
    """Indexing failed; the message is Dutch and for the person building the site."""


def index_site(site_dir: Path) -> None:
    """Write the Pagefind index of the built site in ``site_dir`` to ``site_dir/pagefind``.

    The CLI rather than pagefind's Python API: the API stops its service right after asking
    it to write, and left empty files (pagefind-entry.json of 0 bytes) in one build out of two.
    """
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        OUTPUT,
        # One Dutch index (Dutch stemming), whatever a page's lang attribute says.
        "--force-language",
        "nl",
        "--exclude-selectors",
        EXCLUDE,
        "--silent",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SearchIndexError(
            f"{site_dir}: de zoekindex (Pagefind) kon niet gemaakt worden ({err}). "
            "Controleer of 'make setup' gelukt is; meld het anders aan het webteam."
        ) from err
    output = (result.stderr + result.stdout).strip()
    if result.returncode != 0:
        if "No module named pagefind" in output:
            hint = "Pagefind ontbreekt: voer 'make setup' uit (installeert pagefind[extended])."
        elif "did not contain any html files" in output:
            hint = "De map bevat geen HTML-pagina's: is de site wel gebouwd?"
        else:
            hint = "Meld het aan het webteam."
        raise SearchIndexError(
            f"{site_dir}: de zoekindex (Pagefind) kon niet gemaakt worden. {hint}\n{output}"
        )
    entry = site_dir / OUTPUT / "pagefind-entry.json"
    try:
        pages = sum(
            lang["page_count"] for lang in json.loads(entry.read_text())["languages"].values()
        )
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise SearchIndexError(f"{entry}: Pagefind schreef geen bruikbare zoekindex.") from err
    if pages == 0:
        raise SearchIndexError(
            f"{site_dir}: Pagefind vond geen enkele pagina om te doorzoeken. Elke pagina met "
            "inhoud hoort data-pagefind-body te hebben (overrides/main.html)."
        )
