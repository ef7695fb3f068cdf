"""pmrepo site --repo PATH --repo PATH / --org org.yaml: one site of several teams'
repositories (sample-repo as the payments team and a copy of it, the same ids, as the
platform team), each read with its own config."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, run_cli
from test_site import SECRET_ID, SECRET_PATH, SECRET_PHRASE, SECRET_TITLE, _secret_incident

TODAY = "2024-12-31"


@pytest.fixture
def teams(tmp_path: Path) -> Path:
    """payments/ and platform/, two copies of sample-repo (the same incident ids)."""
    for team in ("payments", "platform"):
        shutil.copytree(SAMPLE_REPO, tmp_path / team, ignore=shutil.ignore_patterns(".pmrepo_*"))
    return tmp_path


def build(where: Path, *options: str) -> dict[str, str]:
    output = where / "site"
    result = run_cli("site", *options, "--output", str(output), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    return {
        path.relative_to(output).as_posix(): path.read_text("utf-8")
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def both(teams: Path) -> list[str]:
    return ["--repo", str(teams / "payments"), "--repo", str(teams / "platform")]


def test_an_id_two_teams_share_gets_a_page_for_each(teams: Path) -> None:
    pages = build(teams, *both(teams))
    incident_pages = sorted(name for name in pages if name.startswith("incidents/"))
    assert len(incident_pages) == 18
    assert "incidents/payments-INC-2024-0015.html" in incident_pages
    assert "incidents/platform-INC-2024-0015.html" in incident_pages
    assert "patterns/platform-PATTERN-001.html" in pages
    page = pages["incidents/platform-INC-2024-0015.html"]
    assert "<div><dt>Team</dt><dd>platform</dd></div>" in page
    assert "<code>platform/2024/Q1/INC-2024-0015-payment-api-latency-degradation.md</code>" in page
    # Its repeat, its pattern and its body's links stay in its own team.
    assert (
        'Repeats <a href="../incidents/platform-INC-2023-0089.html">platform/INC-2023-0089</a>'
        in page
    )
    assert 'Pattern: <a href="../patterns/platform-PATTERN-001.html">' in page
    assert "payments/" not in page and "payments-" not in page


def test_the_list_shows_each_incidents_team_and_filters_by_team(teams: Path) -> None:
    pages = build(teams, *both(teams))
    listing = pages["incidents.html"]
    assert '<th scope="col">Team</th><th scope="col">Incident</th>' in listing
    assert (
        '<tr data-id="payments/INC-2024-0015">\n<td>payments</td>\n'
        '<td><a href="incidents/payments-INC-2024-0015.html">payments/INC-2024-0015</a></td>'
    ) in listing
    select = re.search(r'<select id="filter-team" name="team">(.*?)</select>', listing, re.S)
    assert select is not None
    assert re.findall(r'<option value="([^"]*)">', select.group(1)) == ["", "payments", "platform"]
    index = re.search(r'<script type="application/json" id="pmrepo-index">(.*?)</script>', listing)
    assert index is not None
    entries = json.loads(index.group(1))
    assert sorted({entry["team"] for entry in entries}) == ["payments", "platform"]
    assert len(entries) == 18


def test_an_org_yaml_names_the_teams(teams: Path) -> None:
    (teams / "org.yaml").write_text(
        "teams:\n  - name: pay\n    repo: payments\n  - name: plat\n    repo: platform\n", "utf-8"
    )
    pages = build(teams, "--org", str(teams / "org.yaml"))
    assert "incidents/plat-INC-2024-0015.html" in pages
    assert "<div><dt>Team</dt><dd>pay</dd></div>" in pages["incidents/pay-INC-2024-0034.html"]


def test_an_uncleared_security_incident_of_one_team_appears_nowhere(
    teams: Path, seed_text: str
) -> None:
    (teams / "payments" / SECRET_PATH).write_text(_secret_incident(seed_text), "utf-8")
    pages = build(teams, *both(teams))
    for name, text in pages.items():
        for secret in (SECRET_ID, SECRET_TITLE, SECRET_PHRASE, "vault-sidecar"):
            assert secret.casefold() not in text.casefold(), (name, secret)
    assert "1 security incident not cleared for publication is counted" in pages["index.html"]


def test_a_root_and_repo_together_is_a_usage_error(teams: Path) -> None:
    result = run_cli("site", str(teams / "payments"), *both(teams), "--output", "x")
    assert result.exit_code == 2
    assert "give a ROOT (and --config) or --repo/--org, not both" in result.stderr
