"""Corpus-level validation and link rewriting, on scratch repositories."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import PLAIN, advies, tiny_png, write_doc

from kennisbank.pipeline import load

ADV = "advisories/adviezen"


def messages(root: Path) -> list[str]:
    return [p.format() for p in load(root)[1]]


def test_clean_corpus_has_no_problems(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/een.md", advies(extra=PLAIN))
    corpus, problems = load(scratch_repo)
    assert problems == []
    assert [d.id for d in corpus.documents] == ["een"]
    assert corpus.documents[0].url == "adviezen/een/"


def test_same_id_in_two_folders(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/zelfde.md", advies())
    write_doc(scratch_repo, "toolkits/praktijken/zelfde.md", advies(ref="ADV-2025-02"))
    out = messages(scratch_repo)
    assert any("'zelfde' wordt al gebruikt" in m for m in out), out


def test_duplicate_reference(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/een.md", advies())
    write_doc(scratch_repo, f"{ADV}/twee.md", advies())
    out = messages(scratch_repo)
    assert any(m.startswith(f"{ADV}/twee.md:7: reference:") for m in out), out


def test_related_missing_self_and_concept(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/een.md", advies(extra="related: [een, tweee, drie]\n"))
    write_doc(scratch_repo, f"{ADV}/twee.md", advies(ref="ADV-2025-02"))
    write_doc(scratch_repo, f"{ADV}/drie.md", advies(ref="ADV-2025-03", extra="status: concept\n"))
    out = messages(scratch_repo)
    assert any("related[0]: een document kan niet naar zichzelf" in m for m in out), out
    assert any(
        "related[1]: er bestaat geen document met id 'tweee'. Bedoelde je 'twee'?" in m for m in out
    ), out
    assert any("related[2]: 'drie' is een concept" in m for m in out), out


def test_file_names_must_be_slugs(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/Mijn Advies é.md", advies())
    out = messages(scratch_repo)
    assert any("'Mijn Advies é' is geen geldig id" in m and "'mijn-advies-e'" in m for m in out)


def test_kind_must_match_folder(scratch_repo: Path) -> None:
    write_doc(scratch_repo, "advisories/standpunten/een.md", advies())
    out = messages(scratch_repo)
    assert any(":2: type:" in m and "hoort niet in deze map" in m for m in out), out


def toolkit(files: str) -> str:
    return (
        "---\ntype: toolkit\ntitle: Toolkit\ndate: 2025-01-10\nsummary: Samenvatting.\n"
        f"domains: [werk]\nactors: [gemeente]\nversion: 1.0.0\nfiles:\n{files}---\nTekst\n"
    )


def test_toolkit_files(scratch_repo: Path, tmp_path_factory) -> None:
    folder = scratch_repo / "toolkits" / "tk"
    outside = tmp_path_factory.mktemp("outside") / "geheim.txt"
    outside.write_text("geheim")
    folder.mkdir(parents=True)
    (folder / "sjabloon.docx").write_bytes(b"PK\x03\x04")
    (folder / "map").mkdir()
    os.symlink(outside, folder / "link.txt")
    items = [
        "sjabloon.docx",
        "ontbreekt.docx",
        "map",
        "link.txt",
        "../../content/index.md",
        "/etc/passwd",
    ]
    write_doc(
        scratch_repo,
        "toolkits/tk/index.md",
        toolkit("".join(f"  - path: {p}\n    title: T\n" for p in items)),
    )
    _, problems = load(scratch_repo)
    by_field = {p.field: p.message for p in problems}
    assert "files[0].path" not in by_field
    assert "bestaat niet" in by_field["files[1].path"]
    assert "is een map" in by_field["files[2].path"]
    assert "buiten de map" in by_field["files[3].path"]
    assert "buiten de map" in by_field["files[4].path"]
    assert "absoluut pad" in by_field["files[5].path"]
    assert all(p.line > 1 for p in problems)


def test_attachment_types_sizes_and_contents(scratch_repo: Path) -> None:
    """Only the types of the registry, up to its size limit, and only files that are what
    their extension says; each refusal names the file's line and what to do."""
    from kennisbank.registry import MAX_ATTACHMENT_BYTES

    folder = scratch_repo / "toolkits" / "tk"
    folder.mkdir(parents=True)
    files = {
        "goed.docx": b"PK\x03\x04rest",
        "goed.pdf": b"%PDF-1.7\n",
        "goed.csv": "naam;bedrag\nboek;€ 12\n".encode(),
        "script.exe": b"MZ",
        "zonder": b"x",
        "nep.docx": b"Dit is platte tekst.",
        "nep.pdf": b"PK\x03\x04",
        "latin1.csv": "caf\xe9".encode("latin-1"),
        "groot.pdf": b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    write_doc(
        scratch_repo,
        "toolkits/tk/index.md",
        toolkit("".join(f"  - path: {name}\n    title: T\n" for name in files)),
    )
    _, problems = load(scratch_repo)
    by_field = {p.field: p for p in problems}
    assert {f"files[{n}].path" for n in range(3)} & set(by_field) == set()
    expected = {
        3: "bestandstype",  # .exe
        4: "geen extensie",
        5: "geen echt .docx-bestand",
        6: "geen echt .pdf-bestand",
        7: "UTF-8",
        8: "hoogstens 20 MB",
    }
    for index, words in expected.items():
        problem = by_field[f"files[{index}].path"]
        assert words in problem.message, problem
        assert problem.line == 10 + 2 * index, problem  # the line of its `path:`
        assert problem.path == "toolkits/tk/index.md"
    assert len(problems) == len(expected)


def test_images_need_a_description_and_a_published_file(scratch_repo: Path) -> None:
    """An image without alt text, from another site, or not among the toolkit's files is
    refused on its own line; a described, listed image passes, also while its toolkit has
    other problems."""
    (scratch_repo / "toolkits/tk").mkdir(parents=True)
    (scratch_repo / "toolkits/tk/schema.png").write_bytes(tiny_png())
    (scratch_repo / "toolkits/tk/kaart.png").write_bytes(tiny_png())
    body = [
        "![Schema van de stappen](schema.png)",
        "![](schema.png)",
        "![Logo](https://example.org/logo.png)",
        "![Kaart](kaart.png)",
        "```",
        "![](in-een-codeblok.png)",
        "```",
    ]
    text = toolkit("  - path: schema.png\n    title: Schema\n").replace(
        "---\nTekst\n", "---\n" + "\n".join(body) + "\n"
    )
    write_doc(scratch_repo, "toolkits/tk/index.md", text)
    first = text.split("\n").index(body[0]) + 1
    found = {p.line: p.message for p in load(scratch_repo)[1]}
    assert set(found) == {first + 1, first + 2, first + 3}, found
    assert "geen beschrijving" in found[first + 1]
    assert "andere website" in found[first + 2]
    assert "kan niet gepubliceerd worden" in found[first + 3]  # not among its files
    write_doc(scratch_repo, "toolkits/tk/index.md", text.replace("\n".join(body[1:4]), ""))
    assert load(scratch_repo)[1] == []


def test_links_are_rewritten_to_site_paths(scratch_repo: Path) -> None:
    write_doc(scratch_repo, "toolkits/tk/bestand.docx", "PK\x03\x04")
    write_doc(
        scratch_repo,
        "toolkits/tk/index.md",
        toolkit("  - path: bestand.docx\n    title: T\n").replace(
            "Tekst", "[advies](../../advisories/adviezen/een.md#context) [b](bestand.docx)"
        ),
    )
    write_doc(
        scratch_repo,
        f"{ADV}/een.md",
        advies(
            extra=PLAIN,
            body="[tk](../../toolkits/tk/index.md) [over](../../content/over-ons.md) "
            "[web](https://example.org/x.md)\n```\n[code](niet.md)\n```",
        ),
    )
    corpus, problems = load(scratch_repo)
    assert problems == []
    assert "[advies](../../adviezen/een.md#context) [b](bestand.docx)" in corpus.bodies["tk"]
    body = corpus.bodies["een"]
    assert "[tk](../toolkits/tk/index.md)" in body
    assert "[over](../over-ons.md)" in body
    assert "(https://example.org/x.md)" in body
    assert "[code](niet.md)" in body
    assert [d.id for d in corpus.backlinks["een"]] == ["tk"]


def test_broken_links_are_located(scratch_repo: Path) -> None:
    write_doc(
        scratch_repo, f"{ADV}/concept.md", advies(ref="ADV-2025-02", extra="status: concept\n")
    )
    write_doc(
        scratch_repo,
        f"{ADV}/een.md",
        advies(body="Regel\n[weg](bestaat-niet.md)\n[concept](concept.md)"),
    )
    out = messages(scratch_repo)
    assert f"{ADV}/een.md:10: de link naar 'bestaat-niet.md'" in "\n".join(out)
    assert any(
        m.startswith(f"{ADV}/een.md:11: de link naar 'concept.md' wijst naar een concept")
        for m in out
    ), out


def test_unsafe_content_in_metadata_and_body(scratch_repo: Path) -> None:
    write_doc(
        scratch_repo,
        f"{ADV}/een.md",
        advies(
            title='"Titel <img src=x onerror=alert(1)>"',
            body='[klik](javascript:alert(1))\n<a href=x onclick="x()">a</a>\n<iframe src=x>',
        ),
    )
    out = messages(scratch_repo)
    assert any(":3: title: bevat een 'on…='-attribuut" in m for m in out), out
    assert any(":9: de tekst bevat een 'javascript:'-link" in m for m in out), out
    assert any(":10: de tekst bevat een 'on…='" in m for m in out), out
    assert any(":11: de tekst bevat een ingebed element" in m for m in out), out


def test_every_problem_is_reported_in_one_run(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/een.md", advies(extra="domains: [x]\n"))
    write_doc(scratch_repo, f"{ADV}/twee.md", "---\ntitle: x\n")
    write_doc(scratch_repo, f"{ADV}/drie.md", advies(ref="ADV-2025-03", date="2025-13-01"))
    paths = {m.split(":")[0] for m in messages(scratch_repo)}
    assert paths == {f"{ADV}/een.md", f"{ADV}/twee.md", f"{ADV}/drie.md"}


def test_bad_vocabulary_file_is_located(scratch_repo: Path) -> None:
    vocab = scratch_repo / "content/_data/vocabularies.yml"
    vocab.write_text(vocab.read_text().replace("  onderwijs: Onderwijs", "  Onder wijs: Onderwijs"))
    out = messages(scratch_repo)
    assert any(m.startswith("content/_data/vocabularies.yml:") and "slug" in m for m in out), out


def test_toolkit_folder_without_index(scratch_repo: Path) -> None:
    (scratch_repo / "toolkits" / "vergeten").mkdir(parents=True)
    (scratch_repo / "toolkits" / "vergeten" / "sjabloon.docx").write_bytes(b"PK\x03\x04")
    (scratch_repo / "toolkits" / "map-als-index" / "index.md").mkdir(parents=True)
    out = messages(scratch_repo)
    assert any(m.startswith("toolkits/vergeten:1: deze toolkitmap heeft geen") for m in out), out
    assert any(m.startswith("toolkits/map-als-index:1: ") for m in out), out


def test_every_missing_key_is_reported(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/leeg.md", "---\ntype: advies\n---\nTekst\n")
    _, problems = load(scratch_repo)
    missing = sorted(p.field for p in problems if "ontbreekt" in p.message)
    assert missing == ["date", "domains", "reference", "summary", "title"]


def test_vocabulary_labels_are_plain_text(scratch_repo: Path) -> None:
    vocab = scratch_repo / "content/_data/vocabularies.yml"
    vocab.write_text(
        vocab.read_text().replace(
            "  onderwijs: Onderwijs", '  onderwijs: "Onderwijs <img src=x onerror=alert(1)>"'
        )
    )
    out = messages(scratch_repo)
    assert any(
        m.startswith("content/_data/vocabularies.yml:") and "gewone tekst" in m for m in out
    ), out


def test_csv_cells_never_start_a_formula() -> None:
    from kennisbank.site.opendata import cell

    assert cell("=SUM(A1)") == "'=SUM(A1)"
    assert cell("@x") == "'@x" and cell("gewoon") == "gewoon" and cell(["a", "b"]) == "a; b"


def test_relative_site_paths_match_posixpath() -> None:
    """enrich.relative (string arithmetic, for speed) gives what posixpath.relpath gives for
    every file path and page folder the site has."""
    import itertools
    import posixpath

    from kennisbank.content.enrich import relative

    folders = ["", "adviezen", "toolkits/t", "toolkits/t/sjablonen", "a/b/c", "toolkits"]
    files = ["x.md", "adviezen/x.md", "toolkits/t/index.md", "toolkits/t/sjablonen/p.docx"]
    files += ["toolkits/u/index.md", "a/b/y.md", "assets/logo.svg"]
    for path, base in itertools.product(files, folders):
        assert relative(path, base) == posixpath.relpath(path, base or "."), (path, base)


def test_slow_markdown_limits_leave_real_texts_alone() -> None:
    """The limit against Markdown that converts in quadratic time (safety.slow_paragraphs)
    counts what Markdown scans, not what is common: hundreds of closed links, a table of
    1,100 links or a long raw HTML table pass; brackets that stay open over a long text
    do not, nor a paragraph that only looks split (a line with a no-break space)."""
    from kennisbank.content.safety import MAX_SCAN_PER_PARAGRAPH, scan_cost, slow_paragraphs

    links = " ".join(f"[link {i}](https://example.org/{i})" for i in range(300))
    linked_table = "| a | b |\n|---|---|\n" + "\n".join(
        f"| [l{i}](https://example.org/{i}) | x |" for i in range(1100)
    )
    row = "<tr><td>a</td><td>b</td><td>c</td></tr>"
    table = "<table>\n" + "\n".join([row] * 3000) + "\n</table>"
    for text in (links, linked_table, table, "Tekst (met haakjes) en <b>vet</b>."):
        assert slow_paragraphs(text) == [], text[:40]
    # Scanned: from each opener to its closer, or to the end of the paragraph.
    assert scan_cost("[ab]") == 3 and scan_cost("(ab") == 3 and scan_cost("<a <b") == 5 + 2
    assert scan_cost("<a <b>") == 0  # a '>' ends every open '<' before it
    open_run = "[" * 100 + "x" * (MAX_SCAN_PER_PARAGRAPH // 100)
    assert slow_paragraphs("Tekst.\n\n" + open_run)[0][:1] == (2,)
    assert slow_paragraphs("Tekst.\n\n" + open_run.replace("x", "]", 100)) == []
    hidden = "\n\u00a0\n".join(["[" * 50 + "x" * 1000] * 30)  # one paragraph to Markdown
    assert slow_paragraphs(hidden)[0][0] == 0
    assert slow_paragraphs(hidden.replace("\u00a0", "")) == []  # really 30 paragraphs


def test_words_curly_quotes_get_a_straight_quotes_hint(scratch_repo: Path) -> None:
    """Word's “…” around a value: with ': ' inside, YAML broke on the colon and the message
    said to use quotes; without one, the curly quotes ended up in the title."""
    with_colon = "title: “Lokale meldpunten: samen tegen woondiscriminatie”"
    without = "title: “Lokale meldpunten”"
    for number, title in enumerate([with_colon, without]):
        text = advies(ref=f"ADV-2025-0{number}", extra=PLAIN).replace("title: Een advies", title)
        write_doc(scratch_repo, f"{ADV}/q{number}.md", text)
    out = messages(scratch_repo)
    assert len(out) == 2, out
    for number, message in enumerate(out):
        assert message.startswith(
            f"{ADV}/q{number}.md:3: title: de waarde staat tussen gekrulde aanhalingstekens"
        ), message
        assert 'Gebruik rechte aanhalingstekens (")' in message
        assert "Zet tekst met ': '" not in message
    inside = advies(extra=PLAIN).replace("title: Een advies", "title: Het rapport “Samen” is uit")
    write_doc(scratch_repo, f"{ADV}/q0.md", inside)  # quotes inside a text are text
    write_doc(scratch_repo, f"{ADV}/q1.md", advies(ref="ADV-2025-09", extra=PLAIN))
    assert messages(scratch_repo) == []


def test_a_copied_file_is_blamed_not_its_original(scratch_repo: Path) -> None:
    original = write_doc(scratch_repo, f"{ADV}/lokale-meldpunten.md", advies())
    copy = write_doc(scratch_repo, f"{ADV}/lokale-meldpunten - kopie.md", advies())
    os.utime(copy, (1_000_000, 1_000_000))  # even when the copy is older (a copied mtime)
    out = [m for m in messages(scratch_repo) if "reference" in m]
    assert len(out) == 1, out
    assert out[0].startswith(f"{ADV}/lokale-meldpunten - kopie.md:7: reference: ")
    assert f"ook in {ADV}/lokale-meldpunten.md (regel 7)" in out[0]
    assert "kopie" in out[0] and "eigen kenmerk" in out[0]
    # Two ordinary names: the newer file is the unexpected one.
    copy.unlink()
    newer = write_doc(scratch_repo, f"{ADV}/andere-meldpunten.md", advies())
    os.utime(original, (1_000_000, 1_000_000))
    os.utime(newer, (2_000_000, 2_000_000))
    out = [m for m in messages(scratch_repo) if "reference" in m]
    assert len(out) == 1 and out[0].startswith(f"{ADV}/andere-meldpunten.md:7:"), out


def test_links_are_checked_in_a_document_with_metadata_problems(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/arbeidsmarktdiscriminatie-aanpakken.md", advies())
    body = "Tekst.\n\nZie [het standpunt](arbeidsmarkt-discriminatie-aanpakken.md)."
    write_doc(
        scratch_repo,
        f"{ADV}/fout.md",
        advies(ref="ADV-2025-02", extra="tags: 5\n", body=body),
    )
    out = [m for m in messages(scratch_repo) if m.startswith(f"{ADV}/fout.md")]
    assert any("tags:" in m for m in out), out  # the metadata problem ...
    link = [m for m in out if "de link naar" in m]  # ... and the link, in the same run
    assert len(link) == 1, out
    assert link[0].startswith(f"{ADV}/fout.md:12: de link naar 'arbeidsmarkt-discriminatie")
    assert "Bedoelde je 'arbeidsmarktdiscriminatie-aanpakken.md'?" in link[0]


def test_a_link_into_the_wrong_folder_suggests_the_right_path(scratch_repo: Path) -> None:
    write_doc(
        scratch_repo,
        "advisories/standpunten/racisme.md",
        advies().replace("type: advies", "type: standpunt").replace("ADV-2025-01", "STP-2025-01"),
    )
    write_doc(scratch_repo, f"{ADV}/een.md", advies(body="[x](racisme.md)"))
    out = messages(scratch_repo)
    assert any("Bedoelde je '../standpunten/racisme.md'?" in m for m in out), out


def test_related_to_an_unreadable_document_says_so(scratch_repo: Path) -> None:
    write_doc(scratch_repo, f"{ADV}/kapot.md", "---\ntitle: [x\n---\nTekst\n")
    write_doc(scratch_repo, f"{ADV}/een.md", advies(extra=PLAIN + "related: [kapot]\n"))
    out = [m for m in messages(scratch_repo) if m.startswith(f"{ADV}/een.md")]
    assert len(out) == 1, out
    assert "'kapot' kan nu niet gelezen worden door een fout in dat bestand" in out[0]
    assert "er bestaat geen document" not in out[0]
