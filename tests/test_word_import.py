"""`kennisbank import BESTAND.docx --kind SOORT`: Word files made here with python-docx (each
element) and by LibreOffice Writer (tests/fixtures/word, made by make_fixtures.py there)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from conftest import ROOT, run_cli, tiny_png, tree_hash
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from kennisbank.content import word

FIXTURES = ROOT / "tests" / "fixtures" / "word"
TITLE = "Toegankelijke loketten in de gemeente"
DOC = "advisories/adviezen/toegankelijke-loketten-in-de-gemeente.md"


def run_import(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(root, "import", *args)


def check(root: Path, path: str) -> subprocess.CompletedProcess[str]:
    return run_cli(root, "check", path)


def link(paragraph, text: str, url: str) -> None:
    """python-docx has no API for hyperlinks: the element Word writes."""
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    label = OxmlElement("w:t")
    label.text = text
    run.append(label)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def make_docx(path: Path, recommendations: bool = True, style: str | None = None) -> Path:
    """A Word file with each element the import converts."""
    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.author = "Team lokale besturen"
    document.core_properties.created = dt.datetime(2026, 3, 4, 10, 0)
    document.add_paragraph(TITLE, style="Title")
    first = document.add_paragraph("Het loket is voor veel inwoners de eerste plek waar ze de ")
    first.add_run("overheid").bold = True
    first.add_run(" ontmoeten, ook voor wie ")
    first.add_run("weinig Nederlands").italic = True
    first.add_run(" spreekt.")
    document.add_heading("Context", level=1)
    document.add_paragraph("Lange wachtrijen", style="List Bullet")
    document.add_paragraph("Moeilijke formulieren", style="List Bullet")
    document.add_heading("Cijfers", level=2)
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {
        (0, 0): "Loket",
        (0, 1): "Bezoekers",
        (1, 0): "Burgerzaken",
        (1, 1): "1200",
    }.items():
        table.cell(row, col).text = text
    paragraph = document.add_paragraph("Zie ook ")
    link(paragraph, "de website van Vlaanderen", "https://www.vlaanderen.be/")
    described = document.add_picture(io.BytesIO(tiny_png()))
    described._inline.docPr.set("descr", "Plan van het loket met drie balies")
    document.add_picture(io.BytesIO(tiny_png(30, 10)))
    if style:
        document.styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
        document.add_paragraph("Een kader met een citaat.", style=style)
    if recommendations:
        document.add_heading("Aanbevelingen", level=1)
        document.add_paragraph("Zorg voor onthaal in eenvoudige taal.", style="List Number")
        document.add_paragraph("Werk met tolken waar nodig.", style="List Number")
    document.add_heading("Tot slot", level=1)
    document.add_paragraph("Een toegankelijk loket is een recht.")
    document.save(path)
    return path


def front_and_body(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def test_an_advies_from_word_passes_check_the_first_time(
    scratch_repo: Path, tmp_path: Path
) -> None:
    source = make_docx(tmp_path / "Advies loketten.docx", style="Citaat Kader")
    done = run_import(scratch_repo, str(source), "--kind", "advies")
    assert done.returncode == 0, done.stderr
    assert f"Nieuw advies aangemaakt uit Advies loketten.docx: {DOC} (concept)" in done.stdout
    assert "2 aanbevelingen overgenomen" in done.stdout
    assert "alinea's met de opmaakstijl 'Citaat Kader' zijn gewone tekst geworden" in done.stdout
    assert "Alles in orde: 1 document zonder problemen." in done.stdout
    assert check(scratch_repo, DOC).returncode == 0
    meta, body = front_and_body(scratch_repo / DOC)
    assert meta["title"] == TITLE and meta["authors"] == ["Team lokale besturen"]
    assert meta["date"] == dt.date(2026, 3, 4) and meta["status"] == "concept"
    assert meta["summary"].startswith("Het loket is voor veel inwoners de eerste plek")
    assert meta["reference"] == "ADV-2026-01"
    assert meta["recommendations"] == [
        {"id": "R1", "text": "Zorg voor onthaal in eenvoudige taal."},
        {"id": "R2", "text": "Werk met tolken waar nodig."},
    ]
    # Word's Heading 1 is ##: the title is the page's only #; the title is not repeated.
    assert "## Context\n" in body and "### Cijfers\n" in body and "\n# " not in body
    assert TITLE not in body
    assert "de **overheid** ontmoeten, ook voor wie *weinig Nederlands* spreekt." in body
    assert "- Lange wachtrijen\n- Moeilijke formulieren" in body
    assert "| Loket | Bezoekers |\n| --- | --- |\n| Burgerzaken | 1200 |" in body
    assert "[de website van Vlaanderen](https://www.vlaanderen.be/)" in body
    assert "Een kader met een citaat." in body
    # The recommendations are in the metadata only (the page shows them from there).
    assert "Aanbevelingen" not in body and "tolken" not in body
    # An advies shows no images: saved beside the Word file, a note in the text.
    assert (tmp_path / "Advies loketten-afbeeldingen/afbeelding-1.png").read_bytes() == tiny_png()
    assert "afbeelding-1.png (Plan van het loket met drie balies)" in body
    assert "afbeelding-2.png (zonder beschrijving)" in body


def test_a_toolkit_keeps_its_images_and_check_flags_one_without_description(
    scratch_repo: Path, tmp_path: Path
) -> None:
    source = make_docx(tmp_path / "toolkit.docx", recommendations=False)
    done = run_import(scratch_repo, str(source), "--kind", "toolkit", "--id", "loket-toolkit")
    assert done.returncode == 0, done.stderr
    folder = scratch_repo / "toolkits/loket-toolkit"
    meta, body = front_and_body(folder / "index.md")
    assert [f["path"] for f in meta["files"]] == ["afbeelding-1.png", "afbeelding-2.png"]
    assert meta["files"][0]["title"] == "Plan van het loket met drie balies"
    assert (folder / "afbeelding-2.png").read_bytes() == tiny_png(30, 10)
    assert "![Plan van het loket met drie balies](afbeelding-1.png)" in body
    assert f"![{word.IMAGE_PLACEHOLDER}](afbeelding-2.png)" in body
    line = body.split("\n").index(f"![{word.IMAGE_PLACEHOLDER}](afbeelding-2.png)")
    checked = check(scratch_repo, "toolkits/loket-toolkit/index.md")
    assert checked.returncode == 1
    offset = (
        (folder / "index.md").read_text(encoding="utf-8").split("\n").index(body.split("\n")[0])
    )
    assert (
        f"toolkits/loket-toolkit/index.md:{offset + line + 1}: de afbeelding 'afbeelding-2.png' "
        "heeft nog geen beschrijving"
    ) in checked.stdout
    assert "Controle van het nieuwe bestand" in done.stdout and "1 probleem" in done.stdout


def test_a_word_file_written_by_libreoffice(scratch_repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "libreoffice-advies.docx"
    source.write_bytes((FIXTURES / "libreoffice-advies.docx").read_bytes())
    done = run_import(scratch_repo, str(source), "--kind", "standpunt")
    assert done.returncode == 0, done.stderr
    target = (
        scratch_repo / "advisories/standpunten/meertalig-onthaal-in-het-lokaal-dienstencentrum.md"
    )
    assert check(scratch_repo, str(target.relative_to(scratch_repo))).returncode == 0
    meta, body = front_and_body(target)
    assert meta["title"] == "Meertalig onthaal in het lokaal dienstencentrum"
    assert meta["authors"] == ["Team lokale besturen"] and meta["date"] == dt.date(2026, 2, 17)
    assert meta["reference"].startswith("STP-2026-")
    assert meta["summary"].endswith("als basisdienst te organiseren.")  # no footnote mark
    assert [r["text"] for r in meta["recommendations"]] == [
        "Voorzie een tolk via de telefoon aan elk loket.",
        "Werk samen met zelforganisaties voor vrijwillige onthaalmedewerkers.",
    ]
    assert "## Context" in body and "### Wat werkt" in body and "## Tot slot" in body
    assert "**meertalig onthaal** als *basisdienst*" in body
    assert "- Tolken zijn duur.\n- Vrijwilligers zijn er niet altijd." in body
    assert "| Taal | Bezoekers |" in body and "| Arabisch | 40 |" in body
    assert "[de website van Vlaanderen](https://www.vlaanderen.be/)" in body
    marks = re.findall(r"\[\^(\d+)\]", body)
    assert len(marks) == 2 and marks[0] == marks[1]  # the reference and the definition
    assert f"te organiseren.[^{marks[0]}]" in body
    assert body.rstrip().endswith(f"[^{marks[0]}]: Cijfers van de sociale kaart, 2025.")
    assert "(Schema van het onthaal in drie stappen)" in body
    assert "Niet (helemaal) overgenomen" not in done.stdout  # LibreOffice's own styles are known


def test_a_file_that_is_not_word(scratch_repo: Path, tmp_path: Path) -> None:
    before = [tree_hash(scratch_repo / f) for f in ("advisories", "toolkits", "content")]
    cases = {
        "tekst.docx": b"Dit is gewone tekst.\n",
        "beveiligd.docx": word.OLE_MAGIC + b"\0" * 600,  # what Word writes with a password
        "archief.docx": _zip({"iets.txt": b"x"}),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        done = run_import(scratch_repo, str(tmp_path / name), "--kind", "advies")
        assert done.returncode == 1, (name, done.stderr)
        assert "Traceback" not in done.stderr and "Er is niets aangemaakt." in done.stderr
    assert (
        "geen Word-bestand (.docx)"
        in run_import(scratch_repo, str(tmp_path / "archief.docx"), "--kind", "advies").stderr
    )
    assert (
        "met wachtwoord"
        in run_import(scratch_repo, str(tmp_path / "beveiligd.docx"), "--kind", "advies").stderr
    )
    assert [tree_hash(scratch_repo / f) for f in ("advisories", "toolkits", "content")] == before


def _zip(files: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_empty_too_large_existing_id_and_unknown_kind(scratch_repo: Path, tmp_path: Path) -> None:
    empty = tmp_path / "leeg.docx"
    docx.Document().save(empty)
    done = run_import(scratch_repo, str(empty), "--kind", "advies")
    assert done.returncode == 1 and "het Word-bestand is leeg" in done.stderr
    large = tmp_path / "groot.docx"
    with large.open("wb") as handle:
        handle.truncate(word.MAX_BYTES + 1)
    done = run_import(scratch_repo, str(large), "--kind", "advies")
    assert done.returncode == 1 and "meer dan 20 MB" in done.stderr
    source = make_docx(tmp_path / "advies.docx")
    assert run_import(scratch_repo, str(source), "--kind", "advies").returncode == 0
    kept = (scratch_repo / DOC).read_text(encoding="utf-8")
    (scratch_repo / DOC).write_text(kept + "\nMijn eigen aanvulling.\n", encoding="utf-8")
    again = run_import(scratch_repo, str(source), "--kind", "advies")
    assert again.returncode == 1
    assert "het id 'toegankelijke-loketten-in-de-gemeente' bestaat al" in again.stderr
    assert (scratch_repo / DOC).read_text(encoding="utf-8").endswith("Mijn eigen aanvulling.\n")
    unknown = run_import(scratch_repo, str(source), "--kind", "boek")
    assert unknown.returncode == 2 and "'boek' bestaat niet" in unknown.stderr
    missing = run_import(scratch_repo, str(tmp_path / "weg.docx"), "--kind", "advies")
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr


@pytest.mark.parametrize("kind", ["advies", "standpunt", "toolkit", "praktijk"])
def test_every_kind_can_be_imported(scratch_repo: Path, tmp_path: Path, kind: str) -> None:
    source = make_docx(tmp_path / f"{kind}.docx", recommendations=kind in ("advies", "standpunt"))
    done = run_import(scratch_repo, str(source), "--kind", kind, "--id", f"uit-word-{kind}")
    assert done.returncode == 0, done.stderr
    target = next(scratch_repo.glob(f"**/uit-word-{kind}*.md"), None) or next(
        scratch_repo.glob(f"**/uit-word-{kind}/index.md")
    )
    meta, _ = front_and_body(target)
    assert meta["type"] == kind and meta["status"] == "concept"
    problems = check(scratch_repo, str(target.relative_to(scratch_repo)))
    # Only a toolkit shows images, and its image without description is the one problem.
    assert problems.returncode == (1 if kind == "toolkit" else 0), problems.stdout


def test_titles_and_recommendations_are_taken_as_staff_see_them(
    scratch_repo: Path, tmp_path: Path
) -> None:
    """The visible title wins over the file's property; a backslash stays; an advies
    without a list "Aanbevelingen" gets no example recommendation from the template."""
    document = docx.Document()
    document.core_properties.title = "Sjabloon van de dienst"  # a company template's title
    document.add_paragraph("Toegang tot G:\\Gedeeld en andere mappen", style="Title")
    document.add_paragraph("Een eerste alinea die lang genoeg is om samenvatting te worden.")
    document.save(tmp_path / "titel.docx")
    done = run_import(scratch_repo, str(tmp_path / "titel.docx"), "--kind", "advies")
    assert done.returncode == 0, done.stderr
    target = scratch_repo / "advisories/adviezen/toegang-tot-g-gedeeld-en-andere-mappen.md"
    meta, _ = front_and_body(target)
    assert meta["title"] == "Toegang tot G:\\Gedeeld en andere mappen"
    assert "recommendations" not in meta
    assert check(scratch_repo, str(target.relative_to(scratch_repo))).returncode == 0


def test_points_under_a_recommendation_follow_its_words() -> None:
    """mammoth nests a sub-list inside its item: its points follow the recommendation's
    own words after a colon, one by one, instead of running into them."""
    soup = word.BeautifulSoup(
        "<h2>Aanbevelingen</h2><ol><li>Maak de loketten toegankelijk:<ol><li>met tolken."
        "</li><li>met eenvoudige formulieren</li></ol></li><li>Meet de wachttijden.</li></ol>"
        "<p>Verder.</p>",
        "html.parser",
    )
    assert word.take_recommendations(soup) == [
        "Maak de loketten toegankelijk: met tolken; met eenvoudige formulieren.",
        "Meet de wachttijden.",
    ]
    assert word.text_of(soup) == "Verder."


def test_image_notes_keep_their_description_and_images_that_cannot_be_saved_are_a_note(
    scratch_repo: Path, tmp_path: Path
) -> None:
    """An advies shows no images: each becomes an invisible note with Word's description
    exactly (no Markdown escapes, no '--' that would end the comment). When the folder
    beside the DOCX cannot be made, the text is still imported, with a Dutch note."""
    document = docx.Document()
    document.add_paragraph("Loketten", style="Title")
    document.add_paragraph("Een eerste alinea die lang genoeg is om samenvatting te worden.")
    picture = document.add_picture(io.BytesIO(tiny_png()))
    picture._inline.docPr.set("descr", "Plan *nieuw* van_het loket -- 2026")
    document.save(tmp_path / "loket.docx")
    (tmp_path / "loket-afbeeldingen").write_text("een bestand waar de map zou komen")
    done = run_import(scratch_repo, str(tmp_path / "loket.docx"), "--kind", "advies")
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "de afbeeldingen konden niet bewaard worden" in output, output
    assert "loket-afbeeldingen bestaat al" in output and "Traceback" not in output, output
    _, body = front_and_body(scratch_repo / "advisories/adviezen/loketten.md")
    assert "(Plan *nieuw* van_het loket – 2026)" in body, body
    assert body.count("-->") == body.count("<!--") == 1
    assert (tmp_path / "loket-afbeeldingen").read_text() == "een bestand waar de map zou komen"


def test_a_folder_that_cannot_be_written_stops_the_import_in_dutch(
    scratch_repo: Path, tmp_path: Path
) -> None:
    """The document's own folder cannot be made (a file has its name): a Dutch reason with
    the path, exit 1, and nothing written."""
    make_docx(tmp_path / "toolkit.docx")
    (scratch_repo / "toolkits").rename(scratch_repo / "toolkits-weg")
    (scratch_repo / "toolkits").write_text("geen map")
    before = tree_hash(scratch_repo)
    done = run_import(scratch_repo, str(tmp_path / "toolkit.docx"), "--kind", "toolkit")
    assert done.returncode == 1
    assert "kon niet schrijven: een deel van toolkits/" in done.stderr, done.stderr
    assert "Er is niets bewaard." in done.stderr and "Traceback" not in done.stderr
    assert (scratch_repo / "toolkits").read_text() == "geen map"
    assert tree_hash(scratch_repo) == before  # nothing made anywhere in the repository
