"""`kennisbank check` and `kennisbank new` as an editor runs them."""

from __future__ import annotations

import datetime
import json
import shutil
import sys
from pathlib import Path

from conftest import PLAIN, ROOT, advies, run_cli, write_doc

ADV = "advisories/adviezen"


def test_repository_is_clean() -> None:
    result = run_cli(ROOT, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    # The verdict is the command's output (stdout), not a side remark on stderr.
    assert result.stdout.startswith("Alles in orde: ")
    assert result.stderr == ""


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "kennisbank"
    assert script.exists() or shutil.which("kennisbank")


def test_problems_exit_1_with_located_dutch_lines(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/een.md", advies(extra="domains: [onderwjs]\n"))
    write_doc(scratch_repo, f"{ADV}/twee.md", "---\ntitle: x\n")
    result = run_cli(scratch_repo, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{ADV}/een.md:8: domains: de sleutel 'domains' staat twee keer" in lines[0]
    assert "(ook op regel 6)" in lines[0]
    assert lines[1].startswith(f"{ADV}/twee.md:1: de metadata wordt nooit afgesloten")
    assert "2 problemen in 2 bestanden" in lines[-1]
    assert "Traceback" not in result.stdout + result.stderr


def test_json_format(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/een.md", advies(date="2025-02-30"))
    result = run_cli(scratch_repo, "check", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["problems"] == [
        {
            "path": f"{ADV}/een.md",
            "line": 4,
            "field": "date",
            "message": "'2025-02-30' is geen bestaande datum. Controleer dag en maand.",
            "severity": "error",
        }
    ]


def test_paths_filter_the_report(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/een.md", advies(extra="tags: 5\n"))
    write_doc(scratch_repo, "toolkits/praktijken/twee.md", "---\ntitle: x\n")
    result = run_cli(scratch_repo, "check", ADV)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith(ADV) for line in lines[:-1])
    assert lines[-1] == (
        "1 probleem in 1 bestand. Los het op en controleer opnieuw met 'make check'."
    )
    clean = run_cli(scratch_repo, "check", "content")
    assert clean.returncode == 0


def test_check_of_one_file_counts_that_file(scratch_repo: Path) -> None:
    for n in range(3):
        write_doc(scratch_repo, f"{ADV}/a{n}.md", advies(ref=f"ADV-2025-0{n}", extra=PLAIN))
    one = run_cli(scratch_repo, "check", f"{ADV}/a1.md")
    assert one.returncode == 0, one.stdout
    assert one.stdout == "Alles in orde: 1 document zonder problemen.\n"
    assert run_cli(scratch_repo, "check").stdout.startswith("Alles in orde: 3 documenten")
    data = json.loads(run_cli(scratch_repo, "check", "--format", "json", ADV).stdout)
    assert data["documents"] == 3


ENGLISH_ARGPARSE = ("usage:", "show this help", "invalid choice", "arguments are required",
                    "unrecognized", "positional arguments", "options:", "error:")


def test_help_and_usage_errors_are_dutch_only(scratch_repo: Path) -> None:
    cases = [
        (["--help"], 0, "toon deze uitleg en stop"),
        (["check", "--help"], 0, "bestand(en) of map(pen) om te controleren"),
        (["new", "--help"], 0, "advies, standpunt, toolkit of praktijk"),
        (["new"], 2, "dit ontbreekt nog: SOORT, ID"),
        (["new", "rapport", "x"], 2, "SOORT: 'rapport' bestaat niet; kies uit 'advies'"),
        (["controleer"], 2, "OPDRACHT: 'controleer' bestaat niet; kies uit 'check', 'new'"),
        (["check", "--format", "xml"], 2, "--format: 'xml' bestaat niet"),
        (["check", "--zz"], 2, "onbekend in deze opdracht: --zz"),
        (["check", "--format"], 2, "--format: geef er een waarde bij"),
    ]
    for args, code, dutch in cases:
        result = run_cli(scratch_repo, *args)
        text = result.stdout + result.stderr
        assert result.returncode == code, (args, text)
        assert dutch in text, (args, text)
        assert text.startswith("Gebruik: kennisbank"), (args, text)
        assert not [w for w in ENGLISH_ARGPARSE if w in text.lower()], (args, text)


def test_usage_errors_exit_2_in_dutch(scratch_repo: Path) -> None:
    missing = run_cli(scratch_repo, "check", "bestaat-niet.md")
    assert missing.returncode == 2
    assert "bestaat niet" in missing.stderr
    wrong = run_cli(scratch_repo, "controleer")
    assert wrong.returncode == 2
    assert "fout in de opdracht" in wrong.stderr


def test_new_creates_a_valid_concept_and_never_overwrites(scratch_repo: Path) -> None:
    for kind, doc_id in [
        ("advies", "a-een"),
        ("standpunt", "s-een"),
        ("toolkit", "t-een"),
        ("praktijk", "p-een"),
        ("advies", "a-twee"),
    ]:
        result = run_cli(scratch_repo, "new", kind, doc_id)
        assert result.returncode == 0, result.stderr
        article = "Nieuw " if kind in ("advies", "standpunt") else "Nieuwe "
        assert result.stdout.startswith(article + kind), result.stdout
    assert (scratch_repo / "toolkits/t-een/index.md").is_file()
    today = datetime.date.today()
    second = (scratch_repo / ADV / "a-twee.md").read_text(encoding="utf-8")
    assert f"reference: ADV-{today.year}-02" in second  # references never clash
    toolkit = (scratch_repo / "toolkits/t-een/index.md").read_text(encoding="utf-8")
    assert f"\ndate: {today.isoformat()}\n" in toolkit
    assert f"    date: {today.isoformat()}\n" in toolkit  # the changelog entry too
    check = run_cli(scratch_repo, "check")
    assert check.returncode == 0, check.stdout
    target = scratch_repo / ADV / "a-een.md"
    target.write_text("mijn werk", encoding="utf-8")
    again = run_cli(scratch_repo, "new", "standpunt", "a-een")
    assert again.returncode == 2
    assert "bestaat al" in again.stderr
    assert target.read_text(encoding="utf-8") == "mijn werk"
    bad = run_cli(scratch_repo, "new", "advies", "Mijn Advies")
    assert bad.returncode == 2 and "'mijn-advies'" in bad.stderr


def test_a_file_outside_the_document_folders_is_checked_on_its_own(scratch_repo: Path) -> None:
    write_doc(scratch_repo, "concepten/kladje.md", advies(date="2025-02-30"))
    result = run_cli(scratch_repo, "check", "concepten/kladje.md")
    assert result.returncode == 1
    assert result.stdout.startswith("concepten/kladje.md:4: date: '2025-02-30' is geen")
