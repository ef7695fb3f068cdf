"""pmrepo actions and pmrepo report on sample-repo, against reviewed golden files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_REPO, run_cli

GOLDEN = REPO / "tests" / "golden"


def test_report_for_a_quarter_matches_the_golden_markdown() -> None:
    result = run_cli("report", str(SAMPLE_REPO), "--quarter", "2024Q1", "--today", "2024-02-01")
    assert result.exit_code == 0
    assert result.stdout == (GOLDEN / "report-2024Q1.md").read_text("utf-8")


def test_report_for_a_year_matches_the_golden_json() -> None:
    result = run_cli(
        "report", str(SAMPLE_REPO), "--year", "2024", "--today", "2024-12-31", "--format", "json"
    )
    assert json.loads(result.stdout) == json.loads((GOLDEN / "report-2024.json").read_text())
    assert result.stdout == (GOLDEN / "report-2024.json").read_text("utf-8")


@pytest.mark.parametrize("spelling", ["2024Q1", "2024-Q1", "Q1 2024", "q1-2024"])
def test_quarter_spellings(spelling: str) -> None:
    result = run_cli("report", str(SAMPLE_REPO), "--quarter", spelling, "--today", "2024-02-01")
    assert result.stdout.startswith("# Incident report: Q1 2024\n")


def test_report_refuses_a_bad_period() -> None:
    result = run_cli("report", str(SAMPLE_REPO), "--quarter", "2024Q5")
    assert result.exit_code == 2
    assert "--quarter: '2024Q5' is not a quarter like 2024Q1" in result.stderr
    both = run_cli("report", str(SAMPLE_REPO), "--quarter", "2024Q1", "--year", "2024")
    assert both.exit_code == 2


def test_actions_grouped_by_owner_match_the_golden_markdown() -> None:
    result = run_cli(
        "actions",
        str(SAMPLE_REPO),
        "--today",
        "2024-02-01",
        "--group-by",
        "owner",
        "--format",
        "markdown",
    )
    assert result.stdout == (GOLDEN / "actions-by-owner.md").read_text("utf-8")


def test_actions_filters_and_text_output() -> None:
    result = run_cli(
        "actions",
        str(SAMPLE_REPO),
        "--today",
        "2024-02-01",
        "--owner",
        "sre-team",
        "--priority",
        "P1",
    )
    assert result.stdout.splitlines() == [
        "P1: 3 items, 0 overdue",
        "  INC-2024-0003 #5 [P1] Run a weekly synthetic purge of a canary object and alert on "
        "any non-2xx response (owner sre-team, due 2024-02-02, OPEN)",
        "  INC-2024-0015 #5 [P1] Add connection pool utilization alert (>80% for 5 min) (owner "
        "sre-team, due 2024-02-05, OPEN)",
        "  INC-2024-0034 #2 [P1] Alert when > 25% of consumer group members have no partition "
        "assignment for 10 minutes (owner sre-team, due 2024-08-30, OPEN)",
    ]
    overdue = run_cli(
        "actions", str(SAMPLE_REPO), "--today", "2024-02-01", "--overdue", "--format", "json"
    )
    payload = json.loads(overdue.stdout)
    assert payload["summary"] == {"items": 4, "overdue": 4, "p0_alerts": 1}
    assert [(i["incident"], i["number"], i["overdue_days"]) for i in payload["items"]] == [
        ("INC-2024-0015", "2", 10),
        ("INC-2023-0089", "3", 55),
        ("INC-2023-0047", "5", 174),
        ("INC-2023-0061", "5", 93),
    ]
    assert payload["items"][0]["path"] == "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"


def test_actions_check_answers_for_the_owner_asked_about() -> None:
    # INC-2024-0015 #2, the overdue P0, is platform-team's.
    args = ("actions", str(SAMPLE_REPO), "--check", "--today", "2024-01-24")
    assert run_cli(*args, "--owner", "platform-team").exit_code == 1
    assert run_cli(*args, "--owner", "sre-team").exit_code == 0


@pytest.mark.parametrize(
    ("filters", "code"),
    [
        (("--priority", "P1"), 0),
        (("--priority", "P0"), 1),
        (("--status", "IN PROGRESS"), 0),
        (("--overdue",), 1),
        (("--priority", "P1", "--owner", "platform-team"), 0),
    ],
)
def test_actions_check_answers_for_the_items_the_filters_select(
    filters: tuple[str, ...], code: int
) -> None:
    # INC-2024-0015 #2, platform-team's P0 (OPEN), is overdue by two days: listed or not.
    args = ("actions", str(SAMPLE_REPO), "--check", "--today", "2024-01-24", *filters)
    result = run_cli(*args)
    assert result.exit_code == code
    assert ("INC-2024-0015 #2" in result.stderr) == bool(code)


@pytest.mark.parametrize(
    ("today", "code"),
    [("2024-01-22", 0), ("2024-01-23", 0), ("2024-01-24", 1)],
)
def test_actions_check_alerts_on_a_p0_overdue_by_more_than_24_hours(today: str, code: int) -> None:
    # INC-2024-0015 #2 is a P0 due 2024-01-22: overdue by a day on the 23rd, by two on the 24th.
    result = run_cli("actions", str(SAMPLE_REPO), "--check", "--today", today, "--priority", "P0")
    assert result.exit_code == code
    if code:
        assert (
            "pmrepo: P0 overdue by 2 days: INC-2024-0015 #2 "
            "(2024/Q1/INC-2024-0015-payment-api-latency-degradation.md:148)" in result.stderr
        )


def test_actions_withholds_uncleared_security_incidents(tmp_path: Path) -> None:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo)
    secret = repo / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    secret.write_text(secret.read_text("utf-8").replace("security_cleared: true\n", ""), "utf-8")
    result = run_cli("actions", str(repo), "--today", "2024-02-01", "--format", "json")
    items = [i for i in json.loads(result.stdout)["items"] if i["incident"] == "INC-2024-0003"]
    assert items and all("details withheld" in item["action"] for item in items)


def test_a_bad_today_is_a_usage_error() -> None:
    result = run_cli("actions", str(SAMPLE_REPO), "--today", "yesterday")
    assert result.exit_code == 2
    assert "'yesterday' is not a date like 2024-01-31" in result.stderr


def test_action_text_reaches_the_terminal_shown_not_acted_on(repo: Path) -> None:
    """An action item (or owner) written with escape sequences is printed with them
    visible, in the list and in the P0 alert, and drives no terminal."""
    seed = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = seed.read_text("utf-8")
    text = text.replace(
        "| Add latency check to canary", "| \x1b[2J\x1b]0;owned\x07Add latency check to canary"
    )
    seed.write_text(text.replace("| platform-team | P0 |", "| platform\x1b[31m-team | P0 |", 1))
    listed = run_cli("actions", str(repo), "--today", "2025-06-30", "--check")
    assert listed.exit_code == 1
    for output in (listed.stdout, listed.stderr):
        assert "\x1b" not in output and "\x07" not in output
    assert "\\x1b[2J\\x1b]0;owned\\x07Add latency check to canary" in listed.stdout
    assert "owner platform\\x1b[31m-team" in listed.stdout


def test_code_in_an_action_stays_code_in_the_markdown_dashboard(repo: Path) -> None:
    """`statement_timeout` renders as code; the rest of the cell is escaped as before."""
    path = repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    text = path.read_text("utf-8").replace(
        "| 2 | Add latency check to canary analysis (>50% regression = block) |",
        "| 2 | Set `statement_timeout = 30s \\| 60s` in *payment-api* |",
    )
    path.write_text(text, "utf-8")
    result = run_cli("actions", str(repo), "--today", "2024-02-01", "--format", "markdown")
    row = next(line for line in result.stdout.splitlines() if "statement_timeout" in line)
    assert "| Set `statement_timeout = 30s \\| 60s` in \\*payment-api\\* |" in row
