"""The follow-up of recommendations (issue #15): its files' schema and examples, the rules
against the document, recording a step from the command line, and what the site makes."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PLAIN, ROOT, advies, stops_check_and_build, write_doc

from kennisbank.content import followup
from kennisbank.content.schema_check import SchemaChecker
from kennisbank.content.validate import load_corpus
from kennisbank.site import followup as pages

EXAMPLES = sorted((ROOT / "kennisbank" / "schema" / "examples" / "opvolging").rglob("*.yml"))
EXPECT = re.compile(r"^# expect: (\S+)$", re.M)
DOC = "advisories/adviezen/een-advies.md"
FILE = "advisories/adviezen/een-advies.opvolging.yml"
RECS = (
    "addressees: [minister-onderwijs, vlaamse-regering]\n"
    "recommendations:\n"
    '  - id: R1\n    text: "Voer een maximumfactuur in."\n'
    '  - id: R2\n    text: "Geef ouders een kostenoverzicht."\n'
    "    addressees: [vlaamse-regering]\n"
)
TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example(path: Path, checker: SchemaChecker) -> None:
    """Valid examples pass; each invalid one fails on exactly the field it announces."""
    problems = followup.check_file(path, ROOT, checker)
    if path.parent.name == "valid":
        assert [p.format() for p in problems] == []
        return
    expect = EXPECT.search(path.read_text(encoding="utf-8"))
    assert expect, f"{path} must announce its failure with '# expect: FIELD'"
    assert [p.field for p in problems] == [expect.group(1)], [p.format() for p in problems]
    assert all(p.line > 1 and p.path.endswith(path.name) for p in problems)


def entry(
    rec: str = "R1",
    day: str = "2025-03-01",
    who: str = "minister-onderwijs",
    response: str = "aanvaard",
    implementation: str = "lopend",
    extra: str = "",
) -> str:
    return (
        f"  - recommendation: {rec}\n    date: {day}\n    addressee: {who}\n"
        f"    response: {response}\n    implementation: {implementation}\n"
        f"    source: https://example.org/x\n{extra}"
    )


def check(root: Path, *entries: str) -> list:
    write_doc(root, DOC, advies(extra=RECS, date="2025-01-10"))
    write_doc(root, FILE, "entries:\n" + "".join(entries))
    _, problems = load_corpus(root, today=TODAY)
    return [p for p in problems if p.path == FILE]


@pytest.mark.parametrize(
    ("entries", "field", "words"),
    [
        ((entry(rec="R9"),), "entries[0].recommendation", "geen aanbeveling"),
        ((entry(rec="R2"),), "entries[0].addressee", "geen adressaat van ADV-2025-01/R2"),
        ((entry(day="2026-06-02"),), "entries[0].date", "toekomst"),
        ((entry(day="2024-12-31"),), "entries[0].date", "vóór de datum van het document"),
        ((entry(day="2025-05-01"), entry(day="2025-04-01")), "entries[1].date", "volgorde"),
        (
            (
                entry(response="verworpen", implementation="niet-gestart"),
                entry(day="2025-06-01", implementation="uitgevoerd"),
            ),
            "entries[1].note",
            "verworpen",
        ),
        (
            (entry(extra='    note: "x"\n').replace("https://example.org/x", "geen-document"),),
            "entries[0].source",
            "geen document van deze site",
        ),
    ],
)
def test_bad_follow_up_is_named_with_file_and_line(
    scratch_repo: Path, entries: tuple[str, ...], field: str, words: str
) -> None:
    problems = check(scratch_repo, *entries)
    assert [p.field for p in problems] == [field], [p.format() for p in problems]
    assert words in problems[0].message
    text = (scratch_repo / FILE).read_text(encoding="utf-8").split("\n")
    key = field.rsplit(".", 1)[-1]
    assert key in text[problems[0].line - 1] or key == "note"  # the line of that key


def test_a_good_follow_up_loads(scratch_repo: Path) -> None:
    assert (
        check(
            scratch_repo,
            entry(response="verworpen", implementation="niet-gestart"),
            entry(day="2025-06-01", implementation="uitgevoerd", extra='    note: "Toch."\n'),
            entry(rec="R2", who="vlaamse-regering"),
        )
        == []
    )
    corpus, _ = load_corpus(scratch_repo, today=TODAY)
    assert [e.implementation for e in corpus.followups["een-advies"]] == [
        "niet-gestart",
        "uitgevoerd",
        "lopend",
    ]


def test_a_follow_up_file_without_its_document(scratch_repo: Path) -> None:
    write_doc(scratch_repo, "advisories/adviezen/weg.opvolging.yml", "entries: []\n")
    _, problems = load_corpus(scratch_repo, today=TODAY)
    assert [(p.path, p.line) for p in problems] == [("advisories/adviezen/weg.opvolging.yml", 1)]
    assert "hoort geen document (weg.md bestaat niet)" in problems[0].message


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kennisbank.cli", "opvolging", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_recording_a_step_appends_it_and_keeps_the_file(scratch_repo: Path) -> None:
    write_doc(scratch_repo, DOC, advies(extra=PLAIN + RECS, date="2025-01-10"))
    done = cli(
        scratch_repo,
        "ADV-2025-01/R2",
        "--antwoord",
        "aanvaard",
        "--uitvoering",
        "lopend",
        "--bron",
        "https://example.org/a",
    )
    assert done.returncode == 0, done.stderr
    first = (scratch_repo / FILE).read_text(encoding="utf-8")
    assert f"date: {dt.date.today().isoformat()}" in first
    assert 'addressee: "vlaamse-regering"' in first  # the one addressee of R2
    done = cli(
        scratch_repo,
        "ADV-2025-01/R1",
        "--antwoord",
        "verworpen",
        "--uitvoering",
        "niet-gestart",
        "--bron",
        "https://example.org/b",
        "--adressaat",
        "minister-onderwijs",
        "--notitie",
        'Niet nu: "later".',
    )
    assert done.returncode == 0, done.stderr
    second = (scratch_repo / FILE).read_text(encoding="utf-8")
    assert second.startswith(first)  # what was there stays as it was
    _, problems = load_corpus(scratch_repo)
    assert problems == []


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (
            ("ADV-2025-01/R1", "--antwoord", "aanvaard", "--uitvoering", "lopend", "--bron", "x-y"),
            2,
            "--adressaat",
        ),
        (("ADV-2025-01/R7", "--antwoord", "aanvaard", "--uitvoering", "lopend"), 2, "R1, R2"),
        (("ADV-2025-01/R2", "--antwoord", "aanvaard", "--uitvoering", "lopend"), 1, "source"),
        (("ADV-2025-01/R2", "--antwoord", "ja", "--uitvoering", "lopend"), 2, "bestaat niet"),
    ],
)
def test_a_step_that_cannot_be_recorded_changes_nothing(
    scratch_repo: Path, args: tuple[str, ...], code: int, words: str
) -> None:
    write_doc(scratch_repo, DOC, advies(extra=RECS, date="2025-01-10"))
    write_doc(scratch_repo, FILE, "# mijn notities\nentries:\n" + entry())
    before = (scratch_repo / FILE).read_bytes()
    done = cli(scratch_repo, *args)
    assert done.returncode == code, done.stdout + done.stderr
    assert words in done.stderr
    assert "Traceback" not in done.stderr
    assert (scratch_repo / FILE).read_bytes() == before


def test_stale_follows_the_date(scratch_repo: Path) -> None:
    """Open and nothing recorded for more than 12 months: flagged, on a fixed today."""
    check(scratch_repo, entry(day="2025-03-01"))
    corpus, _ = load_corpus(scratch_repo, today=TODAY)
    item = next(t for t in pages.tracked(corpus) if t.rec.id == "R1" and t.entries)
    assert not item.stale(dt.date(2026, 3, 1))
    assert item.stale(dt.date(2026, 3, 2))
    assert pages.months_before(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    closed = check(scratch_repo, entry(day="2025-03-01", implementation="uitgevoerd"))
    assert closed == []
    corpus, _ = load_corpus(scratch_repo, today=TODAY)
    item = next(t for t in pages.tracked(corpus) if t.rec.id == "R1" and t.entries)
    assert not item.stale(dt.date(2027, 1, 1))  # closed: never stale


def test_a_body_that_repeats_a_recommendation_is_warned(scratch_repo: Path) -> None:
    body = "## Aanbevelingen\n\n- **R1** – Voer een maximumfactuur in voor iedereen."
    recs = RECS.replace("Voer een maximumfactuur in.", "Voer een maximumfactuur in voor iedereen.")
    write_doc(scratch_repo, DOC, advies(extra=recs, body=body))
    done = subprocess.run(
        [sys.executable, "-m", "kennisbank.cli", "check", "--format", "json"],
        cwd=scratch_repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout  # a warning stops nothing
    assert '"severity": "warning"' in done.stdout and "herhaalt aanbeveling R1" in done.stdout


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("response: aanvaard", "response: misschien"), 5, "misschien"),
        (("addressee: minister-onderwijs", "addressee: minister-sport"), 4, "minister-sport"),
    ],
)
def test_bad_follow_up_stops_check_and_build_and_keeps_the_site(
    scratch_repo: Path, change: tuple[str, str], line: int, words: str
) -> None:
    """As staff meet it: `kennisbank check` and `make build` name the file and line in
    Dutch, exit non-zero, and the site that was there stays as it was."""
    write_doc(scratch_repo, DOC, advies(extra=RECS, date="2025-01-10"))
    write_doc(scratch_repo, FILE, "entries:\n" + entry().replace(*change))
    stops_check_and_build(scratch_repo, f"{FILE}:{line}: ", words)


def test_the_preview_updates_the_dashboard_when_follow_up_changes(
    scratch_repo: Path, preview_of
) -> None:
    """The preview keeps the follow-up pages between rebuilds while nothing they show
    changed; a new step, or a changed recommendation, shows at once."""
    write_doc(scratch_repo, DOC, advies(extra=RECS, date="2025-01-10", body="## Kop\n\nTekst."))
    write_doc(scratch_repo, FILE, "entries:\n" + entry())
    preview = preview_of(scratch_repo)
    preview.wait_until_serving()
    assert "Uitvoering: Lopend" in preview.get("opvolging/minister-onderwijs/")[1]
    doc = scratch_repo / DOC
    doc.write_text(doc.read_text().replace("Tekst.", "Andere tekst."), encoding="utf-8")
    preview.wait_for(lambda: "Andere tekst." in preview.get("adviezen/een-advies/")[1], "edit")
    assert "Uitvoering: Lopend" in preview.get("opvolging/minister-onderwijs/")[1]
    (scratch_repo / FILE).write_text(
        "entries:\n" + entry() + entry(day="2025-04-01", implementation="uitgevoerd"),
        encoding="utf-8",
    )
    preview.wait_for(
        lambda: "Uitvoering: Uitgevoerd" in preview.get("opvolging/minister-onderwijs/")[1],
        "the new step on the addressee page",
    )
    doc.write_text(
        doc.read_text().replace(
            "Voer een maximumfactuur in.", "Voer een strengere maximumfactuur in."
        ),
        encoding="utf-8",
    )
    preview.wait_for(
        lambda: "strengere maximumfactuur" in preview.get("opvolging/minister-onderwijs/")[1],
        "the changed recommendation on the addressee page",
    )
