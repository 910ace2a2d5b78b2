"""Shared fixtures: the real repository built with MkDocs, a local HTTP server, scratch repos."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_PARTS = ["mkdocs.yml", "content", "hooks", "overrides"]

sys.path.insert(0, str(ROOT / "scripts"))
from browser_flags import CHROMIUM, FLAGS  # noqa: E402  (shared with bench and audit)


def run_mkdocs(root: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of a repository; ``extra`` e.g. "--dirty"."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            *extra,
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(site_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=300,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_command() -> list[str]:
    """`make serve`'s MkDocs arguments, as the Makefile has them."""
    line = next(
        line for line in (ROOT / "Makefile").read_text().splitlines() if "mkdocs serve" in line
    )
    return line.split("mkdocs", 1)[1].split(" -a ")[0].split()


class Preview:
    """`make serve`'s command (``mkdocs serve``) on a repository, in a process group of its
    own as a terminal runs it; what it prints is collected line by line."""

    def __init__(self, root: Path, background_job: bool = False) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.lines: list[str] = []
        # A script's `make serve &`: the shell starts a background job with SIGINT ignored.
        ignoring = ["sh", "-c", 'trap "" INT; exec "$@"', "sh"] if background_job else []
        self.process = subprocess.Popen(
            [
                *ignoring,
                sys.executable,
                "-m",
                "mkdocs",
                *serve_command(),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(root / "mkdocs.yml"),
            ],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))

    def builds(self) -> int:
        """Builds started since the server started serving (the first build not counted)."""
        lines = list(self.lines)
        serving = next((i for i, line in enumerate(lines) if "Serving on" in line), len(lines))
        return sum("Building documentation" in line for line in lines[serving:])

    def wait_for(self, done: Callable[[], bool], what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert self.process.poll() is None, f"mkdocs serve stopped:\n{self.output()}"
            assert time.monotonic() < deadline, f"waited in vain for {what}:\n{self.output()}"
            time.sleep(0.05)

    def wait_until_serving(self) -> None:
        self.wait_for(lambda: self.count("Serving on") > 0, "the first build")

    def settle(self, quiet: float = 2.0) -> None:
        """Wait until nothing has been printed for ``quiet`` seconds (builds and the search
        index done; MkDocs polls files every 0.5 s)."""
        seen, since = len(self.lines), time.monotonic()
        while time.monotonic() - since < quiet:
            time.sleep(0.1)
            if len(self.lines) != seen:
                seen, since = len(self.lines), time.monotonic()

    def get(self, path: str = "", timeout: float = 10) -> tuple[int, str]:
        """Status and text of a page; an HTTP error is an answer too, a refused or hanging
        connection raises."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def interrupt(self) -> None:
        """Ctrl+C in a terminal: SIGINT to the whole process group."""
        os.killpg(self.process.pid, signal.SIGINT)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture
def preview_of() -> Iterator[Callable[[Path], Preview]]:
    """Start `make serve`'s command on a repository; stopped after the test."""
    started: list[Preview] = []

    def start(root: Path) -> Preview:
        preview = Preview(root)
        started.append(preview)
        preview.wait_until_serving()
        return preview

    yield start
    for preview in started:
        preview.stop()


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kennisbank.cli", *args],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (no browser download); never skipped on CI."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium ontbreekt op CI; 'make test' installeert het Debian-pakket.")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository itself, built once per test session with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs(ROOT, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on a free loopback port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def corpus() -> Any:
    """The repository's own documents, loaded as the build loads them (without problems)."""
    from kennisbank.pipeline import load

    corpus, problems = load(ROOT)
    assert problems == []
    return corpus


@pytest.fixture(scope="session")
def checker() -> Any:
    """The schema checker with the repository's vocabularies (which must load cleanly)."""
    from kennisbank.content.loader import load_vocabularies
    from kennisbank.content.schema_check import SchemaChecker

    vocabularies, problems = load_vocabularies(ROOT)
    assert problems == []
    return SchemaChecker(vocabularies)


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


def site_files(site: Path, keep: Callable[[Path], bool] = lambda p: True) -> dict[str, bytes]:
    """A built site's files (path inside the site -> bytes), without the search index
    (its file names differ between runs), filtered by ``keep``."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and "pagefind" not in p.relative_to(site).parts and keep(p)
    }


def make_scratch_repo(root: Path) -> Path:
    """Copy the site skeleton and vocabularies, with no documents, into ``root``."""
    for part in SITE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, root / part)
        else:
            shutil.copy2(src, root / part)
    # The package is installed, not copied: drop its folder from mkdocs.yml's watch list.
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - kennisbank/site/templates\n", ""))
    for folder in ("advisories/adviezen", "advisories/standpunten", "toolkits/praktijken"):
        (root / folder).mkdir(parents=True)
    # The PDFs' font comes from an npm package, as in a checkout after `make build`.
    (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return root


@pytest.fixture
def scratch_repo(tmp_path: Path) -> Path:
    """A copy of the site skeleton and vocabularies with no documents, to plant cases in."""
    return make_scratch_repo(tmp_path)


def write_doc(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def advies(
    title: str = "Een advies",
    extra: str = "",
    body: str = "Tekst.",
    ref: str = "ADV-2025-01",
    date: str = "2025-01-10",
) -> str:
    return (
        f"---\ntype: advies\ntitle: {title}\ndate: {date}\nsummary: Samenvatting van het advies.\n"
        f"domains: [onderwijs]\nreference: {ref}\n{extra}---\n{body}\n"
    )


# A summary in plain Dutch for an advies() that must have no warning (one without gets one).
PLAIN = "summary_plain: Dit is wat we vragen. We zeggen het kort.\n"


def tiny_png(width: int = 20, height: int = 10) -> bytes:
    """A real, red PNG image, for documents that show one."""
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# Hypothesis profiles for tests/test_fuzz.py: a short run in `make test`; `make fuzz` picks
# "fuzz" (4 tests x 2,500 = 10,000 examples). No deadline: timings vary on shared machines.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("short", max_examples=200, deadline=None)
_hypothesis_settings.register_profile("fuzz", max_examples=2500, deadline=None)
_hypothesis_settings.load_profile("short")


BUILD = [sys.executable, str(ROOT / "scripts" / "build.py")]  # `make build`'s command


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


# A CMS setting that publishes /admin/ with GitHub (one of the schema's valid examples).
CMS_GITHUB = (ROOT / "kennisbank/schema/examples/cms/valid/github.yml").read_text("utf-8")


@pytest.fixture(scope="session")
def cms_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small repository whose setting (content/_data/cms.yml) publishes the CMS with
    GitHub, built by `make build`'s script; its site folder."""
    root = make_scratch_repo(tmp_path_factory.mktemp("cms-repo"))
    write_doc(root, "advisories/adviezen/een-advies.md", advies())
    (root / "content/_data/cms.yml").write_text(CMS_GITHUB, encoding="utf-8")
    built = subprocess.run([*BUILD, str(root)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    return root / "site"


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]


def run_axe(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("node_modules/axe-core ontbreekt: 'make test' installeert het met npm ci.")
    # Evaluated, not added as a <script>: the page's own CSP (its meta) blocks inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def old_site(root: Path) -> str:
    """A previous site/ in ``root``, as a build must leave it on failure; its hash."""
    (root / "site/adviezen").mkdir(parents=True)
    (root / "site/index.html").write_text("vorige versie", encoding="utf-8")
    (root / "site/adviezen/marker.txt").write_text("niet aanraken", encoding="utf-8")
    return tree_hash(root / "site")


def stops_check_and_build(root: Path, where: str, words: str) -> None:
    """Bad input as staff meet it: `kennisbank check` and `make build` both exit non-zero
    and name ``where`` (``PATH:LINE: ``) with ``words``, without a traceback, and the site/
    that was there (``old_site``) stays byte for byte."""
    before = old_site(root)
    done = subprocess.run(
        [sys.executable, "-m", "kennisbank.cli", "check"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert where in done.stdout and words in done.stdout, done.stdout
    built = subprocess.run([*BUILD, str(root)], capture_output=True, text=True)
    assert built.returncode != 0
    output = built.stdout + built.stderr
    assert where in output and "Traceback" not in output, output
    assert tree_hash(root / "site") == before


def set_palette(page: Any, scheme: str) -> None:
    """Material's light ("default") or dark ("slate") palette, as its toggle sets it."""
    page.evaluate(
        "s => { document.body.setAttribute('data-md-color-scheme', s);"
        " document.body.setAttribute('data-md-color-primary', 'custom'); }",
        scheme,
    )
    page.wait_for_timeout(500)  # Material animates the palette change (125 ms)


def page_types() -> dict[str, str]:
    """One URL of every page type the site has."""
    from kennisbank.pipeline import load

    corpus, _ = load(ROOT)
    first = {}
    for doc in corpus.published():
        first.setdefault(doc.kind, doc)
    types = {
        "home": "",
        "listing-adviezen": "adviezen/",
        "listing-standpunten": "standpunten/",
        "listing-toolkits": "toolkits/",
        "listing-praktijken": "praktijken/",
        "theme-overview": "domeinen/",
        "theme": f"domeinen/{first['advies'].meta['domains'][0]}/",
        "archive": f"archief/{first['advies'].date.year}/",
        "site-page": "over-ons/",
        "editor-guide": "redactiegids/",
        "not-found": "404.html",
    }
    for kind, doc in first.items():
        types[f"document-{kind}"] = doc.url
    summaries = next((d for d in corpus.published() if d.meta.get("summaries")), None)
    if summaries is not None:  # summaries in other languages, right-to-left among them
        types["document-summaries"] = summaries.url
    translated = next(iter(corpus.translations.values()), {})
    if "fr" in translated:  # a page in French, and the home page of the French pages
        types["translation-fr"] = translated["fr"].url
        types["language-home-fr"] = "fr/"
    from kennisbank.registry import FOLLOWUP
    from kennisbank.site.followup import tracked

    followed = tracked(corpus)
    if followed:
        types["followup"] = f"{FOLLOWUP.folder}/"
        types["followup-addressee"] = f"{FOLLOWUP.folder}/{followed[0].addressee}/"
    if (ROOT / "content" / "zoeken.md").exists():
        types["search-results"] = "zoeken/?q=gemeente"
    if (ROOT / "content" / "toegankelijkheid.md").exists():
        types["accessibility-statement"] = "toegankelijkheid/"
    return types


PAGES = page_types()  # name -> URL path, for the browser tests
