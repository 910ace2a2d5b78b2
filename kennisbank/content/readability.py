"""How easy a Dutch text is to read: the Flesch–Douma formula (Douma 1960, the Dutch
adaptation of Flesch's Reading Ease), as textstat computes it for ``nl``:

    206.835 − 0.93 × (words per sentence) − 77 × (syllables per word)

with syllables from pyphen's Dutch hyphenation dictionary. Higher is easier: about 60 to 70
is ordinary Dutch, 70 to 80 fairly easy, above 80 easy. ``TARGET`` is the bar for a
summary "in eenvoudige taal" (B1), written in the editor guide.

A document's text is Markdown: code, HTML, link targets, images and markup are left out
first, and a heading or list item without an end mark counts as a sentence of its own.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

TARGET = 60.0  # Flesch–Douma at least this for `summary_plain` (docs and editor guide)
MIN_WORDS = 5  # fewer words say nothing about how hard a text is

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]+>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]:?")
_CODE = re.compile(r"`[^`]*`")
_BLOCK_START = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*|\|)", re.M)
_EMPHASIS = re.compile(r"[*_]+")
_MARKUP = re.compile(r"[|#>]+")
_WORD = re.compile(r"\w")
_ATTRIBUTES = re.compile(r"\{[:#.][^}]*\}")


def plain_text(markdown: str) -> str:
    """The words of a Markdown text, each block ending as a sentence."""
    text = _FENCE.sub(" ", markdown)
    for pattern in (_COMMENT, _IMAGE, _FOOTNOTE, _CODE, _ATTRIBUTES):
        text = pattern.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    lines = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|\|))", text):
        text_ = _MARKUP.sub(" ", _EMPHASIS.sub("", _BLOCK_START.sub("", block)))
        words = " ".join(w for w in text_.split() if _WORD.search(w))  # not "---" of a table
        if words:
            lines.append(words if words[-1] in ".!?:;" else words + ".")
    return " ".join(lines)


@cache
def _textstat() -> Any:
    # Imported on first use: it loads NLTK (0.2 s), which a `kennisbank new` never needs.
    import textstat

    textstat.set_lang("nl")
    return textstat


def douma(text: str) -> float | None:
    """The Flesch–Douma score of a text (Markdown allowed), rounded to one decimal;
    None when it has fewer than ``MIN_WORDS`` words."""
    plain = plain_text(text)
    if len(plain.split()) < MIN_WORDS:
        return None
    return round(float(_textstat().flesch_reading_ease(plain)), 1)


def scores(meta: dict[str, Any], body: str) -> dict[str, float | None]:
    """The scores of a Dutch document's summary, plain summary (when it has one) and body,
    as the open data gives them."""
    out = {"summary": douma(str(meta.get("summary", "")))}
    if meta.get("summary_plain"):
        out["summary_plain"] = douma(str(meta["summary_plain"]))
    out["body"] = douma(body)
    return out
