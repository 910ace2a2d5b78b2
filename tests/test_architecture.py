"""Guards for the architecture: one engine adapter, thin hooks, docs for every kind."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

from kennisbank.model import KINDS

PACKAGE = ROOT / "kennisbank"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_the_adapter_imports_mkdocs() -> None:
    importers = sorted(
        p.relative_to(ROOT).as_posix()
        for p in PACKAGE.rglob("*.py")
        if any(m == "mkdocs" or m.startswith(("mkdocs.", "material")) for m in imported_modules(p))
    )
    assert importers == ["kennisbank/mkdocs_adapter.py"]


def test_hooks_are_thin() -> None:
    for hook in (ROOT / "hooks").glob("*.py"):
        code = [line for line in hook.read_text().splitlines() if line.strip()]
        assert len(code) <= 40, hook
        assert imported_modules(hook) <= {"kennisbank.mkdocs_adapter", "__future__"}


def test_every_kind_has_schema_examples_listing_and_guide_section() -> None:
    guide = (ROOT / "content" / "redactiegids.md").read_text(encoding="utf-8").lower()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind, (section, _, plural) in KINDS.items():
        assert (PACKAGE / "schema" / f"{kind}.schema.json").is_file()
        assert (PACKAGE / "schema" / "examples" / kind / "valid" / "sjabloon.md").is_file()
        assert plural.lower() in guide, kind
        assert f"/{section}/" in readme, kind


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = [line for line in readme.splitlines() if line.startswith("make ")][:2]
    assert first == ["make serve", "make test"]


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()
