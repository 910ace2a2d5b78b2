"""Editor support: the pre-commit hook of .pre-commit-config.yaml, run by real pre-commit in
a scratch git repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
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


def yaml_as_editors_read_it(text: str) -> object:
    """YAML 1.2 as language servers read it: dates are strings."""
    import datetime as dt

    import yaml

    def strings(node: object) -> object:
        if isinstance(node, dict):
            return {k: strings(v) for k, v in node.items()}
        if isinstance(node, list):
            return [strings(v) for v in node]
        return node.isoformat() if isinstance(node, dt.date) else node

    return strings(yaml.safe_load(text))


def test_the_editor_schemas_in_vscode_are_the_generated_ones() -> None:
    from kennisbank.content import editor_schema
    from kennisbank.content.loader import load_vocabularies

    vocabularies, _ = load_vocabularies(ROOT)
    for path, text in editor_schema.texts(vocabularies).items():
        assert (ROOT / path).read_text(encoding="utf-8") == text, f"{path}: run 'make docs'"
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {
        f"./{editor_schema.FILES['opvolging']}": ["advisories/**/*.opvolging.yml"]
    }


def test_the_metadata_schema_accepts_the_sample_and_refuses_mistakes() -> None:
    from jsonschema import Draft7Validator

    from kennisbank.content.loader import discover

    schema = json.loads((ROOT / ".vscode/kennisbank-metadata.schema.json").read_text("utf-8"))
    Draft7Validator.check_schema(schema)
    validator = Draft7Validator(schema)
    documents = discover(ROOT)
    assert len(documents) > 15
    for path in documents:
        meta = yaml_as_editors_read_it(path.read_text(encoding="utf-8").split("---\n")[1])
        assert [e.message for e in validator.iter_errors(meta)] == [], path
    good = yaml_as_editors_read_it(
        (ROOT / "kennisbank/schema/examples/advies/valid/sjabloon.md").read_text().split("---\n")[1]
    )
    assert isinstance(good, dict) and validator.is_valid(good)
    for change in [
        {"domains": ["onbestaand-thema"]},
        {"type": "boek"},
        {"reference": "adv 2026"},
        {"date": "14 maart 2026"},
        {"onbekende_sleutel": 1},
        {"addressees": ["minister-van-alles"]},
    ]:
        assert not validator.is_valid({**good, **change}), change
    without_title = {k: v for k, v in good.items() if k != "title"}
    assert not validator.is_valid(without_title)


def test_the_follow_up_schema_accepts_the_sample_and_refuses_mistakes() -> None:
    from jsonschema import Draft7Validator

    schema = json.loads((ROOT / ".vscode/kennisbank-opvolging.schema.json").read_text("utf-8"))
    validator = Draft7Validator(schema)
    files = sorted(ROOT.glob("advisories/**/*.opvolging.yml"))
    assert files
    for path in files:
        data = yaml_as_editors_read_it(path.read_text(encoding="utf-8"))
        assert [e.message for e in validator.iter_errors(data)] == [], path
    entry = yaml_as_editors_read_it(files[0].read_text(encoding="utf-8"))["entries"][0]
    assert not validator.is_valid({"entries": [{**entry, "response": "misschien"}]})
    assert not validator.is_valid({"entries": [{**entry, "addressee": "de-paus"}]})


REMARK = ROOT / "node_modules" / ".bin" / "remark"


def remark(root: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """remark-cli as VS Code's remark extension runs it: .remarkrc.mjs from the folder."""
    if not REMARK.exists():
        pytest.fail("remark ontbreekt: 'make test' installeert het met npm ci.")
    return subprocess.run(
        [str(REMARK), "--no-stdout", "--frail", "--no-color", *paths],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_remark_finds_front_matter_mistakes_where_vs_code_shows_them(scratch_repo: Path) -> None:
    """The YAML language server does not read front matter in Markdown; remark-lint with
    the generated .remarkrc.mjs does: a wrong theme is reported on its line with the
    allowed values, a valid document and a kind in its own folder have no issue."""
    for name in (".remarkrc.mjs", ".vscode/kennisbank-metadata.schema.json"):
        (scratch_repo / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, scratch_repo / name)
    write_doc(scratch_repo, "advisories/adviezen/goed.md", advies())
    wrong = advies(ref="ADV-2025-02").replace("domains: [onderwijs]", "domains: [onderwys]")
    write_doc(scratch_repo, "advisories/adviezen/fout.md", wrong)
    line = wrong.splitlines().index("domains: [onderwys]") + 1
    practice = (ROOT / "kennisbank/schema/examples/praktijk/valid/sjabloon.md").read_text()
    write_doc(scratch_repo, "toolkits/praktijken/een-praktijk.md", practice)
    done = remark(scratch_repo, "advisories", "toolkits")
    assert done.returncode == 1, done.stderr
    report = done.stderr
    at_line = rf"advisories/adviezen/fout\.md\n(.*\n)*?{line}:\d+-{line}:\d+ +warning"
    assert re.search(at_line, report), report
    assert "onderwijs" in report and "frontmatter-schema" in report
    assert "advisories/adviezen/goed.md: no issues found" in report, report
    assert "toolkits/praktijken/een-praktijk.md: no issues found" in report, report


def test_remark_accepts_the_sample_documents() -> None:
    done = remark(ROOT, "advisories", "toolkits")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("no issues found") == len(
        [p for p in (ROOT / "advisories").rglob("*.md") if p.name != "README.md"]
    ) + len(list((ROOT / "toolkits").rglob("*.md")))


FRONT_MATTER_SETTINGS = ROOT / "tests" / "schemas" / "front-matter-10.10.0.schema.json"


def front_matter_schema(fields: list[dict], groups: dict[str, list[dict]]) -> dict:
    """The JSON Schema the Front Matter extension 10.10 checks a document against, made
    from its content type as its ContentTypeSchemaGenerator.ts does (the field types
    Kennisbank uses; a datetime's format is not checked there: ajv runs without formats)."""
    properties, required = {}, []
    for field in fields:
        kind = field["type"]
        choices = [c["id"] if isinstance(c, dict) else c for c in field.get("choices", [])]
        if kind == "choice" and field.get("multiple"):
            node = {"type": "array", "items": {"type": "string", "enum": choices}}
        elif kind == "choice":
            node = {"type": "string", "enum": choices}
        elif kind in ("string", "datetime"):
            node = {"type": "string"}
        elif kind == "boolean":
            node = {"type": "boolean"}
        elif kind == "list":
            node = {"type": "array", "items": {"type": "string"}}
        elif kind == "fields":
            node = front_matter_schema(field["fields"], groups)
        elif kind == "block":
            node = {
                "type": "array",
                "items": {
                    "oneOf": [front_matter_schema(groups[g], groups) for g in field["fieldGroup"]]
                },
            }
        else:
            raise AssertionError(f"field type {kind} is not mapped here")
        properties[field["name"]] = node
        if field.get("required"):
            required.append(field["name"])
    return {"type": "object", "properties": properties, "required": required}


def test_the_front_matter_extensions_content_types_fit_it_and_the_documents() -> None:
    """frontmatter.json is valid for the extension (its own settings schema, 10.10.0), has
    a content type per kind with a field per schema property (vocabularies as choices with
    their Dutch labels), and, checked as the extension checks, accepts every sample
    document and refuses a theme that does not exist."""
    from jsonschema import Draft7Validator

    from kennisbank.content.loader import load_vocabularies
    from kennisbank.content.schema_check import flattened
    from kennisbank.registry import KINDS

    config = json.loads((ROOT / "frontmatter.json").read_text(encoding="utf-8"))
    settings = json.loads(FRONT_MATTER_SETTINGS.read_text(encoding="utf-8"))
    assert [e.message for e in Draft7Validator(settings).iter_errors(config)] == []
    types = {t["name"]: t for t in config["frontMatter.taxonomy.contentTypes"]}
    assert list(types) == [*KINDS, "default"]  # "default": a translation, which has no type
    assert [f["name"] for f in types["default"]["fields"]] == list(
        flattened("vertaling")["properties"]
    )
    vocabularies, _ = load_vocabularies(ROOT)
    for kind in KINDS:
        fields = {f["name"]: f for f in types[kind]["fields"]}
        assert list(fields) == list(flattened(kind)["properties"]), kind
        assert fields["domains"]["choices"] == [
            {"id": k, "title": v} for k, v in vocabularies["domains"].items()
        ]
        assert fields["title"]["required"] and not fields["tags"].get("required")
    folders = {f["path"]: f for f in config["frontMatter.content.pageFolders"]}
    assert folders["[[workspace]]/toolkits"]["excludePaths"] == ["praktijken/**"]
    groups = {g["id"]: g["fields"] for g in config["frontMatter.taxonomy.fieldGroups"]}
    documents = [p for p in (ROOT / "advisories").rglob("*.md") if p.name != "README.md"]
    documents += list((ROOT / "toolkits").rglob("*.md"))
    assert len(documents) > 10
    for path in documents:
        meta = yaml_as_editors_read_it(path.read_text(encoding="utf-8").split("---\n")[1])
        assert isinstance(meta, dict)
        schema = front_matter_schema(types[meta.get("type", "default")]["fields"], groups)
        assert [e.message for e in Draft7Validator(schema).iter_errors(meta)] == [], path
        if "type" in meta:  # a document (not a translation): the mistake below is tried on it
            document, document_schema = meta, schema
    wrong = {**document, "domains": ["onderwys"]}
    schema = document_schema
    assert any("onderwys" in e.message for e in Draft7Validator(schema).iter_errors(wrong))
