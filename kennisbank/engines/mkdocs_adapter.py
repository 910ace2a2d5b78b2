"""The only module that imports MkDocs: wires MkDocs events to the engine-agnostic pipeline.

Moving to another engine means replacing this file (and ``hooks/``), nothing else.

Events, in the order MkDocs calls them: ``on_startup`` (command and dirty flag),
``on_files`` (validate, generate, add pages in memory; start the search indexer),
``on_page_content`` (put generated HTML blocks back), ``on_post_page`` (hand the finished
page to the search indexer), ``on_post_build`` (write the search index, then security
headers).

Preview (``mkdocs serve --dirty``, what ``make serve`` runs) takes a fast path that gives
the same pages: documents are re-read only when their file changed, generated pages are
written to a cache folder only when their content changed, so MkDocs re-renders just those,
and the search index is rebuilt in the background.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from kennisbank.cache import PreviewCache
from kennisbank.content.model import Corpus, Problem
from kennisbank.pipeline import InternalError, load, report
from kennisbank.publishing import publish
from kennisbank.publishing.search import OUTPUT as SEARCH_OUTPUT
from kennisbank.publishing.search import (
    IndexFeeder,
    SearchIndexError,
    SearchIndexInterrupted,
    index_site,
)
from kennisbank.registry import KINDS
from kennisbank.site.generate import (
    Output,
    expand,
    fill_blocks,
    generate,
    print_urls,
)
from kennisbank.site.preview import PanelMiddleware, panel

CACHE_DIR = ".cache/kennisbank"  # generated pages of dirty builds; never inside content/
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


@dataclass
class _Build:
    """What one build knows, made anew for every build (``on_config``), so nothing of a
    build leaks into the next: the site URL, each page's generated HTML blocks (put back
    into the page, then dropped) and, in a preview, the problems it reports."""

    site_url: str = ""
    fragments: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class KennisbankSite:
    """The MkDocs side of Kennisbank for one process. Per build: ``self.build`` (made in
    ``on_config``). Per process: the command, the preview's cache and last good output,
    its panel, and the indexing thread and service (stopped in ``on_shutdown``)."""

    def __init__(self) -> None:
        self.build = _Build()
        self.command = "build"
        self.dirty = False
        self.cache = PreviewCache()  # kept by a preview from one rebuild to the next
        self.page_stamps: dict[str, str] = {}  # dirty builds: cache file -> its content hash
        # ... and the objects that hash was computed from (page_file)
        self.stamp_inputs: dict[str, tuple[str, list[str] | None, str]] = {}
        self.feeder: IndexFeeder | None = None
        self.outputs: dict[str, str] = {}  # a preview's last build: output path -> source
        self.indexer: threading.Thread | None = None
        self.index_pending = False
        self.index_lock = threading.Lock()
        self.stopping = False  # the preview is shutting down (Ctrl+C)
        # Preview only: the last build without problems, what this build reports, and the
        # panel every served page shows while there is something to report.
        self.last_good: tuple[Corpus, Output] | None = None
        self.build_warnings = _BuildWarnings()
        self.panel = b""

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
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Validate everything first, then add generated pages and downloads. A build stops
        at the first problems; a preview reports them (terminal and panel) and keeps the
        last good site: the pages of the last build without problems."""
        root = project_root(config)
        preview = self.command == "serve"
        try:
            corpus, problems = load(root, self.cache if preview else None)
            if problems and not preview:
                raise Abort(report(problems, len(corpus.documents)))
            if problems and self.last_good is not None:
                corpus, output = self.last_good
            else:
                output = generate(
                    corpus,
                    config.site_url or "",
                    self.cache if preview else None,
                    preview=preview,
                )
                if not problems:
                    self.last_good = (corpus, output) if preview else None
        except InternalError as err:
            raise Abort(
                f"{err.path}:1: interne fout van Kennisbank bij het verwerken van dit bestand. "
                "Dit is geen fout in je tekst; meld het aan het webteam "
                "(details: kennisbank --debug check)."
            ) from err
        self.build.fragments = dict(output.fragments)
        try:
            with_blocks, block_problems = self.site_pages_with_blocks(files, corpus, config)
        except InternalError as err:
            raise Abort(
                f"{err.path}:1: dit bestand kan niet gelezen worden. Maak het opnieuw met "
                "'make audit', of meld het aan het webteam."
            ) from err
        pages = {**output.pages, **with_blocks}
        clashes = [
            path
            for path in [*output.pages, *output.texts, *output.files]
            if files.get_file_from_path(path) is not None
        ]
        problems += block_problems + [
            Problem(
                f"{Path(config.docs_dir).name}/{path}",
                1,
                "",
                "deze pagina wordt door Kennisbank gemaakt. Verwijder of hernoem het bestand "
                "in content/.",
                topic="plaats",
            )
            for path in clashes
        ]
        if problems and not preview:
            raise Abort(report(problems, len(corpus.documents)))
        if preview:
            self.build.problems = problems
            if problems:  # once per build, as `kennisbank check` prints them
                print(report(problems, len(corpus.documents), preview=True), file=sys.stderr)
        for path in pages:
            if path in clashes:
                continue  # the preview keeps the file of content/ (and reports it)
            existing = files.get_file_from_path(path)
            if existing is not None:  # a site page whose blocks are now filled in
                files.remove(existing)
            # Generated pages are reached through listings, not the nav; a concept only
            # in the preview. A site page of content/ keeps what mkdocs.yml says of it.
            if path in output.drafts:
                inclusion = InclusionLevel.DRAFT
            elif path in output.pages:
                inclusion = InclusionLevel.NOT_IN_NAV
            else:
                inclusion = InclusionLevel.UNDEFINED
            files.append(self.page_file(config, root, path, pages[path], inclusion))
        for path, text in output.texts.items():
            if path not in clashes:
                files.append(File.generated(config, path, content=text))
        for path, src in output.files.items():
            if path not in clashes:
                files.append(File.generated(config, path, abs_src_path=str(src)))
        if preview:
            self.remove_stale_outputs(config, files, root)
        return files

    def remove_stale_outputs(self, config: MkDocsConfig, files: Files, root: Path) -> None:
        """A preview builds into the same folder again and again (--dirty), so a page whose
        document was deleted or renamed would stay reachable at its old URL. Delete what the
        previous build wrote and this one will not (pages, downloads, feeds), and its cache
        file."""
        current = {file.dest_uri: file.src_uri for file in files}
        site = Path(config.site_dir)
        for dest in sorted(set(self.outputs) - set(current)):
            self.page_stamps.pop(self.outputs[dest], None)  # its cache file goes too
            self.stamp_inputs.pop(self.outputs[dest], None)
            for target, top in (
                (site / dest, site),
                (root / CACHE_DIR / "pages" / self.outputs[dest], root / CACHE_DIR / "pages"),
            ):
                for stale in (target, target.with_name(target.name + ".sha256")):
                    if stale.is_file():
                        stale.unlink()
                folder = target.parent
                while folder != top and folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent
        self.outputs = current

    def site_pages_with_blocks(
        self, files: Files, corpus: Corpus, config: MkDocsConfig
    ) -> tuple[dict[str, str], list[Problem]]:
        """Site pages of content/ with ``<!-- kennisbank:NAME -->`` blocks, filled in."""
        out: dict[str, str] = {}
        problems: list[Problem] = []
        for file in files.documentation_pages():
            if file.abs_src_path is None:
                continue
            filled = fill_blocks(
                file.content_string,
                file.src_uri,
                f"{Path(config.docs_dir).name}/{file.src_uri}",
                corpus,
                self.cache.cards,
            )
            if filled is not None:
                out[file.src_uri], self.build.fragments[file.src_uri], found = filled
                problems += found
        return out, problems

    def page_file(
        self,
        config: MkDocsConfig,
        root: Path,
        path: str,
        text: str,
        inclusion: InclusionLevel = InclusionLevel.UNDEFINED,
    ) -> File:
        """A generated page: in memory, or for a dirty build a cache file that is rewritten
        only when the page (Markdown or HTML blocks) changed, so MkDocs skips the rest.
        ``InclusionLevel.DRAFT``: a page only the preview has (a concept)."""
        if not self.dirty:
            return File.generated(config, path, content=text, inclusion=inclusion)
        target = root / CACHE_DIR / "pages" / path
        fragments = self.build.fragments.get(path)
        known_inputs = self.stamp_inputs.get(path)
        if known_inputs is not None and known_inputs[0] is text and known_inputs[1] is fragments:
            stamp = known_inputs[2]  # a document page from generate's cache: same objects
        else:
            stamp = hashlib.sha256("\0".join([text, *(fragments or [])]).encode()).hexdigest()
            self.stamp_inputs[path] = (text, fragments, stamp)
        stamp_file = target.with_name(target.name + ".sha256")
        known = self.page_stamps.get(path)  # this session wrote it: no need to read the stamp
        if known != stamp and (
            not target.exists() or not stamp_file.exists() or stamp_file.read_text() != stamp
        ):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            stamp_file.write_text(stamp)
        self.page_stamps[path] = stamp
        return File.generated(config, path, abs_src_path=str(target), inclusion=inclusion)

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
        return print_urls(html, page.url, self.build.site_url)

    def full_build(self) -> bool:
        """A cold `mkdocs build` (not a preview, not --dirty): the one that renders every
        page, where the second core can index for search meanwhile.
        ``KENNISBANK_ONE_CORE=1`` turns that off (Pagefind then runs afterwards)."""
        return (
            self.command != "serve"
            and not self.dirty
            and os.environ.get("KENNISBANK_ONE_CORE", "") in ("", "0")
        )

    def on_env(self, env: Environment, config: MkDocsConfig, **_: Any) -> Environment:
        """After the Markdown, before the templates: start the search indexer, which reads
        the pages as MkDocs writes them (on_post_page), on the second core."""
        self.stop_feeder()
        env.globals["kennisbank_kinds"] = list(KINDS.values())  # the 404 page's links
        if self.full_build():
            try:
                self.feeder = IndexFeeder()
            except SearchIndexError:
                self.feeder = None  # on_post_build runs the CLI, which reports the problem
        return _cached_templates(env, config)

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
            with self.index_lock:  # the loop checks the flag under the same lock
                self.index_pending = True
                if self.indexer is None:
                    self.indexer = threading.Thread(
                        target=self._index_loop, args=(site,), daemon=True
                    )
                    self.indexer.start()
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
            publish.finish(site, index=write_index, index_dir=site / SEARCH_OUTPUT)
        except SearchIndexError as err:
            raise Abort(str(err)) from err
        finally:
            if feeder is not None and feeder.error is None and not feeder.finished:
                feeder.close()  # publishing failed before the index was asked for

    def _index_loop(self, site: Path) -> None:
        """Re-index until no rebuild happened meanwhile; a failure is only logged, since the
        preview itself is fine."""
        while True:
            with self.index_lock:
                if not self.index_pending:
                    self.indexer = None  # under the lock: the next build starts a new one
                    return
                self.index_pending = False
            try:
                index_site(site)
            except SearchIndexInterrupted:
                return  # Ctrl+C reached Pagefind too: the preview is stopping
            except SearchIndexError as err:
                if not self.stopping:
                    logging.getLogger("mkdocs").warning(str(err))

    def on_shutdown(self) -> None:
        """The preview stops (Ctrl+C): the indexer thread ends after its current run and
        reports nothing more; a build's indexing service is stopped."""
        self.stopping = True
        with self.index_lock:
            self.index_pending = False
        self.stop_feeder()
