"""The only module that imports MkDocs: wires MkDocs events to the engine-agnostic pipeline.

Moving to another engine means replacing this file (and ``hooks/``), nothing else.

Each event only hands MkDocs' objects to the package and back. In the order MkDocs calls
them: ``on_startup`` (command and dirty flag), ``on_config`` (fresh per-build state),
``on_files`` (``SiteBuilder.assemble``: validate, generate, fill blocks; the pages are added
as MkDocs files), ``on_env`` (each page's date for the sitemap; start the search indexing
service), ``on_page_content`` (put
the generated HTML blocks back), ``on_post_page`` (hand the finished page to the indexer),
``on_post_build`` (search index, then security headers; a preview indexes in the
background), ``on_shutdown`` (stop threads and services).

Preview (``mkdocs serve --dirty``, what ``make serve`` runs) gives the same pages: documents
are re-read only when their file changed, and generated pages are written to a cache folder
only when they changed (``site.page_files``), so MkDocs re-renders just those.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from kennisbank.cache import CACHE_DIR
from kennisbank.content.model import Problem
from kennisbank.pipeline import Assembly, BuildStopped, SiteBuilder, report
from kennisbank.publishing import publish
from kennisbank.publishing.search import OUTPUT as SEARCH_OUTPUT
from kennisbank.publishing.search import (
    BackgroundIndexer,
    IndexFeeder,
    SearchIndexError,
    index_site,
)
from kennisbank.registry import KINDS
from kennisbank.site import page_files
from kennisbank.site.generate import print_urls
from kennisbank.site.preview import PanelMiddleware, panel
from kennisbank.site.render import expand, title_without_permalink

# MkDocs internal: mkdocs.commands.build._build_page puts this English marker on top of a
# page only the preview has (a concept, InclusionLevel.DRAFT); such a page has a Dutch
# banner of its own. tests/test_preview.py fails if the marker changes.
DRAFT_MARKER = (
    '<div class="mkdocs-draft-marker" title="This page will not be included into the built '
    'site.">DRAFT</div>'
)


class _DirtyWarningFilter(logging.Filter):
    """Drops MkDocs' warning that a dirty build may leave navigation stale: documents are not
    in the nav, and every generated page is rewritten when its content changes, so it does not
    apply here; under --strict it would otherwise stop every preview."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


class _BuildWarnings(logging.Handler):
    """Collects what MkDocs warns about during a preview build (the main thread builds;
    the server's request threads log 404s), for the problem panel."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == threading.main_thread().ident:
            self.messages.append(record.getMessage())


def project_root(config: MkDocsConfig) -> Path:
    """The repository: the folder of mkdocs.yml."""
    return Path(config.config_file_path).resolve().parent


def _cached_templates(env: Environment, config: MkDocsConfig) -> Environment:
    """Keep the theme's compiled templates between builds. MkDocs makes a new Jinja
    environment for every build, also for every rebuild of a preview, and compiling
    Material's templates took about 0.3 s each time. Jinja checks each entry against the
    template's source, so an edited template is compiled again."""
    folder = project_root(config) / CACHE_DIR / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


def _markdown(config: MkDocsConfig) -> Callable[[str], str]:
    """Markdown to HTML as MkDocs converts the pages (the extensions of mkdocs.yml), for
    the PDFs."""
    converter = markdown.Markdown(
        extensions=config.markdown_extensions, extension_configs=config.mdx_configs
    )

    def convert(text: str) -> str:
        return str(converter.reset().convert(text))

    return convert


def _pdfs_wanted(preview: bool) -> bool:
    """PDFs (and toolkit bundles) in every build, in a preview only when asked:
    ``KENNISBANK_PDF=1 make serve``; ``KENNISBANK_PDF=0`` builds without them."""
    wanted = os.environ.get("KENNISBANK_PDF", "")
    return wanted == "1" if wanted in ("0", "1") else not preview


@dataclass
class _Build:
    """What one build knows, made anew for every build (``on_config``), so nothing of a
    build leaks into the next: the site URL, each page's generated HTML blocks (put back
    into the page, then dropped) and, in a preview, the problems it reports."""

    site_url: str = ""
    fragments: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    changed: dict[str, dt.date] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)


class KennisbankSite:
    """The MkDocs side of Kennisbank for one process; its events only delegate. Per build:
    ``self.build`` (made in ``on_config``). Per process: the command, the ``SiteBuilder``
    (which owns the preview's cache and last good site), the panel, and the indexing
    service and thread (stopped in ``on_shutdown``)."""

    def __init__(self) -> None:
        self.build = _Build()
        self.command = "build"
        self.dirty = False
        self.builder: SiteBuilder | None = None  # made at the first build (needs the root)
        self.feeder: IndexFeeder | None = None  # a cold build's indexing service
        self.indexer: BackgroundIndexer | None = None  # a preview's indexing thread
        self.build_warnings = _BuildWarnings()
        self.panel = b""  # preview: what every served page shows while there are problems

    def on_startup(self, command: str, dirty: bool = False, **_: Any) -> None:
        self.command, self.dirty = command, dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarningFilter())
        if command == "serve":
            logging.getLogger("mkdocs").addHandler(self.build_warnings)
            if (
                signal.getsignal(signal.SIGINT) is signal.SIG_IGN
                and threading.current_thread() is threading.main_thread()
            ):
                # Started as a background job by a script (`make serve &`): the shell
                # ignores SIGINT for it, so Python would never raise KeyboardInterrupt and
                # MkDocs would never stop on Ctrl+C. The preview stops on it however started.
                signal.signal(signal.SIGINT, signal.default_int_handler)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """A build begins (every rebuild of a preview too): fresh per-build state."""
        self.build = _Build(site_url=config.site_url or "")
        self.build_warnings.messages = []
        if self.builder is None:
            preview = self.command == "serve"
            self.builder = SiteBuilder(
                project_root(config),
                preview=preview,
                markdown=_markdown(config),
                pdfs=_pdfs_wanted(preview),
            )
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add what Kennisbank makes (``SiteBuilder.assemble``) as MkDocs files."""
        assert self.builder is not None  # on_config made it
        site_pages = {
            file.src_uri: file.content_string
            for file in files.documentation_pages()
            if file.abs_src_path is not None and "kennisbank:" in file.content_string
        }
        try:
            made = self.builder.assemble(
                config.site_url or "",
                Path(config.docs_dir).name,
                site_pages,
                {file.src_uri for file in files},
            )
        except BuildStopped as err:
            raise Abort(str(err)) from err
        if self.builder.preview:
            self.build.problems = made.problems
            if made.problems:  # once per build, as `kennisbank check` prints them
                print(report(made.problems, made.documents, preview=True), file=sys.stderr)
        self.add_files(files, config, made)
        self.build.changed = made.changed
        self.build.headers = made.headers
        if self.dirty:
            page_files.remove_stale(
                self.builder.cache,
                self.cache_dir(config) / "pages",
                Path(config.site_dir),
                {file.dest_uri: file.src_uri for file in files},
            )
        return files

    def add_files(self, files: Files, config: MkDocsConfig, made: Assembly) -> None:
        """Generated pages are reached through listings, not the nav; a concept only in
        the preview (``InclusionLevel.DRAFT``). A site page of content/ whose blocks are
        filled in replaces its file and keeps what mkdocs.yml says of it."""
        assert self.builder is not None
        for path, page in made.pages.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)
            if path in made.drafts:
                inclusion = InclusionLevel.DRAFT
            elif path in made.generated:
                inclusion = InclusionLevel.NOT_IN_NAV
            else:
                inclusion = InclusionLevel.UNDEFINED
            if page.html:
                self.build.fragments[path] = page.html
            if self.dirty:
                source = page_files.write_page(
                    self.builder.cache, self.cache_dir(config) / "pages", path, page
                )
                files.append(
                    File.generated(config, path, abs_src_path=str(source), inclusion=inclusion)
                )
            else:
                files.append(
                    File.generated(config, path, content=page.markdown, inclusion=inclusion)
                )
        for path, text in made.texts.items():
            files.append(File.generated(config, path, content=text))
        for path, src in made.files.items():
            files.append(File.generated(config, path, abs_src_path=str(src)))

    @staticmethod
    def cache_dir(config: MkDocsConfig) -> Path:
        return project_root(config) / CACHE_DIR

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, **_: Any
    ) -> LiveReloadServer:
        """Put the problem panel into every page the preview serves (WSGI middleware on
        the server's public app). MkDocs' own watcher stays: it polls file contents
        (size, time), so reading a file never starts a build."""
        app = server.get_app()
        assert app is not None  # LiveReloadServer sets its app when it is made
        server.set_app(PanelMiddleware(app, lambda: self.panel))
        return server

    def on_page_content(self, html: str, page: Page, **_: Any) -> str:
        """Put the generated HTML blocks back into the converted page."""
        # Popped: a page's blocks are put in once, and are not needed after that.
        fragments = self.build.fragments.pop(page.file.src_uri, None)
        html = expand(html, fragments) if fragments else html
        return print_urls(title_without_permalink(html), page.url, self.build.site_url)

    def full_build(self) -> bool:
        """A cold `mkdocs build` (not a preview, not --dirty): the one that renders every
        page, where the second core can index for search meanwhile.
        ``KENNISBANK_ONE_CORE=1`` turns that off (Pagefind then runs afterwards)."""
        return (
            self.command != "serve"
            and not self.dirty
            and os.environ.get("KENNISBANK_ONE_CORE", "") in ("", "0")
        )

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files, **_: Any) -> Environment:
        """After the Markdown, before the templates: start the search indexer, which reads
        the pages as MkDocs writes them (on_post_page), on the second core."""
        self.stop_feeder()
        self.sitemap_dates(files)
        env.globals["kennisbank_kinds"] = list(KINDS.values())  # the 404 page's links
        if self.full_build():
            try:
                self.feeder = IndexFeeder()
            except SearchIndexError:
                self.feeder = None  # on_post_build runs the CLI, which reports the problem
        return _cached_templates(env, config)

    def sitemap_dates(self, files: Files) -> None:
        """MkDocs writes each page's ``update_date`` into sitemap.xml as ``lastmod``, and
        gives every page the build date. Each page gets when it last changed instead, or
        no ``lastmod`` at all when that is unknown (an empty date, which the sitemap
        template leaves out). Without any date MkDocs' build date stays (its sitemap.xml.gz
        takes the newest date as its time)."""
        if not self.build.changed:
            return
        for file in files.documentation_pages():
            if file.page is not None:
                day = self.build.changed.get(file.src_uri)
                file.page.update_date = day.isoformat() if day else ""

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
        if page.file.inclusion is InclusionLevel.DRAFT:
            output = output.replace(DRAFT_MARKER, "", 1)
        if self.feeder is not None:
            self.feeder.add(page.file.dest_uri, output)
        # MkDocs keeps every page's Markdown and HTML until the build ends; only the
        # finished output is needed from here (about 150 MB at 4,000 documents). The title
        # is pinned first: MkDocs derives it from the Markdown, and pages rendered later
        # show it in their navigation.
        page.title = page.title
        page.markdown = page.content = None
        if page.file.abs_src_path is None:  # a generated page, in memory
            page.file.content_string = ""
        return output

    def stop_feeder(self) -> None:
        if self.feeder is not None:
            self.feeder.close()
            self.feeder = None

    def on_build_error(self, **_: Any) -> None:
        self.stop_feeder()

    def on_post_build(self, config: MkDocsConfig, **_: Any) -> None:
        """Index the finished site for search, then write the security headers, whose
        script hashes come from the finished HTML. A preview indexes in the background."""
        site = Path(config.site_dir)
        if self.command == "serve":
            root = urlsplit(config.site_url or "/").path or "/"
            warnings = list(dict.fromkeys(self.build_warnings.messages))  # each once
            self.panel = panel(self.build.problems, warnings, root).encode("utf-8")
            if self.indexer is None:
                self.indexer = BackgroundIndexer(site, logging.getLogger("mkdocs").warning)
            self.indexer.request()
            return
        feeder, self.feeder = self.feeder, None
        if feeder is not None:
            feeder.start_writing(site)  # Pagefind writes while the pages are compressed

        def write_index() -> None:
            if feeder is not None:
                feeder.finish(site)
            else:
                index_site(site)

        try:
            publish.finish(
                site,
                index=write_index,
                index_dir=site / SEARCH_OUTPUT,
                folders=self.build.headers,
            )
        except SearchIndexError as err:
            raise Abort(str(err)) from err
        finally:
            if feeder is not None and feeder.error is None and not feeder.finished:
                feeder.close()  # publishing failed before the index was asked for

    def on_shutdown(self) -> None:
        """The preview stops (Ctrl+C): the indexer thread ends after its current run and
        reports nothing more; a build's indexing service is stopped."""
        if self.indexer is not None:
            self.indexer.stop()
        self.stop_feeder()
