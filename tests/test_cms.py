"""The browser CMS (/admin/, Decap CMS) with its local backend (decap-server), driven in real
Chromium on a real preview (`make cms`): a new advies through the form, and an edit that
keeps the file's comments and other fields."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, advies, free_port, run_cli, write_doc

from kennisbank.content.schema_check import flattened
from kennisbank.pipeline import load
from kennisbank.registry import KINDS
from kennisbank.site import cms

pytestmark = pytest.mark.browser

SERVER = ROOT / "node_modules" / ".bin" / "decap-server"
SHOTS = ROOT / "build" / "cms-screenshots"  # kept for the editor guide and for failures

COMMENTED = advies(
    title="Bestaand advies",
    ref="ADV-2025-04",
    extra=(
        "# Opmerking van de redactie: laat deze regel staan.\n"
        "addressees: [vlaamse-regering]  # de bevoegde overheid\n"
        "tags: [school, kosten]\n"
    ),
    body="## Kop\n\nDe tekst van het advies.",
)


@contextlib.contextmanager
def decap_server(root: Path, port: int) -> Iterator[None]:
    if not SERVER.exists():
        pytest.fail("decap-server ontbreekt: 'make test' installeert het met npm ci.")
    env = {
        **os.environ,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "GIT_REPO_DIRECTORY": str(root),
    }
    process = subprocess.Popen(
        [str(SERVER)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1",
            data=json.dumps({"action": "info"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        for _ in range(200):
            try:
                with urllib.request.urlopen(request, timeout=1) as answer:
                    assert json.load(answer)["type"] == "local_fs"
                    break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("decap-server antwoordt niet")
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def check(root: Path, path: str) -> subprocess.CompletedProcess[str]:
    return run_cli(root, "check", path)


def test_a_new_advies_and_an_edit_through_the_cms(
    browser, scratch_repo: Path, preview_of, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_doc(scratch_repo, "advisories/adviezen/bestaand-advies.md", COMMENTED)
    port = free_port()
    monkeypatch.setenv(cms.PORT, str(port))  # the preview writes it into admin/config.yml
    SHOTS.mkdir(parents=True, exist_ok=True)
    with decap_server(scratch_repo, port):
        preview = preview_of(scratch_repo)
        preview.wait_until_serving()
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="nl-BE")
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        try:
            page.goto(preview.url + "admin/")
            page.get_by_role("button", name="Inloggen").click()
            page.get_by_role("link", name="Adviezen").first.wait_for()
            page.screenshot(path=SHOTS / "overzicht.png")

            # A new advies, as staff fill it in.
            page.goto(preview.url + "admin/#/collections/adviezen/new")
            page.get_by_label("Titel", exact=True).fill("Gratis schoolmaaltijden voor iedereen")
            page.locator('input[id^="date-field-"]').fill("2026-11-20")
            page.get_by_label("Samenvatting", exact=True).fill(
                "We vragen gratis gezonde maaltijden op elke basisschool."
            )
            page.get_by_label("Thema's", exact=True).click()
            page.get_by_role("option", name="Onderwijs").click()
            page.get_by_label("Kenmerk", exact=True).fill("ADV-2026-07")
            page.get_by_role("button", name=re.compile("^Voeg aanbevelingen toe")).click()
            page.locator('input[id^="id-field-"]').first.fill("R1")
            page.locator('input[id^="text-field-"], textarea[id^="text-field-"]').first.fill(
                "Voer gratis schoolmaaltijden in, te beginnen in de armste buurten."
            )
            page.locator("[data-slate-editor]").click()
            page.keyboard.type("De tekst van het advies.")
            page.get_by_label("Titel", exact=True).scroll_into_view_if_needed()
            page.screenshot(path=SHOTS / "nieuw-advies.png")
            page.get_by_role("button", name="Publiceer").click()
            page.get_by_role("menuitem", name="Publiceer nu").click()
            page.get_by_text("Item opgeslagen").wait_for(timeout=20_000)
        finally:
            page.screenshot(path=SHOTS / "laatste.png", full_page=True)
        made = scratch_repo / "advisories/adviezen/gratis-schoolmaaltijden-voor-iedereen.md"
        assert made.exists(), sorted(p.name for p in made.parent.iterdir())

        # The form refuses what the schema refuses: empty required fields, a bad reference.
        page.on("dialog", lambda dialog: dialog.accept())  # "leave without saving?"
        page.goto(preview.url + "admin/#/collections/adviezen/new")
        page.get_by_label("Kenmerk", exact=True).fill("adviezen 2026")
        page.get_by_role("button", name="Publiceer").click()
        page.get_by_role("menuitem", name="Publiceer nu").click()
        page.get_by_text(re.compile("titel is vereist", re.I)).first.wait_for()
        page.get_by_text(re.compile("patroon: Uniek kenmerk", re.I)).first.wait_for()
        page.screenshot(path=SHOTS / "geweigerd.png")
        errors.clear()  # Decap rejects the refused save's promise with `undefined`
        assert sorted(p.name for p in made.parent.iterdir()) == ["bestaand-advies.md", made.name]
        done = check(scratch_repo, str(made.relative_to(scratch_repo)))
        assert done.returncode == 0, done.stdout + made.read_text()
        meta = yaml.safe_load(made.read_text().split("---\n")[1])
        assert meta["type"] == "advies" and meta["status"] == "concept"
        assert meta["recommendations"] == [
            {
                "id": "R1",
                "text": "Voer gratis schoolmaaltijden in, te beginnen in de armste buurten.",
            }
        ]
        _, problems = load(scratch_repo)
        assert not [p for p in problems if not p.warning], problems

        # An edit of one field leaves every other line of the file as it was.
        before = (scratch_repo / "advisories/adviezen/bestaand-advies.md").read_text()
        page.goto(preview.url + "admin/#/collections/adviezen/entries/bestaand-advies")
        page.reload()  # no toast of the first save left
        summary = page.get_by_label("Samenvatting", exact=True)
        summary.fill("Een nieuwe samenvatting van het advies.")
        page.get_by_role("button", name="Publiceer").click()
        page.get_by_role("menuitem", name="Publiceer nu").click()
        page.get_by_text("Item opgeslagen").wait_for(timeout=20_000)
        after = (scratch_repo / "advisories/adviezen/bestaand-advies.md").read_text()
        # The yaml library writes one space before an inline comment; the rest is as it was.
        changed = [
            (old, new)
            for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
            if re.sub(r" +#", " #", old) != new
        ]
        assert changed == [
            (
                "summary: Samenvatting van het advies.",
                "summary: Een nieuwe samenvatting van het advies.",
            )
        ], after
        assert errors == []
        page.close()


def _config(corpus) -> dict:
    return yaml.safe_load(cms.texts(corpus, "")["admin/config.yml"])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_cms_form_follows_the_schema(corpus, kind: str) -> None:
    """Each schema property is a field with the schema's label, hint, required flag,
    pattern and vocabulary; nothing else is in the form (but the body)."""
    collection = next(c for c in _config(corpus)["collections"] if c["filter"]["value"] == kind)
    assert collection["folder"] == KINDS[kind].folder
    schema = flattened(kind)
    by_name = {f["name"]: f for f in collection["fields"]}
    assert list(by_name) == [*schema["properties"], "body"]
    assert by_name["type"] == {"name": "type", "widget": "hidden", "default": kind}
    for name, prop in schema["properties"].items():
        if name == "type":
            continue
        form = by_name[name]
        assert form["label"] == prop["title"] and form.get("hint") == prop.get("description")
        assert form.get("required", True) == (name in schema["required"]), name
        vocabulary = prop.get("x-vocabulary") or prop.get("items", {}).get("x-vocabulary")
        if vocabulary:
            assert [o["value"] for o in form["options"]] == list(corpus.vocabularies[vocabulary])
            assert form.get("multiple", False) == (prop.get("type") == "array")
        elif "enum" in prop:
            assert form["options"] == prop["enum"]
        elif prop.get("format") == "date":
            assert (form["widget"], form["format"], form["time_format"]) == (
                "datetime",
                "YYYY-MM-DD",
                False,
            )
        elif prop.get("pattern"):
            assert form["pattern"][0] == prop["pattern"]
        if prop.get("items", {}).get("type") == "object":
            inner = prop["items"]
            assert [f["name"] for f in form["fields"]] == list(inner["properties"])
            assert {f["name"] for f in form["fields"] if f.get("required", True)} == set(
                inner.get("required", [])
            )
    assert ("path" in collection) == (KINDS[kind].layout == "folder")


def test_every_field_has_a_dutch_label(corpus) -> None:
    for collection in _config(corpus)["collections"]:
        stack = list(collection["fields"])
        while stack:
            form = stack.pop()
            if form["widget"] != "hidden":
                assert form["label"] != form["name"] or form["name"] == "body", form
            stack += form.get("fields", [])


def test_the_admin_page_has_its_own_policy_and_is_not_indexed(corpus) -> None:
    page = cms.texts(corpus, "")["admin/index.html"]
    assert '<meta name="robots" content="noindex, nofollow">' in page
    policy = cms.csp({}, preview=True)
    assert f'content="{policy}"' in page and "'unsafe-eval'" in policy
    assert f"connect-src 'self' {cms.local_backend()};" in policy
    assert "data-pagefind-body" not in page
    shipped = cms.files(ROOT)
    assert "admin/decap/decap-cms.js" in shipped and not any(p.endswith(".map") for p in shipped)
    assert "admin/yaml/index.js" in shipped


FILE = (
    '---\n# kop\ntype: advies\ntitle: "T"\ndate: 2024-05-01\naudiences: [a, b]  # wie\n'
    "tags: []\nupdated: 2024-06-01\n---\n\nTekst.\n"
)


def run_format(cases: list[dict]) -> list[str]:
    done = subprocess.run(
        [
            "node",
            str(ROOT / "tests/cms_format.mjs"),
            str(ROOT / "kennisbank/site/templates/cms.js"),
            str(ROOT / "node_modules/yaml/browser/dist/index.js"),
        ],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_cms_format_writes_what_kennisbank_reads() -> None:
    unchanged, cleared, new, read = run_format(
        [
            {"file": FILE},
            {"file": FILE, "change": {"audiences": None, "updated": "", "title": "no"}},
            {
                "data": {
                    "type": "advies",
                    "title": "on",
                    "date": "2026-01-01",
                    "tags": ["12:30", "yes"],
                    "audiences": None,
                    "recommendations": [{"id": "R1", "text": "x", "addressees": None}],
                    "body": "Tekst.",
                }
            },
            {"file": "---\nexample: yes\ndate: 2024-05-01\n---\n", "only_read": True},
        ]
    )
    # Read as Kennisbank (PyYAML, YAML 1.1) reads it: `yes` is true, a date stays text.
    assert json.loads(read) | {"body": ""} == {
        "example": True,
        "date": "2024-05-01",
        "body": "",
        "__kennisbank_front_matter": "example: yes\ndate: 2024-05-01",
        "__kennisbank_gap": "",
    }
    assert unchanged == FILE.replace("  # wie", " # wie")  # one space before an inline comment
    # A cleared select (null) or date ("") is left out, not written empty; "no" stays text.
    assert (
        cleared
        == '---\n# kop\ntype: advies\ntitle: "no"\ndate: 2024-05-01\ntags: []\n---\n\nTekst.\n'
    )
    assert yaml.safe_load(cleared.split("---\n")[1])["title"] == "no"
    meta = yaml.safe_load(new.split("---\n")[1])
    assert meta == {
        "type": "advies",
        "title": "on",
        "date": __import__("datetime").date(2026, 1, 1),
        "tags": ["12:30", "yes"],
        "recommendations": [{"id": "R1", "text": "x"}],
    }
    assert new.startswith('---\ntype: advies\ntitle: "on"\ndate: 2026-01-01\n')


def test_a_changed_list_keeps_its_comments() -> None:
    """The comment beside a list, above it, and beside an item that stays, survive a
    change of that list in the form."""
    (changed,) = run_format(
        [
            {
                "file": (
                    "---\ntype: advies\naudiences: [a, b]  # wie\ntags:\n  # de labels\n"
                    "  - x  # eerste\n  - y\n---\n\nTekst.\n"
                ),
                "change": {"audiences": ["a", "c"], "tags": ["z", "x"]},
            }
        ]
    )
    assert changed == (
        "---\ntype: advies\naudiences: [a, c] # wie\ntags:\n  # de labels\n"
        "  - z\n  - x # eerste\n---\n\nTekst.\n"
    )
