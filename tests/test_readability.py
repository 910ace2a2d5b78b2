"""Plain Dutch (issue #17): `summary_plain`, its Flesch–Douma warning in `kennisbank check`,
and where the site shows it (page, cards, PDF, open data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import textstat
from conftest import advies, run_cli, write_doc
from pypdf import PdfReader

from kennisbank.content import readability
from kennisbank.site.downloads import pdf_name

ADV = "advisories/adviezen"
# Fixed texts: short sentences and common words; a long sentence of long words.
EASY = "Naar school gaan kost veel geld. Voor gezinnen met weinig geld is dat zwaar."
HARD = (
    "De implementatie van een geïntegreerd beleidsinstrumentarium ter bevordering van "
    "onderwijsparticipatie vereist interbestuurlijke coördinatie en monitoring."
)


def test_the_formula_is_flesch_douma() -> None:
    """206.835 − 0.93 × words per sentence − 77 × syllables per word, with textstat's
    Dutch syllable count, for a text without markup."""
    textstat.set_lang("nl")
    words, sentences = len(EASY.split()), 2
    syllables = textstat.syllable_count(EASY)
    expected = 206.835 - 0.93 * words / sentences - 77 * syllables / words
    assert readability.douma(EASY) == round(expected, 1)
    assert readability.douma(EASY) >= readability.TARGET > readability.douma(HARD)  # type: ignore[operator]
    assert readability.douma("Te kort.") is None


def test_markdown_is_read_as_its_words() -> None:
    text = (
        "## Kop\n\n- een [link](https://example.org/x) en `code`\n- twee\n\n"
        "```\nniet = tekst\n```\n\n<!-- opmerking -->\n![beeld](a.png)\n\n"
        "| a | b |\n|---|---|\n\nZin één. Zin **twee**!"
    )
    plain = readability.plain_text(text)
    for gone in ("https", "code", "niet = tekst", "opmerking", "beeld", "**", "##", "|"):
        assert gone not in plain, (gone, plain)
    assert plain.startswith("Kop. een link en.") and plain.endswith("Zin één. Zin twee!")


def check(root: Path, *args: str) -> tuple[int, list[dict]]:
    done = run_cli(root, "check", "--format", "json", *args)
    return done.returncode, json.loads(done.stdout)["problems"]


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        ("advies", f'summary_plain: "{HARD}"\n', "moeilijker dan eenvoudige taal"),
        ("advies", f'summary_plain: "{EASY}"\n', None),
        ("advies", "", "ontbreekt"),
        ("standpunt", "", None),  # may have one; only an advies is asked for one
        ("advies", "language: fr\n", None),  # the formula is for Dutch
    ],
    ids=["hard", "easy", "advies-without", "standpunt-without", "french"],
)
def test_readability_is_a_warning(
    scratch_repo: Path, kind: str, extra: str, expected: str | None
) -> None:
    text = advies(extra=extra).replace("type: advies", f"type: {kind}")
    folder = "advisories/standpunten" if kind == "standpunt" else ADV
    write_doc(scratch_repo, f"{folder}/een.md", text)
    code, problems = check(scratch_repo)
    assert code == 0, problems  # a warning never changes the exit code
    found = [p for p in problems if p["field"] == "summary_plain"]
    if expected is None:
        assert problems == []
        return
    assert len(found) == 1 and found[0]["severity"] == "warning", problems
    assert expected in found[0]["message"]
    line = (
        text.splitlines().index(
            next(
                x
                for x in text.splitlines()
                if x.startswith("summary_plain:" if extra else "summary:")
            )
        )
        + 1
    )
    assert found[0]["line"] == line
    if "moeilijker" in expected:
        assert f"Flesch-Douma {readability.douma(HARD):g}" in found[0]["message"]


def test_the_site_shows_the_plain_summary(built_site: Path, corpus) -> None:
    """On the page right under the summary, in its card on the listing, and on the PDF's
    cover; every sample advies has one."""
    adviezen = [d for d in corpus.published() if d.kind == "advies"]
    assert adviezen and all(d.meta.get("summary_plain") for d in adviezen)
    with_plain = [d for d in corpus.published() if d.meta.get("summary_plain")]
    for doc in with_plain:
        plain = doc.meta["summary_plain"]
        page = (built_site / doc.url / "index.html").read_text(encoding="utf-8")
        block = page[page.index('<section class="kb-plain"') :]
        block = block[: block.index("</section>")]
        assert '<h2 id="kb-plain" class="kb-plain__title">In eenvoudige taal</h2>' in block
        assert plain in block.replace("&#39;", "'")
        assert page.index("kb-summary") < page.index("kb-plain")
        listing = (built_site / doc.section / "index.html").read_text(encoding="utf-8")
        assert f'<p class="kb-card__summary kb-card__summary--plain">{plain}</p>' in listing
        pdf = PdfReader(built_site / doc.url / pdf_name(doc))
        cover = " ".join(pdf.pages[0].extract_text().split())
        assert "In eenvoudige taal" in cover and " ".join(plain.split()[:6]) in cover, doc.id
    without = next(d for d in corpus.published() if not d.meta.get("summary_plain"))
    page = (built_site / without.url / "index.html").read_text(encoding="utf-8")
    assert "kb-plain" not in page


def test_the_open_data_has_the_scores(built_site: Path, corpus) -> None:
    data = json.loads((built_site / "data/documenten.json").read_text(encoding="utf-8"))
    by_id = {d["id"]: d for d in data["documents"]}
    for doc in corpus.published():
        row = by_id[doc.id]
        if doc.meta.get("language", "nl") != "nl":
            assert "readability" not in row
            continue
        scores = row["readability"]
        assert scores["summary"] == readability.douma(doc.summary)
        assert scores["body"] == readability.douma(doc.source.body)
        if doc.meta.get("summary_plain"):
            assert scores["summary_plain"] == readability.douma(doc.meta["summary_plain"])
            assert scores["summary_plain"] >= readability.TARGET
            assert row["summary_plain"] == doc.meta["summary_plain"]
        else:
            assert "summary_plain" not in scores
    csv = (built_site / "data/documenten.csv").read_text(encoding="utf-8-sig").splitlines()
    header = csv[0].split(",")
    assert header[-3:] == ["readability_summary", "readability_summary_plain", "readability_body"]
