"""Atomic builds: render into a fresh folder beside site/ and swap it in only on success.

Engine-agnostic on purpose: the engine is a command line in which ``{out}`` stands for the
temporary output folder, so this module never imports MkDocs. A failed or interrupted build
(engine error, Ctrl-C, SIGTERM) leaves the previous site/ exactly as
it was and removes the temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

OUT = "{out}"
TMP_PREFIX = ".site-tmp-"  # .gitignore has .site-*/
OLD_PREFIX = ".site-old-"


class BuildFailed(Exception):
    """The build did not succeed; the message is Dutch and for the person building."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def run(
    site: Path,
    command: Sequence[str],
    cwd: Path | None = None,
    debug: bool = False,
) -> int:
    """Build atomically and return the exit code; messages go to stderr in Dutch."""
    # SIGTERM (a cancelled CI job, `kill`) must clean up like Ctrl-C does.
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        build(site, command, cwd, debug)
    except BuildFailed as err:
        print(f"{err.message}\nsite/ is niet gewijzigd.", file=sys.stderr)
        return err.code
    except KeyboardInterrupt:
        print("Bouwen onderbroken; site/ is niet gewijzigd.", file=sys.stderr)
        return 130
    except Exception as err:  # a bug in this module: short Dutch message, details on request
        if debug:
            traceback.print_exception(err)
        print(
            "kennisbank: interne fout tijdens het bouwen (geen fout in je tekst); site/ is niet "
            f"gewijzigd. Meld het aan het webteam (technische details: --debug). [{_last(err)}]",
            file=sys.stderr,
        )
        return 3
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    return 0


def build(
    site: Path,
    command: Sequence[str],
    cwd: Path | None = None,
    debug: bool = False,
) -> None:
    """Run the engine into a temporary folder, then swap it in as ``site``."""
    site = site.absolute()
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=site.parent))
    try:
        # mkdtemp makes the folder private (0700); a web server must be able to read site/.
        os.chmod(tmp, 0o777 & ~_umask())
        _run_command("het bouwen van de site", command, tmp, cwd, debug)
        if not (tmp / "index.html").is_file():
            raise BuildFailed("kennisbank: het bouwen leverde geen index.html op.")
        swapped = False
        try:
            with _signals_deferred():
                _swap(tmp, site)
                swapped = True
        except KeyboardInterrupt:
            if not swapped:  # a Ctrl-C held back during the swap comes too late to stop it
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _swap(new: Path, site: Path) -> None:
    """Rename the old site away, the new one in, then delete the old one."""
    if not (site.exists() or site.is_symlink()):
        os.replace(new, site)
        return
    old = site.with_name(OLD_PREFIX + secrets.token_hex(4))
    os.replace(site, old)
    try:
        os.replace(new, site)
    except BaseException:
        os.replace(old, site)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _run_command(
    what: str, command: Sequence[str], out: Path, cwd: Path | None, debug: bool
) -> None:
    """Run a command with its output passed through; a Python traceback in its error output
    is replaced by one short line unless ``debug``."""
    argv = [str(out) if part == OUT else part.replace(OUT, str(out)) for part in command]
    try:
        proc = subprocess.Popen(
            argv, cwd=cwd, stderr=subprocess.PIPE, text=True, errors="replace", bufsize=1
        )
    except OSError as err:
        raise BuildFailed(
            f"kennisbank: {what} kan niet starten ({err.strerror}): {argv[0]}"
        ) from err
    try:
        assert proc.stderr is not None
        crash = _pass_through(proc.stderr, sys.stderr, debug)
        code = proc.wait()
    except BaseException:
        _stop(proc)
        raise
    if code == 0:
        return
    if code < 0:
        raise BuildFailed(f"kennisbank: {what} werd gestopt (signaal {-code}).")
    if crash:
        raise BuildFailed(
            f"kennisbank: interne fout bij {what} (geen fout in je tekst). Meld het aan het "
            f"webteam; technische details: python scripts/build.py --debug. [{crash}]",
            code=3,
        )
    raise BuildFailed(f"kennisbank: {what} is mislukt (code {code}); zie de meldingen hierboven.")


def _pass_through(stream: IO[str], to: IO[str], debug: bool) -> str:
    """Copy lines; hide traceback blocks unless ``debug``. Returns their last line, if any."""
    crash = ""
    in_traceback = False
    for line in stream:
        hide = True
        if line.startswith("Traceback (most recent call last):"):
            in_traceback = True
        elif in_traceback and not line[:1].isspace():
            crash = line.strip()
            in_traceback = False
        elif in_traceback:
            pass
        elif crash and (not line.strip() or line.startswith(("The above", "During handling"))):
            pass  # the glue between chained tracebacks
        else:
            hide = False
        if debug or not hide:
            to.write(line)
    to.flush()
    return crash


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM during the two renames, so site/ is never left missing."""
    signals = {signal.SIGINT, signal.SIGTERM}
    blocked = hasattr(signal, "pthread_sigmask")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _last(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"
