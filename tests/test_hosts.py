"""The GitHub Pages recipe (.github/workflows/publish.yml) does what docs/publishing.md says;
the nginx and header-file host recipes are tested in test_nginx.py and test_security.py."""

from __future__ import annotations

import yaml
from conftest import ROOT

from kennisbank.publishing.publish import HEADERS_FILE, NGINX_FILE

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


def steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow["jobs"]["build"]["steps"]


def test_the_workflow_checks_builds_and_deploys_the_site() -> None:
    runs = [step.get("run", "") for step in steps()]
    assert runs.index("make check") < runs.index("make build")
    upload = next(s for s in steps() if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])


def test_the_workflow_keeps_history_for_the_sitemap() -> None:
    """A shallow checkout would give every site page the date of the last commit."""
    checkout = next(s for s in steps() if s.get("uses", "").startswith("actions/checkout"))
    assert checkout.get("with", {}).get("fetch-depth") == 0


def test_the_workflow_does_not_publish_the_other_hosts_files() -> None:
    """GitHub Pages serves every file; `_headers` and the snippet are for other hosts."""
    runs = [step.get("run", "") for step in steps()]
    removal = next(i for i, run in enumerate(runs) if run.startswith("rm "))
    assert runs.index("make build") < removal
    assert f"site/{HEADERS_FILE}" in runs[removal].split()
    assert f"site/{NGINX_FILE}" in runs[removal].split()
    uses = [step.get("uses", "") for step in steps()]
    assert removal < next(i for i, use in enumerate(uses) if use.startswith("actions/upload"))
