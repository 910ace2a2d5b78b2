"""Search index: run Pagefind over a finished site folder (engine-agnostic, no MkDocs here).

Pagefind reads the built HTML: only elements marked ``data-pagefind-body`` are indexed (the
article of a page; see overrides/main.html), and hidden ``data-pagefind-filter`` /
``data-pagefind-meta`` spans carry a document's facets. Pagefind keeps an index per
``<html lang>`` (stemmed in that language) and the browser loads the one of the page it is
on: the Dutch pages are searched in Dutch, the pages under /fr/ and /en/ in French and
English. The result is a chunked index in ``SITE/pagefind/`` that the browser loads only
when someone searches (content/assets/search.js).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

OUTPUT = "pagefind"  # the index folder inside the site; search.js loads pagefind/pagefind.js

# Parts of an article that are not its own text: cards of other documents (related documents,
# the home page's latest publications), the "¶" permalinks of headings, the kind/date line and
# the "Voorbeeld" notice (kind and date are searchable metadata already; the notice is the same
# on every sample document and would fill the excerpts) and the labels of the facts list (Pagefind
# glued them to their values: "SoortToolkit").
EXCLUDE = ".kb-cards, .headerlink, .kb-doc-dates, .kb-badge, .kb-facts dt, .kb-take-away, .kb-cite"


class SearchIndexError(Exception):
    """Indexing failed; the message is Dutch and for the person building the site."""


class SearchIndexInterrupted(SearchIndexError):
    """Pagefind was stopped by Ctrl+C (SIGINT reaches the whole process group)."""


def index_site(site_dir: Path) -> None:
    """Write the Pagefind index of the built site in ``site_dir`` to ``site_dir/pagefind``.

    The CLI rather than pagefind's Python API: the API stops its service right after asking
    it to write, and left empty files (pagefind-entry.json of 0 bytes) in one build out of two.
    """
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        OUTPUT,
        "--exclude-selectors",
        EXCLUDE,
        "--silent",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise SearchIndexError(
            f"{site_dir}: de zoekindex (Pagefind) kon niet gemaakt worden ({err}). "
            "Controleer of 'make setup' gelukt is; meld het anders aan het webteam."
        ) from err
    output = (result.stderr + result.stdout).strip()
    # Ctrl+C reaches the whole process group. While Python is still starting the CLI it
    # ends with exit code 1 and "KeyboardInterrupt" (measured), not with -SIGINT.
    if result.returncode == -signal.SIGINT or (
        result.returncode != 0 and "KeyboardInterrupt" in output
    ):
        raise SearchIndexInterrupted(f"{site_dir}: het maken van de zoekindex is onderbroken.")
    if result.returncode != 0:
        if "No module named pagefind" in output:
            hint = "Pagefind ontbreekt: voer 'make setup' uit (installeert pagefind[extended])."
        elif "did not contain any html files" in output:
            hint = "De map bevat geen HTML-pagina's: is de site wel gebouwd?"
        else:
            hint = "Meld het aan het webteam."
        raise SearchIndexError(
            f"{site_dir}: de zoekindex (Pagefind) kon niet gemaakt worden. {hint}\n{output}"
        )
    check_index(site_dir)


def check_index(site_dir: Path) -> None:
    """Refuse an index without pages: a build must never publish a search that finds
    nothing."""
    entry = site_dir / OUTPUT / "pagefind-entry.json"
    try:
        pages = sum(
            lang["page_count"] for lang in json.loads(entry.read_text())["languages"].values()
        )
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise SearchIndexError(f"{entry}: Pagefind schreef geen bruikbare zoekindex.") from err
    if pages == 0:
        raise SearchIndexError(
            f"{site_dir}: Pagefind vond geen enkele pagina om te doorzoeken. Elke pagina met "
            "inhoud hoort data-pagefind-body te hebben (overrides/main.html)."
        )


def index_url(html_path: str) -> str:
    """The URL Pagefind's CLI gives a page file: ``adviezen/x/index.html`` -> ``/adviezen/x/``."""
    path = "/" + html_path.lstrip("/")
    return path.removesuffix("index.html")


_STOP = object()

BODY_START = '<div class="kb-indexed" data-pagefind-body>'  # overrides/main.html
BODY_END = "<!--kb-index-end-->"


def for_index(html: str) -> str:
    """What Pagefind reads of a page: its head and the part marked ``data-pagefind-body``
    (the theme's header, navigation and footer are more than half of every page, and
    Pagefind parses all of it before it skips it). The index is the same as the CLI's over
    the whole pages (tested); a page without the markers is sent whole."""
    start = html.find(BODY_START)
    end = html.find(BODY_END, start)
    body = html.find("<body")
    if start < 0 or end < 0 or not 0 <= body < start:
        return html
    return f"{html[:body]}<body>{html[start:end]}</body></html>"


class IndexFeeder:
    """Pagefind's indexing service (``pagefind --service``), fed page by page while the
    engine is still rendering, so indexing runs on the second core instead of after the
    build: same indexer, same options and same output as :func:`index_site`.

    The protocol is the one Pagefind's own Python wrapper speaks (each message is base64
    JSON followed by a comma). The wrapper itself is not used: it reads one reply per
    0.1 s, which makes a thousand pages take 100 s, and its write step (WriteFiles) can
    end with files still unwritten (see ``_write``). Any failure is kept and reported by
    :meth:`finish`; pages are queued (a bounded queue: memory stays flat when the indexer
    is slower than the engine) and written to Pagefind by a background thread.
    """

    def __init__(self) -> None:
        self.error: str | None = None
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=64)
        self._replies: dict[int, dict[str, Any]] = {}
        self._reply = threading.Condition()
        self._next_id = 0
        self._closing = False
        self._writing = False
        self.finished = False
        missing = "Pagefind ontbreekt: voer 'make setup' uit (installeert pagefind[extended])."
        try:
            from pagefind.service import get_executable  # pagefind's own binary lookup
        except ImportError as err:
            raise SearchIndexError(missing) from err
        executable = get_executable()
        if executable is None:
            raise SearchIndexError(missing)
        # Pagefind's own messages, shown when it fails; closed by finish() or close().
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(
                [str(executable), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
            )
        except OSError as err:
            self._stderr.close()
            raise SearchIndexError(f"Pagefind kon niet starten ({err}).") from err
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()

    def add(self, html_path: str, html: str) -> None:
        """Queue one rendered page (path inside the site, e.g. ``adviezen/x/index.html``).
        Pages without ``data-pagefind-body`` are skipped, as the CLI skips them."""
        if "data-pagefind-body" in html and self.error is None:
            self._queue.put((index_url(html_path), for_index(html)))

    def start_writing(self, site_dir: Path) -> None:
        """Ask for the index in ``site_dir/pagefind`` once every queued page is in; returns
        at once (Pagefind builds it in its own process, a thread here writes it)."""
        if not self._writing:
            self._writing = True
            self._queue.put((_STOP, str(site_dir / OUTPUT)))

    def finish(self, site_dir: Path) -> None:
        """Write the index to ``site_dir/pagefind``, wait for it and stop the service;
        raises :class:`SearchIndexError` if anything went wrong on the way."""
        self.start_writing(site_dir)
        self._writer.join()
        self.finished = True
        try:
            if self.error is None:
                self._closing = True
                self._proc.stdin.close()  # type: ignore[union-attr]
                self._proc.wait(timeout=600)
        except (OSError, subprocess.TimeoutExpired) as err:
            self.error = self.error or f"Pagefind stopte niet ({err})"
        finally:
            self._stop_process()
        self._stderr.seek(0)
        detail = self._stderr.read().decode("utf-8", "replace").strip()[-2000:]
        self._stderr.close()
        if self.error is not None:
            raise SearchIndexError(
                f"{site_dir}: de zoekindex (Pagefind) kon niet gemaakt worden: {self.error}. "
                f"Meld het aan het webteam.\n{detail}".rstrip()
            )
        check_index(site_dir)

    def close(self) -> None:
        """Stop the service without writing (the build failed)."""
        self.error = self.error or "afgebroken"
        self._closing = True
        self._stop_process()
        self._stderr.close()

    def _stop_process(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    # --- background threads ---------------------------------------------------------------

    def _post(self, payload: dict[str, Any]) -> int:
        """Send one request without waiting for its reply; return its id (writer thread)."""
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        stdin = self._proc.stdin
        assert stdin is not None
        stdin.write(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        stdin.flush()
        return self._next_id

    def _send(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its reply (writer thread)."""
        return self._wait(self._post(payload))

    def _wait(self, message_id: int) -> dict[str, Any]:
        with self._reply:
            while message_id not in self._replies and self.error is None:
                if not self._reply.wait(timeout=600):
                    raise TimeoutError("Pagefind antwoordde niet binnen 10 minuten")
            reply = self._replies.pop(message_id, None)
        if reply is None:
            raise RuntimeError(self.error or "geen antwoord van Pagefind")
        if reply.get("type") == "Error":
            raise RuntimeError(str(reply.get("message")))
        return reply

    def _write(self) -> None:
        stopped = False  # the stop marker was taken from the queue: nothing to drain
        try:
            created = self._send(
                {
                    "type": "NewIndex",
                    "config": {
                        "exclude_selectors": [s.strip() for s in EXCLUDE.split(",")],
                    },
                }
            )
            index_id = created["index_id"]
            pending: list[int] = []
            while True:
                url, html = self._queue.get()
                if url is _STOP:
                    stopped = True
                    # Every page must be in before the index is built.
                    for message_id in pending:
                        self._wait(message_id)
                    # The files come back over the pipe and are written here: Pagefind's own
                    # WriteFiles answers before its last writes reach the disk, and it exits
                    # as soon as its input closes, which left an empty pagefind-entry.json.
                    reply = self._send({"type": "GetFiles", "index_id": index_id})
                    self._write_files(Path(html), reply["files"])
                    return
                if self.error is not None:
                    continue  # keep draining so that add() never blocks
                # Pages are sent without waiting for each reply; replies are checked at the end.
                pending.append(
                    self._post(
                        {
                            "type": "AddFile",
                            "index_id": index_id,
                            "url": url,
                            "file_path": None,
                            "file_contents": html,
                        }
                    )
                )
        except Exception as err:  # reported by finish(), in Dutch
            self.error = self.error or f"{type(err).__name__}: {err}"
            with self._reply:
                self._reply.notify_all()
            while not stopped:  # drain, so that the engine never blocks on a full queue
                url, _ = self._queue.get()
                stopped = url is _STOP

    def _receive(self, text: bytes | bytearray) -> None:
        reply = json.loads(text)
        message_id = reply.get("message_id")
        payload = reply.get("payload", {})
        if message_id is None:
            self.error = self.error or str(payload.get("message", payload))
            return
        with self._reply:
            self._replies[message_id] = payload
            self._reply.notify_all()

    @staticmethod
    def _write_files(folder: Path, files: list[dict[str, str]]) -> None:
        files.reverse()
        while files:  # popped: each file's text is freed once it is written
            file = files.pop()
            target = folder / file["path"]
            if folder.resolve() not in target.resolve().parents:
                raise RuntimeError(f"onverwacht bestand {file['path']!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(file["content"]))

    def _read(self) -> None:
        stdout = self._proc.stdout
        assert stdout is not None
        # The message being received, decoded as it comes in: the index arrives as one
        # message (tens of MB for thousands of pages), so only its decoded bytes are kept,
        # plus the few base64 characters that do not make a whole group of four yet.
        decoded = bytearray()
        tail = b""
        try:
            while chunk := os.read(stdout.fileno(), 1 << 16):
                chunk = chunk.translate(None, b" \t\r\n")  # so that groups of four align
                while (end := chunk.find(b",")) >= 0:
                    decoded += base64.b64decode(tail + chunk[:end])
                    chunk, tail = chunk[end + 1 :], b""
                    text, decoded = decoded, bytearray()
                    self._receive(text)
                    del text
                data = tail + chunk
                whole = len(data) - len(data) % 4
                decoded += base64.b64decode(data[:whole])
                tail = data[whole:]
        except Exception as err:  # reported by finish()
            self.error = self.error or f"{type(err).__name__}: {err}"
            # Nobody reads Pagefind's output any more: stop it, so that a write to it fails
            # at once instead of waiting for a reader.
            with contextlib.suppress(OSError):
                self._proc.kill()
        # End of output: normal after finish() closed stdin, a crash otherwise; either way
        # nobody may keep waiting for a reply.
        if not self._closing:
            self.error = self.error or "Pagefind stopte onverwacht"
        with self._reply:
            self._reply.notify_all()


class BackgroundIndexer:
    """A preview's search index, rebuilt in a thread after each build: ``request`` after a
    build; the thread indexes again until no build happened meanwhile. A failure is only
    reported (``warn``), since the preview itself is fine; ``stop`` when the preview stops."""

    def __init__(self, site_dir: Path, warn: Any) -> None:
        self.site_dir = site_dir
        self.warn = warn
        self.thread: threading.Thread | None = None
        self.pending = False
        self.lock = threading.Lock()
        self.stopping = False

    def request(self) -> None:
        with self.lock:  # the loop checks the flag under the same lock
            self.pending = True
            if self.thread is None:
                self.thread = threading.Thread(target=self._loop, daemon=True)
                self.thread.start()

    def stop(self) -> None:
        """The current run ends on its own and reports nothing more."""
        self.stopping = True
        with self.lock:
            self.pending = False

    def _loop(self) -> None:
        while True:
            with self.lock:
                if not self.pending:
                    self.thread = None  # under the lock: the next build starts a new one
                    return
                self.pending = False
            try:
                index_site(self.site_dir)
            except SearchIndexInterrupted:
                return  # Ctrl+C reached Pagefind too: the preview is stopping
            except SearchIndexError as err:
                if not self.stopping:
                    self.warn(str(err))
