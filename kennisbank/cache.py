"""What a long-running preview keeps between rebuilds, in one object.

The engine adapter owns one ``PreviewCache`` for the life of a preview and passes it to
``pipeline.load`` and ``generate.generate``; nothing else in the package keeps state
between calls (``tests/test_architecture.py`` checks that no module-level value is
changed). A cold build passes none, and each step then starts from an empty one (it still
reuses a card within the one run).

Every entry is used only while what it was made from is the same: ``validate.load_corpus``
keeps a ``Document`` object for as long as its file (and the vocabularies) did not change,
so "the same object" means "the same document".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from kennisbank.content.followup import FollowUpCache
from kennisbank.content.model import Document, Problem, SourceFile
from kennisbank.site.render import PageSource
from kennisbank.site.search_words import WordCounts

# Everything a build keeps between runs (generated page files of a preview, PDFs, bundles,
# compiled templates), from the project root; never inside content/ or site/.
CACHE_DIR = ".cache/kennisbank"

# Per document file: (stamp, source, read problems, document, document problems).
FileCache = dict[
    str, tuple[tuple[int, ...], SourceFile | None, list[Problem], Document | None, list[Problem]]
]
# Per document id: (document, rewritten body, link targets), for one set of link targets.
LinkCache = dict[str, tuple[Document, str, list[str]]]
# Per document id: (inputs, page) of its page.
PageCache = dict[str, tuple[tuple[Any, ...], PageSource]]
# (document id, page depth, heading level) -> (document, its theme labels and translations'
# titles, HTML).
CardCache = dict[tuple[str, int, int], tuple[Document, tuple[str, ...], Markup]]
# Per document id: (document, site URL and its translations' titles, JSON line, CSV row) of
# the open data.
RowCache = dict[str, tuple[Document, str, str, list[str]]]


@dataclass
class PreviewCache:
    files: FileCache = field(default_factory=dict)  # validate: unchanged files not re-read
    followups: FollowUpCache = field(default_factory=dict)  # ... nor follow-up files
    links: LinkCache = field(default_factory=dict)  # enrich: rewritten bodies ...
    links_for: object = None  # ... for these link targets (all dropped when they change)
    related_for: object = None  # enrich: the inputs of the ranking of related documents
    related: dict[str, list[str]] = field(default_factory=dict)  # ... and that ranking
    pages: PageCache = field(default_factory=dict)  # generate: document pages
    cards: CardCache = field(default_factory=dict)  # generate: rendered cards
    rows: RowCache = field(default_factory=dict)  # opendata: export lines and rows
    words: WordCounts = field(default_factory=WordCounts)  # search_words: "Bedoelde je?"
    # generate: the follow-up dashboard and addressee pages, with what they were made of
    followup_pages: tuple[Any, dict[str, PageSource]] | None = None
    # page_files: the hash of each page file written, the page object it was computed
    # from, and what the last build wrote (output path -> source path).
    stamps: dict[str, str] = field(default_factory=dict)
    stamp_inputs: dict[str, tuple[PageSource, str]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
