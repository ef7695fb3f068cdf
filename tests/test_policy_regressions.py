"""Defects found by review of the PM5xx-PM7xx rules and the reports, one test each."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import SAMPLE_REPO, SEED_NAME, run_cli
from test_policy_rules import MakeRepo, findings, git, line_of


def timeline(text: str, rows: list[str], header: str = "| Time (UTC) | Source | Event |") -> str:
    start = text.index("| Time (UTC) | Source | Event |")
    end = text.index("\n\n", start)
    divider = "|" + "---|" * (header.count("|") - 1)
    return text[:start] + "\n".join([header, divider, *rows]) + text[end:]


def stamps(text: str, started: str, detected: str, resolved: str) -> str:
    return (
        text.replace("started_at: 2024-01-15T14:23:00Z", f"started_at: {started}")
        .replace("detected_at: 2024-01-15T14:25:00Z", f"detected_at: {detected}")
        .replace("resolved_at: 2024-01-15T14:45:00Z", f"resolved_at: {resolved}")
    )


def test_a_long_incident_on_one_day_is_in_order_and_in_its_window(
    make_repo: MakeRepo, seed_text: str
) -> None:
    text = stamps(seed_text, "2024-01-15T01:10:00Z", "2024-01-15T01:10:00Z", "2024-01-15T14:45:00Z")
    rows = [
        "| 01:10 | alert | Alert |",
        "| 01:15 | human | Ack |",
        "| 14:30 | human | Fix |",
        "| 14:45 | human | Resolved |",
    ]
    root = make_repo({SEED_NAME: timeline(text, rows)})
    assert findings(root, ("PM501", "PM502", "PM503")) == []


def test_a_date_column_carries_a_timeline_across_days(make_repo: MakeRepo, seed_text: str) -> None:
    text = stamps(seed_text, "2024-01-15T02:00:00Z", "2024-01-15T03:00:00Z", "2024-01-16T08:00:00Z")
    rows = [
        "| 2024-01-15 | 02:00 | alert | Start |",
        "| 2024-01-15 | 03:00 | alert | Detected |",
        "| 2024-01-16 | 01:00 | human | Mitigated |",
        "| 2024-01-16 | 08:00 | human | Resolved |",
    ]
    header = "| Date | Time (UTC) | Source | Event |"
    root = make_repo({SEED_NAME: timeline(text, rows, header)})
    assert findings(root, ("PM501", "PM502", "PM503")) == []


def test_extreme_timestamps_never_stop_the_check(make_repo: MakeRepo, seed_text: str) -> None:
    text = seed_text.replace("started_at: 2024-01-15T14:23:00Z", "started_at: 0001-01-01T00:00:00Z")
    text = text.replace("resolved_at: 2024-01-15T14:45:00Z", "resolved_at: 9999-12-31T23:59:59Z")
    root = make_repo({SEED_NAME: text})
    result = run_cli("check", str(root))
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_pm701_ignores_a_shallow_clone(make_repo: MakeRepo, seed_text: str, tmp_path: Path) -> None:
    text = seed_text.replace("published_at: 2024-01-17T11:00:00Z\n", "")
    root = make_repo({SEED_NAME: text})
    git(root, "init", "-q")
    git(root, "config", "user.email", "sre@example.com")
    git(root, "config", "user.name", "SRE")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Publish", when="2024-01-16T09:00:00Z")
    (root / "notes.txt").write_text("later\n", "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Later", when="2024-06-01T09:00:00Z")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)],
        check=True,
        capture_output=True,
    )
    assert findings(root, ("PM701",)) == []
    assert findings(clone, ("PM701",)) == []  # not "published 3,300 hours after resolution"


def test_pm701_deadlines_follow_the_seed(make_repo: MakeRepo, seed_text: str) -> None:
    late = seed_text.replace(
        "published_at: 2024-01-17T11:00:00Z", "published_at: 2024-02-20T11:00:00Z"
    )
    security = late.replace("security: false", "security: true\nsecurity_cleared: true")
    root = make_repo({SEED_NAME: security})
    assert findings(root, ("PM701",)) == []  # published when security cleared it
    visible = late.replace("severity: SEV2", "severity: SEV3")
    root = make_repo({SEED_NAME: visible})
    assert [m for *_, m in findings(root, ("PM701",))] == [
        "published 860 hours after resolution (from published_at); customer-visible (over 15 "
        "minutes) post-mortems are due within 48 hours"
    ]
    near = visible.replace("customer_visible: true", "customer_visible: false").replace(
        "near_miss: false", "near_miss: true"
    )
    root = make_repo({SEED_NAME: near})
    assert [m for *_, m in findings(root, ("PM701",))] == [
        "published 860 hours after resolution (from published_at); near-miss post-mortems are "
        "due within 168 hours"
    ]


def test_metrics_written_with_dates_units_and_emphasis(make_repo: MakeRepo, seed_text: str) -> None:
    text = (
        seed_text.replace("| Start Time | 14:23 UTC |", "| Start Time | 2024-01-15 14:23 UTC |")
        .replace("| Total Duration | 22 minutes |", "| Total Duration | **22 min.** |")
        .replace("| MTTD | 2 minutes |", "| MTTD (minutes) | 2 |")
        .replace("| MTTR | 20 minutes |", "| Time to Recover (MTTR) | ~25 min (approx) |")
    )
    root = make_repo({SEED_NAME: text})
    assert findings(root, ("PM504",)) == [
        (
            "PM504",
            line_of(text, "| Time to Recover (MTTR) |"),
            28,
            "Time to Recover (MTTR) is '~25 min (approx)' but resolved_at − detected_at is "
            "20 minutes",
        )
    ]


def test_a_second_action_table_is_read_too(make_repo: MakeRepo, seed_text: str) -> None:
    extra = (
        "\n### Long-term\n\n| # | Action | Owner | Priority | Due | Status |\n"
        "|---|---|---|---|---|---|\n| 6 | Improve testing and monitoring | sre-team | P2 | "
        "2024-03-01 | Closed |\n"
    )
    text = seed_text.replace("\n## Related Incidents", extra + "\n## Related Incidents")
    root = make_repo({SEED_NAME: text})
    row = line_of(text, "| 6 | Improve testing")
    assert [(code, line) for code, line, *_ in findings(root, ("PM6",))] == [
        ("PM605", row),
        ("PM603", row),
    ]
    listed = run_cli("actions", str(root), "--all", "--today", "2024-02-01", "--format", "json")
    assert '"number": "6"' in listed.stdout


def test_published_before_resolved_is_out_of_order(make_repo: MakeRepo, seed_text: str) -> None:
    text = seed_text.replace(
        "published_at: 2024-01-17T11:00:00Z", "published_at: 2024-01-15T14:00:00Z"
    )
    root = make_repo({SEED_NAME: text})
    assert findings(root, ("PM505",)) == [
        ("PM505", line_of(text, "published_at:"), 15, "published_at is before resolved_at")
    ]


def test_report_judges_the_repeat_target_against_a_year_before() -> None:
    result = run_cli("report", str(SAMPLE_REPO), "--quarter", "2024Q3", "--today", "2024-12-01")
    assert (
        "Repeat rate 100.0% against 0.0% in Q3 2023 (target: 30% fewer repeats than a year "
        "before: not met)." in result.stdout
    )
