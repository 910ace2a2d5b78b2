"""The word list for "Bedoelde je ...?" on the search page (issue #19): the words a query
that finds nothing is compared with, written at build time to ``assets/zoekwoorden.json``
and fetched by content/assets/search.js only after a search without results.

The words come from what readers search for: the titles and summaries of the published
documents, the vocabulary labels and the words that many bodies share, most frequent
first (the browser takes the first of the nearest words), at most ``MAX_WORDS``."""

from __future__ import annotations

import heapq
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from kennisbank.content.model import Corpus, Document

FILE = "assets/zoekwoorden.json"
MAX_WORDS = 1000  # about 4 KB over the wire (gzip), measured in docs/benchmarks.md
MIN_LENGTH = 4  # shorter words are not worth a suggestion (and too many are near)
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
HEADING_WEIGHT = 3  # a word of a title, summary or label counts as three body documents


@dataclass
class WordCounts:
    """Each published document's words and the counts over all of them, kept by a preview
    between rebuilds and brought up to date document by document: finding the words of
    1,000 bodies took 0.39 s and counting them 0.13 s, per rebuild."""

    documents: dict[str, tuple[Document, set[str], set[str]]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)

    def _weigh(self, entry: tuple[Document, set[str], set[str]], sign: int) -> None:
        self.counts.update(dict.fromkeys(entry[1], sign * HEADING_WEIGHT))
        self.counts.update(dict.fromkeys(entry[2], sign))

    def update(self, corpus: Corpus) -> None:
        current = {doc.id: doc for doc in corpus.published()}
        for doc_id in [i for i in self.documents if i not in current]:
            self._weigh(self.documents.pop(doc_id), -1)
        for doc_id, doc in current.items():
            old = self.documents.get(doc_id)
            if old is not None and old[0] is doc:
                continue
            if old is not None:
                self._weigh(old, -1)
            entry = (doc, _words(f"{doc.title} {doc.summary}"), _words(doc.source.body))
            self.documents[doc_id] = entry
            self._weigh(entry, 1)


def words(corpus: Corpus, cache: WordCounts | None = None) -> list[str]:
    """The list, most frequent first: by the number of documents a word is in, a word in a
    title, summary or vocabulary label counting ``HEADING_WEIGHT`` times (ties in
    alphabetical order)."""
    cache = cache if cache is not None else WordCounts()
    cache.update(corpus)
    counts = +cache.counts  # without the words no document has any more
    for labels in corpus.vocabularies.values():
        for label in labels.values():
            counts.update(dict.fromkeys(_words(label), HEADING_WEIGHT))
    return heapq.nsmallest(MAX_WORDS, counts, key=lambda w: (-counts[w], w))


def _words(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if len(w) >= MIN_LENGTH}


def text(corpus: Corpus, cache: WordCounts | None = None) -> str:
    return json.dumps(words(corpus, cache), ensure_ascii=False, separators=(",", ":"))
