"""A PDF of every published document, rendered in-process with WeasyPrint as PDF/UA-1
(tagged, ``/Lang``, title and author in the metadata, bookmarks from the headings).

PDFs are cached by a hash of everything that goes into them: the print HTML (text,
metadata, template), the CSS, the fonts and WeasyPrint's version. A rebuild without
changes renders none; a changed document renders only its own. Files are written to a
temporary name and then renamed, so no partial PDF is ever left in the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from markupsafe import Markup

from kennisbank.content.model import Corpus, Document
from kennisbank.content.safety import SCHEME
from kennisbank.registry import FACTS, PUBLISHER
from kennisbank.registry import FONTS as SCRIPT_FONTS
from kennisbank.site import languages
from kennisbank.site.downloads import Download, absolute, pdf_name
from kennisbank.site.generate import page_url
from kennisbank.site.render import render

FONTS = "node_modules/@fontsource/atkinson-hyperlegible/files"  # from the project root
CSS_FILE = "pdf.css"  # in kennisbank/site/templates/


class PdfError(Exception):
    """A PDF could not be made: ``path`` (the document or the missing font folder) and a
    Dutch message that says what to do."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}:1: {message}")
        self.path, self.message = path, message


HREF = re.compile(r'(?P<attr>href|src)="(?P<url>[^"#][^"]*|#[^"]*)"')


@dataclass
class PdfMaker:
    """Makes (or takes from its cache) the PDF of each document of one build."""

    root: Path  # the project
    cache_dir: Path  # outside site/: .cache/kennisbank/pdf
    markdown: Callable[[str], str]  # the engine's Markdown conversion, as the pages get it
    site_url: str
    progress: Callable[[str], None] = lambda message: print(message, file=sys.stderr)
    rendered: int = 0  # PDFs rendered by this maker (not taken from the cache)
    _style: tuple[str, str] | None = field(default=None, repr=False)  # (CSS, its digest)
    _weasy: Any = field(default=None, repr=False)  # (HTML, CSS, FontConfiguration, URLFetcher)

    def style(self) -> tuple[str, str]:
        """The print CSS and a digest of it, its fonts and WeasyPrint's version."""
        if self._style is None:
            fonts = self.root / FONTS
            if not fonts.is_dir():
                raise PdfError(
                    FONTS,
                    "het lettertype voor de PDF's ontbreekt. Voer 'make build' uit (dat "
                    "installeert het met npm), of 'npm ci' in de map van het project.",
                )
            css = resources.files("kennisbank.site").joinpath("templates", CSS_FILE)
            modules = (self.root / languages.NODE_MODULES).resolve()
            # The summaries' fonts (one per script), by file URL: WeasyPrint embeds them.
            text = languages.font_faces(self.root, lambda p: (modules / p).as_uri())
            text += css.read_text("utf-8")
            digest = hashlib.sha256(text.encode())
            used = [modules / p for font in SCRIPT_FONTS.values() for p in font.files()]
            for font in [*sorted(fonts.glob("*.woff2")), *used]:
                digest.update(font.name.encode() + font.read_bytes())
            digest.update(metadata.version("weasyprint").encode())
            self._style = (text, digest.hexdigest())
        return self._style

    def print_html(self, corpus: Corpus, doc: Document) -> str:
        """The document as the PDF shows it: cover block, body, recommendations, changes."""
        body = corpus.bodies.get(doc.id, doc.source.body)
        html = self.markdown(body)
        html = HREF.sub(lambda m: self._absolute(doc, m), html)
        lang = str(doc.meta.get("language", "nl"))
        facts = []
        for fact in FACTS:
            value = doc.meta.get(fact.key)
            if value in (None, "", []):
                continue
            items = value if isinstance(value, list) else [value]
            labels = [
                corpus.label(fact.vocabulary, str(v)) if fact.vocabulary else str(v)
                for v in items
            ]
            facts.append((fact.label, labels))
        keywords = ", ".join(str(t) for t in doc.meta.get("tags", []))
        return render(
            "pdf.html.j2",
            doc=doc,
            lang=lang,
            publisher=PUBLISHER,
            reference=doc.meta.get("reference"),
            version=doc.meta.get("version"),
            facts=facts,
            keywords=keywords,
            url=absolute(self.site_url, doc),
            body=Markup(html),  # converted from the validated body
            recommendations=doc.meta.get("recommendations") or [],
            changelog=doc.meta.get("changelog") or [],
            summaries=languages.summaries(doc),
        )

    def _absolute(self, doc: Document, match: re.Match[str]) -> str:
        """Links of the body as a printed page needs them: full URLs (links within the
        document stay). Images stay files on disk (nothing is fetched from the network)."""
        attr, url = match.group("attr"), match.group("url")
        if SCHEME.match(url) or url.startswith("#"):  # footnotes stay links inside the PDF
            return match.group()
        path, _, fragment = url.partition("#")
        site_path = posixpath.normpath(posixpath.join(posixpath.dirname(doc.page_path), path))
        if attr == "src":
            for base in (self.root / "content", doc.source.path.parent):
                candidate = (base / site_path) if base.name == "content" else (base / path)
                if candidate.is_file():
                    return f'src="{candidate.resolve().as_uri()}"'
            return match.group()
        target = page_url(site_path) if site_path.endswith(".md") else site_path
        full = f"{self.site_url.rstrip('/')}/{target}" + (f"#{fragment}" if fragment else "")
        return f'href="{full}"'

    def make(self, corpus: Corpus, docs: list[Document]) -> dict[str, Download]:
        """``{document id: its PDF}``, from the cache where nothing changed. A build then
        deletes the cached PDFs it did not use (``prune``)."""
        css, style_digest = self.style()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        out: dict[str, Download] = {}
        todo: list[tuple[Document, str, Path]] = []
        for doc in docs:
            html = self.print_html(corpus, doc)
            key = hashlib.sha256((style_digest + "\0" + html).encode()).hexdigest()
            target = self.cache_dir / f"{key}.pdf"
            pages = self._pages(target)
            if pages is None:
                todo.append((doc, html, target))
            else:
                out[doc.id] = self._download(doc, target, pages)
        for number, (doc, html, target) in enumerate(todo, start=1):
            pages = self._render(doc, html, css, target)
            out[doc.id] = self._download(doc, target, pages)
            if len(todo) >= 20 and (number % 25 == 0 or number == len(todo)):
                self.progress(f"PDF's maken: {number} van {len(todo)}")
        self.progress(f"PDF's: {len(docs)}, waarvan {len(todo)} nieuw gemaakt.")
        return {doc.id: out[doc.id] for doc in docs}

    def prune(self, used: set[Path]) -> None:
        """Delete cached PDFs (and their page counts) that this build did not use."""
        for path in self.cache_dir.glob("*.pdf"):
            if path not in used:
                path.unlink(missing_ok=True)
                path.with_suffix(".json").unlink(missing_ok=True)

    @staticmethod
    def _pages(target: Path) -> int | None:
        """The page count of a cached PDF; None if it is not in the cache (complete)."""
        info = target.with_suffix(".json")
        if not (target.is_file() and info.is_file()):
            return None
        try:
            return int(json.loads(info.read_text("utf-8"))["pages"])
        except (ValueError, KeyError, TypeError):
            return None

    def _download(self, doc: Document, target: Path, pages: int) -> Download:
        return Download(
            role="pdf",
            title=f"{doc.title} (PDF)",
            name=pdf_name(doc),
            format="PDF",
            size=target.stat().st_size,
            source=target,
            pages=pages,
        )

    def _render(self, doc: Document, html: str, css: str, target: Path) -> int:
        if self._weasy is None:  # imported only when a PDF must be made (0.4–0.8 s)
            from weasyprint import CSS, HTML
            from weasyprint.text.fonts import FontConfiguration
            from weasyprint.urls import URLFetcher

            fonts = FontConfiguration()
            base = (self.root / FONTS).resolve().as_uri() + "/"
            stylesheet = CSS(string=css, base_url=base, font_config=fonts)
            # Files only: a build never fetches from the network.
            self._weasy = (HTML, stylesheet, fonts, URLFetcher(allowed_protocols={"file"}))
        html_class, stylesheet, fonts, fetcher = self._weasy
        try:
            document = html_class(
                string=html, base_url=str(doc.source.path.parent), url_fetcher=fetcher
            ).render(stylesheets=[stylesheet], font_config=fonts)
            pages = len(document.pages)
            data = document.write_pdf(pdf_variant="pdf/ua-1")
        except Exception as err:  # WeasyPrint raises many kinds; name the document
            raise PdfError(
                doc.source.rel,
                f"de PDF van dit document kon niet gemaakt worden ({type(err).__name__}: "
                f"{err}). Dit is geen fout in je tekst; meld het aan het webteam.",
            ) from err
        write_atomic(target, data)
        write_atomic(target.with_suffix(".json"), json.dumps({"pages": pages}).encode())
        self.rendered += 1
        return pages


def write_atomic(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
