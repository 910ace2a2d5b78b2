"""The pipeline in order: load -> validate -> enrich -> generate.

``load`` is what ``kennisbank check`` and every engine adapter call; ``generate`` turns the
corpus into ``{site path: content}`` that any engine (or a plain pre-build step) can render.
"""

from __future__ import annotations

from pathlib import Path

from kennisbank.cache import PreviewCache
from kennisbank.content.enrich import enrich
from kennisbank.content.loader import discover
from kennisbank.content.model import Corpus, InternalError, Problem
from kennisbank.content.validate import load_corpus

__all__ = ["InternalError", "load", "report", "summary"]


def load(root: Path, cache: PreviewCache | None = None) -> tuple[Corpus, list[Problem]]:
    """Load, validate and enrich the corpus; every editor mistake is a ``Problem``.
    A long-running preview passes its ``cache`` so that unchanged files are not checked
    again and unchanged documents' links not rewritten again."""
    corpus, problems = load_corpus(root, cache.files if cache is not None else None)
    # Links to files that failed validation are not reported again: their own problems are.
    # (Compared as found, then resolved: resolving every path cost 0.3 s per 4,000 files.)
    unloaded = {str(p) for p in discover(root)} - {str(d.source.path) for d in corpus.documents}
    failed = {str(Path(p).resolve()) for p in unloaded}
    try:
        problems += enrich(corpus, failed, cache)
    except Exception as err:
        raise InternalError("(koppelingen tussen documenten)") from err
    return corpus, sorted(set(problems), key=lambda p: (p.path, p.line, p.field))


def summary(problems: list[Problem], documents: int) -> str:
    if not problems:
        noun = "document" if documents == 1 else "documenten"
        return f"Alles in orde: {documents} {noun} zonder problemen."
    files = len({p.path for p in problems})
    return (
        f"{len(problems)} {'probleem' if len(problems) == 1 else 'problemen'} in {files} "
        f"{'bestand' if files == 1 else 'bestanden'}. Los {'het' if len(problems) == 1 else 'ze'} "
        "op en controleer opnieuw met 'make check'."
    )


def report(problems: list[Problem], documents: int, preview: bool = False) -> str:
    """The problems as ``kennisbank check`` prints them, one line each, and the summary;
    a preview adds what it shows meanwhile."""
    lines = [p.format() for p in problems]
    lines.append(summary(problems, documents))
    if preview:
        lines.append(
            "De voorvertoning toont de laatste versie zonder problemen, met deze meldingen "
            "bovenaan elke pagina. Bewaar het bestand opnieuw na je correctie."
        )
    return "\n".join(lines)
