"""The pipeline in order: load -> validate -> enrich -> generate.

``load`` is what ``kennisbank check`` calls; ``SiteBuilder.assemble`` is what an engine
adapter calls once per build: it loads, generates and fills the blocks of the site pages,
and returns what the engine must render (``Assembly``) or stops the build with the
problems (``BuildStopped``).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kennisbank.cache import CACHE_DIR, PreviewCache
from kennisbank.content.enrich import enrich
from kennisbank.content.history import commit_dates
from kennisbank.content.loader import discover
from kennisbank.content.model import Corpus, InternalError, Problem, errors
from kennisbank.content.validate import load_corpus
from kennisbank.publishing.bundle import make_bundle
from kennisbank.publishing.pdf import PdfError, PdfMaker
from kennisbank.registry import KINDS
from kennisbank.site.downloads import Download, attachment_downloads
from kennisbank.site.generate import Output, fill_blocks, generate
from kennisbank.site.render import PageSource

__all__ = ["Assembly", "BuildStopped", "InternalError", "SiteBuilder", "load", "report", "summary"]


def load(root: Path, cache: PreviewCache | None = None) -> tuple[Corpus, list[Problem]]:
    """Load, validate and enrich the corpus; every editor mistake is a ``Problem``.
    A long-running preview passes its ``cache`` so that unchanged files are not checked
    again and unchanged documents' links not rewritten again."""
    corpus, problems = load_corpus(
        root,
        cache.files if cache is not None else None,
        cache.followups if cache is not None else None,
    )
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
    found = errors(problems)
    warned = len(problems) - len(found)
    also = (
        f" {warned} {'waarschuwing' if warned == 1 else 'waarschuwingen'}: bekijk ze, ze houden "
        "niets tegen."
        if warned
        else ""
    )
    if not found:
        noun = "document" if documents == 1 else "documenten"
        return f"Alles in orde: {documents} {noun} zonder problemen.{also}"
    files = len({p.path for p in found})
    return (
        f"{len(found)} {'probleem' if len(found) == 1 else 'problemen'} in {files} "
        f"{'bestand' if files == 1 else 'bestanden'}. Los {'het' if len(found) == 1 else 'ze'} "
        f"op en controleer opnieuw met 'make check'.{also}"
    )


def report(problems: list[Problem], documents: int, preview: bool = False) -> str:
    """The problems as ``kennisbank check`` prints them, one line each, and the summary;
    a preview adds what it shows meanwhile."""
    lines = [p.format() for p in problems]
    lines.append(summary(problems, documents))
    if preview and errors(problems):
        lines.append(
            "De voorvertoning toont de laatste versie zonder problemen, met deze meldingen "
            "bovenaan elke pagina. Bewaar het bestand opnieuw na je correctie."
        )
    elif preview:
        lines.append(
            "De voorvertoning toont je wijziging, met deze waarschuwingen bovenaan elke pagina."
        )
    return "\n".join(lines)


class BuildStopped(Exception):
    """The build cannot go on; the message (Dutch, one line per problem) says why."""


@dataclass(slots=True)
class Assembly:
    """Everything Kennisbank adds to one build of the site, for the engine to render.

    ``pages``: generated pages and the site pages of ``content/`` whose blocks were filled
    in (those replace the file); ``drafts``: pages only a preview has (concepts);
    ``generated``: the pages Kennisbank made (kept out of the navigation; a site page keeps
    what the engine's configuration says of it). ``problems``: what a preview reports;
    ``clashes``: files of ``content/`` at a path Kennisbank writes (a preview keeps them);
    ``changed``: when each page last changed, for the sitemap (generated pages from their
    documents, site pages from git; a page without a date is left out); ``headers``:
    folders that get other response headers than the site (``publish.finish``)."""

    pages: dict[str, PageSource] = field(default_factory=dict)
    drafts: set[str] = field(default_factory=set)
    generated: set[str] = field(default_factory=set)
    texts: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    clashes: set[str] = field(default_factory=set)
    changed: dict[str, dt.date] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    documents: int = 0


class SiteBuilder:
    """What a build of the site asks of Kennisbank, for any engine, for one process.

    A build (``preview=False``) stops at the first problems. A preview keeps ``cache``
    between rebuilds, reports problems instead of stopping, and then keeps the last good
    site: the pages of the last build without problems.

    ``markdown``: the engine's Markdown conversion, for the PDFs; ``pdfs``: whether to make
    them (and the toolkits' bundles), which a preview does only when asked."""

    def __init__(
        self,
        root: Path,
        preview: bool = False,
        markdown: Callable[[str], str] | None = None,
        pdfs: bool = False,
    ) -> None:
        self.root = root
        self.preview = preview
        self.cache = PreviewCache()
        self.last_good: tuple[Corpus, Output] | None = None
        self.pdf_maker = (
            PdfMaker(root, root / CACHE_DIR / "pdf", markdown, "")
            if pdfs and markdown is not None
            else None
        )

    def downloads(self, corpus: Corpus, site_url: str) -> dict[str, tuple[Download, ...]]:
        """Each document's downloads, in the order its page lists them: its PDF, a
        toolkit's bundle, then its attachments. Raises ``PdfError``."""
        maker = self.pdf_maker
        pdfs: dict[str, Download] = {}
        if maker is not None:
            maker.site_url = site_url
            pdfs = maker.make(corpus, corpus.published())
        bundles = self.root / CACHE_DIR / "bundles"
        out: dict[str, tuple[Download, ...]] = {}
        for doc in corpus.documents:
            attachments = attachment_downloads(doc)
            items = [pdfs[doc.id]] if doc.id in pdfs else []
            if KINDS[doc.kind].bundle and doc.id in pdfs:
                items.append(make_bundle(doc, site_url, pdfs[doc.id], attachments, bundles))
            out[doc.id] = (*items, *attachments)
        if maker is not None and not self.preview:  # a build keeps only what it uses
            maker.prune({d.source for d in pdfs.values()})
            used = {d.source for items in out.values() for d in items if d.role == "bundle"}
            for old in bundles.glob("*.zip"):
                if old not in used:
                    old.unlink(missing_ok=True)
        return out

    def assemble(
        self, site_url: str, docs_dir: str, site_pages: dict[str, str], existing: set[str]
    ) -> Assembly:
        """``site_pages``: source of each Markdown page of ``content/`` (``docs_dir``);
        ``existing``: every file there. Raises ``BuildStopped``."""
        cache = self.cache if self.preview else None
        try:
            corpus, problems = load(self.root, cache)
            if errors(problems) and not self.preview:
                raise BuildStopped(report(problems, len(corpus.documents)))
            if errors(problems) and self.last_good is not None:
                corpus, output = self.last_good
            else:
                try:
                    downloads = self.downloads(corpus, site_url)
                except PdfError as err:
                    if not self.preview:
                        raise BuildStopped(str(err)) from err
                    problems.append(Problem(err.path, 1, "", err.message, topic="pdf"))
                    downloads = None
                output = generate(
                    corpus, site_url, cache, preview=self.preview, downloads=downloads
                )
                if not errors(problems) and self.preview:
                    self.last_good = (corpus, output)
        except InternalError as err:
            raise BuildStopped(
                f"{err.path}:1: interne fout van Kennisbank bij het verwerken van dit bestand. "
                "Dit is geen fout in je tekst; meld het aan het webteam "
                "(details: kennisbank --debug check)."
            ) from err
        made = {**output.pages, **output.texts, **output.files}
        out = Assembly(
            drafts=output.drafts,
            generated=set(output.pages),
            problems=problems,
            clashes={path for path in made if path in existing},
            headers=output.headers,
            documents=len(corpus.documents),
        )
        with_blocks: dict[str, PageSource] = {}
        for path, source in site_pages.items():
            try:
                filled = fill_blocks(source, path, f"{docs_dir}/{path}", corpus, self.cache.cards)
            except InternalError as err:
                raise BuildStopped(
                    f"{err.path}:1: dit bestand kan niet gelezen worden. Maak het opnieuw met "
                    "'make audit', of meld het aan het webteam."
                ) from err
            if filled is not None:
                with_blocks[path], found = filled
                out.problems += found
        out.problems += [
            Problem(
                f"{docs_dir}/{path}",
                1,
                "",
                "deze pagina wordt door Kennisbank gemaakt. Verwijder of hernoem het bestand "
                "in content/.",
                topic="plaats",
            )
            for path in sorted(out.clashes)
        ]
        if errors(out.problems) and not self.preview:
            raise BuildStopped(report(out.problems, out.documents))
        if out.problems and not self.preview:  # warnings only: shown, and the build goes on
            print(report(out.problems, out.documents), file=sys.stderr)
        # A preview keeps the file of content/ where Kennisbank would write (and reports it).
        pages = {**output.pages, **with_blocks}
        out.pages = {p: page for p, page in pages.items() if p not in out.clashes}
        out.texts = {p: text for p, text in output.texts.items() if p not in out.clashes}
        out.files = {p: src for p, src in output.files.items() if p not in out.clashes}
        out.changed = self.changed(out.pages, docs_dir)
        return out

    def changed(self, pages: dict[str, PageSource], docs_dir: str) -> dict[str, dt.date]:
        """When each page last changed: a site page's last commit (not asked in a preview,
        which has no sitemap readers), or what it shows if that is newer."""
        commits = {} if self.preview else commit_dates(self.root / docs_dir)
        dates = dict(commits)
        for path, page in pages.items():
            if page.changed is not None:
                dates[path] = max(page.changed, commits.get(path, page.changed))
        return dates
