"""The metadata tables of the editor guide and docs/metadata.md are generated from the
schemas (`make docs`): they must be up to date, complete, and their examples valid."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import field_tables as script  # scripts/field_tables.py (conftest puts scripts/ on the path)
import pytest
from conftest import ROOT

from kennisbank.content.field_tables import (
    ALL,
    BLOCK,
    TARGETS,
    BlockError,
    blocks,
    effective_schema,
    fill,
    schemas,
    yaml_flow,
)
from kennisbank.content.loader import load_vocabularies
from kennisbank.content.model import SourceFile
from kennisbank.content.reader import parse_front_matter
from kennisbank.content.schema_check import SchemaChecker, known_keys
from kennisbank.registry import KINDS

GUIDE = "content/redactiegids.md"
REFERENCE = "docs/metadata.md"


def committed_block(rel: str, name: str) -> str:
    text = (ROOT / rel).read_text(encoding="utf-8")
    found = [m.group("body") for m in BLOCK.finditer(text) if m.group("name") == name]
    assert len(found) == 1, (rel, name)
    return found[0]


def table_rows(block: str) -> list[list[str]]:
    """The cells of a Markdown table's body rows (header and separator left out)."""
    lines = [line for line in block.strip().splitlines() if line.startswith("|")]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines[2:]]


@pytest.mark.parametrize("rel", list(TARGETS))
def test_committed_blocks_equal_freshly_generated_ones(rel: str) -> None:
    """A schema change without `make docs` fails here."""
    text = (ROOT / rel).read_text(encoding="utf-8")
    assert fill(text, blocks(), TARGETS[rel], rel) == text, f"{rel}: run 'make docs'"


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_allowed_key_is_in_its_kinds_table(kind: str) -> None:
    rows = table_rows(committed_block(GUIDE, kind))
    keys = [row[0].strip("`") for row in rows]
    assert sorted(keys) == known_keys(kind)
    required = effective_schema(kind)["required"]
    assert [row[1] for row in rows] == ["ja" if k in required else "nee" for k in keys]
    assert keys[: len(required)] == required  # required first
    assert all(row[2] and row[3] for row in rows), "every row has an explanation and an example"


def test_the_reference_lists_every_key_with_its_kinds() -> None:
    rows = {row[0].strip("`"): row for row in table_rows(committed_block(REFERENCE, ALL))}
    for kind in KINDS:
        for key in known_keys(kind):
            having = rows[key][1]
            assert having == "all" or kind in having.split(", "), (key, kind)


def test_vocabularies_and_enums_are_named_in_the_guide() -> None:
    rows = {row[0].strip("`"): row for row in table_rows(committed_block(GUIDE, "praktijk"))}
    assert "uit de woordenlijst `regions`" in rows["region"][2]
    assert "uit de woordenlijst `domains`" in rows["domains"][2]
    assert "Kies uit `gepubliceerd` (standaard), `concept` of `gearchiveerd`." in rows["status"][2]
    assert "Kies uit `nl` (standaard), `fr` of `en`." in rows["language"][2]


def test_a_changed_schema_changes_the_blocks() -> None:
    """The check really detects drift: a description changed, a field added."""
    original = schemas()
    changed: dict[str, Any] = copy.deepcopy(original)
    changed["advies"]["properties"]["title"]["description"] = "Een andere uitleg."
    changed["toolkit"]["properties"]["licence"] = {"type": "string", "description": "Licentie."}
    guide = (ROOT / GUIDE).read_text(encoding="utf-8")
    new_guide = fill(guide, blocks(changed), TARGETS[GUIDE], GUIDE)
    assert new_guide != guide
    assert "Een andere uitleg." in new_guide and "`licence`" in new_guide
    assert blocks(changed)[ALL] != blocks(original)[ALL]
    assert blocks(changed)["standpunt"] == blocks(original)["standpunt"]


def test_the_script_checks_and_rewrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for rel in TARGETS:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    assert script.main(["--check", str(tmp_path)]) == 0
    guide = tmp_path / GUIDE
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("Vrije trefwoorden.", "Trefwoorden.", 1), encoding="utf-8")
    assert script.main(["--check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"{GUIDE}: de tabellen met metadata wijken af" in err and REFERENCE not in err
    assert script.main([str(tmp_path)]) == 0
    assert guide.read_text(encoding="utf-8") == (ROOT / GUIDE).read_text(encoding="utf-8")
    assert script.main(["--check", str(tmp_path)]) == 0


def test_broken_markers_name_the_file() -> None:
    expected = ("advies", "toolkit")
    body = "<!-- velden:advies -->\n<!-- /velden -->\n"
    with pytest.raises(BlockError, match=r"^gids\.md: blok ontbreekt: toolkit"):
        fill(body, blocks(), expected, "gids.md")
    with pytest.raises(BlockError, match="onbekend blok rapport"):
        fill(body.replace("advies", "rapport"), blocks(), ("rapport-niet",), "gids.md")
    with pytest.raises(BlockError, match="niet afgesloten"):
        fill("<!-- velden:advies -->\n", blocks(), expected, "gids.md")


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_examples_make_a_valid_document(kind: str) -> None:
    """Every property has an example (the kind's `type`: its const); written as the guide
    shows them, they read back as the same values and pass the kind's schema."""
    props = effective_schema(kind)["properties"]
    values = {}
    for key, prop in props.items():
        assert prop.get("examples") or "const" in prop, f"{kind}.{key} has no examples"
        values[key] = prop["const"] if "const" in prop else prop["examples"][0]
    text = "".join(f"{key}: {yaml_flow(value)}\n" for key, value in values.items())
    meta, lines = parse_front_matter(text)
    assert meta == values
    vocabularies, problems = load_vocabularies(ROOT)
    assert problems == []
    source = SourceFile(ROOT / "x.md", "x.md", meta, lines, "", len(values) + 2)
    assert [p.format() for p in SchemaChecker(vocabularies).check(source, kind)] == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_descriptions_match_their_rules(kind: str) -> None:
    """Descriptions of required keys are quoted in `kennisbank check` messages: plain text.
    A length limit is stated; the shared `type` names every kind."""
    schema = effective_schema(kind)
    for key, prop in schema["properties"].items():
        description = prop.get("description", "")
        assert description, f"{kind}.{key} has no description"
        if key in schema["required"]:
            assert "`" not in description, f"{kind}.{key}: no Markdown in a message"
        if "maxLength" in prop:
            assert f"hoogstens {prop['maxLength']} tekens" in description, f"{kind}.{key}"
    assert all(name in schema["properties"]["type"]["description"] for name in KINDS)
