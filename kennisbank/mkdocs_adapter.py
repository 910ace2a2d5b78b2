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

import contextlib
import hashlib
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemBytecodeCache
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from . import publish
from .generate import (
    BLOCKS,
    PLACEHOLDER,
    Output,
    PageCache,
    expand,
    generate,
    page_url,
    print_urls,
)
from .model import Corpus, Problem
from .pipeline import InternalError, load, report
from .preview import PanelMiddleware, panel
from .search import OUTPUT as SEARCH_OUTPUT
from .search import IndexFeeder, SearchIndexError, SearchIndexInterrupted, index_site
from .validate import FileCache

BLOCK_MARKER = re.compile(r"<!--\s*kennisbank:([a-z-]+)\s*-->")
PRERENDERED = "kennisbank-prerendered.html"  # marks a page the helper put through the theme
CACHE_DIR = ".cache/kennisbank"  # generated pages of dirty builds; never inside content/
# A helper folder this old belongs to no running build (a build takes minutes at most).
STALE_HELPER_SECONDS = 3600
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


# A rendered page from the helper process: (HTML, table of contents, title found in the
# text, anchor ids in the page, links to anchors in other pages by their source path).
Rendered = tuple[str, Any, str | None, set[str], dict[str, dict[str, str]]]


class _Warnings(logging.Handler):
    """Collects what the helper process logs, to be logged again by the main process (where
    ``--strict`` counts warnings)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


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


def render_template(
    page: Page,
    config: MkDocsConfig,
    nav: Navigation,
    env: Environment,
    doc_files: Sequence[File],
) -> str:
    """The theme's HTML of a converted page, as MkDocs' build makes it (mkdocs.commands.build
    ``_build_page``, without writing): the page is active while its context is rendered.
    ``doc_files``: the build's documentation pages, listed once per build (listing them per
    page made the template step quadratic)."""
    config._current_page = page
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return template.render(context)
    finally:
        page.active = False
        config._current_page = None


def _render_in_helper(
    send: Connection,
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
    uris: list[str],
    folder: Path,
) -> None:
    """Body of the helper process (a fork: it has the build's config, files and nav).
    First convert these pages' Markdown exactly as MkDocs would (``Page.render``) and send
    that; then put each page through the theme's templates, write the finished HTML to a
    file in ``folder`` and send the file names. Sending the pages themselves meant holding
    all of them, twice while unpickling, in the main process (about 120 MB at 4,000
    documents); from files the main process reads one page at a time."""
    warnings = _Warnings()
    mkdocs_log = logging.getLogger("mkdocs")
    for handler in list(mkdocs_log.handlers):
        mkdocs_log.removeHandler(handler)
    mkdocs_log.addHandler(warnings)
    mkdocs_log.propagate = False
    out: dict[str, Rendered] = {}
    pages: list[Page] = []
    try:
        for uri in uris:
            file = files.get_file_from_path(uri)
            assert file is not None
            page = file.page or Page(None, file, config)
            page.read_source(config)
            page.render(config, files)
            links = {
                target.src_uri: dict(anchors)
                for target, anchors in (page.links_to_anchors or {}).items()
            }
            out[uri] = (
                page.content or "",
                page.toc,
                page._title_from_render,
                set(page.present_anchor_ids or ()),
                links,
            )
            pages.append(page)
        send.send((out, warnings.records))
    except BaseException as err:  # the main process then renders these pages itself
        send.send((None, [("mkdocs", logging.DEBUG, f"Kennisbank-hulpproces: {err!r}")]))
        send.close()
        return
    out.clear()
    warnings.records = []
    written: dict[str, str] = {}
    try:
        # A nav entry without a title of its own shows its page's title, which MkDocs
        # takes from the page once it is converted; that happens in the main process, so
        # the helper would not know it. The main process then applies the theme.
        if any("title" not in vars(item) for item in nav.pages):
            raise RuntimeError("een menu-item zonder eigen titel")
        env = _cached_templates(config.theme.get_env(), config)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        for number, page in enumerate(pages):
            page.content = config.plugins.on_page_content(
                page.content or "", page=page, config=config, files=files
            )
            html = render_template(page, config, nav, env, doc_files)
            path = folder / f"{number}.html"
            # surrogatepass: a lone surrogate survives the trip; MkDocs decides what to
            # write for it, as for its own pages.
            path.write_bytes(html.encode("utf-8", errors="surrogatepass"))
            written[page.file.src_uri] = str(path)
            page.content = None  # only this file is needed from here on
        send.send((written, warnings.records))
    except BaseException as err:  # the main process then uses the theme itself
        send.send((None, [("mkdocs", logging.DEBUG, f"Kennisbank-hulpproces: {err!r}")]))
    finally:
        send.close()


def _remove_stale_helper_folders(cache: Path) -> None:
    """Folders of helper processes of builds that were killed (see RenderHelper)."""
    for stale in cache.glob("helper-*"):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > STALE_HELPER_SECONDS:
                shutil.rmtree(stale, ignore_errors=True)


class RenderHelper:
    """Uses the second core: a forked process converts a share of the document pages while
    MkDocs converts the rest (``on_page_markdown`` hands MkDocs an empty text,
    ``on_page_content`` puts the helper's HTML in), then applies the theme's templates to
    them while MkDocs does the rest (those pages get an empty template, ``on_post_page``
    takes the helper's page). Pages, tables of contents, anchors and warnings are the same
    as MkDocs' own (tested). If the helper fails at either step, MkDocs does that step."""

    def __init__(
        self, config: MkDocsConfig, files: Files, nav: Navigation, uris: list[str]
    ) -> None:
        self.uris = set(uris)
        self._results: dict[str, Rendered] | None = None
        self._html: dict[str, str] | None = None
        self._received = 0
        # On disk beside the project (not in /tmp, which may be memory): the finished pages.
        cache = project_root(config) / CACHE_DIR
        cache.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="helper-", dir=cache))
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_render_in_helper,
            args=(send, config, files, nav, uris, self.folder),
            daemon=True,
        )
        self._process.start()
        send.close()

    def _next(self) -> Any:
        """The helper's next message (its warnings logged here); None if it failed."""
        self._received += 1
        try:
            data, records = self._receive.recv()
        except Exception:  # a helper that died or sent garbage: MkDocs renders them
            data, records = None, []
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        return data

    def results(self) -> dict[str, Rendered] | None:
        """The helper's converted pages (waits for them the first time); None if it
        failed."""
        if self._received == 0:
            self._results = self._next()
        return self._results

    def html(self, uri: str) -> str | None:
        """The helper's finished page (waits for the helper the first time); None if it
        failed, then the theme is used here. Each page is read once, then deleted."""
        if self._received == 0:
            self.results()
        if self._received == 1:
            self._html = self._next() if self._results is not None else None
            self._process.join()
        name = (self._html or {}).pop(uri, None)
        if name is None:
            return None
        try:
            data = Path(name).read_bytes()
            os.unlink(name)
        except OSError:
            return None
        return data.decode("utf-8", errors="surrogatepass")

    def close(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class KennisbankSite:
    """State for one MkDocs process: the corpus of the current build and the caches."""

    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.site_url = ""
        self.fragments: dict[str, list[str]] = {}
        self.command = "build"
        self.dirty = False
        self.file_cache: FileCache = {}
        self.page_cache: PageCache = {}
        self.page_stamps: dict[str, str] = {}  # dirty builds: cache file -> its content hash
        # ... and the objects that hash was computed from (page_file)
        self.stamp_inputs: dict[str, tuple[str, list[str] | None, str]] = {}
        self.feeder: IndexFeeder | None = None
        self.helper: RenderHelper | None = None
        self.nav: Navigation | None = None
        self.env: Environment | None = None
        self.files: Files | None = None
        self.doc_files: Sequence[File] | None = None
        self.document_pages: list[str] = []
        self.outputs: dict[str, str] = {}  # a preview's last build: output path -> source
        self.indexer: threading.Thread | None = None
        self.index_pending = False
        self.index_lock = threading.Lock()
        self.stopping = False  # the preview is shutting down (Ctrl+C)
        # Preview only: the last build without problems, what this build reports, and the
        # panel every served page shows while there is something to report.
        self.last_good: tuple[Corpus, Output] | None = None
        self.problems: list[Problem] = []
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

    def on_pre_build(self, **_: Any) -> None:
        self.build_warnings.messages = []

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Validate everything first, then add generated pages and downloads. A build stops
        at the first problems; a preview reports them (terminal and panel) and keeps the
        last good site: the pages of the last build without problems."""
        root = project_root(config)
        preview = self.command == "serve"
        try:
            corpus, problems = load(root, self.file_cache)
            if problems and not preview:
                raise Abort(report(problems, len(corpus.documents)))
            if problems and self.last_good is not None:
                corpus, output = self.last_good
            else:
                output = generate(
                    corpus,
                    config.site_url or "",
                    self.page_cache if preview else None,
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
        self.corpus = corpus
        self.site_url = config.site_url or ""
        self.document_pages = [doc.page_path for doc in corpus.published()]
        self.fragments = dict(output.fragments)
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
            self.problems = problems
            if problems:  # once per build, as `kennisbank check` prints them
                print(report(problems, len(corpus.documents), preview=True), file=sys.stderr)
        for path in pages:
            if path in clashes:
                continue  # the preview keeps the file of content/ (and reports it)
            existing = files.get_file_from_path(path)
            if existing is not None:  # a site page whose blocks are now filled in
                files.remove(existing)
            inclusion = InclusionLevel.DRAFT if path in output.drafts else InclusionLevel.UNDEFINED
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
        """Site pages in content/ with ``<!-- kennisbank:NAME -->`` blocks, filled in; their
        HTML is kept out of Markdown like every generated block. An unknown block is a
        problem (and stays an HTML comment)."""
        out: dict[str, str] = {}
        problems: list[Problem] = []
        for file in files.documentation_pages():
            if file.abs_src_path is None:
                continue
            source = file.content_string
            if "kennisbank:" not in source:
                continue
            url = page_url(file.src_uri)
            fragments: list[str] = []

            def block(
                match: re.Match[str],
                url: str = url,
                page: str = file.src_uri,
                fragments: list[str] = fragments,
                source: str = source,
            ) -> str:
                render_block = BLOCKS.get(match.group(1))
                if render_block is None:
                    problems.append(
                        Problem(
                            f"{Path(config.docs_dir).name}/{page}",
                            source.count("\n", 0, match.start()) + 1,
                            "",
                            f"onbekend blok '{match.group(1)}'. Bestaande blokken: "
                            f"{', '.join(BLOCKS)}.",
                            topic="blokken",
                        )
                    )
                    return match.group()
                fragments.append(render_block(corpus, url))
                return "\n\n" + PLACEHOLDER.format(len(fragments) - 1) + "\n\n"

            out[file.src_uri] = BLOCK_MARKER.sub(block, source)
            self.fragments[file.src_uri] = fragments
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
        fragments = self.fragments.get(path)
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

    def on_page_content(self, html: str, page: Page, files: Files, **_: Any) -> str:
        """Put the helper's HTML in (see RenderHelper), then the generated HTML blocks back
        into the converted page."""
        helper = self.helper
        if helper is not None and page.file.src_uri in helper.uris:
            # Popped: the helper's HTML is not kept beside the page's final HTML.
            rendered = (helper.results() or {}).pop(page.file.src_uri, None)
            if rendered is not None:
                html, page.toc, page._title_from_render, page.present_anchor_ids, links = rendered
                page.links_to_anchors = {
                    target: anchors
                    for uri, anchors in links.items()
                    if (target := files.get_file_from_path(uri)) is not None
                }
                page.meta["template"] = PRERENDERED  # the helper applies the theme too
        # Popped: a page's blocks are put in once, and are not needed after that.
        fragments = self.fragments.pop(page.file.src_uri, None)
        html = expand(html, fragments) if fragments else html
        return print_urls(html, page.url, self.site_url)

    def full_build(self) -> bool:
        """A cold `mkdocs build` (not a preview, not --dirty): the one that renders every
        page, where the second core can help. ``KENNISBANK_ONE_CORE=1`` turns the helper
        process and the indexer that runs alongside off (Pagefind then runs afterwards)."""
        return (
            self.command != "serve"
            and not self.dirty
            and os.environ.get("KENNISBANK_ONE_CORE", "") in ("", "0")
        )

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Before MkDocs converts the pages: give the second half of the document pages to
        a helper process (MkDocs goes through pages in order, so both start at once)."""
        self.stop_helper()
        self.files, self.doc_files = files, None
        if self.full_build():
            _remove_stale_helper_folders(project_root(config) / CACHE_DIR)
            share = self.document_pages[len(self.document_pages) // 2 :]
            if share and (os.cpu_count() or 1) > 1 and hasattr(os, "fork"):
                self.helper = RenderHelper(config, files, nav, share)
        self.nav = nav
        return nav

    def on_page_markdown(self, markdown: str, page: Page, **_: Any) -> str:
        helper = self.helper
        if helper is not None and page.file.src_uri in helper.uris:
            results = helper.results()
            if results is not None and page.file.src_uri in results:
                return ""  # converted by the helper; put in by on_page_content
        return markdown

    def on_env(self, env: Environment, config: MkDocsConfig, **_: Any) -> Environment:
        """After the Markdown, before the templates: start the search indexer, which reads
        the pages as MkDocs writes them (on_post_page), on the second core. Started after
        the helper was forked, so that the helper does not inherit its pipes."""
        self.stop_feeder()
        if self.full_build():
            try:
                self.feeder = IndexFeeder()
            except SearchIndexError:
                self.feeder = None  # on_post_build runs the CLI, which reports the problem
        # Pages the helper puts through the theme get an empty template here (see
        # on_post_page); the theme's own templates come after it.
        env.loader = ChoiceLoader([DictLoader({PRERENDERED: ""}), env.loader])  # type: ignore[list-item]
        self.env = env
        return _cached_templates(env, config)

    def stop_helper(self) -> None:
        if self.helper is not None:
            self.helper.close()
            self.helper = None

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig, **_: Any) -> str:
        if page.meta.get("template") == PRERENDERED:
            output = self.prerendered(page, config)
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

    def prerendered(self, page: Page, config: MkDocsConfig) -> str:
        """The helper's finished HTML of a page; if the helper failed after converting it,
        the theme is applied here, as MkDocs would have."""
        del page.meta["template"]
        html = self.helper.html(page.file.src_uri) if self.helper else None
        if html is None:
            assert self.nav is not None and self.env is not None and self.files is not None
            if self.doc_files is None:
                self.doc_files = self.files.documentation_pages(
                    inclusion=InclusionLevel.is_included
                )
            html = render_template(page, config, self.nav, self.env, self.doc_files)
        return html

    def stop_feeder(self) -> None:
        if self.feeder is not None:
            self.feeder.close()
            self.feeder = None

    def on_build_error(self, **_: Any) -> None:
        self.stop_helper()
        self.stop_feeder()

    def on_post_build(self, config: MkDocsConfig, **_: Any) -> None:
        """Index the finished site for search, then write the security headers, whose
        script hashes come from the finished HTML. A preview indexes in the background."""
        site = Path(config.site_dir)
        if self.command == "serve":
            root = urlsplit(config.site_url or "/").path or "/"
            warnings = list(dict.fromkeys(self.build_warnings.messages))  # each once
            self.panel = panel(self.problems, warnings, root).encode("utf-8")
            with self.index_lock:  # the loop checks the flag under the same lock
                self.index_pending = True
                if self.indexer is None:
                    self.indexer = threading.Thread(
                        target=self._index_loop, args=(site,), daemon=True
                    )
                    self.indexer.start()
            return
        self.stop_helper()
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
        reports nothing more; a build's helpers are stopped."""
        self.stopping = True
        with self.index_lock:
            self.index_pending = False
        self.stop_helper()
        self.stop_feeder()
