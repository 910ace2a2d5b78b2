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


# The opening or closing line of a fenced code block (its contents are never links).
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# An address with a scheme (https:, mailto:, …): not a file of the site.
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


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


# Python-Markdown's inline patterns scan forward from every '[' to its ']' and from every
# '(' to its ')' (to the end of the paragraph when there is none), and from every '<' that no
# '>' follows to the end. The time is the sum of those distances: measured with this site's
# extensions, 500 '[' followed by 20,000 characters took 2.6 s, 1,000 took 5.1 s, and 500
# followed by 40,000 took 5.0 s (about 0.25 microseconds per character scanned; '<' and '('
# cost less). A 1 MiB file could stall a build for hours. Real text scans little: a link's
# ']' follows within its text, and a tag's '>' within the tag.
# A paragraph ends at a line of only spaces and tabs, as in Markdown (not at other white
# space, such as a no-break space). Tables and lists are converted per cell and per item,
# so counting them as one paragraph is a safe upper bound.
MAX_SCAN_PER_PARAGRAPH = 1_000_000  # characters scanned: about 0.25 s
MAX_SCAN_PER_DOCUMENT = 10_000_000  # about 2.5 s
BRACKETS = re.compile(r"[\[\]()<>]")


def scan_cost(text: str) -> int:
    """The characters Markdown's inline patterns scan in one paragraph (see above)."""
    end = len(text)
    cost = 0
    opened: dict[str, list[int]] = {"[": [], "(": []}
    unclosed_tags: list[int] = []  # '<' since the last '>'
    for match in BRACKETS.finditer(text):
        char, where = match.group(), match.start()
        if char in opened:
            opened[char].append(where)
        elif char == "]" or char == ")":
            stack = opened["[" if char == "]" else "("]
            if stack:
                cost += where - stack.pop()
        elif char == "<":
            unclosed_tags.append(where)
        else:
            unclosed_tags.clear()
    for starts in (*opened.values(), unclosed_tags):
        cost += sum(end - start for start in starts)
    return cost


def slow_paragraphs(body: str) -> list[tuple[int, int, int]]:
    """(0-based first line, characters scanned, limit) for each paragraph, and for the
    whole body (line 0), that Markdown would take too long to convert."""
    if "[" not in body and "(" not in body and "<" not in body:
        return []
    found = []
    total = 0
    start, lines = 0, list[str]()
    for number, line in enumerate([*body.split("\n"), ""]):
        if line.strip(" \t"):
            if not lines:
                start = number
            lines.append(line)
            continue
        if lines:
            cost = scan_cost("\n".join(lines))
            total += cost
            if cost > MAX_SCAN_PER_PARAGRAPH:
                found.append((start, cost, MAX_SCAN_PER_PARAGRAPH))
            lines = []
    if total > MAX_SCAN_PER_DOCUMENT:
        found.append((0, total, MAX_SCAN_PER_DOCUMENT))
    return sorted(found)
