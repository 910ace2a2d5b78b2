"""Content that would run in a reader's browser: refused in documents and vocabularies.

Markdown passes raw HTML through, and MkDocs' templates print titles unescaped, so this is
the check that keeps scripts off the site (the CSP is the second line).
"""

from __future__ import annotations

import html
import re

# Things that would run in a reader's browser; refused anywhere in a document.
UNSAFE = [
    (re.compile(r"<\s*script\b", re.I), "een <script>-element"),
    (
        re.compile(r"<\s*(iframe|object|embed)\b", re.I),
        "een ingebed element (iframe, object, embed)",
    ),
    (re.compile(r"(javascript|vbscript)\s*:", re.I), "een 'javascript:'-link"),
    (re.compile(r"data\s*:\s*text/html", re.I), "een 'data:text/html'-link"),
    # These change how the page loads or where it sends things (<base href> redirects
    # every relative script), so they are refused too.
    (
        re.compile(r"<\s*(base|meta|link|style|form)\b", re.I),
        "een <base>-, <meta>-, <link>-, <style>- of <form>-element",
    ),
]
# 'on…=' is looked for inside each tag separately: one regex over the whole text takes
# quadratic time on a line like '<a <a <a …' (13 s for 48 KB).
TAG = re.compile(r"<[a-z][^>]*|\{[^}]*\}", re.I)  # HTML tags, and attr_list's {: …}
ON_ATTRIBUTE = re.compile(r"[\s/]on[a-z]+\s*=", re.I)
# Browsers decode entities and drop tabs and newlines in URLs: 'java&#115;cript:', 'java\tscript:'.
HIDDEN = re.compile(r"[\t\n\r]")


PLACEHOLDER_LIKE = re.compile(r"<!--\s*kb:", re.I)  # reserved for generated blocks


# Every check below needs one of these characters, in the text or (for ':' and '<') in what
# its entities decode to: text without them is safe. Most metadata values (slugs, dates,
# names, tags) have none, and scanning them all took a third of validation.
MAYBE_UNSAFE = re.compile(r"[<:&{]")


def unsafe_reason(text: str) -> str | None:
    if not MAYBE_UNSAFE.search(text):
        return None
    return full_unsafe_reason(text)


def full_unsafe_reason(text: str) -> str | None:
    """``unsafe_reason`` without the shortcut (the fuzz tests compare the two)."""
    plain = HIDDEN.sub("", html.unescape(text))
    for pattern, what in UNSAFE:
        if pattern.search(text) or pattern.search(plain):
            return what
    for candidate in (text, plain):
        if any(ON_ATTRIBUTE.search(tag.group()) for tag in TAG.finditer(candidate)):
            return "een 'on…='-attribuut (JavaScript)"
    return None


def unsafe_lines(body: str) -> dict[int, str]:
    """0-based line -> reason, for everything in a body that could run in a browser:
    per line, then tags and {: …} attribute lists that run over several lines, then the
    whole text (a 'java⏎script:' link)."""
    # Every check below looks at a part of the body, and whatever matches in a part also
    # matches in the whole (entities never span lines; a tag found in one line lies inside
    # the tag found from the same point in the whole text). So a clean whole is clean
    # everywhere: one pass instead of one per line for almost every document.
    if not PLACEHOLDER_LIKE.search(body) and unsafe_reason(body) is None:
        return {}
    found: dict[int, str] = {}
    for number, line in enumerate(body.split("\n")):
        reason = unsafe_reason(line)
        if reason:
            found[number] = reason
        elif PLACEHOLDER_LIKE.search(line):
            found[number] = "een gereserveerde opmerking '<!--kb:'"
    for match in TAG.finditer(body):
        if "\n" in match.group():
            reason = unsafe_reason(match.group())
            if reason:
                found.setdefault(body.count("\n", 0, match.start()), reason)
    if not found:
        reason = unsafe_reason(body)
        if reason:
            found[0] = reason
    return found


# Python-Markdown takes quadratic time over some characters of one paragraph (measured with
# this site's extensions): every '[' (links, images, footnotes; 5,000 in one paragraph took
# 3.4 s, 10,000 took 14 s, even when closed by as many ']' later on), and every '<' that no
# '>' follows (2,000 '<a ' took 0.3 s; with a '>' after them, 0.004 s). A 1 MiB file could
# stall a build for hours. Counted per block of non-blank lines (a table or a list is
# converted per cell or item, so this is a safe upper bound) and per line for '<'; with
# these limits the worst document converts in about 3 s. Real paragraphs have a few dozen.
MAX_PER_BLOCK = 1000
MAX_PER_DOCUMENT = 10_000


def _unclosed(line: str) -> int:
    """The '<' of a line that no '>' follows on that line."""
    return line.count("<", line.rfind(">") + 1)


def _brackets(line: str) -> int:
    return line.count("[")


SLOW = (("[", _brackets), ("<", _unclosed))


def slow_blocks(body: str) -> list[tuple[int, str, int, int]]:
    """(0-based first line, character, count, limit) for each block of non-blank lines, and
    for the whole body (line 0), with more of a slow character than Markdown converts in
    reasonable time (see above)."""
    if body.count("[") <= MAX_PER_BLOCK and body.count("<") <= MAX_PER_BLOCK:
        return []
    lines = body.split("\n")
    found = []
    for char, measure in SLOW:
        counts = [measure(line) for line in lines]
        total = sum(counts)
        if total > MAX_PER_DOCUMENT:
            found.append((0, char, total, MAX_PER_DOCUMENT))
        start, count = 0, 0
        for number, line in enumerate([*lines, ""]):
            if line.strip():
                if count == 0:
                    start = number
                count += counts[number]
                continue
            if count > MAX_PER_BLOCK:
                found.append((start, char, count, MAX_PER_BLOCK))
            count = 0
    return sorted(found)
