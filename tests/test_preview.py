"""The fast preview path gives the same site as a cold build (issue #6: a fast path is
never a wrong path)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import advies, run_mkdocs, site_files, write_doc

from kennisbank.pipeline import load

ADV = "advisories/adviezen"


def corpus(root: Path) -> None:
    for n in range(6):
        related = "related: [advies-0]\n" if n else ""
        write_doc(
            root,
            f"{ADV}/advies-{n}.md",
            advies(
                title=f"Advies {n}",
                ref=f"ADV-2024-{n:02d}",
                date=f"2024-0{n + 1}-10",
                extra=related + "tags: [school]\n",
                body=f"## Kop\n\nTekst {n} over de gemeente. [Eerste](advies-0.md)",
            ),
        )


def html_files(site: Path) -> dict[str, bytes]:
    return site_files(
        site,
        lambda p: p.suffix in (".html", ".xml", ".json", ".csv") and p.name != "sitemap.xml",
    )


def dirty_build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return run_mkdocs(root, site, "--dirty")


def test_dirty_rebuild_after_an_edit_equals_a_cold_build(
    scratch_repo: Path, tmp_path: Path
) -> None:
    corpus(scratch_repo)
    incremental = tmp_path / "incremental"
    first = dirty_build(scratch_repo, incremental)
    assert first.returncode == 0, first.stdout + first.stderr
    # An edit that changes other pages too: listings, theme pages, related cards, feeds.
    doc = scratch_repo / ADV / "advies-0.md"
    time.sleep(0.05)
    doc.write_text(doc.read_text().replace("Advies 0", "Advies nul, herzien"), encoding="utf-8")
    second = dirty_build(scratch_repo, incremental)
    assert second.returncode == 0, second.stdout + second.stderr
    cold = tmp_path / "cold"
    assert run_mkdocs(scratch_repo, cold).returncode == 0
    fast, slow = html_files(incremental), html_files(cold)
    assert fast.keys() == slow.keys()
    different = [path for path in slow if fast[path] != slow[path]]
    assert different == []
    assert b"Advies nul, herzien" in fast["adviezen/advies-3/index.html"]  # a related card


def test_cached_load_equals_a_fresh_load(scratch_repo: Path) -> None:
    corpus(scratch_repo)
    cache: dict = {}
    load(scratch_repo, cache)
    assert len(cache) == 6
    doc = scratch_repo / ADV / "advies-2.md"
    time.sleep(0.05)
    doc.write_text(doc.read_text().replace("tags: [school]", "tags: [school, werk]\ndomains: [x]"))
    cached_corpus, cached_problems = load(scratch_repo, cache)
    fresh_corpus, fresh_problems = load(scratch_repo)
    assert cached_problems == fresh_problems and cached_problems
    assert [d.id for d in cached_corpus.documents] == [d.id for d in fresh_corpus.documents]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def test_serve_shows_an_edit(scratch_repo: Path) -> None:
    """`make serve`'s command: an edit to a document appears on its page."""
    corpus(scratch_repo)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--strict",
            "--dirty",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(scratch_repo / "mkdocs.yml"),
        ],
        cwd=scratch_repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/adviezen/advies-1/"
    try:
        deadline = time.monotonic() + 120
        while "Tekst 1" not in fetch(url):
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.2)
        cached = scratch_repo / ".cache/kennisbank/pages/adviezen"
        before = {p.name: p.stat().st_mtime_ns for p in cached.glob("*.md")}
        assert set(before) == {"index.md", *(f"advies-{n}.md" for n in range(6))}
        doc = scratch_repo / ADV / "advies-1.md"
        doc.write_text(doc.read_text().replace("Tekst 1", "Tekst 1 bijgewerkt"), encoding="utf-8")
        while "Tekst 1 bijgewerkt" not in fetch(url):
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.2)
        # The preview path was taken: only the edited page was written again for MkDocs to
        # render (the others keep their cache file, so MkDocs skips them).
        after = {p.name: p.stat().st_mtime_ns for p in cached.glob("*.md")}
        rewritten = sorted(name for name in after if after[name] != before[name])
        assert rewritten == ["advies-1.md"]
        # A deleted document disappears from the preview: its page answers 404, and its
        # cache file is gone (the preview builds into the same folder every time).
        gone = f"http://127.0.0.1:{port}/adviezen/advies-5/"
        assert "Tekst 5" in fetch(gone)
        saved = (scratch_repo / ADV / "advies-5.md").read_text(encoding="utf-8")
        (scratch_repo / ADV / "advies-5.md").unlink()
        while fetch(gone) != "":
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert not (cached / "advies-5.md").exists()
        assert "advies-5" not in fetch(f"http://127.0.0.1:{port}/adviezen/")
        # Put back unchanged (an undo): the page comes back.
        (scratch_repo / ADV / "advies-5.md").write_text(saved, encoding="utf-8")
        while "Tekst 5" not in fetch(gone):
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    shutil.rmtree(scratch_repo / ".cache", ignore_errors=True)


def test_in_process_caches_give_the_same_site_as_a_fresh_run(scratch_repo: Path) -> None:
    """What a preview session keeps between rebuilds (file cache, related ranking, cards)
    never changes the output: after each kind of edit, compare with a fresh run."""
    from kennisbank.generate import generate

    corpus(scratch_repo)
    folder = scratch_repo / "toolkits" / "tk" / "sjablonen"
    folder.mkdir(parents=True)
    (folder / "plan.docx").write_bytes(b"PK" * 10)
    write_doc(
        scratch_repo,
        "toolkits/tk/index.md",
        (
            "---\ntype: toolkit\ntitle: Toolkit\ndate: 2025-01-10\nsummary: Samenvatting.\n"
            "domains: [onderwijs]\nactors: [gemeente]\nversion: 1.0.0\nfiles:\n"
            "  - path: sjablonen/plan.docx\n    title: Plan\ntags: [school]\n---\nTekst\n"
        ),
    )
    cache: dict = {}
    pages: dict = {}  # generate's cache of document pages, as `make serve` keeps it

    from kennisbank import enrich, opendata
    from kennisbank import generate as generate_module

    def fresh_run():  # without what earlier runs kept in this process (bodies, cards, rows)
        memos = (enrich._rewritten, generate_module._cards, opendata._rows)
        kept = [(memo, dict(memo)) for memo in memos]
        for memo, _ in kept:
            memo.clear()
        try:
            fresh_corpus, problems = load(scratch_repo)
            return problems, generate(fresh_corpus)
        finally:
            for memo, saved in kept:
                memo.clear()
                memo.update(saved)

    def same() -> None:
        # Twice: the second run reuses what the first one kept.
        for _ in range(2):
            cached_corpus, cached_problems = load(scratch_repo, cache)
            cached = generate(cached_corpus, cache=pages)
            fresh_problems, fresh = fresh_run()
            assert cached_problems == fresh_problems
            assert cached.pages == fresh.pages and cached.fragments == fresh.fragments
            assert cached.texts == fresh.texts and cached.files == fresh.files

    same()
    assert len(pages) == 7
    edits = [
        (scratch_repo / ADV / "advies-3.md", "Advies 3", "Advies drie"),  # a title
        (scratch_repo / ADV / "advies-0.md", "Advies 0", "Advies nul"),  # related by all
        (scratch_repo / ADV / "advies-4.md", "Tekst 4", "Tekst vier"),  # a body
        (scratch_repo / ADV / "advies-5.md", "tags: [school]", "tags: [werk]"),  # topics
    ]
    for path, old, new in edits:
        time.sleep(0.02)
        path.write_text(path.read_text().replace(old, new), encoding="utf-8")
        same()
    time.sleep(0.02)
    (folder / "plan.docx").write_bytes(b"PK" * 500)  # an attachment in a subfolder
    same()
    (scratch_repo / ADV / "advies-2.md").unlink()  # a document that others suggested
    same()
    assert "advies-2" not in pages
    from kennisbank.generate import _cards  # rendered cards: none of the deleted document

    assert _cards and not [key for key in _cards if key[0] == "advies-2"]
    vocabularies = scratch_repo / "content/_data/vocabularies.yml"
    vocabularies.write_text(
        vocabularies.read_text().replace("Onderwijs", "Onderwijs en vorming"), encoding="utf-8"
    )
    same()  # every label on every page
    (scratch_repo / ADV / "advies-0.md").unlink()  # every other document links to it
    same()  # ... so each of them now has a broken link


def test_preview_hears_changes_from_the_kernel(tmp_path: Path) -> None:
    """`on_serve` swaps MkDocs' polling watcher (a scan every 0.5 s) for inotify, keeps the
    paths MkDocs watches, and a change under them asks for a rebuild."""
    from types import SimpleNamespace

    from mkdocs.livereload import LiveReloadServer

    from kennisbank.mkdocs_adapter import KennisbankSite

    docs, extra = tmp_path / "content", tmp_path / "advisories"
    docs.mkdir()
    extra.mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(docs))
    assert type(server.observer).__name__ == "PollingObserver"
    server = KennisbankSite().on_serve(server, config=SimpleNamespace(watch=[str(extra)]))
    server.watch(str(extra))  # what MkDocs does with `watch:` after on_serve
    assert type(server.observer).__name__ == "InotifyObserver"
    assert set(server._watched_paths) == {str(docs), str(extra)}
    server.observer.start()
    try:
        for folder in (docs, extra):
            server._want_rebuild = False
            (folder / "x.md").write_text("nieuw", encoding="utf-8")
            deadline = time.monotonic() + 10
            while not server._want_rebuild:
                assert time.monotonic() < deadline, f"no rebuild asked after a change in {folder}"
                time.sleep(0.01)
    finally:
        server.observer.stop()
        server.observer.join(5)
        server.server_close()
