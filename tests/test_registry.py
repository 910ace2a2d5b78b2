"""The registry of kinds and vocabularies: a new kind is data only."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, make_scratch_repo, write_doc

from kennisbank import registry
from kennisbank.registry import KINDS, VOCABULARIES

RAPPORT_ENTRY = """  rapport:
    folder: advisories/rapporten
    layout: file
    section: rapporten
    label: Rapport
    plural: Rapporten
    article: Nieuw
    intro: Onderzoeksrapporten van het Minderhedenforum.
    reference_prefix: RAP
"""

YEAR = dt.date.today().year  # `kennisbank new` numbers within the current year

RAPPORT = f"""---
type: rapport
title: Jaarrapport over discriminatie
date: {YEAR}-01-01
summary: Wat meldpunten vorig jaar zagen.
domains: [discriminatie]
reference: RAP-{YEAR}-01
---

## Bevindingen

Meer meldingen dan vorig jaar.
"""


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A command of the copy, with the copy's own package (its registry and schemas)."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_fifth_kind_is_data_only(tmp_path: Path) -> None:
    """A registry entry, a schema, a template and a document, no Python: the new kind gets
    its check, `kennisbank new`, listing, page, feed, search filter and open-data rows."""
    (tmp_path / "repo").mkdir()
    root = make_scratch_repo(tmp_path / "repo")
    package = root / "kennisbank"
    shutil.copytree(
        ROOT / "kennisbank", package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    data = package / "schema"
    text = (data / "registry.yml").read_text(encoding="utf-8")
    (data / "registry.yml").write_text(
        text.replace("\nvocabularies:\n", RAPPORT_ENTRY + "\nvocabularies:\n"), encoding="utf-8"
    )
    schema = json.loads((data / "standpunt.schema.json").read_text(encoding="utf-8"))
    schema["$id"] = schema["$id"].replace("standpunt", "rapport")
    schema["properties"]["type"]["const"] = "rapport"
    (data / "rapport.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    template = (data / "examples/standpunt/valid/sjabloon.md").read_text(encoding="utf-8")
    write_doc(
        data,
        "examples/rapport/valid/sjabloon.md",
        template.replace("type: standpunt", "type: rapport").replace("STP-", "RAP-"),
    )
    write_doc(root, "advisories/rapporten/jaarrapport.md", RAPPORT)

    check = run(root, "kennisbank.cli", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "1 document zonder problemen" in check.stdout
    new = run(root, "kennisbank.cli", "new", "rapport", "tweede-rapport")
    assert new.returncode == 0, new.stdout + new.stderr
    assert "Nieuw rapport aangemaakt: advisories/rapporten/tweede-rapport.md" in new.stdout
    made = (root / "advisories/rapporten/tweede-rapport.md").read_text(encoding="utf-8")
    assert f"reference: RAP-{YEAR}-02\n" in made  # the next free number of its kind

    site = tmp_path / "site"
    build = run(root, "mkdocs", "build", "--strict", "-d", str(site))
    assert build.returncode == 0, build.stdout + build.stderr
    listing = (site / "rapporten/index.html").read_text(encoding="utf-8")
    assert "Onderzoeksrapporten van het Minderhedenforum." in listing
    assert "Jaarrapport over discriminatie" in listing
    page = (site / "rapporten/jaarrapport/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="soort:rapport"' in page  # the search filter "Soort"
    assert "Meer meldingen dan vorig jaar." in page
    assert "Jaarrapport over discriminatie" in (site / "feeds/rapporten.xml").read_text("utf-8")
    filters = json.loads((site / "assets/zoekfilters.json").read_text(encoding="utf-8"))
    assert filters["soort"]["rapport"] == "Rapporten"
    rows = json.loads((site / "data/documenten.json").read_text(encoding="utf-8"))["documents"]
    assert [row["type"] for row in rows] == ["rapport"]
    published = json.loads((site / "data/documenten.schema.json").read_text(encoding="utf-8"))
    assert "rapport" in published["$defs"]["document"]["properties"]["type"]["enum"]
    assert "rapport" in (site / "data/documenten.csv").read_text(encoding="utf-8")


def test_every_place_of_a_kind_is_found_and_named() -> None:
    """Paths of each kind's documents map to that kind and id; a kind's folder inside
    another kind's folder (toolkits/praktijken) is not a document of the outer one."""
    for kind in KINDS.values():
        rel = registry.target(kind, "een-id")
        found = registry.kind_at(rel)
        assert found is not None and found[0] is kind and found[1] == "een-id", rel
    assert registry.kind_at("toolkits/praktijken/index.md") != (KINDS["toolkit"], "praktijken")
    assert registry.kind_at("advisories/elders/x.md") is None
    assert registry.kind_at("toolkits/tk/sjablonen/x.md") is None


def test_every_fact_and_facet_names_a_known_vocabulary() -> None:
    for fact in registry.FACTS:
        assert fact.vocabulary is None or fact.vocabulary in VOCABULARIES, fact
    for kind in KINDS.values():
        assert kind.facet is None or kind.facet in VOCABULARIES, kind
        assert kind.layout in ("file", "folder"), kind
    vocabulary_file = (ROOT / "content/_data/vocabularies.yml").read_text(encoding="utf-8")
    for name in VOCABULARIES:
        assert f"\n{name}:" in vocabulary_file, name
