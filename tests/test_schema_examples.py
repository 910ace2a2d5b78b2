"""Every schema example: valid ones pass, invalid ones fail on the field they announce."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from kennisbank.content.loader import load_vocabularies
from kennisbank.content.schema_check import SchemaChecker, load_schema, schema_names
from kennisbank.content.validate import check_file
from kennisbank.registry import KINDS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "kennisbank" / "schema"
EXAMPLES = sorted((SCHEMA_DIR / "examples").rglob("*.md"))
EXPECT = re.compile(r"^# expect: (\S+)$", re.M)


@pytest.fixture(scope="module")
def checker() -> SchemaChecker:
    vocabularies, problems = load_vocabularies(ROOT)
    assert problems == []
    return SchemaChecker(vocabularies)


def test_every_kind_has_examples_both_ways() -> None:
    for kind in KINDS:
        for way in ("valid", "invalid"):
            assert list((SCHEMA_DIR / "examples" / kind / way).glob("*.md")), (kind, way)


@pytest.mark.parametrize("name", schema_names())
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    json.dumps(schema)  # plain data


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_example(path: Path, checker: SchemaChecker) -> None:
    problems = check_file(path, ROOT, checker)
    expect = EXPECT.search(path.read_text(encoding="utf-8"))
    if path.parent.name == "valid":
        assert [p.format() for p in problems] == []
        return
    assert expect, f"{path} must announce its failure with '# expect: FIELD'"
    wanted = "" if expect.group(1) in ("(body)", "(file)") else expect.group(1)
    assert problems, f"{path} passed but should fail on {expect.group(1)}"
    fields = [p.field for p in problems]
    assert wanted in fields, [p.format() for p in problems]
    for problem in problems:
        assert problem.line >= 1
        assert problem.path.endswith(path.name)
        assert "Traceback" not in problem.message


@pytest.mark.parametrize("kind", list(KINDS))
def test_flattened_schema_agrees_with_the_schema_files(kind: str) -> None:
    """The validator runs a flattened copy for speed; it must judge like the files do."""
    from kennisbank.content.reader import read_document
    from kennisbank.content.schema_check import flattened, registry

    original = Draft202012Validator(load_schema(kind), registry=registry())
    fast = Draft202012Validator(flattened(kind))
    checked = 0
    for path in [
        *EXAMPLES,
        *sorted((ROOT / "advisories").rglob("*.md")),
        *sorted((ROOT / "toolkits").rglob("*.md")),
    ]:
        source, _ = read_document(path, ROOT)
        if source is None:
            continue
        for meta in (source.meta, {**source.meta, "type": kind}, {**source.meta, "extra": 1}):
            assert original.is_valid(meta) == fast.is_valid(meta), (path, kind)
            checked += 1
    assert checked > 100
