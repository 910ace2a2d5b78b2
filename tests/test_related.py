"""Suggested related documents: the bit-set ranking in ``enrich._rank_related`` against
the direct definition (score every pair, sort by -score, -date, id), on random corpora
with many ties, and on the sample content."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from types import SimpleNamespace

import pytest
from conftest import ROOT

from kennisbank.content.enrich import AUTO_RELATED, _rank_related, _topics
from kennisbank.pipeline import load


def direct_ranking(corpus, published) -> dict[str, list[str]]:
    """The definition, pair by pair."""
    dates = {d.id: d.date.toordinal() for d in published}
    out = {}
    for doc in published:
        skip = {doc.id, *(d.id for d in corpus.related.get(doc.id, []))}
        scores: Counter[str] = Counter()
        for other in published:
            if other.id in skip:
                continue
            shared = _topics(doc) & _topics(other)
            score = sum(2 if key[0] == "d" else 1 for key in shared)
            if score:
                scores[other.id] = score
        out[doc.id] = sorted(scores, key=lambda i: (-scores[i], -dates[i], i))[:AUTO_RELATED]
    return out


def random_corpus(rng: random.Random, n: int):
    domains = [f"domein{i}" for i in range(rng.randint(1, 6))]
    tags = [f"Tag{i}" for i in range(rng.randint(0, 8))]
    start = dt.date(2020, 1, 1)
    docs = []
    for i in range(n):
        meta = {"domains": rng.sample(domains, rng.randint(1, len(domains)))}
        if tags and rng.random() < 0.7:
            chosen = rng.sample(tags, rng.randint(0, min(4, len(tags))))
            # tags compare case-insensitively
            meta["tags"] = [t.lower() if rng.random() < 0.3 else t for t in chosen]
        date = start + dt.timedelta(days=rng.randint(0, 40))  # few dates: many ties
        docs.append(SimpleNamespace(id=f"doc-{i:03d}", date=date, meta=meta))
    related = {}
    for doc in docs:
        if rng.random() < 0.3:
            related[doc.id] = rng.sample(docs, rng.randint(1, min(3, len(docs))))
    return SimpleNamespace(related=related), docs


@pytest.mark.parametrize("seed", range(40))
def test_bit_set_ranking_equals_direct_count(seed: int) -> None:
    rng = random.Random(seed)
    corpus, docs = random_corpus(rng, rng.randint(1, 90))
    assert _rank_related(corpus, docs) == direct_ranking(corpus, docs)


def test_ranking_of_sample_content() -> None:
    corpus, _ = load(ROOT)
    published = corpus.published()
    assert _rank_related(corpus, published) == direct_ranking(corpus, published)
    assert any(corpus.suggested[d.id] for d in published)
