"""PM5xx-PM7xx on the sample post-mortem: timeline, metrics, action items, publishing policy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, SEED_NAME, run_cli

from postmortem_repo import api

MakeRepo = Callable[[dict[str, str | bytes]], Path]
POLICY = ("PM5", "PM6", "PM7")

SEED_ACTIONS = """\
| # | Action | Owner | Priority | Due | Status |
|---|--------|-------|----------|-----|--------|
| 1 | Add 30s query timeout to all DB connection pools | sre-team | P0 | Jan 22 | DONE |
| 2 | Add latency check to canary analysis (>50% regression = block) | platform-team | P0 | Jan 29 | OPEN |
| 3 | Build perf test stage in CI with 10M+ row dataset | platform-team | P1 | Feb 15 | OPEN |
| 4 | Review and increase connection pool size from 100 to 200 | sre-team | P1 | Jan 29 | DONE |
| 5 | Add connection pool utilization alert (>80% for 5 min) | sre-team | P1 | Feb 5 | OPEN |
"""  # noqa: E501 -- the sample's table, verbatim


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def findings(root: Path, select: tuple[str, ...] = POLICY) -> list[tuple[str, int, int, str]]:
    result = api.check([root], select=select)
    return [(f.code, f.line, f.column, f.message) for f in result.findings]


def with_seed_actions(seed_text: str) -> str:
    start = seed_text.index("| # | Action |")
    end = seed_text.index("\n\n", start)
    return seed_text[:start] + SEED_ACTIONS.rstrip("\n") + seed_text[end:]


def test_the_seed_sample_passes_every_policy_rule(make_repo: MakeRepo, seed_text: str) -> None:
    assert findings(make_repo({SEED_NAME: seed_text})) == []


def test_the_seeds_own_action_table_is_flagged_only_for_its_item_2(
    make_repo: MakeRepo, seed_text: str
) -> None:
    text = with_seed_actions(seed_text)
    root = make_repo({SEED_NAME: text})
    line = line_of(text, "| 2 | Add latency check")
    assert findings(root) == [
        (
            "PM604",
            line,
            text.splitlines()[line - 1].index("Jan 29") + 1,
            "P0 due 2024-01-29 is 14 days after the incident; P0 items are due within 7 days "
            "(by 2024-01-22)",
        )
    ]


def test_timeline_times_order_and_window(make_repo: MakeRepo, seed_text: str) -> None:
    text = (
        seed_text.replace("| 14:25:12 | alert |", "| 2:25ish | alert |")
        .replace("| 14:26:00 | human |", "| 14:31:00 | human |")
        .replace("| 14:28:00 | human |", "| 09:14:00 | human |")
    )
    root = make_repo({SEED_NAME: text})
    assert findings(root, ("PM501", "PM502", "PM503")) == [
        (
            "PM501",
            71,
            3,
            "cannot read the time '2:25ish'",
        ),
        (
            "PM502",
            74,
            3,
            "09:14:00 comes after 14:31:00 (line 73) but is earlier",
        ),
        ("PM503", 74, 3, "09:14:00 is 309 minutes before started_at (14:23 UTC)"),
        ("PM502", 75, 3, "14:30:00 comes after 14:31:00 (line 73) but is earlier"),
    ]


def test_a_timeline_that_crosses_midnight_is_in_order(make_repo: MakeRepo, seed_text: str) -> None:
    text = (
        seed_text.replace("started_at: 2024-01-15T14:23:00Z", "started_at: 2024-01-15T23:50:00Z")
        .replace("detected_at: 2024-01-15T14:25:00Z", "detected_at: 2024-01-15T23:55:00Z")
        .replace("resolved_at: 2024-01-15T14:45:00Z", "resolved_at: 2024-01-16T00:20:00Z")
    )
    start = text.index("| 14:23:00 | deployment |")
    end = text.index("\n\n", start)
    rows = "\n".join(
        [
            "| 23:50:00 | deployment | v2.4.0 deployed to production by deploy-bot |",
            "| 23:55:00 | alert | Alert firing |",
            "| 00:05:00 | human | Rollback started |",
            "| 00:20:00 | human | Resolved |",
            "| 00:25:00 | human | War room closed |",
        ]
    )
    root = make_repo({SEED_NAME: text[:start] + rows + text[end:]})
    assert findings(root, ("PM5",)) != []  # the metrics no longer match the new timestamps
    assert findings(root, ("PM501", "PM502", "PM503", "PM505")) == []


def test_metrics_must_agree_with_the_timestamps(make_repo: MakeRepo, seed_text: str) -> None:
    text = seed_text.replace("| MTTR | 20 minutes |", "| MTTR | 25 minutes |").replace(
        "| Detection Time | 14:25 UTC |", "| Detection Time | 14:52 UTC |"
    )
    root = make_repo({SEED_NAME: text})
    assert findings(root, ("PM504",)) == [
        (
            "PM504",
            line_of(text, "| Detection Time |"),
            20,
            "Detection Time is '14:52 UTC' but detected_at is 14:25 UTC",
        ),
        (
            "PM504",
            line_of(text, "| MTTR |"),
            10,
            "MTTR is '25 minutes' but resolved_at − detected_at is 20 minutes",
        ),
    ]


def test_timestamps_out_of_order(make_repo: MakeRepo, seed_text: str) -> None:
    text = seed_text.replace(
        "detected_at: 2024-01-15T14:25:00Z", "detected_at: 2024-01-15T14:20:00Z"
    )
    root = make_repo({SEED_NAME: text})
    assert findings(root, ("PM505",)) == [
        ("PM505", line_of(text, "detected_at:"), 14, "detected_at is before started_at")
    ]


def action_row(text: str, number: int, row: str) -> str:
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(f"| {number} | "))
    lines[index] = row + "\n"
    return "".join(lines)


def test_action_item_rules(make_repo: MakeRepo, seed_text: str) -> None:
    text = action_row(
        seed_text, 1, "| 1 | Improve monitoring | TBD | High | 2024-01-20 | finished |"
    )
    text = action_row(
        text, 2, "| 2 | Add latency check to canary analysis | platform-team | P0 | soon | OPEN |"
    )
    text = action_row(
        text, 3, "| 3 | Build perf test stage | platform-team | P1 | 2024-01-02 | OPEN |"
    )
    root = make_repo({SEED_NAME: text})
    first, second, third = (line_of(text, f"| {n} | ") for n in (1, 2, 3))
    assert findings(root, ("PM6",)) == [
        ("PM605", first, 7, "action 'Improve monitoring' is too vague to be done"),
        ("PM601", first, 28, "action item 1 has no owner"),
        ("PM602", first, 34, "priority 'High' is not P0, P1 or P2"),
        ("PM603", first, 54, "status 'finished' is not one of OPEN, IN PROGRESS, DONE, WON'T DO"),
        ("PM604", second, 67, "cannot read the due date 'soon'"),
        ("PM604", third, 52, "due date 2024-01-02 is before the incident (2024-01-15)"),
    ]
    draft = text.replace("status: PUBLISHED", "status: DRAFT")
    root = make_repo({SEED_NAME: draft})
    assert "PM601" not in {code for code, *_ in findings(root, ("PM6",))}


def test_a_published_post_mortem_needs_action_items_and_a_sign_off(
    make_repo: MakeRepo, seed_text: str
) -> None:
    start = seed_text.index("| 1 | Add 30s query timeout")
    end = seed_text.index("\n\n", start)
    text = seed_text[:start].rstrip("\n") + seed_text[end:]
    text = text.replace("| Bob Johnson | 2024-01-17 |", "| [Name] | [Date] |")
    text = text.replace("| Carol Williams | 2024-01-17 |", "| TBD | |")
    text = text.replace("| Alice Smith | 2024-01-17 |", "| Alice Smith | |")
    root = make_repo({SEED_NAME: text})
    assert findings(root, ("PM606", "PM702")) == [
        (
            "PM606",
            line_of(text, "| # | Action |"),
            1,
            "a PUBLISHED post-mortem has no action items",
        ),
        (
            "PM702",
            line_of(text, "| Role | Name | Date |"),
            1,
            "a PUBLISHED post-mortem needs a sign-off row with a name and a date",
        ),
    ]


def test_publish_deadline_from_published_at(make_repo: MakeRepo, seed_text: str) -> None:
    late = seed_text.replace(
        "published_at: 2024-01-17T11:00:00Z", "published_at: 2024-01-19T15:00:00Z"
    )
    root = make_repo({SEED_NAME: late})
    assert findings(root, ("PM701",)) == [
        (
            "PM701",
            line_of(late, "published_at:"),
            15,
            "published 96 hours after resolution (from published_at); SEV2 post-mortems are "
            "due within 48 hours",
        )
    ]
    data_loss = seed_text.replace("data_loss: false", "data_loss: true")
    root = make_repo({SEED_NAME: data_loss})
    assert [code for code, *_ in findings(root, ("PM701",))] == ["PM701"]  # 44 h > 24 h


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root.parent)}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.parametrize(
    ("committed", "late"), [("2024-01-17T09:00:00Z", False), ("2024-01-20T09:00:00Z", True)]
)
def test_publish_deadline_from_the_first_git_commit(
    make_repo: MakeRepo, seed_text: str, committed: str, late: bool
) -> None:
    text = seed_text.replace("published_at: 2024-01-17T11:00:00Z\n", "")
    root = make_repo({SEED_NAME: "draft\n"})
    git(root, "init", "-q")
    git(root, "config", "user.email", "sre@example.com")
    git(root, "config", "user.name", "SRE")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Draft", when=committed)
    (root / SEED_NAME).write_text(text, "utf-8")
    git(root, "commit", "-qam", "Publish", when="2024-02-01T09:00:00Z")
    expected = [
        (
            "PM701",
            line_of(text, "status:"),
            9,
            "published 114 hours after resolution (from its first commit); SEV2 post-mortems "
            "are due within 48 hours",
        )
    ]
    assert findings(root, ("PM701",)) == (expected if late else [])


def test_related_ids_must_exist_and_security_incidents_need_clearing(
    make_repo: MakeRepo, seed_text: str
) -> None:
    text = seed_text.replace("related:\n  []\n", "related:\n  - INC-2023-0089\n").replace(
        "security: false", "security: true"
    )
    root = make_repo({SEED_NAME: text})
    assert findings(root, ("PM703", "PM704")) == [
        (
            "PM704",
            line_of(text, "status:"),
            9,
            "a security incident is PUBLISHED without security_cleared: true",
        ),
        (
            "PM703",
            line_of(text, "  - INC-2023-0089"),
            5,
            "related: no post-mortem in the repository has the id INC-2023-0089",
        ),
    ]
    other = seed_text.replace("id: INC-2024-0015", "id: INC-2023-0089").replace(
        "date: 2024-01-15", "date: 2023-11-14"
    )
    (root / "2023/Q4").mkdir(parents=True)
    (root / "2023/Q4/INC-2023-0089-knox.md").write_text(other, "utf-8")
    assert [code for code, *_ in findings(root, ("PM703",))] == []


FAKE_CLOCK = """
import datetime as _dt
class _Date(_dt.date):
    @classmethod
    def today(cls):
        return cls.fromisoformat({day!r})
class _DateTime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls.fromisoformat({day!r} + "T12:00:00+00:00")
    @classmethod
    def utcnow(cls):
        return cls.fromisoformat({day!r} + "T12:00:00")
_dt.date = _Date
_dt.datetime = _DateTime
import time as _time
_time.time = lambda: _DateTime.now().timestamp()
"""


def test_check_never_depends_on_todays_date(tmp_path: Path, seed_text: str) -> None:
    root = tmp_path / "repo"
    (root / "2024/Q1").mkdir(parents=True)
    text = with_seed_actions(seed_text).replace("status: PUBLISHED", "status: IN REVIEW")
    (root / SEED_NAME).write_text(text, "utf-8")
    outputs = []
    for day in ("2024-01-16", "2031-06-30"):
        site = tmp_path / f"clock-{day}"
        site.mkdir()
        (site / "sitecustomize.py").write_text(FAKE_CLOCK.format(day=day), "utf-8")
        env = {**os.environ, "PYTHONPATH": str(site)}
        check = subprocess.run(
            [sys.executable, "-c", "import datetime; print(datetime.date.today())"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert check.stdout.strip() == day  # the fake clock is in effect
        completed = subprocess.run(
            [sys.executable, "-m", "postmortem_repo", "check", str(root), "--format", "json"],
            env=env,
            capture_output=True,
            text=True,
        )
        outputs.append((completed.returncode, json.loads(completed.stdout)))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 1 and outputs[0][1]["summary"]["errors"] >= 1


# Found by review, each with the minimal input.


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


def test_an_item_number_that_names_no_item_of_its_own_is_flagged(
    make_repo: MakeRepo, seed_text: str
) -> None:
    """The # cell is the item's key in trackers: none, not a whole number, or taken."""
    text = seed_text.replace("| 2 | Add latency check", "| 1 | Add latency check")
    text = text.replace("| 3 | Build perf test", "| | Build perf test")
    text = text.replace("| 4 | Review and increase", "| 4a | Review and increase")
    root = make_repo({SEED_NAME: text})
    first = line_of(text, "| 1 | Add 30s query timeout")
    assert findings(root, ("PM607",)) == [
        ("PM607", first + 1, 3, f"action item number 1 is taken by the item on line {first}"),
        ("PM607", first + 2, 3, "action item has no number in its # cell"),
        ("PM607", first + 3, 3, "action item number '4a' is not a whole number from 1"),
    ]
    draft = text.replace("status: PUBLISHED", "status: DRAFT")
    assert len(findings(make_repo({SEED_NAME: draft}), ("PM607",))) == 3
