"""Take-away downloads (issue #14): tagged PDFs, toolkit bundles, the download block and
citations, on the real build (WeasyPrint, MkDocs) and read back with pypdf."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, advies, run_mkdocs, tiny_png, write_doc
from pypdf import PdfReader

from kennisbank.registry import KINDS, PUBLISHER
from kennisbank.site.downloads import bundle_name, pdf_name
from kennisbank.site.render import file_size

HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def page_html(site: Path, doc) -> str:
    return (site / doc.url / "index.html").read_text(encoding="utf-8")


def block_items(page: str) -> list[tuple[str, str, str]]:
    """(href, title, info) of each row of the download block."""
    block = page.split('<section class="kb-take-away"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(
        r'<a href="([^"]+)"[^>]* download>([^<]+)</a> <span class="kb-downloads__info">([^<]+)<',
        block,
    )
    return [(href, html.unescape(title), html.unescape(info)) for href, title, info in rows]


def words(text: str) -> str:
    """Text with its whitespace normalised (PDF text extraction breaks lines, also after
    a hyphen)."""
    return " ".join(text.split()).replace("- ", "-")


def test_every_published_document_has_a_tagged_pdf_ua(built_site: Path, corpus) -> None:
    published = corpus.published()
    assert len(published) >= 15
    for doc in published:
        path = built_site / doc.url / pdf_name(doc)
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root, doc.id
        assert bool(root["/MarkInfo"]["/Marked"]), doc.id
        assert root["/Lang"] == doc.meta.get("language", "nl"), doc.id
        assert reader.metadata.title == doc.title, doc.id
        assert reader.metadata.author == PUBLISHER.name, doc.id
        xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
        assert 'pdfuaid:part="1"' in xmp, doc.id  # declares PDF/UA-1
        text = words(" ".join(page.extract_text() for page in reader.pages))
        assert words(doc.title) in text, doc.id
        body = corpus.bodies.get(doc.id, doc.source.body)
        headings = [re.sub(r"[*_`]", "", h) for h in HEADING.findall(body)]
        assert headings, doc.id
        for heading in headings:
            assert words(heading) in text, (doc.id, heading)
        # Bookmarks from the headings; the cover's page numbers as the print design says.
        outline = [item["/Title"] for item in flatten(reader.outline)]
        assert doc.title in outline and all(words(h) in map(words, outline) for h in headings)
        pages = len(reader.pages)
        assert f"pagina 1 van {pages}" in text, doc.id
        assert PUBLISHER.licence in text and doc.url in text.replace(" ", ""), doc.id


def flatten(outline) -> list:
    out = []
    for item in outline:
        out += flatten(item) if isinstance(item, list) else [item]
    return out


def test_fonts_come_from_the_package_and_are_embedded(built_site: Path, corpus) -> None:
    doc = next(d for d in corpus.published() if d.kind == "toolkit")
    reader = PdfReader(built_site / doc.url / pdf_name(doc))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font.get("/FontDescriptor") or font["/DescendantFonts"][0]
                          .get_object()["/FontDescriptor"]).get_object()
            fonts[font["/BaseFont"]] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    body_fonts = [name for name in fonts if "KB" in name]
    assert body_fonts, fonts  # the @font-face family of pdf.css, not a system fallback
    assert all(fonts.values()), fonts  # every font embedded


def test_download_block_measures_what_it_lists(built_site: Path, corpus) -> None:
    for doc in corpus.published():
        page = page_html(built_site, doc)
        items = block_items(page)
        # The block comes before the document's own text.
        assert page.index('class="kb-take-away"') < page.index('class="kb-facts"')
        hrefs = [href for href, _, _ in items]
        expected = [pdf_name(doc)]
        if KINDS[doc.kind].bundle:
            expected.append(bundle_name(doc))
        expected += [att.name for att in doc.attachments]
        assert hrefs == expected, doc.id
        for href, _, info in items:
            target = built_site / doc.url / href
            assert target.is_file(), (doc.id, href)
            assert file_size(target.stat().st_size) in info, (doc.id, href, info)
            if href.endswith(".pdf"):
                pages = len(PdfReader(target).pages)
                unit = "pagina" if pages == 1 else "pagina's"
                assert info == f"PDF, {file_size(target.stat().st_size)}, {pages} {unit}"
        assert f"mailto:{PUBLISHER.contact}" in page  # another format on request
        if doc.meta.get("version"):
            assert f"Versie {doc.meta['version']} van " in page
            assert 'href="#versiegeschiedenis"' in page and 'id="versiegeschiedenis"' in page


def test_toolkit_bundle_holds_exactly_its_files(built_site: Path, corpus) -> None:
    toolkits = [d for d in corpus.published() if KINDS[d.kind].bundle]
    assert toolkits
    for doc in toolkits:
        data = (built_site / doc.url / bundle_name(doc)).read_bytes()
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        assert names == ["LEESMIJ.txt", pdf_name(doc), *[a.name for a in doc.attachments]]
        assert archive.read(pdf_name(doc)) == (built_site / doc.url / pdf_name(doc)).read_bytes()
        for att in doc.attachments:
            assert archive.read(att.name) == att.path.read_bytes()
        readme = archive.read("LEESMIJ.txt").decode("utf-8")
        assert doc.title in readme and f"Versie: {doc.meta['version']}" in readme
        assert PUBLISHER.licence in readme and f"/{doc.url}" in readme
        assert all(name in readme for name in names[1:])
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_citation_block_and_files(built_site: Path, corpus) -> None:
    for doc in corpus.published():
        page = page_html(built_site, doc)
        bib = built_site / doc.url / f"{doc.id}.bib"
        csl = built_site / doc.url / f"{doc.id}.json"
        if not KINDS[doc.kind].cite:
            assert "Citeer dit document" not in page and not bib.exists(), doc.id
            continue
        assert "Citeer dit document" in page, doc.id
        assert f'href="{doc.id}.bib"' in page and f'href="{doc.id}.json"' in page
        entry = bib.read_text(encoding="utf-8")
        assert entry.startswith("@report{") and f"number = {{{doc.meta['reference']}}}" in entry
        item = json.loads(csl.read_text(encoding="utf-8"))[0]
        assert item["title"] == doc.title and item["number"] == doc.meta["reference"]
        assert item["issued"]["date-parts"] == [[doc.date.year, doc.date.month, doc.date.day]]
        assert item["URL"].endswith("/" + doc.url)


def test_open_data_links_each_pdf(built_site: Path, corpus) -> None:
    data = json.loads((built_site / "data/documenten.json").read_text(encoding="utf-8"))
    for record in data["documents"]:
        path = record["pdf"].split("://", 1)[1].split("/", 1)[1]
        assert (built_site / path).is_file(), record["pdf"]


HARD_TITLE = 'Gelijke kansen <nu> & "later": één Ünïcode-test — ağaç, Ελλάδα, العربية'


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory) -> tuple[Path, Path]:
    """A scratch repository with one advies whose metadata has markup characters, quotes
    and non-Latin letters, built once."""
    from conftest import make_scratch_repo

    root = make_scratch_repo(tmp_path_factory.mktemp("repo"))
    title = HARD_TITLE.replace('"', '\\"')
    write_doc(
        root,
        "advisories/adviezen/lastig.md",
        advies(
            title=f'"{title}"',
            ref="ADV-2025-07",
            body="## Kop & <meer>\n\nTekst met een [externe link](https://www.unia.be/nl).",
        ),
    )
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs(root, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return root, site


def test_markup_and_letters_come_out_right_everywhere(tricky_site) -> None:
    _, site = tricky_site
    folder = site / "adviezen/lastig"
    reader = PdfReader(folder / "lastig.pdf")
    assert reader.metadata.title == HARD_TITLE
    text = reader.pages[0].extract_text()
    assert words(HARD_TITLE) in words(text)
    # A printed link carries its address after its text.
    assert "externelink(https://www.unia.be/nl)" in "".join(text.split())
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert "Gelijke kansen &lt;nu&gt; &amp; &#34;later&#34;" in html.replace("&quot;", "&#34;")
    assert "<nu>" not in html
    entry = (folder / "lastig.bib").read_text(encoding="utf-8")
    assert 'title = {Gelijke kansen <nu> \\& "later": één Ünïcode-test' in entry
    assert "Ελλάδα, العربية" in entry
    item = json.loads((folder / "lastig.json").read_text(encoding="utf-8"))[0]
    assert item["title"] == HARD_TITLE


def test_rebuild_renders_only_what_changed(tricky_site, tmp_path: Path) -> None:
    """Counted, not timed: the build says how many PDFs it made."""
    root, _ = tricky_site
    write_doc(root, "advisories/adviezen/tweede.md", advies(title="Tweede", ref="ADV-2025-08"))

    def made() -> tuple[int, int]:
        result = run_mkdocs(root, tmp_path / "site")
        assert result.returncode == 0, result.stdout + result.stderr
        found = re.search(r"PDF's: (\d+), waarvan (\d+) nieuw gemaakt", result.stderr)
        assert found, result.stderr
        return int(found.group(1)), int(found.group(2))

    assert made() == (2, 1)  # only the new document's PDF; the other is in the cache
    assert made() == (2, 0)
    bundle = tmp_path / "site/adviezen/tweede/tweede.pdf"
    before = bundle.read_bytes()
    path = root / "advisories/adviezen/tweede.md"
    path.write_text(path.read_text().replace("Tekst.", "Andere tekst."), encoding="utf-8")
    assert made() == (2, 1)
    assert bundle.read_bytes() != before
    assert len(list((root / ".cache/kennisbank/pdf").glob("*.pdf"))) == 2  # old one pruned


def test_zip_is_byte_identical_across_cold_builds(scratch_repo: Path, tmp_path: Path) -> None:
    folder = scratch_repo / "toolkits/tk"
    folder.mkdir(parents=True)
    (folder / "plan.docx").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    (folder / "lijst.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    write_doc(
        scratch_repo,
        "toolkits/tk/index.md",
        "---\ntype: toolkit\ntitle: Toolkit\ndate: 2025-01-10\nsummary: Samenvatting.\n"
        "domains: [werk]\nactors: [gemeente]\nversion: 1.2.0\nfiles:\n"
        "  - path: plan.docx\n    title: Plan\n  - path: lijst.csv\n    title: Lijst\n"
        "---\n## Stap 1\n\nTekst.\n",
    )
    zips = []
    for n in range(2):
        result = run_mkdocs(scratch_repo, tmp_path / f"site{n}")
        assert result.returncode == 0, result.stdout + result.stderr
        zips.append((tmp_path / f"site{n}/toolkits/tk/tk-v1.2.0.zip").read_bytes())
        # Cold: nothing kept, and every file touched, so only the contents decide.
        for cached in (scratch_repo / ".cache").rglob("*"):
            if cached.is_file():
                cached.unlink()
        for source in folder.iterdir():
            source.touch()
    assert zips[0] == zips[1]
    names = zipfile.ZipFile(io.BytesIO(zips[0])).namelist()
    assert names == ["LEESMIJ.txt", "tk-v1.2.0.pdf", "plan.docx", "lijst.csv"]


def figures(node) -> list[str]:
    """The alt text of every Figure in a PDF's structure tree."""
    node = node.get_object()
    found = [str(node.get("/Alt"))] if node.get("/S") == "/Figure" else []
    kids = node.get("/K")
    kids = kids.get_object() if kids is not None else []
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid.get_object(), "get"):
            found += figures(kid)
    return found


def test_an_image_keeps_its_alt_text_in_html_and_pdf(scratch_repo: Path, tmp_path: Path) -> None:
    folder = scratch_repo / "toolkits/tk"
    folder.mkdir(parents=True)
    (folder / "schema.png").write_bytes(tiny_png())
    write_doc(
        scratch_repo,
        "toolkits/tk/index.md",
        "---\ntype: toolkit\ntitle: Toolkit\ndate: 2025-01-10\nsummary: Samenvatting.\n"
        "domains: [werk]\nactors: [gemeente]\nversion: 1.0.0\nfiles:\n"
        "  - path: schema.png\n    title: Schema\n"
        "---\n## Stap 1\n\n![Schema van de vijf stappen](schema.png)\n",
    )
    result = run_mkdocs(scratch_repo, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    folder = tmp_path / "site/toolkits/tk"
    assert '<img alt="Schema van de vijf stappen" src="schema.png"' in (
        folder / "index.html"
    ).read_text(encoding="utf-8")
    assert (folder / "schema.png").read_bytes() == tiny_png()
    reader = PdfReader(folder / "tk-v1.0.0.pdf")
    assert figures(reader.trailer["/Root"]["/StructTreeRoot"]) == ["Schema van de vijf stappen"]


def test_a_failed_pdf_names_the_document(tmp_path: Path, corpus) -> None:
    """A WeasyPrint error on one document stops with its file named, and leaves no
    partial file in the cache (fault injected into the renderer)."""
    import markdown

    from kennisbank.publishing.pdf import PdfError, PdfMaker

    class Broken:
        def __init__(self, **_: object) -> None:
            pass

        def render(self, **_: object) -> None:
            raise ValueError("kapotte opmaak")

    maker = PdfMaker(ROOT, tmp_path / "pdf", markdown.markdown, "https://example.org/")
    maker.style()
    maker._weasy = (Broken, None, None, None)
    doc = corpus.published()[0]
    with pytest.raises(PdfError) as raised:
        maker.make(corpus, [doc])
    assert raised.value.path == doc.source.rel
    assert "kon niet gemaakt worden" in str(raised.value) and "kapotte opmaak" in str(raised.value)
    assert list((tmp_path / "pdf").iterdir()) == []


def test_without_the_font_the_build_stops_and_keeps_the_site(scratch_repo: Path) -> None:
    """A missing font (no `npm ci`) is a Dutch message naming what is missing; `make
    build`'s atomic swap leaves the previous site/ as it was."""
    import subprocess
    import sys

    write_doc(scratch_repo, "advisories/adviezen/een.md", advies())
    build = [sys.executable, str(ROOT / "scripts/build.py"), str(scratch_repo)]
    first = subprocess.run(build, cwd=scratch_repo, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    before = {p: p.read_bytes() for p in (scratch_repo / "site").rglob("*") if p.is_file()}
    (scratch_repo / "node_modules").unlink()
    write_doc(scratch_repo, "advisories/adviezen/twee.md", advies(title="Twee", ref="ADV-2025-02"))
    second = subprocess.run(build, cwd=scratch_repo, capture_output=True, text=True, timeout=300)
    output = second.stdout + second.stderr
    assert second.returncode != 0
    assert "node_modules/@fontsource/atkinson-hyperlegible/files:1: het lettertype" in output
    assert "Traceback" not in output
    after = {p: p.read_bytes() for p in (scratch_repo / "site").rglob("*") if p.is_file()}
    assert after == before


def test_preview_says_how_to_get_the_pdf(corpus) -> None:
    """`make serve` makes no PDF unless asked; the block says so, and how."""
    from kennisbank.site.generate import generate

    output = generate(corpus, "https://example.org/", preview=True)
    doc = next(d for d in corpus.published() if d.kind == "advies")
    page = output.pages[doc.page_path]
    assert "KENNISBANK_PDF=1 make serve" in "".join(page.html)
    assert not any(path.endswith(".pdf") for path in output.files)
