"""A local static host for tests, `make audit` and `make bench`: serves a built site with
its production headers (from ``_headers``) and its ``.gz`` copies, as the nginx snippet sets
up a host. Not used by the build."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from typing import ClassVar

from kennisbank.publishing.publish import HEADERS_FILE


def read_headers_file(site_dir: Path) -> dict[str, str]:
    """The headers that ``_headers`` gives every path (its ``/*`` block)."""
    values: dict[str, str] = {}
    current = None
    for line in (site_dir / HEADERS_FILE).read_text(encoding="utf-8").splitlines():
        if line.startswith("/"):
            current = line.strip()
        elif current == "/*" and ":" in line and not line.startswith("#"):
            name, value = line.strip().split(":", 1)
            values[name.strip()] = value.strip()
    return values


class _HeadersHandler(http.server.SimpleHTTPRequestHandler):
    """A static host as the nginx snippet sets one up: the production headers, and the
    ``.gz`` copy of a file for a client that accepts gzip (nginx's ``gzip_static on``)."""

    extra: ClassVar[dict[str, str]] = {}

    def end_headers(self) -> None:
        for name, value in self.extra.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]  # returns a file, as the base does
        asked = self.path.split("?", 1)[0].split("#", 1)[0]
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
    handler_class = type("Handler", (_HeadersHandler,), {"extra": read_headers_file(site_dir)})
    handler = functools.partial(handler_class, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
