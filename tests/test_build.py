"""The real repository built with `mkdocs build --strict`: pages, metadata, links, failures."""

from __future__ import annotations

import html as html_module
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

from conftest import ROOT, advies, run_mkdocs, site_files, write_doc

from kennisbank.site.generate import generate


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_every_published_document_has_a_page(built_site: Path, corpus) -> None:
    for doc in corpus.documents:
        page = built_site / doc.url / "index.html"
        assert page.exists() == doc.published, doc.url
        if doc.published:
            text = page.read_text(encoding="utf-8")
            h1 = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
            assert h1 and html_module.unescape(h1.group(1)) == doc.title
            assert '<html lang="nl"' in text


def test_concept_is_nowhere_in_the_site(built_site: Path, corpus) -> None:
    concepts = [d for d in corpus.documents if not d.published]
    assert concepts, "the sample content should include a concept"
    every_page = "".join(p.read_text(encoding="utf-8") for p in built_site.rglob("*.html"))
    for doc in concepts:
        assert doc.id not in every_page
        assert doc.title not in every_page


def test_listings_are_newest_first_with_labels(built_site: Path, corpus) -> None:
    for section in ("adviezen", "standpunten", "toolkits", "praktijken"):
        page = html(built_site, section)
        docs = [d for d in corpus.published() if d.section == section]
        positions = [page.index(f'href="../{d.url}"') for d in docs]
        assert positions == sorted(positions), section
        dates = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', page)
        assert dates == sorted(dates, reverse=True) and len(dates) == len(docs)
        for doc in docs:
            # A card shows the summary in plain Dutch when the document has one.
            shown = doc.meta.get("summary_plain") or doc.summary
            assert shown.replace("'", "&#39;").replace('"', "&#34;") in page
            for slug in doc.meta["domains"]:
                assert corpus.label("domains", slug) in page


def test_document_page_shows_metadata_in_dutch(built_site: Path, corpus) -> None:
    by_id = corpus.by_id()
    adv = next(d for d in corpus.published() if d.kind == "advies" and d.meta.get("related"))
    page = html(built_site, adv.url)
    assert "Gepubliceerd op" in page and "Voorbeeld" in page
    assert adv.meta["reference"] in page
    for slug in adv.meta.get("addressees", []):
        assert corpus.label("addressees", slug) in page
    for rel_id in adv.meta["related"]:
        assert by_id[rel_id].title.replace("'", "&#39;") in page
    for rec in adv.meta.get("recommendations", []):
        assert f'id="aanbeveling-{rec["id"].lower()}"' in page
    archived = next(d for d in corpus.published() if d.status == "gearchiveerd")
    assert "Gearchiveerd" in html(built_site, archived.url)
    practice = next(d for d in corpus.published() if d.kind == "praktijk")
    page = html(built_site, practice.url)
    assert practice.meta["place"] in page
    assert corpus.label("regions", practice.meta["region"]) in page
    assert "Periode" in page


def test_toolkit_downloads_are_published(built_site: Path, corpus) -> None:
    for doc in (d for d in corpus.published() if d.kind == "toolkit"):
        assert doc.attachments
        page = html(built_site, doc.url)
        for att in doc.attachments:
            copied = built_site / doc.url / att.name
            assert copied.read_bytes() == att.path.read_bytes()
            assert f'href="{att.name}" data-print-url=' in page and "download>" in page
        assert f"Versie {doc.meta['version']}" in page


def test_documents_stay_out_of_the_nav(built_site: Path, corpus) -> None:
    home = (built_site / "index.html").read_text(encoding="utf-8")
    start = home.index('<nav class="md-nav md-nav--primary')
    nav = home[start : home.index('<nav class="md-nav md-nav--secondary')]
    assert 'href="adviezen/"' in nav
    for doc in corpus.published():
        assert f"{doc.url}" not in nav


def test_site_pages_exist_in_dutch(built_site: Path) -> None:
    for url, words in [
        ("", "Kennisbank"),
        ("over-ons", "Missie"),
        ("contact", "Contact"),
        ("privacy", "cookies"),
    ]:
        assert words in html(built_site, url)
    not_found = (built_site / "404.html").read_text(encoding="utf-8")
    assert "Pagina niet gevonden" in not_found


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        for key in ("href", "src"):
            if values.get(key) and tag in ("a", "img", "link", "script"):
                self.links.append(str(values[key]))


def test_no_broken_internal_links_or_anchors(built_site: Path) -> None:
    parsed: dict[Path, _Links] = {}
    for page in built_site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page] = parser
    broken = []
    for page, parser in parsed.items():
        if page.name == "404.html":
            continue
        for link in parser.links:
            url, fragment = urldefrag(link)
            if urlparse(link).scheme or link.startswith("//") or link.startswith("mailto:"):
                continue
            target = (page.parent / unquote(url)).resolve() if url else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built_site)} -> {link}")
            elif fragment and target in parsed and fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(built_site)} -> {link} (anchor)")
    assert broken == []


def test_generated_pages_are_never_written_to_the_source_tree(built_site: Path, corpus) -> None:
    output = generate(corpus, "https://example.org/")
    generated = [*output.pages, *output.texts, *output.files]
    assert len(generated) > 50
    for path in generated:
        assert not (ROOT / "content" / path).exists(), path
        assert (built_site / path).exists() or path.endswith(".md"), path


def test_generate_is_plain_data(corpus) -> None:
    output = generate(corpus)
    assert set(output.pages) >= {"adviezen/index.md", "toolkits/index.md"}
    assert all(isinstance(v.markdown, str) for v in output.pages.values())
    assert all(p.is_file() for p in output.files.values())


def test_broken_document_stops_the_build_in_dutch(scratch_repo: Path, tmp_path: Path) -> None:
    write_doc(scratch_repo, "advisories/adviezen/goed.md", advies())
    site = tmp_path / "out"
    ok = run_mkdocs(scratch_repo, site)
    assert ok.returncode == 0, ok.stderr
    write_doc(
        scratch_repo,
        "advisories/adviezen/fout.md",
        advies(ref="ADV-2025-02", extra="related: [bestaat-niet]\n"),
    )
    result = run_mkdocs(scratch_repo, tmp_path / "out2")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "advisories/adviezen/fout.md:8: related[0]: er bestaat geen document" in output
    assert "Traceback" not in output
    assert not (tmp_path / "out2" / "adviezen").exists()


def test_strict_build_fails_on_a_broken_anchor(scratch_repo: Path, tmp_path: Path) -> None:
    write_doc(scratch_repo, "advisories/adviezen/een.md", advies())
    write_doc(
        scratch_repo,
        "advisories/adviezen/twee.md",
        advies(ref="ADV-2025-02", body="[zie](een.md#bestaat-niet)"),
    )
    result = run_mkdocs(scratch_repo, tmp_path / "out")
    assert result.returncode == 1
    assert "bestaat-niet" in result.stdout + result.stderr


def test_every_generated_block_is_put_back(built_site: Path) -> None:
    leftovers = [p for p in built_site.rglob("*.html") if "<!--kb:" in p.read_text("utf-8")]
    assert leftovers == []


def test_a_generated_page_is_typed_markdown_and_html_to_keep(corpus) -> None:
    """The page contract: the document's own Markdown (with its raw HTML) goes to the
    engine as it is; each HTML block the template keeps is one placeholder in the
    Markdown, a paragraph of its own, and comes back in place."""
    from kennisbank.cache import PreviewCache
    from kennisbank.site.generate import document_page
    from kennisbank.site.render import expand

    doc = next(d for d in corpus.published() if d.kind == "advies")
    body = '## Kop\n\n<div class="kb-eigen-blok">\n<p>a</p>\n</div>\n\nTekst met **nadruk**.\n'
    page = document_page(corpus, doc, body, PreviewCache().cards)
    assert body in page.markdown
    assert page.html and not any("kb-eigen-blok" in block for block in page.html)
    for number, block in enumerate(page.html):
        assert page.markdown.count(f"\n\n<!--kb:{number}-->\n\n") == 1
        assert "<!--kb:" not in block
    assert f"<!--kb:{len(page.html)}-->" not in page.markdown
    assert any('class="kb-doc-header"' in block for block in page.html)
    assert "kb-doc-header" not in page.markdown
    full = expand(page.markdown, page.html)
    assert "<!--kb:" not in full and full.index("kb-doc-header") < full.index("## Kop")


def test_broken_links_of_every_document_fail_a_strict_build(
    scratch_repo: Path, tmp_path: Path
) -> None:
    """What MkDocs reports while converting the documents, a link to a missing page or
    anchor, fails `--strict`, and every document's own broken links are named."""
    names = [f"doc{n}" for n in range(6)]
    for n, name in enumerate(names):
        write_doc(
            scratch_repo,
            f"advisories/adviezen/{name}.md",
            advies(
                ref=f"ADV-2025-{n + 1:02d}",
                date=f"2025-01-{n + 10}",
                body=f"[pagina](/ontbreekt-{name}.md) en [anker]({names[0]}.md#geen-{name})",
            ),
        )
    result = run_mkdocs(scratch_repo, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    for name in names:
        assert f"ontbreekt-{name}.md" in output, name
        if name != names[0]:
            assert f"geen-{name}" in output, name


def test_indexing_beside_the_build_gives_the_same_site(built_site: Path, tmp_path: Path) -> None:
    """The same repository built on one core (Pagefind after the build instead of its
    indexing service beside it) gives byte-identical pages, feeds and exports."""
    single = tmp_path / "single"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(single)],
        cwd=ROOT,
        env={**os.environ, "KENNISBANK_ONE_CORE": "1", "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    def outputs(site: Path) -> dict[str, bytes]:
        return site_files(site, lambda p: p.name != "_headers" and not p.name.endswith(".gz"))

    parallel, one = outputs(built_site), outputs(single)
    assert len(parallel) > 100
    assert parallel.keys() == one.keys()
    assert [path for path in parallel if parallel[path] != one[path]] == []


def test_a_french_document_carries_its_language(scratch_repo: Path, tmp_path: Path) -> None:
    """WCAG 3.1.2: the words of a document in French are marked lang="fr" (title, summary,
    text, and its card in listings); the Dutch labels around them are not, and a Dutch
    document gets no lang attributes at all."""
    write_doc(
        scratch_repo,
        "advisories/adviezen/frans.md",
        advies(
            title="Avis sur l'accueil",
            extra="language: fr\n",
            body="## Contexte\n\nLe texte de l'avis.",
        ),
    )
    write_doc(scratch_repo, "advisories/adviezen/nederlands.md", advies(ref="ADV-2025-02"))
    site = tmp_path / "out"
    result = run_mkdocs(scratch_repo, site)
    assert result.returncode == 0, result.stdout + result.stderr
    page = html(site, "adviezen/frans")
    assert page.count("<h1") == 1
    assert re.search(r'<h1 id="[^"]+" lang="fr">Avis sur l.accueil</h1>', page)
    assert re.search(r'<p class="kb-summary"[^>]* lang="fr">Samenvatting', page)
    body = re.search(r'<div class="kb-doc-body" lang="fr">(.*?)</div>', page, re.S)
    assert body and "Le texte de l" in body.group(1)
    assert 'id="contexte"' in body.group(1)  # still converted as Markdown
    assert '<span class="kb-kind">' in page and 'lang="fr">Advies' not in page
    listing = html(site, "adviezen")
    assert re.search(r'<a href="\.\./adviezen/frans/"[^>]* lang="fr">Avis', listing)
    assert re.search(r'<p class="kb-card__summary" lang="fr">', listing)
    dutch = html(site, "adviezen/nederlands")
    assert '<p class="kb-summary" data-pagefind-weight="5">' in dutch and "kb-doc-body" not in dutch
    assert re.search(r'<h1 id="een-advies">Een advies</h1>', dutch)  # no lang: Dutch


def test_nav_titles_survive_the_pages_being_released(scratch_repo: Path, tmp_path: Path) -> None:
    """After a page is written its Markdown is released (memory); a nav entry without a
    title of its own, whose title MkDocs takes from the page, still shows it on pages
    rendered later."""
    config = scratch_repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("  - Contact: contact.md\n", "  - Contact: contact.md\n  - privacy.md\n")
    text = text.replace("  /privacy.md\n", "")
    config.write_text(text, encoding="utf-8")
    write_doc(scratch_repo, "advisories/adviezen/een.md", advies())
    site = tmp_path / "site"
    result = run_mkdocs(scratch_repo, site)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    assert [
        p for p in pages if re.search(r'href="[^"]*privacy/"[^>]*>\s*None\s*<', p.read_text())
    ] == []
    assert "Privacyverklaring" in (site / "zoeken" / "index.html").read_text(encoding="utf-8")


def test_generated_pages_are_not_reported_as_missing_from_the_nav(
    scratch_repo: Path, tmp_path: Path
) -> None:
    """Document, listing and overview pages are reached through listings: the adapter marks
    them "not in nav" itself (no list of their folders in mkdocs.yml to keep up to date),
    so MkDocs does not list them as pages missing from the nav."""
    write_doc(scratch_repo, "advisories/adviezen/een.md", advies())
    from kennisbank.content.scaffold import template_text

    published = template_text("praktijk").replace("status: concept", "status: gepubliceerd")
    write_doc(scratch_repo, "toolkits/praktijken/twee.md", published)
    result = run_mkdocs(scratch_repo, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "praktijken" / "twee" / "index.html").is_file()
    assert 'not included in the "nav"' not in result.stdout + result.stderr


def test_an_unknown_block_on_a_site_page_stops_the_build_with_its_line(
    scratch_repo: Path, tmp_path: Path
) -> None:
    """`<!-- kennisbank:NAME -->` on a site page of content/ puts a generated block there;
    a name that does not exist is a located Dutch problem, and the known ones still work."""
    write_doc(scratch_repo, "advisories/adviezen/een.md", advies())
    page = scratch_repo / "content" / "over-ons.md"
    page.write_text(page.read_text() + "\n\n<!-- kennisbank:nieuwste -->\n", encoding="utf-8")
    line = page.read_text().splitlines().index("<!-- kennisbank:nieuwste -->") + 1
    result = run_mkdocs(scratch_repo, tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    from kennisbank.site.generate import BLOCKS

    assert (
        f"content/over-ons.md:{line}: onbekend blok 'nieuwste'. "
        f"Bestaande blokken: {', '.join(BLOCKS)}."
    ) in output
    assert "recent, audit" in output
    assert "Traceback" not in output
    page.write_text(page.read_text().replace("kennisbank:nieuwste", "kennisbank:recent"))
    fixed = run_mkdocs(scratch_repo, tmp_path / "site")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Een advies" in (tmp_path / "site" / "over-ons" / "index.html").read_text("utf-8")
