"""The browser CMS on the published site (issue #16): ``content/_data/cms.yml`` and its
schema, what ``make build`` writes under /admin/ when the setting says so, and the headers
each host sends there (its own policy, nothing of the site's) and everywhere else (only the
site's). Built for real with scripts/build.py; served as a header-file host, by Debian's
nginx, and opened in real Chromium."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import CMS_GITHUB, ROOT, advies, stops_check_and_build, write_doc

from kennisbank.content.model import Corpus
from kennisbank.content.schema_check import SchemaChecker
from kennisbank.content.validate import CMS_FILE, load_cms_setting
from kennisbank.publishing import local_server, publish
from kennisbank.site import cms

EXAMPLES = sorted((ROOT / "kennisbank" / "schema" / "examples" / "cms").rglob("*.yml"))
EXPECT = re.compile(r"^# expect: (\S+)$", re.M)
CSP = "Content-Security-Policy"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example(path: Path, checker: SchemaChecker, tmp_path: Path) -> None:
    """Valid settings load; each invalid one fails on exactly the field it announces."""
    (tmp_path / "content/_data").mkdir(parents=True)
    (tmp_path / CMS_FILE).write_bytes(path.read_bytes())
    setting, problems = load_cms_setting(tmp_path, checker)
    if path.parent.name == "valid":
        assert [p.format() for p in problems] == []
        assert setting == yaml.safe_load(path.read_text(encoding="utf-8"))
        return
    expect = EXPECT.search(path.read_text(encoding="utf-8"))
    assert expect, f"{path} must announce its failure with '# expect: FIELD'"
    assert [p.field for p in problems] == [expect.group(1)], [p.format() for p in problems]
    assert setting == {}  # a setting with a problem publishes nothing


def test_the_repositorys_setting_keeps_the_cms_in_the_preview(checker: SchemaChecker) -> None:
    setting, problems = load_cms_setting(ROOT, checker)
    assert problems == [] and setting["publish"] is False


def test_the_sample_site_has_no_admin(built_site: Path) -> None:
    assert not (built_site / cms.FOLDER).exists()
    assert "X-Robots-Tag" not in (built_site / publish.HEADERS_FILE).read_text(encoding="utf-8")


def test_gitlab_signs_in_with_pkce_and_the_policy_names_its_server() -> None:
    setting = {
        "publish": True,
        "backend": {
            "name": "gitlab",
            "repo": "mf/kennisbank",
            "branch": "main",
            "app_id": "abc",
            "base_url": "https://git.example.org",
            "api_root": "https://git.example.org/api/v4",
        },
    }
    corpus = Corpus(root=ROOT, cms=setting)
    assert cms.config(corpus, preview=False)["backend"]["auth_type"] == "pkce"
    assert "local_backend" not in {
        k for k, v in cms.config(corpus, preview=False).items() if v is not None
    }
    policy = cms.csp(setting, preview=False, header=True)
    assert "connect-src 'self' https://git.example.org;" in policy
    assert "localhost" not in policy and policy.endswith("frame-ancestors 'none'")
    assert "frame-ancestors" not in cms.csp(setting, preview=False)  # a meta may not hold it


def test_the_build_publishes_admin_with_the_settings_backend(cms_site: Path) -> None:
    config = json.loads((cms_site / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == yaml.safe_load(CMS_GITHUB)["backend"]
    assert "local_backend" not in config
    assert [c["name"] for c in config["collections"]] == [
        "adviezen",
        "standpunten",
        "toolkits",
        "praktijken",
    ]
    page = (cms_site / "admin/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert f'content="{cms.csp(yaml.safe_load(CMS_GITHUB), preview=False)}"' in page
    assert "localhost" not in page
    assert (cms_site / "admin/decap/decap-cms.js").is_file()


def test_admin_is_in_neither_the_sitemap_nor_the_search_index(cms_site: Path) -> None:
    assert "/admin" not in (cms_site / "sitemap.xml").read_text(encoding="utf-8")
    # Pagefind indexes only pages with data-pagefind-body once any page has one.
    assert "data-pagefind-body" in (cms_site / "adviezen/een-advies/index.html").read_text()
    assert "data-pagefind-body" not in (cms_site / "admin/index.html").read_text()
    index = json.loads((cms_site / "pagefind/pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in index["languages"].values()) == len(
        [p for p in cms_site.rglob("*.html") if "data-pagefind-body" in p.read_text()]
    )


def files_of(site: Path) -> Iterator[str]:
    for path in sorted(site.rglob("*")):
        url = "/" + path.relative_to(site).as_posix()
        # A .gz copy is sent for its file's URL (nginx, the local host); a policy on a
        # direct request for the copy would protect nothing.
        if path.is_file() and url not in local_server.PRIVATE and path.suffix != ".gz":
            yield url.removesuffix("index.html")


def test_every_file_gets_one_policy_and_admin_its_own(cms_site: Path) -> None:
    """As a header-file host adds up every matching rule of _headers: each file gets
    exactly one policy and one opener policy; under /admin/ the CMS's, elsewhere the
    site's, which is also the one in every page's meta element."""
    rules = local_server.read_rules(cms_site)
    site_policy = re.search(
        r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">',
        (cms_site / "index.html").read_text(encoding="utf-8"),
    )
    assert site_policy
    own = cms.headers(yaml.safe_load(CMS_GITHUB))
    seen = 0
    for url in files_of(cms_site):
        sent = local_server.headers_for(rules, url)
        names = [name for name, _ in sent]
        assert names.count(CSP) == 1 and names.count("Cross-Origin-Opener-Policy") == 1, url
        got = dict(sent)
        if url.startswith("/admin/"):
            assert {k: got[k] for k in own} == own, url
        else:
            assert got[CSP].replace("; frame-ancestors 'none'", "") == site_policy[1], url
            assert got["Cross-Origin-Opener-Policy"] == "same-origin", url
            assert "X-Robots-Tag" not in got, url
        assert got["X-Frame-Options"] == "DENY" and got["X-Content-Type-Options"] == "nosniff"
        seen += 1
    assert seen > 100
    # A path that is not in the build gets the 404 page: no policy header (no rule names
    # it), but the page's own policy in its meta element, the site's.
    sent = dict(local_server.headers_for(rules, "/bestaat-niet/"))
    assert CSP not in sent and sent["X-Content-Type-Options"] == "nosniff"
    assert site_policy[1] in (cms_site / "404.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_admin_runs_under_its_policy_on_a_header_file_host(browser, cms_site: Path) -> None:
    """Decap starts under the headers _headers gives /admin/ (eval, inline styles) and
    offers GitHub's sign-in; the site's pages keep their strict policy."""
    server, url = local_server.serve_with_headers(cms_site)
    try:
        for path, wanted in (("admin/", "GitHub"), ("adviezen/een-advies/", "Een advies")):
            page = browser.new_page()
            page.add_init_script(
                "window.__csp = []; document.addEventListener('securitypolicyviolation',"
                " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            response = page.goto(url + path, wait_until="networkidle")
            assert response is not None and response.status == 200
            sent = response.headers[CSP.lower()]
            assert ("'unsafe-eval'" in sent) == (path == "admin/"), sent
            page.get_by_role("button", name=re.compile(wanted)).or_(
                page.get_by_role("heading", name=wanted)
            ).first.wait_for(timeout=20_000)
            assert page.evaluate("window.__csp") == [], path
            assert [e for e in errors if "Content Security Policy" in e] == [], path
            page.close()
    finally:
        server.shutdown()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("publish: true\n", 1, "backend: ontbreekt"),
        (CMS_GITHUB.replace("name: github", "name: bitbucket"), 3, "Kies uit: github, gitlab"),
        ("publish: [ja\n", 1, "een haakje [ of { wordt niet afgesloten"),
        ("# alleen uitleg\n\n", 1, "het bestand is leeg. Zet er minstens 'publish: false' in."),
        (None, 1, "het bestand is een map, geen bestand."),
    ],
    ids=["no-backend", "unknown-host", "broken-yaml", "empty", "a-folder"],
)
def test_a_bad_setting_stops_check_and_build_and_keeps_the_site(
    scratch_repo: Path, text: str | None, line: int, words: str
) -> None:
    write_doc(scratch_repo, "advisories/adviezen/een-advies.md", advies())
    if text is None:
        (scratch_repo / CMS_FILE).unlink()
        (scratch_repo / CMS_FILE).mkdir()
    else:
        (scratch_repo / CMS_FILE).write_text(text, encoding="utf-8")
    stops_check_and_build(scratch_repo, f"{CMS_FILE}:{line}: ", words)
