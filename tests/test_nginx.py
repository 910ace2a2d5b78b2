"""The nginx snippet the build writes, in Debian's real nginx (issue #18): it loads as the
publishing doc says to include it, and what readers get over HTTP is right."""

from __future__ import annotations

import contextlib
import gzip
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from conftest import CMS_GITHUB, free_port

from kennisbank.publishing.publish import HEADERS_FILE, NGINX_FILE
from kennisbank.site import cms

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

DOCS = Path(__file__).resolve().parent.parent / "docs" / "publishing.md"
DOCS_ROOT = "/srv/kennisbank/site"  # where the docs' server block serves from

# Around the server block: what Debian's nginx.conf gives, with paths a test may write.
CONFIG = """\
{user}
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
{server}
}}
"""


def docs_server_block() -> str:
    """The nginx server block of docs/publishing.md, exactly as readers copy it."""
    block = re.search(r"```nginx\n(server \{.*?\n\s*\})\n\s*```", DOCS.read_text("utf-8"), re.S)
    assert block, "docs/publishing.md has no nginx server block"
    return block[1]


@contextlib.contextmanager
def running_nginx(site: Path, run: Path, extra: str = "") -> Iterator[str]:
    """Debian's nginx serving ``site`` with the docs' server block (plus ``extra`` lines
    in it), on a free loopback port; yields its URL."""
    if not os.path.exists(NGINX):
        pytest.fail("nginx ontbreekt: 'make test' installeert het Debian-pakket 'nginx'.")
    port = free_port()
    # As root, the workers would run as nobody, who cannot read pytest's private folders.
    user = "user root;" if os.geteuid() == 0 else ""
    server_block = docs_server_block().replace("listen 80;", f"listen 127.0.0.1:{port};")
    assert DOCS_ROOT in server_block
    server_block = server_block.replace(DOCS_ROOT, str(site))
    if extra:
        server_block = server_block.rstrip().removesuffix("}") + f"    {extra}\n}}"
    config = run / "nginx.conf"
    config.write_text(CONFIG.format(user=user, run=run, server=server_block))
    test = subprocess.run([NGINX, "-t", "-c", str(config)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr  # the snippet loads unchanged
    server = subprocess.Popen([NGINX, "-c", str(config)], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def nginx_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_nginx(built_site, tmp_path_factory.mktemp("nginx")) as url:
        yield url


def get(url: str, gzip_ok: bool = False) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def a_file(site: Path, pattern: str) -> str:
    """The site path of the first file matching ``pattern`` (a glob inside the site)."""
    found = sorted(p for p in site.glob(pattern) if not p.name.endswith(".gz"))
    assert found, pattern
    return found[0].relative_to(site).as_posix()


def test_every_text_type_says_utf_8(nginx_url: str, built_site: Path) -> None:
    paths = {
        "text/html": "",
        "text/css": a_file(built_site, "assets/stylesheets/main.*.min.css"),
        "application/javascript": a_file(built_site, "assets/javascripts/bundle.*.min.js"),
        "application/rss+xml": a_file(built_site, "feeds/*.xml"),
        "application/json": "data/documenten.json",
        "text/csv": "data/documenten.csv",
        "text/plain": "robots.txt",
    }
    for expected, path in paths.items():
        status, headers, _ = get(nginx_url + path)
        assert status == 200, path
        kind = headers["Content-Type"]
        assert kind.split(";")[0] in (expected, "text/xml"), (path, kind)
        assert kind.endswith("; charset=utf-8"), (path, kind)


def test_gzip_copies_are_sent_with_vary(nginx_url: str, built_site: Path) -> None:
    path = "data/documenten.csv"
    status, headers, body = get(nginx_url + path, gzip_ok=True)
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == (built_site / path).read_bytes()
    assert body == (built_site / (path + ".gz")).read_bytes()  # the build's copy, sent as is


def test_only_hashed_files_are_cached_for_good(nginx_url: str, built_site: Path) -> None:
    hashed = a_file(built_site, "assets/javascripts/bundle.*.min.js")
    assert "immutable" in get(nginx_url + hashed)[1]["Cache-Control"]
    for path in ("", "data/documenten.csv", "feeds/alles.xml"):
        status, headers, _ = get(nginx_url + path)
        assert status == 200 and "immutable" not in headers["Cache-Control"], path
        assert "Content-Security-Policy" in headers, path  # every block keeps the headers


def test_missing_pages_and_build_files_answer_the_dutch_404(nginx_url: str) -> None:
    for path in ("bestaat-niet/", HEADERS_FILE, NGINX_FILE):
        status, _, body = get(nginx_url + path)
        assert status == 404, path
        assert "Pagina niet gevonden" in body.decode("utf-8"), path


def test_every_feed_parses_over_http(nginx_url: str, built_site: Path) -> None:
    feeds = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.xml"))
    feeds = [f for f in feeds if f.startswith("feeds/")]
    assert len(feeds) >= 4
    for path in feeds:
        parsed = feedparser.parse(nginx_url + path)
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path


@pytest.mark.browser
def test_pages_and_search_work_through_nginx(browser: Any, nginx_url: str) -> None:
    page = browser.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(nginx_url + "zoeken/?q=gemeenten")
    assert response is not None and "content-security-policy" in response.headers
    page.locator("main .kb-search-result").first.wait_for()
    # The count is announced once the results are all in (a moment after the first).
    status = page.locator(".kb-search__status").filter(has_text=re.compile(r"\d+ resultat"))
    status.wait_for(timeout=10_000)
    assert page.evaluate("window.__csp") == []
    page.close()


def docs_hsts_line() -> str:
    """The HSTS line docs/publishing.md tells a web team to add to the server block."""
    line = re.search(
        r"```nginx\n(add_header Strict-Transport-Security [^\n]+)\n```", DOCS.read_text("utf-8")
    )
    assert line, "docs/publishing.md has no HSTS line"
    return line[1]


def test_hsts_is_the_hosts_line_to_add(built_site: Path, tmp_path: Path, nginx_url: str) -> None:
    """Without the docs' line no page says HSTS (a plain-HTTP test server must not); with
    it in the server block, as the docs say, pages do."""
    status, headers, _ = get(nginx_url + "adviezen/")
    assert status == 200 and headers["Strict-Transport-Security"] is None
    with running_nginx(built_site, tmp_path, docs_hsts_line()) as url:
        status, headers, _ = get(url + "adviezen/")
        assert status == 200
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
        assert headers["Content-Security-Policy"]  # the snippet's headers are still sent


def test_the_published_cms_gets_its_own_headers(cms_site: Path, tmp_path: Path) -> None:
    """/admin/ (published by content/_data/cms.yml) gets the CMS's policy, opener policy
    and no-index header and keeps the others; a page beside it only the site's."""
    policy = "Content-Security-Policy"
    with running_nginx(cms_site, tmp_path) as url:
        status, headers, _ = get(url + "admin/")
        assert status == 200
        assert headers.get_all(policy) == [cms.headers(yaml.safe_load(CMS_GITHUB))[policy]]
        assert headers["X-Robots-Tag"] == "noindex, nofollow"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin-allow-popups"
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, headers, _ = get(url + "adviezen/een-advies/")
        assert status == 200
        assert len(headers.get_all(policy)) == 1 and "'unsafe-eval'" not in headers[policy]
        assert "X-Robots-Tag" not in headers
