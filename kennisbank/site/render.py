"""Jinja environment for the package's templates (markup stays in ``templates/``)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

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
    return env


def macro(template: str, name: str) -> Any:
    """A macro of a template, callable from Python."""
    return getattr(environment().get_template(template).module, name)


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
