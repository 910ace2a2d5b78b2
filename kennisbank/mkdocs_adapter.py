"""The only module that imports MkDocs: wires MkDocs events to the engine-agnostic pipeline.

Moving to another engine means replacing this file (and ``hooks/``), nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import publish
from .generate import BLOCKS, PLACEHOLDER, expand, generate, page_url
from .model import Corpus
from .pipeline import InternalError, load, summary
from .search import SearchIndexError, index_site

BLOCK_MARKER = re.compile(r"<!--\s*kennisbank:([a-z-]+)\s*-->")


class KennisbankSite:
    """State for one MkDocs process: the corpus of the current build."""

    def __init__(self) -> None:
        self.corpus: Corpus | None = None
        self.fragments: dict[str, list[str]] = {}
        self.command = "build"

    def root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Validate everything first, then add generated pages and downloads in memory."""
        root = self.root(config)
        try:
            corpus, problems = load(root)
            if problems:
                lines = [p.format() for p in problems]
                raise Abort("\n".join([*lines, summary(problems, len(corpus.documents))]))
            output = generate(corpus, config.site_url or "")
        except InternalError as err:
            raise Abort(
                f"{err.path}:1: interne fout van Kennisbank bij het verwerken van dit bestand. "
                "Dit is geen fout in je tekst; meld het aan het webteam "
                "(details: kennisbank --debug check)."
            ) from err

        self.corpus = corpus
        self.fragments = dict(output.fragments)
        texts = {**output.pages, **output.texts}
        generated = [
            *(File.generated(config, path, content=text) for path, text in texts.items()),
            *(
                File.generated(config, path, abs_src_path=str(src))
                for path, src in output.files.items()
            ),
        ]
        clashes = [f.src_uri for f in generated if files.get_file_from_path(f.src_uri) is not None]
        if clashes:
            raise Abort(
                "\n".join(
                    f"{config.docs_dir}/{path}:1: deze pagina wordt door Kennisbank gemaakt. "
                    "Verwijder of hernoem het bestand in content/."
                    for path in clashes
                )
            )
        for file in generated:
            files.append(file)
        return files

    def on_page_markdown(self, markdown: str, page: Page, **_: Any) -> str:
        """Fill ``<!-- kennisbank:NAME -->`` blocks in site pages (e.g. the home page)."""
        if self.corpus is None or "kennisbank:" not in markdown:
            return markdown
        corpus = self.corpus
        url = page_url(page.file.src_uri)

        def block(match: re.Match[str]) -> str:
            render_block = BLOCKS.get(match.group(1))
            if render_block is None:
                raise Abort(
                    f"{page.file.src_uri}: onbekend blok '{match.group(1)}'. Bestaande blokken: "
                    f"{', '.join(BLOCKS)}."
                )
            # Kept out of Markdown like every generated block; put back in on_page_content.
            fragments = self.fragments.setdefault(page.file.src_uri, [])
            fragments.append(render_block(corpus, url))
            return "\n\n" + PLACEHOLDER.format(len(fragments) - 1) + "\n\n"

        return BLOCK_MARKER.sub(block, markdown)

    def on_page_content(self, html: str, page: Page, **_: Any) -> str:
        """Put the generated HTML blocks back into the converted page."""
        fragments = self.fragments.get(page.file.src_uri)
        return expand(html, fragments) if fragments else html

    def on_startup(self, command: str, **_: Any) -> None:
        self.command = command

    def on_post_build(self, config: MkDocsConfig, **_: Any) -> None:
        """Index the finished site for search (also under `mkdocs serve`), then write the
        security headers, whose script hashes come from the finished HTML."""
        site = Path(config.site_dir)
        try:
            index_site(site)
        except SearchIndexError as err:
            raise Abort(str(err)) from err
        # Precompressed copies only pay for a published build, not for a preview.
        publish.finish(site, compress=self.command != "serve")
