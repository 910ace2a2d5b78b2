"""The reader: every kind of broken file becomes one located Dutch problem, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from kennisbank.content.reader import MAX_FILE_BYTES, ReadError, parse_front_matter, read_document

GOOD = "---\ntitle: Hallo\ndate: 2025-01-10\n---\nTekst\n"


def read(tmp_path: Path, data: bytes | str):
    path = tmp_path / "doc.md"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_document(path, tmp_path)


def only_problem(tmp_path: Path, data: bytes | str):
    source, problems = read(tmp_path, data)
    assert source is None
    assert len(problems) == 1
    assert problems[0].path == "doc.md"
    return problems[0]


def test_good_file_keeps_lines_and_dates_as_text(tmp_path: Path) -> None:
    source, problems = read(tmp_path, GOOD)
    assert problems == []
    assert source is not None
    assert source.meta == {"title": "Hallo", "date": "2025-01-10"}
    assert source.lines[("date",)] == 3
    assert source.body_line == 5
    assert source.body.startswith("Tekst")


def test_bom_and_crlf_are_accepted_with_the_same_lines(tmp_path: Path) -> None:
    source, problems = read(tmp_path, b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert problems == [] and source is not None
    assert source.meta["title"] == "Hallo"
    assert source.lines[("date",)] == 3


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, b"---\ntitle: x\ndate: caf\xe9\n---\n")
    assert problem.line == 3
    assert "UTF-8" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "leeg"),
        ("Geen metadata\n", 1, "begint niet met metadata"),
        ("---\ntitle: x\n", 1, "nooit afgesloten"),
        ("---\n---\nTekst", 2, "leeg"),
        ("---\n- a\n- b\n---\n", 2, "sleutel: waarde"),
        ("---\ntitle: x\ntitle: y\n---\n", 3, "twee keer"),
        ("---\ntitle: &a x\nsummary: *a\n---\n", 2, "verwijzingen"),
        ("---\nperiod:\n\tstart: 1\n---\n", 3, "Vervang elke tab door twee spaties"),
        ('---\ntitle: "open\nsummary: x\n---\n', 2, "aanhalingsteken"),
        ("---\na:\n  b: 1\n c: 2\n---\n", 4, "inspringing"),
        ("---\na: [1, 2\nb: 3\n---\n", 2, "haakje"),
        ("---\n1: x\n---\n", 2, "sleutel"),
        ("---\ntitle: !!python/object:os.system x\n---\n", 2, "label"),
    ],
)
def test_broken_front_matter(tmp_path: Path, text: str, line: int, words: str) -> None:
    problem = only_problem(tmp_path, text)
    assert problem.line == line, problem.format()
    assert words in problem.message, problem.format()


def test_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    problem = only_problem(tmp_path, "---\n" + "\n".join(lines) + "\n---\n")
    assert problem.line == 2
    assert "verwijzingen" in problem.message


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n")
    assert "te diep" in problem.message


def test_too_large_file(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, GOOD + "x" * MAX_FILE_BYTES)
    assert "te groot" in problem.message


def test_parse_front_matter_records_nested_lines() -> None:
    meta, marks = parse_front_matter("a:\n  - id: R1\n    text: x\n  - id: R2\n", first_line=2)
    assert meta == {"a": [{"id": "R1", "text": "x"}, {"id": "R2"}]}
    assert marks[("a", 1, "id")] == 5
    with pytest.raises(ReadError):
        parse_front_matter("a: *b")
