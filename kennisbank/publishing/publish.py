"""Post-build publishing steps on a built site folder (engine-agnostic).

- a strict Content-Security-Policy whose script hashes are computed from the inline
  scripts actually in the output (never kept by hand);
- ``_headers`` (the format Netlify, Cloudflare Pages and similar static hosts read) and an
  nginx snippet with the same headers and cache rules;
- precompressed ``.gz`` copies of text files where that pays.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HEADERS_FILE = "_headers"
NGINX_FILE = "_nginx-kennisbank.conf"

# Files with a content hash in their name never change: cache them for a year.
HASHED = re.compile(
    r"[.-][0-9a-f]{8,}(\.min)?\.(js|css|json|woff2?)$|\.pf_(fragment|index|filter|meta)$"
)
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".csv", ".map"}
MIN_GZIP_BYTES = 1024

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=(), interest-cohort=()"
    ),
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


# Inline scripts that execute: no src, and no type or a JavaScript type. Data blocks such as
# Material's type="application/json" config never run, so they need no hash. A regex, not an
# HTML parser: this runs over every page of every build (12 s per 1,000 pages with a parser).
SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<code>.*?)</script>", re.S | re.I)
JS_TYPE = re.compile(
    r"""\btype\s*=\s*["']?(text/javascript|application/javascript|module)\b""", re.I
)


def inline_scripts(html: str) -> list[str]:
    scripts = []
    for match in SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if re.search(r"\bsrc\s*=", attrs, re.I):
            continue
        if re.search(r"\btype\s*=", attrs, re.I) and not JS_TYPE.search(attrs):
            continue
        scripts.append(match.group("code"))
    return scripts


ARTICLE = re.compile(r"<article\b.*?</article>", re.S | re.I)


def inline_script_hashes(site_dir: Path) -> list[str]:
    """CSP source expressions for every distinct inline script of the theme in the built
    HTML. Scripts inside a page's article (its content) are never allowed: if validation
    ever let one through, the CSP still blocks it."""
    hashes: set[str] = set()
    for page in sorted(site_dir.rglob("*.html")):
        for script in inline_scripts(ARTICLE.sub("", page.read_text(encoding="utf-8"))):
            digest = hashlib.sha256(script.encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


def content_security_policy(script_hashes: list[str], meta: bool = False) -> str:
    """The policy; ``meta``: as a page's <meta> carries it, without what a meta element
    may not hold (``frame-ancestors``; X-Frame-Options in the headers does that too)."""
    directives = [
        "default-src 'self'",
        " ".join(["script-src 'self'", "'wasm-unsafe-eval'", *script_hashes]),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(d for d in directives if not (meta and d.startswith("frame-ancestors")))


CHARSET_META = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.I)


def add_policy_meta(site_dir: Path, script_hashes: list[str]) -> None:
    """Put the policy in every page as well, so a host that sends no headers (GitHub Pages,
    a plain file server) still enforces it. Right after the charset, before any script."""
    tag = (
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{content_security_policy(script_hashes, meta=True)}">'
    )
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        found = CHARSET_META.search(html) or re.search(r"<head[^>]*>", html, re.I)
        if found is None or 'http-equiv="Content-Security-Policy"' in html:
            continue
        page.write_text(html[: found.end()] + tag + html[found.end() :], encoding="utf-8")


def headers(script_hashes: list[str]) -> dict[str, str]:
    """The response headers every page gets."""
    return {
        "Content-Security-Policy": content_security_policy(script_hashes),
        **SECURITY_HEADERS,
    }


def hashed_files(site_dir: Path) -> list[str]:
    return sorted(
        "/" + p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*")
        if p.is_file() and HASHED.search(p.name)
    )


# The content hash in a hashed file's name: Material's ".a5f9d56c", Pagefind's "_60dcfd4".
HASH_PART = re.compile(
    r"(?<=[.-])[0-9a-f]{8,}(?=(\.min)?\.(js|css|json|woff2?)$)|_[0-9a-f]+(?=\.pf_)"
)


def immutable_patterns(site_dir: Path) -> list[str]:
    """URL patterns that match exactly the hashed files, with one `*` each (header-file
    hosts allow one per rule): a folder whose files are all hashed (Pagefind's chunks) is
    one rule, any other hashed file is its name with `*` for the hash. So the number of
    rules does not grow with the number of documents."""
    patterns = set()
    only_hashed: dict[Path, bool] = {}  # folder -> every file under it is hashed
    for path in hashed_files(site_dir):
        folder = site_dir / path.lstrip("/").rsplit("/", 1)[0]
        if folder not in only_hashed:
            only_hashed[folder] = all(
                HASHED.search(p.name)
                for p in folder.rglob("*")
                if p.is_file() and not p.name.endswith(".gz")
            )
        if only_hashed[folder]:
            patterns.add("/" + folder.relative_to(site_dir).as_posix() + "/*")
        else:
            patterns.add(HASH_PART.sub("*", path, count=1))
    return sorted(patterns)


Folders = dict[str, dict[str, str]]  # folder URL ("/admin/") -> headers it gets instead


def site_rules(site_dir: Path, values: dict[str, str], folders: Folders) -> list[str]:
    """The rules that give every path its headers. Header-file hosts add up the headers
    of every matching rule and cannot leave a folder out of ``/*``: a header that a folder
    replaces (the CMS's own policy) is given by one rule per other top-level file and
    folder instead, and the folder by its own rule."""
    if any(folder.strip("/").count("/") for folder in folders):
        raise ValueError(f"only top-level folders can have headers of their own: {folders}")
    replaced = {name for own in folders.values() for name in own if name in values}
    lines = ["/*", *(f"  {n}: {v}" for n, v in values.items() if n not in replaced)]
    if replaced:
        own = {folder.strip("/") for folder in folders}
        tops = ["/"] + [
            f"/{p.name}/*" if p.is_dir() else f"/{p.name}"
            for p in sorted(site_dir.iterdir())
            if p.name not in own
            and p.name not in (HEADERS_FILE, NGINX_FILE)
            and not p.name.endswith(".gz")  # hosts send it for the file without .gz
        ]
        for pattern in tops:
            lines += [pattern, *(f"  {n}: {v}" for n, v in values.items() if n in replaced)]
    for folder, headers_ in folders.items():
        lines += [f"{folder}*", *(f"  {n}: {v}" for n, v in headers_.items())]
    return lines


def write_headers_file(
    site_dir: Path, values: dict[str, str], folders: Folders | None = None
) -> str:
    lines = ["# Generated by Kennisbank at build time; do not edit."]
    lines += site_rules(site_dir, values, folders or {})
    # No default Cache-Control under /*: hosts add up the headers of every matching rule,
    # and hashed files would get two. Without one, hosts revalidate, which suits HTML.
    for pattern in immutable_patterns(site_dir):
        lines += [pattern, f"  Cache-Control: {IMMUTABLE}"]
    text = "\n".join(lines) + "\n"
    (site_dir / HEADERS_FILE).write_text(text, encoding="utf-8")
    return text


# Types nginx adds "; charset=utf-8" to (text/html always): everything the build writes as
# text. Debian's mime.types has no csv, so the snippet maps it in its own location.
CHARSET_TYPES = (
    "text/css text/plain text/xml application/javascript application/json "
    "application/xml application/rss+xml application/atom+xml image/svg+xml text/csv"
)


def write_nginx_snippet(
    site_dir: Path, values: dict[str, str], folders: Folders | None = None
) -> str:
    """The server-block include for nginx (tested against Debian's nginx): the headers,
    gzip copies, UTF-8 charsets, cache rules, the Dutch 404, build files kept private, and
    the folders with headers of their own."""
    add = [f'add_header {name} "{value}" always;' for name, value in values.items()]
    own = []
    for folder, headers_ in (folders or {}).items():
        # ^~: the regex locations (hashed files) do not apply below it; nginx keeps only a
        # block's own add_header lines, so the site's others are repeated here.
        lines = [f'add_header {n} "{v}" always;' for n, v in {**values, **headers_}.items()]
        lines.append(f'add_header Cache-Control "{SHORT}" always;')
        own += [f"location ^~ {folder} {{", *(f"    {line}" for line in lines), "}", ""]

    def location(match: str, *lines: str, cache: str = SHORT) -> list[str]:
        # nginx drops the server's add_header lines in a block that has its own.
        body = [*lines, *add, f'add_header Cache-Control "{cache}" always;']
        return [f"location {match} {{", *(f"    {line}" for line in body), "}", ""]

    hashed = '"([.-][0-9a-f]{8,}(\\.min)?\\.(js|css|json)|\\.pf_(fragment|index|filter|meta))$"'
    private = "|".join(re.escape(name) for name in (HEADERS_FILE, NGINX_FILE))
    text = (
        "\n".join(
            [
                "# Generated by Kennisbank at build time; do not edit.",
                "# Include inside the server block that serves site/.",
                "gzip_static on;",
                "gzip_vary on;",
                "charset utf-8;",
                f"charset_types {CHARSET_TYPES};",
                *add,
                f'add_header Cache-Control "{SHORT}" always;',
                "",
                "# Files with a content hash in their name never change.",
                *location(f"~* {hashed}", cache=IMMUTABLE),
                *location("~* \\.csv$", "types { }", "default_type text/csv;"),
                *(["# Folders with headers of their own.", *own] if own else []),
                "# Files for the host, not for readers.",
                f"location ~ ^/({private})$ {{",
                "    return 404;",
                "}",
                "",
                "error_page 404 /404.html;",
            ]
        )
        + "\n"
    )
    (site_dir / NGINX_FILE).write_text(text, encoding="utf-8")
    return text


def _compress(path: Path) -> bool:
    data = path.read_bytes()
    if len(data) < MIN_GZIP_BYTES:
        return False
    packed = gzip.compress(data, compresslevel=6, mtime=0)  # mtime=0: reproducible
    if len(packed) > 0.9 * len(data):
        return False
    path.with_name(path.name + ".gz").write_bytes(packed)
    return True


def compressible(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in COMPRESSIBLE]


def precompress(site_dir: Path, paths: list[Path] | None = None) -> int:
    """Write ``name.gz`` beside text files (all of ``site_dir``, or ``paths``) where gzip
    saves at least 10 %; return the count."""
    if paths is None:
        paths = compressible(site_dir)
    # zlib releases the GIL: threads use both cores.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return sum(pool.map(_compress, paths))


def finish(
    site_dir: Path,
    compress: bool = True,
    index: Callable[[], None] | None = None,
    index_dir: Path | None = None,
    folders: Folders | None = None,
) -> None:
    """All publishing steps. ``index`` writes the search index into ``index_dir``: the
    steps that do not depend on it (the CSP hashes of the HTML, compressing the pages) run
    before it is called, so that an index being written by another process meanwhile
    (``search.IndexFeeder``) costs no extra time. ``folders``: folders whose headers
    replace the site's (the published CMS; a page there brings its own policy meta)."""
    hashes = inline_script_hashes(site_dir)
    values = headers(hashes)
    add_policy_meta(site_dir, hashes)
    if compress:
        precompress(
            site_dir,
            [p for p in compressible(site_dir) if index_dir is None or index_dir not in p.parents],
        )
    if index is not None:
        index()
    write_headers_file(site_dir, values, folders)  # lists the index's hashed files too
    write_nginx_snippet(site_dir, values, folders)
    if compress and index_dir is not None and index_dir.is_dir():
        precompress(site_dir, compressible(index_dir))
