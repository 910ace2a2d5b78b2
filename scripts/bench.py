"""Benchmark of the site build (issue #6): `make bench`.

For each corpus size N it copies the project into a temporary folder, writes a synthetic
corpus there (scripts/corpus.py) and measures the floor (YAML + Markdown of the same
documents in one process), a cold and a no-change `mkdocs build`, edit -> preview in
`mkdocs serve`, the first search in headless Chromium and the peak memory. It prints one
Markdown table per N; `--write-doc` puts them in docs/benchmarks.md's "## Results" section.

Targets are measured here, never asserted in tests.

    python scripts/bench.py [--sizes 250 1000 4000] [--profile [N ...]] [--write-doc] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import importlib.metadata
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # the sibling scripts
import journeys
import relevance
from browser_flags import CHROMIUM, FLAGS, site_page

from kennisbank.publishing.local_server import serve_with_headers

ROOT = Path(__file__).resolve().parent.parent
# The package is copied too: `python -m` from the copy imports it (a snapshot that other
# people's edits cannot change mid-run), and mkdocs.yml watches kennisbank/site/templates.
COPY = ("mkdocs.yml", "content", "hooks", "overrides", "kennisbank")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Results"
PROFILE_HEADING = "### Where the time goes"
DEFAULT_EXTENSIONS = ["toc", "tables", "admonition", "attr_list", "md_in_html", "footnotes"]
NA_SEARCH = "n/a (no search yet)"


@dataclass
class Run:
    """Wall time, peak RSS and output of one subprocess."""

    seconds: float
    peak_mb: float  # the process or any child it waited for (e.g. Pagefind), whichever is larger
    own_peak_mb: float  # the Python process alone (VmHWM)
    output: str


@dataclass
class Result:
    n: int
    info: corpus.CorpusInfo
    floor: float = 0.0
    check: float = 0.0
    cold: Run | None = None  # with PDFs (an empty PDF cache)
    html_only: Run | None = None  # KENNISBANK_PDF=0
    rebuild: Run | None = None
    site_mb: float = 0.0
    site_pages: int = 0
    pdfs: int = 0
    pdfs_rebuilt: int | None = None
    headers: tuple[int, int] = (0, 0)  # rules in _headers, its longest line
    edit_preview: float | None = None
    timeout: float = 120.0
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after
    # (bytes under /pagefind/ over the wire, uncompressed, seconds after the last keystroke,
    # seconds after the focus)
    search: tuple[int, int, float, float] | None = None
    # The relevance set (scripts/relevance.py) with the sample documents among the others:
    # (cases met, cases); and the word list of "Bedoelde je ...?" (bytes, gzip bytes).
    relevance: tuple[int, int] | None = None
    words: tuple[int, int] = (0, 0)
    journeys: list[tuple[str, int]] = field(default_factory=list)  # (journey, key presses)
    profile: str = ""
    notes: list[str] = field(default_factory=list)


# --- the project copy --------------------------------------------------------------------


def make_project(n: int, seed: int, parent: Path) -> tuple[Path, corpus.CorpusInfo]:
    root = parent / f"kb-{n}"
    root.mkdir()
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy2(source, root / name)
    # The PDFs' font is an npm package (node_modules/), as after `make build`.
    (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return root, corpus.generate(root, n, seed)


def markdown_extensions(root: Path) -> tuple[list[str], dict[str, Any]]:
    """The Markdown extensions of mkdocs.yml, so that the floor converts like the site."""
    try:
        config = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=yaml.CSafeLoader)
        entries = config.get("markdown_extensions") or DEFAULT_EXTENSIONS
    except yaml.YAMLError:  # e.g. a !!python tag: fall back to the usual set
        entries = DEFAULT_EXTENSIONS
    names, configs = [], {}
    for entry in entries:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if options:
            configs[name] = options
    return names, configs


def measure_floor(root: Path, paths: list[str]) -> float:
    """YAML (C loader) + Markdown conversion of every document, in this process."""
    import markdown

    names, configs = markdown_extensions(root)
    markdown.markdown("warm-up", extensions=names, extension_configs=configs)  # imports
    start = time.perf_counter()
    for path in paths:
        _, front, body = (root / path).read_text("utf-8").split("---\n", 2)
        yaml.load(front, Loader=yaml.CSafeLoader)
        markdown.markdown(body, extensions=names, extension_configs=configs)
    return time.perf_counter() - start


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run to completion. The peak RSS comes from wait4: the number /usr/bin/time -v gives as
    "Maximum resident set size", which covers waited-for children such as Pagefind. The
    Python process's own peak is read from /proc/PID/status (VmHWM) while it runs."""
    log = cwd / ".bench.log"
    own_kb = 0
    with log.open("w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env={**ENV, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
        )
        while True:
            with contextlib.suppress(OSError, ValueError, IndexError):
                status_text = Path(f"/proc/{proc.pid}/status").read_text()
                own_kb = max(own_kb, int(status_text.split("VmHWM:")[1].split()[0]))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text("utf-8", errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, own_kb / 1024, output)


def build_cmd(site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]


def site_stats(site: Path) -> tuple[float, int, int]:
    """(size in MB, HTML pages, PDFs) of a built site."""
    size = pages = pdfs = 0
    for path in site.rglob("*"):
        if path.is_file():
            size += path.stat().st_size
            pages += path.suffix == ".html"
            pdfs += path.suffix == ".pdf"
    return size / 1e6, pages, pdfs


def headers_stats(site: Path) -> tuple[int, int]:
    """(rules, longest line) of the build's ``_headers``: header-file hosts limit both
    (tools for Cloudflare Pages check 100 rules and 2,000 characters per line)."""
    lines = (site / "_headers").read_text("utf-8").splitlines()
    return sum(line.startswith("/") for line in lines), max(map(len, lines))


def pdfs_rendered(output: str) -> int | None:
    """How many PDFs a build rendered, as it logs it: "PDF's: 18, waarvan 0 nieuw gemaakt."."""
    match = re.search(r"PDF's: \d+, waarvan (\d+) nieuw gemaakt", output)
    return int(match.group(1)) if match else None


# --- edit -> preview -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def page_url(path: str) -> str:
    """Site URL of a generated document file (see kennisbank.content.model.Document.url)."""
    parts = Path(path).parts
    if parts[0] == "toolkits" and parts[-1] == "index.md":
        return f"/toolkits/{parts[1]}/"
    section = {"adviezen": "adviezen", "standpunten": "standpunten", "praktijken": "praktijken"}
    return f"/{section[parts[1]]}/{Path(path).stem}/"


def wait_for(url: str, predicate: Any, timeout: float, every: float = 0.05) -> float | None:
    """Seconds until ``predicate(page text)`` holds, or None after ``timeout``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        text = fetch(url)
        if text is not None and predicate(text):
            return time.perf_counter() - start
        time.sleep(every)
    return None


def measure_edit_preview(root: Path, document: str, timeout: float) -> float | None:
    """Seconds from saving an edit to one document until `mkdocs serve` serves it; None
    after ``timeout`` (also the limit for the server's first build)."""
    port = free_port()
    log = (root / ".serve.log").open("w")
    # The command of `make serve`.
    cmd = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--no-strict",
        "--dirty",
        "-a",
        f"127.0.0.1:{port}",
    ]
    server = subprocess.Popen(
        cmd, cwd=root, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if wait_for(base + "/", lambda _: True, timeout, every=0.2) is None:
            raise RuntimeError(f"mkdocs serve did not start; see {root / '.serve.log'}")
        marker = f"benchmarkmarker{time.time_ns()}"
        with (root / document).open("a", encoding="utf-8") as out:
            out.write(f"\n{marker}\n")
        start = time.perf_counter()
        seen = wait_for(base + page_url(document), lambda text: marker in text, timeout)
        return None if seen is None else time.perf_counter() - start
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


# --- first search --------------------------------------------------------------------------


def measure_first_search(site_dir: Path, query: str) -> tuple[int, int, float, float] | None:
    """(bytes transferred under /pagefind/, the same uncompressed, seconds from the last
    keystroke to the first result, seconds from focusing the empty box to the first result)
    in a fresh headless Chromium; None while the site has no Pagefind index.

    The site is served as the nginx snippet sets up a host (``local_server.serve_with_headers``:
    production headers, the ``.gz`` copies for a browser that accepts gzip), and the
    transfer is what went over the wire: the encoded body sizes Chromium reports.

    The query is typed at full speed right after the click, so Pagefind is still loading
    (it starts on focus) while the keys go in: the worst case for a fast typist."""
    if not (site_dir / "pagefind").is_dir():
        return None
    from playwright.sync_api import sync_playwright

    server, base = serve_with_headers(site_dir)
    base = base.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_context().new_page()
            responses: list[Any] = []
            page.on(
                "response",
                lambda r: responses.append(r) if "/pagefind/" in r.url else None,
            )
            page.goto(f"{base}/zoeken/", wait_until="networkidle")
            field_ = page.locator("main input[type=search], article input[type=search]").first
            field_.click()
            focused = time.perf_counter()
            field_.type(query)
            typed = time.perf_counter()
            page.wait_for_selector(".kb-search-result", timeout=30_000)
            shown = time.perf_counter()
            page.wait_for_load_state("networkidle")
            ok = [r for r in responses if r.ok]
            transferred = sum(r.request.sizes()["responseBodySize"] for r in ok)
            uncompressed = sum(len(r.body()) for r in ok)
        finally:
            browser.close()
            server.shutdown()
            server.server_close()
    return transferred, uncompressed, shown - typed, shown - focused


def measure_journeys(site: Path) -> list[tuple[str, int]]:
    """The key presses of the three keyboard journeys (scripts/journeys.py) on this site;
    a journey that fails is reported with -1."""
    with site_page(site, {"width": 1280, "height": 800}) as (page, base):
        return [_journey(lambda w=walk: w(page, base)) for walk in journeys.JOURNEYS]


def _journey(walk: Any) -> tuple[str, int]:
    try:
        done = walk()
    except journeys.JourneyFailed as err:
        say(f"journey failed: {err}")
        return (str(err).split(":")[0], -1)
    if done.problems:
        say(f"journey {done.name}: {done.problems}")
    return (done.name, done.keys)


def measure_relevance(root: Path, site: Path) -> tuple[int, int] | None:
    """The relevance test set over this corpus plus the sample documents (which its cases
    name): copied in, built (HTML only), then every case in Chromium. None without an
    index."""
    for top in ("advisories", "toolkits"):
        shutil.copytree(ROOT / top, root / top, dirs_exist_ok=True)
        # The synthetic corpus numbers its references as the sample does (ADV-2023-02): the
        # sample's move to the 1900s (ADV-1923-02), still unique.
        for path in (ROOT / top).rglob("*.md"):
            copy = root / path.relative_to(ROOT)
            text = re.sub(r"^(reference: \w+-)20", r"\g<1>19", copy.read_text("utf-8"), flags=re.M)
            copy.write_text(text, "utf-8")
    built = run(build_cmd(site), root, {"KENNISBANK_PDF": "0"})
    if re.search(r"\d+ proble(em|men) in \d+ bestand", built.output):
        say(f"relevance: the build with the sample documents failed:\n{built.output[-2000:]}")
        return None
    if not (site / "pagefind").is_dir():
        return None
    from kennisbank.pipeline import load

    corpus_, _ = load(root)
    urls = {doc.id: doc.url for doc in corpus_.published()}
    outcomes = relevance.run_site(site, urls)
    for outcome in outcomes:
        if not outcome.met:
            say(f"relevance: {outcome.line()}")
    return sum(o.met for o in outcomes), len(outcomes)


# --- profile -------------------------------------------------------------------------------

# (label, file, function, caller file or None): cumulative time of the build's phases.
PHASES = [
    ("Load config, theme and plugins", "mkdocs/config/base.py", "load_config", None),
    ("Kennisbank `on_files` (all of the next four)", "mkdocs_adapter.py", "on_files", None),
    ("- read + YAML + schema validation", "kennisbank/content/validate.py", "load_corpus", None),
    ("- enrich (links, relations)", "kennisbank/content/enrich.py", "enrich", None),
    ("- generate pages (Jinja → Markdown)", "kennisbank/site/generate.py", "generate", None),
    ("- add generated files to MkDocs", "mkdocs/structure/files.py", "generated", None),
    ("Navigation", "mkdocs/structure/nav.py", "get_navigation", None),
    ("Markdown → HTML (`_populate_page`)", "mkdocs/commands/build.py", "_populate_page", None),
    ("- raw HTML blocks (`html.parser`)", "html/parser.py", "feed", "markdown/"),
    ("Material templates + write (`_build_page`)", "mkdocs/commands/build.py", "_build_page", None),
    ("- Jinja render of Material's `main.html`", "jinja2/environment.py", "render", "mkdocs/"),
    ("- write HTML files", "mkdocs/utils/__init__.py", "write_file", None),
    ("Copy static files and downloads", "mkdocs/structure/files.py", "copy_static_files", None),
    ("Kennisbank `on_post_build` (Pagefind index)", "mkdocs_adapter.py", "on_post_build", None),
    ("Whole build (`build`)", "mkdocs/commands/build.py", "build", None),
]


def cumulative(
    entries: dict[tuple[str, int, str], Any], file: str, name: str, caller: str | None
) -> float | None:
    """Cumulative seconds of a function (only the calls from ``caller`` files, if given)."""
    found = [(value, key) for key, value in entries.items() if key[2] == name and file in key[0]]
    if not found:
        return None
    if caller is None:
        return max(value[3] for value, _ in found)
    return sum(
        timing[3]
        for value, _ in found
        for caller_key, timing in value[4].items()
        if caller in caller_key[0]
    )


def profile_build(root: Path) -> str:
    """Profile one cold build with cProfile; Markdown summary by phase + top entries."""
    out = root / "build.prof"
    site = root / "site-profile"
    run(
        [sys.executable, "-m", "cProfile", "-o", str(out), *build_cmd(site)[1:]],
        root,
    )
    stats = pstats.Stats(str(out))
    entries: dict[tuple[str, int, str], Any] = stats.stats  # type: ignore[attr-defined]
    total = max(cumulative for _, _, _, cumulative, _ in entries.values())
    lines = [
        "| Phase (cumulative) | Seconds | Share |",
        "|---|---:|---:|",
    ]
    for label, file, name, caller in PHASES:
        seconds = cumulative(entries, file, name, caller)
        if seconds is not None:
            lines.append(f"| {label} | {seconds:.1f} | {seconds / total:.0%} |")
    rows = sorted(
        (
            (v[3], v[1], f"{short(file)}:{line}({func})")
            for (file, line, func), v in entries.items()
        ),
        reverse=True,
    )
    skip = ("<built-in method builtins.exec>", "<module>", "run_module", "_run_code", "main")
    top = [r for r in rows if not any(s in r[2] for s in skip) and "click" not in r[2]][:10]
    lines += ["", "| Top 10 by cumulative time | Calls | Seconds |", "|---|---:|---:|"]
    lines += [f"| `{name}` | {calls} | {seconds:.1f} |" for seconds, calls, name in top]
    return "\n".join(lines)


def short(file: str) -> str:
    """A profile entry's file without the site-packages or temporary-project prefix."""
    match = re.search(r"site-packages/(.*)|/kb-\d+/(.*)|/lib/python3\.\d+/(.*)", file)
    return next(g for g in match.groups() if g) if match else file


# --- report --------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        ram = f", {kb / 1024**2:.1f} GB RAM"
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("mkdocs", "mkdocs-material", "Markdown")
    )
    return (
        f"{os.cpu_count()} × {cpu}{ram}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {versions}"
    )


def fmt_s(seconds: float | None, timeout: float = 120) -> str:
    return f"timed out (> {timeout:.0f} s)" if seconds is None else f"{seconds:.2f} s"


def verdict(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(result: Result, base: Result | None) -> str:
    info = result.info
    kinds = ", ".join(
        f"{info.per_kind[k]} {k}" for k in ("advies", "standpunt", "toolkit", "praktijk")
    )
    rows: list[tuple[str, str, str, str]] = []

    def row(metric: str, value: str, target: str = "—", ok: bool | None = None) -> None:
        rows.append((metric, value, target, "—" if ok is None else verdict(ok)))

    cold, rebuild = result.cold, result.rebuild
    assert cold is not None and rebuild is not None
    row("Floor: YAML + Markdown of the same documents (1 process)", fmt_s(result.floor))
    row("`kennisbank check`", fmt_s(result.check))
    assert result.html_only is not None
    ratio = result.html_only.seconds / result.floor
    row("Cold `mkdocs build`, HTML only (`KENNISBANK_PDF=0`)", fmt_s(result.html_only.seconds))
    if result.n == 1000:
        row("Cold build ÷ floor", f"{ratio:.1f}×", "≤ 2.0×", ratio <= 2.0)
    else:
        row("Cold build ÷ floor", f"{ratio:.1f}×")
    if base is not None and base.html_only is not None and result.n != 1000:
        scale = result.html_only.seconds / base.html_only.seconds
        if result.n == 4000:
            row("Cold build ÷ 1,000-document build", f"{scale:.1f}×", "≤ 4.4×", scale <= 4.4)
        else:
            row("Cold build ÷ 1,000-document build", f"{scale:.2f}×")
    row("Site output", f"{result.site_mb:.0f} MB, {result.site_pages} HTML pages")
    rules, longest = result.headers
    row(
        "`_headers`: rules (longest line)",
        f"{rules} ({longest:,} characters)",
        "≤ 20 (≤ 2,000)",
        rules <= 20 and longest <= 2000,
    )
    per_pdf = (cold.seconds - result.html_only.seconds) / max(result.pdfs, 1)
    row("Cold build with PDFs (`make build`)", f"{fmt_s(cold.seconds)} ({result.pdfs} PDFs)")
    row("Seconds per PDF (difference of the two cold builds)", f"{per_pdf:.3f} s")
    row("No-change rebuild", fmt_s(rebuild.seconds))
    rendered = "not logged" if result.pdfs_rebuilt is None else str(result.pdfs_rebuilt)
    row("PDFs rendered by a no-change rebuild", rendered, "0", result.pdfs_rebuilt == 0)
    target = "≤ 2 s" if result.n == 1000 else "—"
    ok = None if result.n != 1000 else (result.edit_preview or 1e9) <= 2.0
    row("Edit → preview (`mkdocs serve`)", fmt_s(result.edit_preview, result.timeout), target, ok)
    if result.search is None:
        row("First search: transfer", NA_SEARCH, "≤ 200 KB")
        row("First search: latency after the last keystroke", NA_SEARCH, "≤ 300 ms")
    else:
        size, uncompressed, seconds, from_focus = result.search
        row(
            "First search: transfer",
            f"{size / 1000:.0f} KB ({uncompressed / 1000:.0f} KB uncompressed)",
            "≤ 200 KB",
            size <= 200_000,
        )
        row(
            "First search: latency after the last keystroke",
            f"{seconds * 1000:.0f} ms (after the click into the box: {from_focus * 1000:.0f} ms)",
            "≤ 300 ms",
            seconds <= 0.3,
        )
    size, packed = result.words
    row(
        '"Bedoelde je …?" word list (fetched only after zero results)',
        f"{size / 1000:.1f} KB ({packed / 1000:.1f} KB gzip)",
        "≤ 5 KB gzip",
        packed <= 5000,
    )
    for name, keys in result.journeys:
        row(
            f"Keyboard journey: {name} (key presses)",
            "failed" if keys < 0 else str(keys),
            "—",
            None if keys >= 0 else False,
        )
    if result.relevance is not None:
        met, total = result.relevance
        row(
            "Relevance set met (tests/data/relevantie.yml, sample documents added)",
            f"{met} of {total} ({met / total:.0%})",
        )
    peak = max(cold.peak_mb, rebuild.peak_mb)
    own = max(cold.own_peak_mb, rebuild.own_peak_mb)
    value = f"{peak:.0f} MB (MkDocs process alone: {own:.0f} MB)"
    if result.n == 4000:
        row("Peak memory (build RSS)", value, "≤ 500 MB", peak <= 500)
    else:
        row("Peak memory (build RSS)", value)
    lines = [
        f"### {result.n:,} documents",
        "",
        f"{kinds}; {info.attachments} attachments; {info.words:,} words; "
        f"{info.bytes / 1e6:.1f} MB of sources. Search query: `{info.query}`. Load average "
        f"(1 min) {result.load[0]:.1f} before and {result.load[1]:.1f} after.",
        "",
        "| Metric | Value | Target | OK? |",
        "|---|---:|---|---|",
        *(f"| {m} | {v} | {t} | {o} |" for m, v, t, o in rows),
    ]
    if result.notes:
        lines += ["", *result.notes]
    return "\n".join(lines)


def report(results: list[Result], seed: int) -> str:
    base = next((r for r in results if r.n == 1000), None)
    parts = [
        f"Measured by `make bench` (`scripts/bench.py`) on {dt.date.today().isoformat()}: "
        f"{machine()}. Synthetic corpus from `scripts/corpus.py` (seed {seed}): Dutch words "
        "drawn by frequency from wordfreq, valid front matter over all four kinds. Each build "
        "runs in a fresh process on a temporary copy of the project; `make bench "
        'BENCH_ARGS="--sizes 250 1000 4000"` adds the large corpus. Timings on a shared machine '
        "swing with its load (shown per table): compare runs made at a similar load. The "
        "first search runs in headless Chromium against a local server that sends the `.gz` "
        "copies as the nginx snippet does (`local_server.serve_with_headers`); its transfer is the "
        "bytes on the wire under `/pagefind/`, with the uncompressed size beside it.",
    ]
    parts += [table(r, base) for r in results]
    parts += [
        f"{PROFILE_HEADING} ({r.n:,} documents, cProfile)\n\n{r.profile}"
        for r in results
        if r.profile
    ]
    return "\n\n".join(parts) + "\n"


def write_doc(text: str) -> None:
    """Replace the body of the benchmark doc's "## Results" section; keep an earlier
    profile and what follows it."""
    doc = DOC.read_text("utf-8")
    start = doc.find(f"\n{SECTION}\n")
    if start < 0:
        DOC.write_text(doc.rstrip("\n") + f"\n\n{SECTION}\n\n{text}", "utf-8")
        return
    body_start = start + len(SECTION) + 2
    end = doc.find("\n## ", body_start)
    end = len(doc) if end < 0 else end + 1
    old = doc[body_start:end]
    if PROFILE_HEADING not in text and PROFILE_HEADING in old:
        text = text + "\n" + old[old.index(PROFILE_HEADING) :].strip("\n") + "\n"
    DOC.write_text(doc[:body_start] + "\n" + text + "\n" + doc[end:], "utf-8")


# --- main ----------------------------------------------------------------------------------


def bench(n: int, seed: int, parent: Path, profile: bool) -> Result:
    say(f"N={n}: copying the project and writing the corpus")
    load_before = os.getloadavg()[0]
    root, info = make_project(n, seed, parent)
    result = Result(n, info)
    say(f"N={n}: kennisbank check")
    result.check = run([sys.executable, "-m", "kennisbank.cli", "check"], root).seconds
    say(f"N={n}: floor")
    result.floor = measure_floor(root, info.paths)
    site = root / "site"
    say(f"N={n}: cold build, HTML only")
    result.html_only = run(build_cmd(site), root, {"KENNISBANK_PDF": "0"})
    say(f"N={n}: cold build with PDFs")
    result.cold = run(build_cmd(site), root, {"KENNISBANK_PDF": "1"})
    result.site_mb, result.site_pages, result.pdfs = site_stats(site)
    result.headers = headers_stats(site)
    say(f"N={n}: no-change rebuild")
    result.rebuild = run(build_cmd(site), root, {"KENNISBANK_PDF": "1"})
    result.pdfs_rebuilt = pdfs_rendered(result.rebuild.output)
    say(f"N={n}: first search")
    result.search = measure_first_search(site, info.query)
    say(f"N={n}: edit -> preview")
    document = next(p for p in info.paths if "/praktijken/" in p)
    result.timeout = max(120.0, 3 * result.html_only.seconds)
    result.edit_preview = measure_edit_preview(root, document, result.timeout)
    words = site / "assets" / "zoekwoorden.json"
    result.words = (words.stat().st_size, len(gzip.compress(words.read_bytes())))
    say(f"N={n}: keyboard journeys")
    result.journeys = measure_journeys(site)
    say(f"N={n}: relevance set, with the sample documents added")
    result.relevance = measure_relevance(root, site)
    if profile:
        say(f"N={n}: profiling a cold build")
        result.profile = profile_build(root)
    result.load = (load_before, os.getloadavg()[0])
    say(f"N={n}: done")
    return result


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000])
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--profile",
        type=int,
        nargs="*",
        metavar="N",
        help="also cProfile a cold build (of these sizes; all sizes if none given)",
    )
    parser.add_argument("--write-doc", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args(argv)
    parent = Path(tempfile.mkdtemp(prefix="kennisbank-bench-"))
    try:
        profile = set(args.sizes if args.profile == [] else args.profile or [])
        results = [bench(n, args.seed, parent, n in profile) for n in sorted(set(args.sizes))]
    finally:
        if args.keep:
            say(f"kept {parent}")
        else:
            shutil.rmtree(parent, ignore_errors=True)
    text = report(results, args.seed)
    print(text)
    if args.write_doc:
        write_doc(text)
        say(f"updated the {SECTION} section of {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
