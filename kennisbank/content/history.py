"""When each site page last changed, from git: the date of the last commit of its file.

Site pages (``content/``) have no date of their own; the sitemap gives them the date of
their last commit, or none at all where git cannot say (no git, not a repository, a file
never committed), which search engines read as "unknown" rather than "changed today".
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def commit_dates(folder: Path) -> dict[str, dt.date]:
    """The date of the last commit of each file under ``folder``, by its path relative to
    ``folder`` (``over-ons.md``). One ``git log`` for the whole folder; empty without git."""
    try:
        log = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", "--format=%x00%cs", "--name-only",
             "--relative", "--", "."],
            cwd=folder, capture_output=True, text=True, check=True, timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    for commit in log.split("\0")[1:]:  # newest first: the first date seen is the last
        day, *paths = commit.strip("\n").split("\n")
        for path in paths:
            if path:
                dates.setdefault(path, dt.date.fromisoformat(day))
    return dates
