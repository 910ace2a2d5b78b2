"""A local static host for tests, `make audit` and `make bench`: serves a built site as a
header-file host (Netlify, Cloudflare Pages) does: the headers of every ``_headers`` rule
whose pattern matches the path, ``charset=utf-8`` on text, the ``.gz`` copies with
``Vary``, and never the build's own files. Not used by the build."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from typing import ClassVar

from kennisbank.publishing.publish import HEADERS_FILE, NGINX_FILE

Rules = dict[str, list[tuple[str, str]]]  # URL pattern -> its headers, in order


def read_rules(site_dir: Path) -> Rules:
    """``_headers`` as its rules: a line starting with ``/`` is a pattern, the indented
    ``Name: value`` lines under it its headers."""
    rules: Rules = {}
    current: list[tuple[str, str]] | None = None
    for line in (site_dir / HEADERS_FILE).read_text(encoding="utf-8").splitlines():
        if line.startswith("/"):
            current = rules.setdefault(line.strip(), [])
        elif current is not None and line.startswith((" ", "\t")) and ":" in line:
            name, value = line.strip().split(":", 1)
            current.append((name.strip(), value.strip()))
    return rules


def read_headers_file(site_dir: Path) -> dict[str, str]:
    """The headers that ``_headers`` gives every path (its ``/*`` rule)."""
    return dict(read_rules(site_dir).get("/*", []))


def matches(pattern: str, path: str) -> bool:
    """A header-file host's match: ``*`` stands for anything, also across folders."""
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), path) is not None


def headers_for(rules: Rules, path: str) -> list[tuple[str, str]]:
    """What a header-file host sends for ``path``: the headers of every matching rule,
    added up (so a header in two matching rules is sent twice)."""
    return [h for pattern, lines in rules.items() if matches(pattern, path) for h in lines]


TEXT = {".html", ".css", ".js", ".json", ".xml", ".txt", ".csv", ".svg", ".map"}
PRIVATE = {f"/{HEADERS_FILE}", f"/{NGINX_FILE}"}  # hosts never serve these


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """A header-file host: each path's headers from ``_headers``, UTF-8 text, and the
    ``.gz`` copy of a file for a client that accepts gzip (nginx's ``gzip_static on``)."""

    rules: ClassVar[Rules] = {}

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        for name, value in headers_for(self.rules, path):
            self.send_header(name, value)
        super().end_headers()

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        kind = super().guess_type(path)
        if Path(path).suffix in TEXT and "charset" not in kind:
            return f"{kind}; charset=utf-8"
        return kind

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]  # returns a file, as the base does
        asked = self.path.split("?", 1)[0].split("#", 1)[0]
        if asked in PRIVATE:
            self.send_error(404)
            return None
        path = Path(self.translate_path(self.path))
        if path.is_dir() and asked.endswith("/"):
            path = path / "index.html"
        elif path.is_dir() or asked.endswith("/"):
            return super().send_head()  # the redirect to the folder, or a 404
        compressed = path.with_name(path.name + ".gz")
        if not (
            accepts_gzip(self.headers.get("Accept-Encoding", ""))
            and path.is_file()
            and compressed.is_file()
        ):
            return super().send_head()
        body = compressed.open("rb")
        try:
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(os.fstat(body.fileno()).st_size))
            self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
            self.end_headers()
        except BaseException:
            body.close()
            raise
        return body


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (``gzip;q=0`` does not)."""
    for part in header.split(","):
        name, _, params = part.partition(";")
        if name.strip().lower() != "gzip":
            continue
        quality = params.strip().lower().removeprefix("q=") if "q=" in params else "1"
        try:
            return float(quality) > 0
        except ValueError:
            return False
    return False


def serve_with_headers(site_dir: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a built site on a free loopback port with its production headers, in a
    background thread, as a static host would; returns the server and its base URL."""
    handler_class = type("Handler", (_HeadersHandler,), {"rules": read_rules(site_dir)})
    handler = functools.partial(handler_class, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
