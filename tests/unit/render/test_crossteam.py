"""Several teams' repositories read together (`--repo` repeated, or an org.yaml): pmrepo
report, actions, patterns --suggest and review over three of them: sample-repo as the
payments team, a copy of it as the platform team with other incident ids, and the dfds
corpus under the config `pmrepo init --from-existing` proposes for it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, GOLDEN, SAMPLE_REPO, run_cli

from postmortem_repo import api

_ID = re.compile(r"INC-(\d{4})-0(\d{3})")


def _renumbered(source: Path, target: Path) -> None:
    """A copy of source whose incidents are INC-YYYY-1NNN instead of INC-YYYY-0NNN, in file
    names and in every file's text (links, patterns)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    for path in sorted(target.rglob("*.md")):
        path.write_text(_ID.sub(r"INC-\1-1\2", path.read_text("utf-8")), "utf-8")
        if _ID.search(path.name):
            path.rename(path.with_name(_ID.sub(r"INC-\1-1\2", path.name)))


UNDATED = "PM2020-003 - Postmortem for ADSync migration.md"


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """Three teams' repositories side by side, and org.yaml naming them; returns org.yaml."""
    shutil.copytree(SAMPLE_REPO, tmp_path / "payments", ignore=shutil.ignore_patterns(".pmrepo_*"))
    _renumbered(SAMPLE_REPO, tmp_path / "platform")
    dfds = tmp_path / "dfds"
    shutil.copytree(FIXTURES / "dfds", dfds)
    shutil.copy(GOLDEN / "dfds-proposed.pmrepo.yaml", dfds / ".pmrepo.yaml")
    # One of its post-mortems has no readable date ('20202-01-16'): a view across teams
    # reads every post-mortem or stops, so this one is left out by the config, by name.
    with (dfds / ".pmrepo.yaml").open("a", encoding="utf-8") as config:
        config.write(f"- {UNDATED}\n")
    shutil.copy(GOLDEN / "dfds-proposed.sections.json", dfds / "pmrepo.sections.json")
    listing = tmp_path / "org.yaml"
    listing.write_text(
        "teams:\n"
        "  - name: payments\n    repo: payments\n"
        "    url: https://git.example.com/payments/blob/main\n"
        "  - name: platform\n    repo: platform\n"
        "  - name: dfds\n    repo: dfds\n",
        "utf-8",
    )
    return listing


def _repos(listing: Path) -> list[str]:
    return [
        arg
        for name in ("payments", "platform", "dfds")
        for arg in ("--repo", str(listing.parent / name))
    ]


def test_each_team_is_read_with_its_own_config(org: Path) -> None:
    teams = api.load_teams(org=org)
    assert [(team.name, len(team.repo.incidents)) for team in teams] == [
        ("payments", 10),
        ("platform", 10),
        ("dfds", 38),  # one of 39 has no readable date: excluded above
    ]
    assert teams[2].repo.config.layout.id == "PM{year}-{seq}"
    assert teams[1].repo.incidents[0].id == "INC-2023-1012"
    assert [team.name for team in api.load_teams(_repo_paths(org))] == [
        "payments",
        "platform",
        "dfds",
    ]


def _repo_paths(listing: Path) -> list[Path]:
    return [listing.parent / name for name in ("payments", "platform", "dfds")]


def test_the_report_over_three_repositories_matches_the_golden_file(org: Path) -> None:
    result = run_cli("report", "--org", str(org), "--year", "2024", "--today", "2025-01-15")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (GOLDEN / "crossteam-report-2024.md").read_text("utf-8")
    repos = run_cli("report", *_repos(org), "--year", "2024", "--today", "2025-01-15")
    assert repos.stdout == result.stdout  # the folders are named as org.yaml names the teams
    built = json.loads(
        run_cli(
            *("report", *_repos(org), "--year", "2024", "--today", "2025-01-15", "--format", "json")
        ).stdout
    )
    assert built["incidents"] == 15
    assert {name: own["incidents"] for name, own in built["teams"].items()} == {
        "payments": 6,
        "platform": 6,
        "dfds": 3,
    }


@pytest.mark.parametrize("month", ["2024-01", "2023-02"])
def test_the_monthly_review_matches_the_golden_file(org: Path, month: str) -> None:
    result = run_cli("review", *_repos(org), "--month", month, "--severity", "SEV1,SEV2")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (GOLDEN / f"crossteam-review-{month}.md").read_text("utf-8")


def test_the_review_in_json_carries_each_incident_team(org: Path) -> None:
    result = run_cli(
        "review",
        "--org",
        str(org),
        "--month",
        "2024-01",
        "--format",
        "json",
        "--today",
        "2024-02-01",
    )
    review = json.loads(result.stdout)
    assert [(i["team"], i["id"]) for i in review["incidents"]] == [
        ("payments", "INC-2024-0003"),
        ("platform", "INC-2024-1003"),
        ("payments", "INC-2024-0015"),
        ("platform", "INC-2024-1015"),
    ]
    assert review["incidents"][3]["repeat_across_teams"] == {
        "incident": "platform/INC-2024-1015",
        "earlier": "payments/INC-2024-0015",
        "reason": "root cause 'data-volume' again on payment-api",
    }
    assert {a["team"] for a in review["open_actions"]} == {"payments", "platform"}


def test_a_severity_no_team_has_is_refused(org: Path) -> None:
    result = run_cli("review", "--org", str(org), "--month", "2024-01", "--severity", "SEV1,SEV9")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "pmrepo: error: --severity: unknown severity 'SEV9' (the teams' schemas have "
        "SEV1, SEV2, SEV3, SEV4)"
    )
    month = run_cli("review", "--org", str(org), "--month", "2024-13")
    assert month.stderr.endswith("pmrepo: error: --month: '2024-13' is not a month like 2024-01\n")


def test_actions_carry_their_team(org: Path) -> None:
    result = run_cli("actions", "--org", str(org), "--priority", "P0", "--today", "2024-03-01")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        "P0: 6 items, 2 overdue",
        "  payments/INC-2024-0015 #2 [P0] Add latency check to canary analysis (>50% regression "
        "= block) (owner platform-team, due 2024-01-22, OPEN, overdue 39 d)",
        "  platform/INC-2024-1015 #2 [P0] Add latency check to canary analysis (>50% regression "
        "= block) (owner platform-team, due 2024-01-22, OPEN, overdue 39 d)",
    ]
    items = json.loads(
        run_cli("actions", *_repos(org), "--format", "json", "--today", "2024-03-01").stdout
    )["items"]
    assert {item["team"] for item in items} == {"payments", "platform"}


def test_patterns_suggest_over_the_teams(org: Path) -> None:
    result = run_cli("patterns", "--suggest", "--org", str(org))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2] == (
        "Recurring deployment bug incidents: root cause 'deployment-bug' on 4 incidents across "
        "2 services (payments/INC-2023-0089, platform/INC-2023-1089, payments/INC-2024-0015, "
        "platform/INC-2024-1015)"
    )


def test_patterns_over_the_teams_refuse_what_writes_naming_it(org: Path) -> None:
    written = run_cli("patterns", "--suggest", "--write", "--org", str(org))
    assert (written.exit_code, written.stdout) == (2, "")
    assert written.stderr == (
        "pmrepo: error: --write works on one repository: with --repo or --org, --suggest only "
        "lists the causes recurring across the teams; write a team's pattern files in its "
        "own repository (pmrepo patterns --suggest --write ROOT)\n"
    )
    for regenerate in ((), ("--check",)):
        result = run_cli("patterns", *regenerate, "--org", str(org))
        assert (result.exit_code, result.stderr) == (
            2,
            "pmrepo: error: --repo and --org go with --suggest only: pattern files are "
            "written per repository\n",
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "teams:\n  - name: a\n    repo: payments\n    colour: red\n",
            "org.yaml:4: teams[0]: unknown key 'colour'",
        ),
        (
            "teams:\n  - name: a\n    repo: nowhere\n",
            "org.yaml:3: teams[0]: {dir}/nowhere is not a folder",
        ),
        ("teams:\n  - name: a\n", "org.yaml:2: teams[0]: 'repo' is missing or not a text"),
        (
            "teams:\n  - name: a\n    repo: payments\n  - name: a\n    repo: platform\n",
            "org.yaml:4: team 'a' is listed twice (first on line 2)",
        ),
        ("teams: [\n", "org.yaml:2: invalid YAML"),
        (
            "teams:\n  - name: pay/ments\n    repo: payments\n",
            "org.yaml:2: teams[0]: a team name has no '/' (it separates the team from the "
            "incident id: payments/INC-2024-0015)",
        ),
        ("team:\n  - name: a\n", "org.yaml:1: unknown key 'team'; did you mean 'teams'?"),
        (
            "teams: payments\n",
            "org.yaml:1: 'teams' must list the teams, each with a name and a repo",
        ),
        (
            "teams:\n  - name: a\n    repo: payments\n    config: none.yaml\n",
            "org.yaml:4: teams[0]: config 'none.yaml' is not a file",
        ),
        (
            "teams:\n  - name: a\n    repo: payments\n    url: file:///etc\n",
            "org.yaml:4: teams[0]: url 'file:///etc' is not an http(s) address like "
            "https://github.com/example/payments-postmortems/blob/main",
        ),
    ],
)
def test_a_bad_org_yaml_is_named_with_its_line(org: Path, text: str, message: str) -> None:
    org.write_text(text, "utf-8")
    result = run_cli("report", "--org", str(org))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"pmrepo: error: {org.parent}/" + message.format(dir=org.parent)
    )


def test_repo_and_root_or_org_do_not_mix(org: Path) -> None:
    payments = str(org.parent / "payments")
    both = run_cli("report", "--org", str(org), "--repo", payments)
    assert (both.exit_code, both.stderr) == (2, "pmrepo: error: give --repo or --org, not both\n")
    root = run_cli("actions", payments, "--repo", payments)
    assert root.exit_code == 2
    assert "give a ROOT (and --config) or --repo/--org, not both" in root.stderr


def test_two_repositories_in_folders_of_one_name_need_an_org_yaml(tmp_path: Path) -> None:
    for team in ("a", "b"):
        shutil.copytree(
            SAMPLE_REPO, tmp_path / team / "postmortems", ignore=shutil.ignore_patterns(".pmrepo_*")
        )
    result = run_cli(
        "report",
        "--repo",
        str(tmp_path / "a" / "postmortems"),
        "--repo",
        str(tmp_path / "b" / "postmortems"),
    )
    assert result.exit_code == 2
    assert "are both named 'postmortems': name the teams in an org.yaml (--org)" in result.stderr


def test_an_uncleared_security_incident_shows_nothing_but_its_id(org: Path) -> None:
    path = org.parent / "payments/2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    path.write_text(path.read_text("utf-8").replace("security: false", "security: true"), "utf-8")
    result = run_cli("review", "--org", str(org), "--month", "2024-01", "--format", "json")
    review = json.loads(result.stdout)
    hidden = next(i for i in review["incidents"] if i["id"] == "INC-2024-0015")
    assert hidden == {
        "team": "payments",
        "id": "INC-2024-0015",
        "date": "2024-01-15",
        "severity": "SEV2",
        "title": "(security incident not cleared for publication)",
        "services": [],
        "root_cause_tags": [],
        "repeat_of": None,
        "repeat_across_teams": None,
    }
    assert not any("payments/INC-2024-0015" in s["incidents"] for s in review["shared"])
    platform = next(i for i in review["incidents"] if i["id"] == "INC-2024-1015")
    assert platform["repeat_across_teams"] is None  # not a repeat of what cannot be shown
    withheld = [a for a in review["open_actions"] if a["incident"] == "INC-2024-0015"]
    assert withheld and all(a["action"].startswith("(security incident") for a in withheld)
    assert all(a["path"] == "" for a in withheld)


def test_review_of_one_repository_names_its_folder_as_the_team() -> None:
    result = run_cli("review", str(SAMPLE_REPO), "--month", "2024-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    review = json.loads(result.stdout)
    assert review["teams"] == ["sample-repo"]
    assert [(i["team"], i["id"]) for i in review["incidents"]] == [
        ("sample-repo", "INC-2024-0003"),
        ("sample-repo", "INC-2024-0015"),
    ]
    assert review["shared"] == []  # one team shares nothing across teams


def test_a_repeat_window_of_ages_still_reviews(org: Path) -> None:
    (org.parent / "platform" / ".pmrepo.yaml").write_text(
        "root: .\nrepeats:\n  window_days: 99999999\n", "utf-8"
    )
    result = run_cli("review", "--org", str(org), "--month", "2024-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    platform = next(i for i in json.loads(result.stdout)["incidents"] if i["id"] == "INC-2024-1015")
    assert platform["repeat_across_teams"]["earlier"] == "payments/INC-2024-0015"


def _review_repeats(org: Path, year: int) -> list[str]:
    """The incidents of a year that the monthly reviews (every severity) show as repeats."""
    found = []
    for month in range(1, 13):
        result = run_cli(
            *("review", "--org", str(org), "--month", f"{year}-{month:02d}"),
            *("--severity", "SEV1,SEV2,SEV3,SEV4", "--format", "json", "--today", "2025-01-15"),
        )
        assert result.exit_code == 0, result.stderr
        for seen in json.loads(result.stdout)["incidents"]:
            if seen["repeat_of"] or seen["repeat_across_teams"]:
                found.append(f"{seen['team']}/{seen['id']}")
    return found


def test_the_report_counts_the_repeats_across_teams_that_the_review_lists(org: Path) -> None:
    """One count of repeats over the organisation: within a team or of another team's."""
    built = json.loads(
        run_cli(
            *("report", "--org", str(org), "--year", "2024", "--today", "2025-01-15"),
            *("--format", "json"),
        ).stdout
    )
    across = _review_repeats(org, 2024)
    assert "platform/INC-2024-1002" in across  # of payments/INC-2024-0002 only
    assert built["repeat_incidents"] == len(across) == 9


@pytest.mark.parametrize("second", ["payments", "./platform/../payments", "alias"])
def test_a_repository_listed_twice_in_org_yaml_is_refused(org: Path, second: str) -> None:
    """Read twice, a repository would count each incident twice in every number."""
    (org.parent / "alias").symlink_to(org.parent / "payments")
    org.write_text(
        f"teams:\n  - name: payments\n    repo: payments\n  - name: again\n    repo: {second}\n",
        "utf-8",
    )
    result = run_cli("report", "--org", str(org), "--year", "2024")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"pmrepo: error: {org}:5: teams[1]: {org.parent / second} is the repository of team "
        "'payments' (line 3) too: list each repository once\n"
    )


def test_a_repository_given_twice_by_repo_is_refused(org: Path) -> None:
    payments = org.parent / "payments"
    for again in (payments, org.parent / "platform" / ".." / "payments"):
        result = run_cli("actions", "--repo", str(payments), "--repo", str(again))
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"pmrepo: error: --repo {again} and --repo {payments} are one repository: give "
            "each once (read twice, every number would count its incidents twice)\n"
        )
