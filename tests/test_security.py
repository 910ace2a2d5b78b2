"""Security headers, CSP in real Chromium, precompression and hostile markup (issue #5)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from conftest import PAGES, advies, run_mkdocs, write_doc

from kennisbank.publishing import local_server, publish


@pytest.fixture(scope="module")
def strict_url(built_site: Path) -> Iterator[str]:
    server, url = local_server.serve_with_headers(built_site)
    yield url
    server.shutdown()


def test_headers_file_has_a_strict_policy(built_site: Path) -> None:
    headers = local_server.read_headers_file(built_site)
    csp = headers["Content-Security-Policy"]
    for directive in (
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]
    nginx = (built_site / publish.NGINX_FILE).read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{csp}" always;' in nginx


def test_script_hashes_are_those_of_the_output(built_site: Path) -> None:
    """Every inline script in the output is allowed by hash, and no stale hash is kept."""
    found = set()
    for page in built_site.rglob("*.html"):
        for script in re.findall(r"<script>(.*?)</script>", page.read_text(encoding="utf-8"), re.S):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            found.add(f"'sha256-{digest}'")
    csp = local_server.read_headers_file(built_site)["Content-Security-Policy"]
    assert found and set(re.findall(r"'sha256-[^']+'", csp)) == found


def test_hashed_assets_are_cached_for_a_year(built_site: Path) -> None:
    """Path patterns, not one rule per file: the immutable rules match exactly the hashed
    files, each with one `*` (the most a header-file host allows)."""
    rules = local_server.read_rules(built_site)
    assert "Cache-Control" not in dict(rules["/*"])  # hosts would send it twice
    cached_for_good = ("Cache-Control", publish.IMMUTABLE)
    immutable = [p for p, lines in rules.items() if cached_for_good in lines]
    assert all(p.count("*") == 1 for p in immutable)
    hashed = set(publish.hashed_files(built_site))
    assert len(hashed) > 3 * len(immutable)  # Pagefind's chunks share a rule
    for path in ("/" + p.relative_to(built_site).as_posix() for p in built_site.rglob("*")):
        if (built_site / path.lstrip("/")).is_file():
            cached = any(local_server.matches(pattern, path) for pattern in immutable)
            assert cached == (path in hashed), path
    assert len(rules) <= 20


def test_precompressed_copies_match(built_site: Path) -> None:
    copies = list(built_site.rglob("*.gz"))
    assert any(p.name == "index.html.gz" for p in copies)
    for copy in copies[:50]:
        original = copy.with_name(copy.name.removesuffix(".gz"))
        if original.name == "sitemap.xml":
            continue  # MkDocs writes its own sitemap.xml.gz
        assert gzip.decompress(copy.read_bytes()) == original.read_bytes()
        assert copy.stat().st_size < original.stat().st_size


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_csp_violations(browser, strict_url: str, name: str) -> None:
    page = browser.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(strict_url + PAGES[name], wait_until="networkidle")
    assert response is not None
    assert (
        "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        or "content-security-policy" in response.headers
    )
    if name == "search-results":
        page.wait_for_selector(".kb-search-result", timeout=10_000)  # wasm ran under the CSP
    assert page.evaluate("window.__csp") == []
    assert [e for e in errors if "Content Security Policy" in e] == []
    page.close()


def test_every_page_carries_the_policy_before_its_scripts(built_site: Path) -> None:
    csp = local_server.read_headers_file(built_site)["Content-Security-Policy"]
    expected = csp.replace("; frame-ancestors 'none'", "")  # not allowed in a meta element
    assert expected != csp
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert metas == [expected], page
        assert html.index("Content-Security-Policy") < html.find("<script"), page


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_policy_holds_on_a_host_without_headers(browser, site_url: str, name: str) -> None:
    """A plain file server (as GitHub Pages for this purpose): the page's own policy is
    enforced, its scripts and search run, and an injected inline script is blocked."""
    page = browser.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(site_url + PAGES[name], wait_until="networkidle")
    assert response is not None
    assert "content-security-policy" not in {k.lower() for k in response.headers}
    if name == "search-results":
        page.wait_for_selector(".kb-search-result", timeout=10_000)
    assert page.evaluate("window.__csp") == []
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__injected = true'; document.head.append(s); }"
    )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__injected") is None
    assert page.evaluate("window.__csp")[0].startswith("script-src")
    page.close()


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("title", 'title: "<script>alert(1)</script>"\n'),
        ("summary", 'summary: "Klik <a href=x onclick=alert(1)>hier</a>"\n'),
        ("body", "<img src=x onerror=alert(1)>"),
        ("body", "[klik](javascript:alert(1))"),
        ("body", "<script>alert(1)</script>"),
        ("body", "<img src=x\nonerror=alert(1)>"),  # a tag over two lines
        ("body", 'Alinea\n{: onclick="alert(1)" }'),  # attr_list
        ("body", '<base href="https://elders.example/">'),
        ("body", "Tekst <!--kb:0--> meer"),  # the placeholder of generated blocks
    ],
)
def test_executable_content_is_refused_by_the_build(
    scratch_repo: Path, tmp_path: Path, where: str, text: str
) -> None:
    doc = (
        advies(body=text)
        if where == "body"
        else advies().replace(f"{where}: ", f"x-{where}: ", 1).replace("---\n", "---\n" + text, 1)
    )
    doc = doc.replace("x-title: Een advies\n", "").replace(
        "x-summary: Samenvatting van het advies.\n", ""
    )
    write_doc(scratch_repo, "advisories/adviezen/een.md", doc)
    result = run_mkdocs(scratch_repo, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert re.search(r"advisories/adviezen/een\.md:\d+: ", output), output
    assert "niet toegestaan" in output
    assert not (tmp_path / "out" / "adviezen").exists()


def test_only_executable_inline_scripts_are_hashed() -> None:
    html = (
        '<script>a()</script><script src="x.js"></script>'
        '<script id="__config" type="application/json">{"x": 1}</script>'
        '<script type="module">b()</script><SCRIPT type="text/javascript">c()</SCRIPT>'
    )
    assert publish.inline_scripts(html) == ["a()", "b()", "c()"]


def test_scripts_inside_the_article_are_never_allowed(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<html><script>theme()</script><article class='md-content__inner'>"
        "<script>content()</script></article></html>",
        encoding="utf-8",
    )
    theme = base64.b64encode(hashlib.sha256(b"theme()").digest()).decode()
    assert publish.inline_script_hashes(tmp_path) == [f"'sha256-{theme}'"]


def test_titles_are_escaped_in_the_page(scratch_repo: Path, tmp_path: Path) -> None:
    title = 'Kinderen <12 jaar & "ouders"'
    write_doc(scratch_repo, "advisories/adviezen/een.md", advies(title=f"'{title}'"))
    assert run_mkdocs(scratch_repo, tmp_path / "out").returncode == 0
    page = (tmp_path / "out/adviezen/een/index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<h1 id="[^"]+">Kinderen &lt;12 jaar &amp; (&quot;|")ouders(&quot;|")</h1>', page
    )
    assert "<title>Kinderen &lt;12 jaar" in page
    assert "<12 jaar" not in page


def test_local_host_serves_the_gzip_copies_like_nginx(built_site: Path) -> None:
    """The server of the tests, the audit and the benchmark sends a page's ``.gz`` copy to a
    client that accepts gzip, as ``gzip_static on`` in the nginx snippet does."""
    import urllib.error
    import urllib.request

    server, url = local_server.serve_with_headers(built_site)
    try:
        request = urllib.request.Request(url + "zoeken/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Content-Type"].startswith("text/html")
            body = response.read()
        plain = (built_site / "zoeken" / "index.html").read_bytes()
        assert len(body) < len(plain) and gzip.decompress(body) == plain
        with urllib.request.urlopen(url + "zoeken/", timeout=10) as response:
            assert response.headers["Content-Encoding"] is None
            assert response.read() == plain
        refused = urllib.request.Request(url + "zoeken/", headers={"Accept-Encoding": "gzip;q=0"})
        with urllib.request.urlopen(refused, timeout=10) as response:
            assert response.headers["Content-Encoding"] is None
        for headers in ({"Accept-Encoding": "gzip"}, {}):  # a file asked for as a folder
            wrong = urllib.request.Request(url + "zoeken/index.html/", headers=headers)
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(wrong, timeout=10)
            assert error.value.code == 404
    finally:
        server.shutdown()


def get(url: str) -> tuple[int, Message]:
    """Status and headers (names in any case, repeats kept) of a GET."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_a_header_file_host_sends_each_rule(built_site: Path) -> None:
    """Served as Netlify or Cloudflare Pages serve `_headers` (every matching rule, added
    up): a page gets the policy of the nginx snippet, byte for byte, and no cache rule; a
    hashed file gets the year's cache once; the build's own files are not served."""
    server, url = local_server.serve_with_headers(built_site)
    try:
        nginx = (built_site / publish.NGINX_FILE).read_text(encoding="utf-8")
        snippet_csp = re.search(r'add_header Content-Security-Policy "([^"]+)"', nginx)
        assert snippet_csp
        status, headers = get(url + "adviezen/")
        assert status == 200
        assert headers.get_all("Content-Security-Policy") == [snippet_csp[1]]
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Cache-Control"] is None
        for name, value in publish.SECURITY_HEADERS.items():
            assert headers.get_all(name) == [value]
        hashed = publish.hashed_files(built_site)
        for path in (next(p for p in hashed if "/pagefind/" in p), hashed[0]):
            status, headers = get(url + path.lstrip("/"))
            assert status == 200
            assert headers.get_all("Cache-Control") == [publish.IMMUTABLE], path
        status, headers = get(url + "feeds/alles.xml")
        assert status == 200 and headers["Content-Type"].endswith("; charset=utf-8")
        assert headers["Cache-Control"] is None
        for private in (publish.HEADERS_FILE, publish.NGINX_FILE):
            assert (built_site / private).is_file()
            assert get(url + private)[0] == 404
    finally:
        server.shutdown()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("GZIP", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0", False),
        ("deflate", False),
        ("", False),
        ("gzip;q=x", False),
    ],
)
def test_accept_encoding_is_read_like_a_host(header: str, expected: bool) -> None:
    assert local_server.accepts_gzip(header) is expected


def test_local_host_does_not_log_every_request(built_site: Path, capsys) -> None:
    """The server of the tests, the audit and the benchmark keeps quiet (the standard
    handler prints a line per request to stderr)."""
    import contextlib
    import urllib.request

    server, url = local_server.serve_with_headers(built_site)
    try:
        for path in ("", "zoeken/", "bestaat-niet/"):
            request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip"})
            with contextlib.suppress(OSError):  # the 404
                urllib.request.urlopen(request, timeout=10).read()
    finally:
        server.shutdown()
    assert capsys.readouterr().err == ""
