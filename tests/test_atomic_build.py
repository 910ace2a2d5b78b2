"""Atomic builds (issue #7): site/ is replaced only by a complete build; a build that fails
or is interrupted halfway leaves the previous site/ byte for byte as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import BUILD, ROOT, advies, old_site, tree_hash, write_doc

from kennisbank.publishing.build import OUT, run

PY = sys.executable


def engine(code: str) -> list[str]:
    """A stand-in engine: Python code that gets the output folder as ``out``."""
    return [PY, "-c", "import sys, pathlib, time; out = pathlib.Path(sys.argv[1])\n" + code, OUT]


WRITES_SITE = "(out / 'index.html').write_text('nieuw'); (out / 'a').mkdir(); (out / 'a/b').touch()"
HALF_THEN_FAILS = (
    "(out / 'index.html').write_text('half'); print('ERROR - pagina kapot', file=sys.stderr); "
    "sys.exit(1)"
)


def leftovers(root: Path) -> list[Path]:
    return list(root.glob(".site-*"))


def test_success_replaces_site(tmp_path: Path) -> None:
    old_site(tmp_path)
    assert run(tmp_path / "site", engine(WRITES_SITE)) == 0
    assert (tmp_path / "site/index.html").read_text() == "nieuw"
    assert not (tmp_path / "site/adviezen").exists()
    assert (tmp_path / "site/a/b").is_file()
    assert leftovers(tmp_path) == []
    # Readable for a web server, unlike mkdtemp's private 0700.
    assert (tmp_path / "site").stat().st_mode & 0o755 == 0o755 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_success_without_previous_site(tmp_path: Path) -> None:
    assert run(tmp_path / "site", engine(WRITES_SITE)) == 0
    assert (tmp_path / "site/index.html").is_file()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("how", ["engine-fails-halfway", "no-index", "missing-engine"])
def test_failure_halfway_leaves_site_untouched(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], how: str
) -> None:
    before = old_site(tmp_path)
    if how == "engine-fails-halfway":
        command = engine(HALF_THEN_FAILS)
    elif how == "no-index":
        command = engine("(out / 'a').mkdir()")
    else:
        command = ["/bestaat/niet/mkdocs", OUT]
    code = run(tmp_path / "site", command)
    err = capfd.readouterr().err
    assert code != 0
    assert "site/ is niet gewijzigd" in err
    assert "Traceback" not in err
    assert tree_hash(tmp_path / "site") == before
    assert leftovers(tmp_path) == []
    if how == "engine-fails-halfway":
        assert "ERROR - pagina kapot" in err  # the engine's own messages are passed through


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_leaves_site_untouched(tmp_path: Path, sig: signal.Signals) -> None:
    before = old_site(tmp_path)
    slow = engine("(out / 'index.html').write_text('half'); time.sleep(60)")
    script = (
        "import sys, pathlib; from kennisbank.publishing.build import run\n"
        f"sys.exit(run(pathlib.Path({str(tmp_path / 'site')!r}), {slow!r}))"
    )
    proc = subprocess.Popen([PY, "-c", script], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".site-tmp-*/index.html")):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "onderbroken" in err and "Traceback" not in err
    assert tree_hash(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_engine_crash_is_short_unless_debug(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    crash = engine("print('INFO - bezig', file=sys.stderr); raise KeyError('kapot')")
    assert run(tmp_path / "site", crash) == 3
    err = capfd.readouterr().err
    assert "INFO - bezig" in err
    assert "Traceback" not in err
    assert "interne fout" in err and "KeyError: 'kapot'" in err
    assert run(tmp_path / "site", crash, debug=True) == 3
    assert "Traceback" in capfd.readouterr().err
    assert not (tmp_path / "site").exists()


def test_make_build_entry_point(scratch_repo: Path) -> None:
    write_doc(scratch_repo, "advisories/adviezen/goed.md", advies())
    old_site(scratch_repo)
    result = subprocess.run([*BUILD, str(scratch_repo)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (scratch_repo / "site/adviezen/goed/index.html").is_file()
    assert not (scratch_repo / "site/adviezen/marker.txt").exists()
    assert leftovers(scratch_repo) == []
    assert "build.py" in (ROOT / "Makefile").read_text()


PATCH = textwrap.dedent(
    """
    import sys
    import kennisbank.content.validate

    def check_document(*args, **kwargs):
        raise RuntimeError("ingebouwde fout")

    kennisbank.content.validate.check_document = check_document
    """
)


def test_internal_error_in_check_is_short_dutch_and_names_the_file(scratch_repo: Path) -> None:
    write_doc(scratch_repo, "advisories/adviezen/goed.md", advies())
    for debug in (False, True):
        argv = ["--debug", "check"] if debug else ["check"]
        code = PATCH + f"from kennisbank.cli import main\nsys.exit(main({argv!r}))\n"
        result = subprocess.run([PY, "-c", code], cwd=scratch_repo, capture_output=True, text=True)
        output = result.stdout + result.stderr
        assert result.returncode == 3, output
        assert "advisories/adviezen/goed.md:1: interne fout van Kennisbank" in result.stderr
        assert "Dit is geen fout in je tekst" in result.stderr
        assert ("Traceback" in output) == debug, output
        assert ("RuntimeError: ingebouwde fout" in output) == debug, output


def test_internal_error_in_the_build_is_short_dutch_and_names_the_file(
    scratch_repo: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    write_doc(scratch_repo, "advisories/adviezen/goed.md", advies())
    before = old_site(scratch_repo)
    mkdocs = (
        "from mkdocs.__main__ import cli\n"
        f"cli(['build', '--strict', '-f', {str(scratch_repo / 'mkdocs.yml')!r}, '-d', sys.argv[1]])"
    )
    code = run(scratch_repo / "site", [PY, "-c", PATCH + mkdocs, OUT], cwd=scratch_repo)
    captured = capfd.readouterr()
    output = captured.out + captured.err
    assert code != 0
    assert "advisories/adviezen/goed.md:1: interne fout van Kennisbank" in output
    assert "Traceback" not in output
    assert tree_hash(scratch_repo / "site") == before


def test_bug_outside_the_documents_in_the_build_is_short_unless_debug(
    scratch_repo: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A bug in generate() is not an InternalError: MkDocs prints a traceback; the build
    script turns it into one Dutch line (the full traceback with --debug)."""
    write_doc(scratch_repo, "advisories/adviezen/goed.md", advies())
    before = old_site(scratch_repo)
    broken = (
        "import sys, kennisbank.site.generate\n"
        "def generate(*args, **kwargs):\n    raise ValueError('kapotte generator')\n"
        "kennisbank.site.generate.generate = generate\n"
        "from mkdocs.__main__ import cli\n"
        f"cli(['build', '--strict', '-f', {str(scratch_repo / 'mkdocs.yml')!r}, '-d', sys.argv[1]])"
    )
    for debug in (False, True):
        code = run(scratch_repo / "site", [PY, "-c", broken, OUT], cwd=scratch_repo, debug=debug)
        captured = capfd.readouterr()
        output = captured.out + captured.err
        assert code == 3
        assert "interne fout" in output and "ValueError: kapotte generator" in output
        assert ("Traceback" in output) == debug
        assert tree_hash(scratch_repo / "site") == before
