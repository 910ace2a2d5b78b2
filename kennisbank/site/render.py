"""Jinja environment for the package's templates (markup stays in ``templates/``), and the
contract of a generated page (``PageSource``).

A generated page has two kinds of parts: Markdown for the engine to convert (headings, the
document's own text) and HTML to keep as it is (cards, facts, lists of links). A template
marks the HTML with ``{% call keep() %}...{% endcall %}``; each such block becomes a
placeholder ``<!--kb:N-->`` in the Markdown, and ``expand`` puts it back into the converted
page. Generated HTML is never converted (that cost 4x the bytes of the documents); one
placeholder syntax serves generated pages and the blocks of site pages alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from kennisbank.registry import SEARCH_WEIGHTS

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(value: dt.date | str | None) -> str:
    if value is None:
        return ""
    date = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def relative_url(target: str, page_url: str) -> str:
    """Link from the page at ``page_url`` (e.g. ``adviezen/``) to ``target`` (site-relative).

    String arithmetic on the segments (posixpath.relpath normalises and was a tenth of the
    generate step); site URLs have no ``..`` or ``.`` segments to normalise."""
    base = page_url.split("/")[:-1]  # the folder of the page: drop the file or the "" after /
    parts = target.split("/")
    folders, leaf = parts[:-1], parts[-1]
    common = 0
    while common < len(base) and common < len(folders) and base[common] == folders[common]:
        common += 1
    rel = "../" * (len(base) - common) + "".join(f"{p}/" for p in folders[common:]) + leaf
    return rel or "./"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("kennisbank.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build (or a preview session)
    )
    env.filters["dutch_date"] = dutch_date
    env.filters["file_size"] = file_size
    env.filters["iso"] = lambda d: d.isoformat() if d else ""
    env.globals["weights"] = SEARCH_WEIGHTS  # data-pagefind-weight of summaries, ...
    return env


def macro(template: str, name: str) -> Any:
    """A macro of a template, callable from Python."""
    return getattr(environment().get_template(template).module, name)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


PLACEHOLDER_RE = re.compile(r"<!--kb:(\d+)-->")


@dataclass(frozen=True, slots=True)
class PageSource:
    """A generated page: Markdown (front matter included) with a placeholder for each HTML
    block to keep, and those blocks, in order (``html[N]`` replaces ``<!--kb:N-->``).
    ``changed``: when what the page shows last changed (a document's ``updated`` or
    ``date``, a listing's newest document), for the sitemap; None when unknown."""

    markdown: str
    html: tuple[str, ...] = ()
    changed: dt.date | None = None


def keep_block(blocks: list[str], block: str) -> str:
    """Add an HTML block to keep; return its placeholder, a paragraph of its own in the
    Markdown (blank lines around it), so the engine passes it through as one raw block."""
    blocks.append(block)
    return f"\n\n<!--kb:{len(blocks) - 1}-->\n\n"


def render_page(
    template: str, front: str = "", changed: dt.date | None = None, **context: Any
) -> PageSource:
    """Render a page template (``*.md.j2``) into its typed parts."""
    blocks: list[str] = []

    def keep(caller: Any) -> Markup:
        return Markup(keep_block(blocks, str(caller()).strip("\n")))

    markdown = front + render(template, keep=keep, **context)
    return PageSource(markdown, tuple(blocks), changed)


H1_PERMALINK = re.compile(r'(<h1\b[^>]*>.*?)<a class="headerlink"[^>]*>[^<]*</a>(</h1>)', re.S)


def title_without_permalink(html: str) -> str:
    """A page's h1 without the engine's "¶" link to itself: the h1 is the title (and the
    skip link's target), not a section to link to; its name read "Titel ¶"."""
    return H1_PERMALINK.sub(r"\1\2", html, count=1)


def expand(html: str, blocks: tuple[str, ...] | list[str]) -> str:
    """Put a page's HTML blocks back into its converted HTML."""

    def block(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return blocks[number] if number < len(blocks) else match.group()

    return PLACEHOLDER_RE.sub(block, html)
