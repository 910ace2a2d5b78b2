"""Editor support: the pre-commit hook of .pre-commit-config.yaml, run by real pre-commit in
a scratch git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, advies, write_doc

GIT = ["git", "-c", "user.email=redactie@example.org", "-c", "user.name=Redactie"]


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(root.parent / "pre-commit-home")}
    return subprocess.run([*GIT, *args], cwd=root, capture_output=True, text=True, env=env)


def test_the_pre_commit_hook_stops_a_broken_document(scratch_repo: Path) -> None:
    shutil.copy2(ROOT / ".pre-commit-config.yaml", scratch_repo)
    (scratch_repo / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    (scratch_repo / ".gitignore").write_text("/.venv\n/node_modules\n")
    write_doc(scratch_repo, "advisories/adviezen/goed.md", advies())
    assert git(scratch_repo, "init", "-q").returncode == 0
    installed = subprocess.run(
        [str(ROOT / ".venv/bin/pre-commit"), "install"],
        cwd=scratch_repo,
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    git(scratch_repo, "add", "-A")
    first = git(scratch_repo, "commit", "-q", "-m", "eerste versie")
    assert first.returncode == 0, first.stdout + first.stderr
    doc = scratch_repo / "advisories/adviezen/goed.md"
    doc.write_text(doc.read_text().replace("title: Een advies", "title: [Een advies"))
    git(scratch_repo, "add", "-A")
    broken = git(scratch_repo, "commit", "-q", "-m", "kapot")
    assert broken.returncode == 1
    said = broken.stdout + broken.stderr  # git passes the hook's output on stderr
    assert "advisories/adviezen/goed.md:3: een haakje [ of { wordt niet afgesloten" in said
    assert git(scratch_repo, "log", "--oneline").stdout.count("\n") == 1  # nothing committed
    doc.write_text(doc.read_text().replace("title: [Een advies", "title: Een beter advies"))
    git(scratch_repo, "add", "-A")
    fixed = git(scratch_repo, "commit", "-q", "-m", "hersteld")
    assert fixed.returncode == 0, fixed.stdout
