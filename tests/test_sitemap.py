"""sitemap.xml: valid against the sitemaps.org schema, and each page's ``lastmod`` is when
it last changed (a document's ``updated`` or ``date``, a listing's newest document, a site
page's last commit), never the build date."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, advies, run_mkdocs, write_doc
from lxml import etree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "schemas" / "sitemap.xsd")))


def lastmods(site: Path) -> dict[str, str | None]:
    """Each URL's path in the sitemap (``adviezen/x/``) -> its lastmod, or None."""
    tree = etree.parse(str(site / "sitemap.xml"))
    out: dict[str, str | None] = {}
    for url in tree.getroot().iterfind("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc is not None
        out[loc.split("/", 3)[3]] = url.findtext("s:lastmod", namespaces=NS)
    return out


def changed(meta: dict) -> str:
    return str(meta.get("updated") or meta["date"])


def test_the_sitemap_is_valid_and_its_copy_the_same(built_site: Path) -> None:
    tree = etree.parse(str(built_site / "sitemap.xml"))
    assert SCHEMA.validate(tree), SCHEMA.error_log
    compressed = gzip.decompress((built_site / "sitemap.xml.gz").read_bytes())
    assert compressed == (built_site / "sitemap.xml").read_bytes()


def test_a_document_is_dated_by_its_last_update(built_site: Path, corpus) -> None:
    dates = lastmods(built_site)
    published = corpus.published()
    assert any(d.meta.get("updated") for d in published)  # the rule can tell the two apart
    for doc in published:
        assert dates[doc.url] == changed(doc.meta), doc.url
    assert str(dt.date.today()) not in {dates[d.url] for d in published}


def test_listings_take_their_newest_document(built_site: Path, corpus) -> None:
    dates = lastmods(built_site)
    published = corpus.published()
    for kind in ("advies", "standpunt", "toolkit", "praktijk"):
        docs = [d for d in published if d.kind == kind]
        section = docs[0].url.split("/")[0]
        assert dates[f"{section}/"] == max(changed(d.meta) for d in docs), section
    onderwijs = [d for d in published if "onderwijs" in d.meta.get("domains", [])]
    assert dates["domeinen/onderwijs/"] == max(changed(d.meta) for d in onderwijs)
    of_2024 = [d for d in published if str(d.meta["date"]).startswith("2024")]
    assert dates["archief/2024/"] == max(changed(d.meta) for d in of_2024)
    assert dates["archief/"] == max(changed(d.meta) for d in published)


def git_date(path: Path) -> str:
    return subprocess.run(
        ["git", "log", "-1", "--format=%cs", "--", path.name],
        cwd=path.parent, capture_output=True, text=True, check=True,
    ).stdout.strip()


def test_site_pages_are_dated_by_their_last_commit(built_site: Path, corpus) -> None:
    dates = lastmods(built_site)
    newest = max(changed(d.meta) for d in corpus.published())
    for name in ("over-ons.md", "contact.md", "privacy.md"):
        assert dates[name.removesuffix(".md") + "/"] == git_date(ROOT / "content" / name)
    # The home page lists the newest documents: it changes with them too.
    assert dates[""] == max(git_date(ROOT / "content" / "index.md"), newest)


def test_a_page_git_cannot_date_has_no_lastmod(scratch_repo: Path, tmp_path: Path) -> None:
    """A page never committed, and every site page without git, get no lastmod rather than
    the build date; a document's page keeps its own date either way."""
    write_doc(scratch_repo, "advisories/adviezen/een-advies.md", advies(date="2024-05-06"))
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2024-02-03T10:00:00", "GIT_COMMITTER_DATE": "2024-02-03T10:00:00",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    site = tmp_path / "without-git"
    assert run_mkdocs(scratch_repo, site).returncode == 0
    without = lastmods(site)
    assert without["over-ons/"] is None and without["contact/"] is None
    assert without["adviezen/een-advies/"] == "2024-05-06"

    git = ["git", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=scratch_repo, check=True, env=env)
    subprocess.run([*git, "add", "content/over-ons.md"], cwd=scratch_repo, check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=scratch_repo, check=True, env=env)
    site = tmp_path / "with-git"
    assert run_mkdocs(scratch_repo, site).returncode == 0
    dates = lastmods(site)
    assert dates["over-ons/"] == "2024-02-03"
    assert dates["contact/"] is None  # never committed
    assert dates["adviezen/"] == "2024-05-06"
    assert SCHEMA.validate(etree.parse(str(site / "sitemap.xml")))


@pytest.mark.parametrize("bad", ["2026-13-01", "gisteren"])
def test_the_schema_refuses_a_bad_date(bad: str) -> None:
    """The shipped schema does check dates (the tests above rely on it)."""
    xml = (
        f'<urlset xmlns="{NS["s"]}"><url><loc>https://example.org/x/</loc>'
        f"<lastmod>{bad}</lastmod></url></urlset>"
    )
    assert not SCHEMA.validate(etree.fromstring(xml))
