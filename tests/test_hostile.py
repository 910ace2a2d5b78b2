"""Hostile input (issue #7): every case fails `kennisbank check` and the real build with a
located Dutch message, without a traceback, and leaves an existing site/ untouched."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import BUILD, advies, old_site, tree_hash, write_doc

from kennisbank.content.reader import MAX_FILE_BYTES, read_document
from kennisbank.pipeline import load

ADV = "advisories/adviezen"
BAD = f"{ADV}/fout.md"
TK = "toolkits/tk/index.md"


def bomb(levels: int = 9) -> str:
    """Billion laughs: 9 levels of 9 aliases each would expand to 9**9 strings."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def toolkit(path: str) -> str:
    return (
        "---\ntype: toolkit\ntitle: Toolkit\ndate: 2025-01-10\nsummary: Samenvatting.\n"
        "domains: [werk]\nactors: [gemeente]\nversion: 1.0.0\n"
        f"files:\n  - path: {path}\n    title: Bijlage\n---\nTekst\n"
    )


def link_outside(root: Path) -> None:
    (root / "toolkits/tk").mkdir(parents=True, exist_ok=True)
    outside = root.parent / f"{root.name}-geheim.txt"
    outside.write_text("geheim", encoding="utf-8")
    os.symlink(outside, root / "toolkits/tk/geheim.txt")


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes]
    expect: str  # "PATH:LINE: " or "PATH:LINE: field: ", the start of one output line
    words: str  # Dutch words the message must contain
    setup: Callable[[Path], None] | None = field(default=None)


CASES = [
    # Broken YAML.
    Case("yaml-tab", {BAD: advies(extra="period:\n\tstart: x\n")}, f"{BAD}:9: ", "tab"),
    Case("yaml-unclosed-quote", {BAD: advies(title='"Open titel')}, f"{BAD}:3: ", "aanhalingst"),
    Case(
        "yaml-bad-indentation",
        {BAD: advies(extra="period:\n  start: 2025-01-01\n end: 2025-02-01\n")},
        f"{BAD}:10: ",
        "inspringing",
    ),
    Case("yaml-unclosed-bracket", {BAD: advies(extra="tags: [a, b\n")}, f"{BAD}:8: ", "haakje"),
    Case("yaml-non-word-key", {BAD: advies(extra="1: x\n")}, f"{BAD}:8: ", "sleutel"),
    Case(
        "yaml-python-tag",
        {BAD: advies(title="!!python/object/apply:os.system [ls]")},
        f"{BAD}:3: ",
        "label",
    ),
    Case("yaml-control-char", {BAD: advies(title="a\x00b")}, f"{BAD}:3: ", "stuurteken"),
    Case("yaml-line-separator", {BAD: advies(title="a\u2028b")}, f"{BAD}:3: ", "regeleinde"),
    Case(
        "yaml-huge-number",
        {BAD: advies(extra=f"tags: [{'9' * 5000}]\n")},
        f"{BAD}:8: tags[0]: ",
        "getal is te lang",
    ),
    # Structure of the file.
    Case(
        "front-matter-never-closed", {BAD: "---\ntype: advies\ntitle: x\n"}, f"{BAD}:1: ", "nooit"
    ),
    Case("empty-file", {BAD: ""}, f"{BAD}:1: ", "leeg"),
    Case("front-matter-empty", {BAD: "---\n---\nTekst\n"}, f"{BAD}:2: ", "metadata is leeg"),
    Case("front-matter-only", {BAD: advies(body="")}, f"{BAD}:8: ", "hoofdtekst ontbreekt"),
    Case("no-front-matter", {BAD: "# Titel\n\nTekst\n"}, f"{BAD}:1: ", "begint niet"),
    # Encodings: BOM and CRLF are accepted, so the real error must keep its exact line.
    Case(
        "bom-plus-error",
        {BAD: b"\xef\xbb\xbf" + advies(date="gisteren").encode()},
        f"{BAD}:4: date: ",
        "JJJJ-MM-DD",
    ),
    Case(
        "crlf-plus-error",
        {BAD: advies().replace("[onderwijs]", "onderwijs").replace("\n", "\r\n").encode()},
        f"{BAD}:6: domains: ",
        "moet een lijst zijn",
    ),
    Case(
        "bom-crlf-plus-yaml-error",
        {BAD: b"\xef\xbb\xbf" + advies(extra="a:\n  b: 1\n c: 2\n").replace("\n", "\r\n").encode()},
        f"{BAD}:10: ",
        "inspringing",
    ),
    Case("not-utf8", {BAD: advies(title="Caf\xe9").encode("latin-1")}, f"{BAD}:3: ", "UTF-8"),
    Case("utf16", {BAD: advies().encode("utf-16")}, f"{BAD}:1: ", "geen geldige UTF-8"),
    Case(
        "too-large",
        {BAD: advies(body="Tekst. " * (MAX_FILE_BYTES // 7 + 1))},
        f"{BAD}:1: ",
        "te groot",
    ),
    # Attacks on the YAML parser.
    Case("yaml-alias", {BAD: advies(extra="tags: &t [a]\nauthors: *t\n")}, f"{BAD}:8: ", "&"),
    Case("yaml-alias-bomb", {BAD: advies(extra=bomb())}, f"{BAD}:8: ", "verwijzingen"),
    Case(
        "yaml-deep-nesting",
        {BAD: advies(extra="tags: " + "[" * 300 + "]" * 300 + "\n")},
        f"{BAD}:8: ",
        "te diep",
    ),
    Case(
        "duplicate-key",
        {BAD: advies(extra="title: Nog een titel\n")},
        f"{BAD}:8: title: ",
        "(ook op regel 3)",
    ),
    # Wrong types and values.
    Case("title-number", {BAD: advies(title="123")}, f"{BAD}:3: title: ", "moet tekst zijn"),
    Case("date-gisteren", {BAD: advies(date="gisteren")}, f"{BAD}:4: date: ", "JJJJ-MM-DD"),
    Case("date-impossible", {BAD: advies(date="2025-02-30")}, f"{BAD}:4: date: ", "geen bestaande"),
    Case(
        "domains-as-string",
        {BAD: advies().replace("[onderwijs]", "onderwijs")},
        f"{BAD}:6: domains: ",
        "domains: [onderwijs]",
    ),
    Case(
        "misspelt-key",
        {BAD: advies(extra="titel: Nog een titel\n")},
        f"{BAD}:8: titel: ",
        "Bedoelde je 'title'?",
    ),
    Case(
        "unknown-vocabulary",
        {BAD: advies().replace("[onderwijs]", "[onderwjs]")},
        f"{BAD}:6: domains[0]: ",
        "Bedoelde je 'onderwijs'?",
    ),
    Case(
        "updated-before-date",
        {BAD: advies(extra="updated: 2024-12-31\n")},
        f"{BAD}:8: updated: ",
        "vóór 'date'",
    ),
    # Ids and references between documents.
    Case(
        "same-id-two-folders",
        {
            "advisories/standpunten/goed.md": advies(ref="STP-2025-01").replace(
                "advies", "standpunt"
            )
        },
        "advisories/standpunten/goed.md:1: ",
        "al gebruikt door advisories/adviezen/goed.md",
    ),
    Case(
        "file-name-space",
        {f"{ADV}/mijn advies.md": advies()},
        f"{ADV}/mijn advies.md:1: ",
        "'mijn-advies'",
    ),
    Case("file-name-capitals", {f"{ADV}/Advies.md": advies()}, f"{ADV}/Advies.md:1: ", "'advies'"),
    Case("file-name-accent", {f"{ADV}/café.md": advies()}, f"{ADV}/café.md:1: ", "'cafe'"),
    Case(
        "related-self",
        {BAD: advies(extra="related: [fout]\n")},
        f"{BAD}:8: related[0]: ",
        "zichzelf",
    ),
    Case(
        "related-nothing",
        {BAD: advies(extra="related: [goedd]\n")},
        f"{BAD}:8: related[0]: ",
        "Bedoelde je 'goed'?",
    ),
    # Toolkit files.
    Case(
        "toolkit-file-dotdot",
        {TK: toolkit("../../content/index.md")},
        f"{TK}:10: files[0].path: ",
        "buiten de map",
    ),
    Case(
        "toolkit-file-absolute",
        {TK: toolkit("/etc/passwd")},
        f"{TK}:10: files[0].path: ",
        "absoluut",
    ),
    Case(
        "toolkit-file-symlink-outside",
        {TK: toolkit("geheim.txt")},
        f"{TK}:10: files[0].path: ",
        "buiten de map",
        setup=link_outside,
    ),
    Case(
        "toolkit-file-missing",
        {TK: toolkit("ontbreekt.docx"), "toolkits/tk/ontbreek.docx": "x"},
        f"{TK}:10: files[0].path: ",
        "Bedoelde je 'ontbreek.docx'?",
    ),
    Case(
        "toolkit-file-is-directory",
        {TK: toolkit("map"), "toolkits/tk/map/x.txt": "x"},
        f"{TK}:10: files[0].path: ",
        "is een map",
    ),
    Case(
        "document-is-directory",
        {f"{ADV}/map.md/x.txt": "x"},
        f"{ADV}/map.md:1: ",
        "is een map",
    ),
    Case(
        "document-broken-symlink",
        {},
        f"{ADV}/weg.md:1: ",
        "bestaat niet",
        setup=lambda root: os.symlink(root / "nergens.md", root / ADV / "weg.md"),
    ),
    # Content that could run in a reader's browser.
    Case(
        "script-in-metadata",
        {BAD: advies(title='"<script>alert(1)</script>"')},
        f"{BAD}:3: title: ",
        "<script>",
    ),
    # Markdown that Python-Markdown converts in quadratic time (minutes to hours).
    Case(
        "markdown-many-brackets",
        {BAD: advies(body="Tekst.\n\n" + "[" * 50_000)},
        f"{BAD}:11: ",
        "tekens doorzoeken",
    ),
    Case(
        "markdown-unclosed-brackets-before-long-text",
        {BAD: advies(body="Tekst.\n\n" + "[" * 999 + "woord " * 4000)},
        f"{BAD}:11: ",
        "haken '['",
    ),
    Case(
        "markdown-many-unclosed-tags",
        {BAD: advies(body="Tekst.\n\n" + "<a " * 3000)},
        f"{BAD}:11: ",
        "tekens doorzoeken",
    ),
    Case(
        "markdown-paragraph-split-by-no-break-spaces",
        {BAD: advies(body="\n\u00a0\n".join(["[" * 50 + "x" * 100] * 200))},
        f"{BAD}:9: ",
        "deze alinea",
    ),
    Case(
        "script-in-markdown",
        {BAD: advies(body="Tekst\n<script>alert(1)</script>")},
        f"{BAD}:10: ",
        "<script>",
    ),
    Case(
        "javascript-url-in-metadata",
        {BAD: advies(extra="tags: ['javascript:alert(1)']\n")},
        f"{BAD}:8: tags[0]: ",
        "'javascript:'",
    ),
    Case(
        "javascript-url-in-markdown",
        {BAD: advies(body="[klik](javascript:alert(1))")},
        f"{BAD}:9: ",
        "'javascript:'",
    ),
    Case(
        "javascript-url-hidden-by-entity",
        {BAD: advies(body='<a href="java&#115;cript:alert(1)">klik</a>')},
        f"{BAD}:9: ",
        "'javascript:'",
    ),
    Case(
        "javascript-url-hidden-by-tab",
        {BAD: advies(body="[klik](java\tscript:alert(1))")},
        f"{BAD}:9: ",
        "'javascript:'",
    ),
    Case(
        "on-attribute-in-metadata",
        {BAD: advies(extra="authors: ['<img src=x onerror=alert(1)>']\n")},
        f"{BAD}:8: authors[0]: ",
        "'on…='",
    ),
    Case(
        "on-attribute-in-markdown",
        {BAD: advies(body="<svg/onload=alert(1)>")},
        f"{BAD}:9: ",
        "'on…='",
    ),
]


def plant(root: Path, case: Case) -> None:
    write_doc(root, f"{ADV}/goed.md", advies(ref="ADV-2025-90"))
    for rel, content in case.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    if case.setup:
        case.setup(root)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_is_refused(scratch_repo: Path, case: Case) -> None:
    """In process, through what `kennisbank check` and the build both run
    (``pipeline.load``): a located Dutch problem, never an exception (an exception would
    be an internal error, exit code 3). The good document beside it still loads."""
    plant(scratch_repo, case)
    corpus, problems = load(scratch_repo)
    lines = [problem.format() for problem in problems]
    assert any(line.startswith(case.expect) and case.words in line for line in lines), lines
    assert "goed" in {doc.id for doc in corpus.documents}


# A few cases end to end: the real `kennisbank check` and `make build` refuse them with the
# same line, without a traceback, and the build leaves an existing site/ untouched.
END_TO_END = ["yaml-tab", "not-utf8", "toolkit-file-symlink-outside", "script-in-markdown"]


@pytest.mark.parametrize("name", END_TO_END)
def test_hostile_input_stops_check_and_build(scratch_repo: Path, name: str) -> None:
    case = next(c for c in CASES if c.name == name)
    plant(scratch_repo, case)
    before = old_site(scratch_repo)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # The check and the build are independent: run them side by side.
    procs = {
        "check": subprocess.Popen(
            [sys.executable, "-m", "kennisbank.cli", "check"],
            cwd=scratch_repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        ),
        "build": subprocess.Popen(
            [*BUILD, str(scratch_repo)],
            cwd=scratch_repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        ),
    }
    for what, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        output = out + err
        assert proc.returncode == 1, f"{what}: {output}"  # 1: refused; 3 would be a bug
        lines = [line for line in output.splitlines() if line.startswith(case.expect)]
        assert any(case.words in line for line in lines), f"{what}: {output}"
        assert "Traceback" not in output, f"{what}: {output}"
    assert tree_hash(scratch_repo / "site") == before
    assert not list(scratch_repo.glob(".site-*")), "temporary build folder left behind"


def test_clean_bom_crlf_document_passes(scratch_repo: Path) -> None:
    text = advies(extra="updated: 2025-02-01\n", body="# Titel\r\n\r\nTekst.")
    (scratch_repo / ADV / "windows.md").write_bytes(
        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    )
    source, problems = read_document(scratch_repo / ADV / "windows.md", scratch_repo)
    assert problems == [] and source is not None
    assert source.lines[("updated",)] == 8
    result = subprocess.run(
        [sys.executable, "-m", "kennisbank.cli", "check"],
        cwd=scratch_repo,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_alias_bomb_is_refused_in_well_under_a_second(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    # 9 levels of 9 aliases: ~387 million strings if it were ever expanded.
    path.write_text(advies(extra=bomb()), encoding="utf-8")
    start = time.perf_counter()
    source, problems = read_document(path, tmp_path)
    elapsed = time.perf_counter() - start
    assert source is None and "verwijzingen" in problems[0].message
    assert elapsed < 0.1, elapsed
