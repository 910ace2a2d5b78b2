"""Guards for the architecture: one engine adapter, thin hooks, docs for every kind."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

from kennisbank.registry import KINDS

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
    assert importers == ["kennisbank/engines/mkdocs_adapter.py"]


def test_hooks_are_thin() -> None:
    for hook in (ROOT / "hooks").glob("*.py"):
        code = [line for line in hook.read_text().splitlines() if line.strip()]
        assert len(code) <= 40, hook
        assert imported_modules(hook) <= {"kennisbank.engines.mkdocs_adapter", "__future__"}


def test_the_adapter_only_delegates() -> None:
    """The MkDocs side reaches the pipeline through ``SiteBuilder`` alone (no loading,
    generating or block filling of its own) and each of its events stays short."""
    adapter = PACKAGE / "engines" / "mkdocs_adapter.py"
    tree = ast.parse(adapter.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kennisbank")
        for alias in node.names
    }
    assert imported & {"load", "generate", "fill_blocks", "load_corpus", "enrich"} == set()
    assert "SiteBuilder" in imported
    site = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "KennisbankSite")
    events = [n for n in site.body if isinstance(n, ast.FunctionDef) and n.name.startswith("on_")]
    assert len(events) >= 8
    long = {e.name: e.end_lineno - e.lineno + 1 for e in events if e.end_lineno - e.lineno >= 40}
    assert long == {}


def test_every_kind_has_schema_examples_listing_and_guide_section() -> None:
    guide = (ROOT / "content" / "redactiegids.md").read_text(encoding="utf-8").lower()
    urls = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for kind, entry in KINDS.items():
        assert (PACKAGE / "schema" / f"{kind}.schema.json").is_file()
        assert (PACKAGE / "schema" / "examples" / kind / "valid" / "sjabloon.md").is_file()
        assert entry.plural.lower() in guide, kind
        assert f"`{entry.section}`" in urls, kind  # the site map names its section


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = [line for line in readme.splitlines() if line.startswith("make ")][:2]
    assert first == ["make serve", "make test"]


def test_readme_is_short_and_its_links_resolve() -> None:
    """README.md: what it is, the two commands, layout, links; the rest lives in docs/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    links = re.findall(r"\]\(((?:docs/)[^)#]+)", readme)
    assert len(links) >= 6
    for link in links:
        assert (ROOT / link).is_file(), link


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


INTERNAL = "# MkDocs internal:"


def private_uses(path: Path) -> list[int]:
    """Lines that read or write a private attribute of another object (``x._name``, also
    through ``getattr``/``setattr``); ``self._name`` is the object's own."""
    lines: list[int] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        name = ""
        if isinstance(node, ast.Attribute):
            owner = node.value
            if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                name = node.attr
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            name = node.args[1].value
        if name.startswith("_") and not name.startswith("__"):
            lines.append(node.lineno)
    return lines


def test_no_private_attribute_of_mkdocs_or_material_is_used_unmarked() -> None:
    """Every use of another object's private attribute in the project's code sits right
    under a ``# MkDocs internal:`` comment that says why; the architecture section states
    how many such places there are."""
    unmarked, places = [], 0
    for path in sorted(
        [*PACKAGE.rglob("*.py"), *(ROOT / "hooks").glob("*.py"), *(ROOT / "scripts").glob("*.py")]
    ):
        text = path.read_text(encoding="utf-8").splitlines()
        places += sum(INTERNAL in line for line in text)
        for line in private_uses(path):
            above = text[max(0, line - 5) : line]
            if not any(INTERNAL in prior for prior in above):
                unmarked.append(f"{path.relative_to(ROOT)}:{line}")
    assert unmarked == []
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert f"MkDocs internals used: {places}." in architecture


MUTATORS = {
    "append",
    "add",
    "clear",
    "extend",
    "insert",
    "pop",
    "popitem",
    "remove",
    "setdefault",
    "update",
    "discard",
    "__setitem__",
    "__delitem__",
}


def module_state_changes(path: Path) -> list[str]:
    """Places where code changes a module-level value of its own module: a `global`
    statement, an item set or deleted, or a mutating method called on it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else ([node.target] if isinstance(node, ast.AnnAssign) else [])
        )
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found += [f"{path.name}:{node.lineno}: global {n}" for n in node.names]
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(
            node.ctx, (ast.Store, ast.Del)
        ):
            if isinstance(node.value, ast.Name) and node.value.id in names:
                found.append(f"{path.name}:{node.lineno}: {node.value.id} changed")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATORS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in names
        ):
            found.append(f"{path.name}:{node.lineno}: {node.func.value.id}.{node.func.attr}()")
    return found


def test_no_module_level_state_in_the_package() -> None:
    """What lives from one build to the next is one object the adapter owns
    (``cache.PreviewCache``); no module of the package changes a value of its own."""
    found = [change for p in sorted(PACKAGE.rglob("*.py")) for change in module_state_changes(p)]
    assert found == []


def test_no_test_module_imports_another() -> None:
    """Shared factories and constants live in tests/conftest.py."""
    tests = ROOT / "tests"
    names = {p.stem for p in tests.glob("test_*.py")}
    found = [
        f"{p.name}: {module}"
        for p in sorted(tests.glob("test_*.py"))
        for module in imported_modules(p)
        if module.split(".")[0] in names
    ]
    assert found == []
