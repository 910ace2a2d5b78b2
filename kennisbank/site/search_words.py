"""The word list for "Bedoelde je ...?" on the search page (issue #19): the words a query
that finds nothing is compared with, written at build time to ``assets/zoekwoorden.json``
and fetched by content/assets/search.js only after a search without results.

The words come from what readers search for: the titles and summaries of the published
documents, the vocabulary labels and the words that many bodies share, most frequent
first (the browser takes the first of the nearest words), at most ``MAX_WORDS``."""

from __future__ import annotations

import json
import re
from collections import Counter

from kennisbank.content.model import Corpus

FILE = "assets/zoekwoorden.json"
MAX_WORDS = 1000  # about 4 KB over the wire (gzip), measured in docs/benchmarks.md
MIN_LENGTH = 4  # shorter words are not worth a suggestion (and too many are near)
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
HEADING_WEIGHT = 3  # a word of a title, summary or label counts as three body documents


def words(corpus: Corpus) -> list[str]:
    """The list, most frequent first: by the number of documents a word is in, a word in a
    title, summary or vocabulary label counting ``HEADING_WEIGHT`` times."""
    counts: Counter[str] = Counter()
    for doc in corpus.published():
        counts.update({w: HEADING_WEIGHT for w in _words(f"{doc.title} {doc.summary}")})
        counts.update(_words(doc.source.body))
    for labels in corpus.vocabularies.values():
        for label in labels.values():
            counts.update({w: HEADING_WEIGHT for w in _words(label)})
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    return ranked[:MAX_WORDS]


def _words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if len(w) >= MIN_LENGTH}


def text(corpus: Corpus) -> str:
    return json.dumps(words(corpus), ensure_ascii=False, separators=(",", ":"))
