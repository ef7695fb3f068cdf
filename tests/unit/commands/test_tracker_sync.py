"""pmrepo actions --sync-from FILE: a tracker's export (Jira CSV, `gh issue list --json`)
against the post-mortems' Status cells."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SAMPLE_REPO, run_cli

SEED = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"

# As Jira's "Export CSV (all fields)" writes it: one Labels column per label.
JIRA_EXPORT = (
    "Summary,Issue key,Issue id,Issue Type,Status,Priority,Labels,Labels,Labels\n"
    "Add query timeout,PAY-11,10011,Task,To Do,Highest,pmrepo-INC-2024-0015-1,postmortem,\n"
    "Add latency check,PAY-12,10012,Task,Done,Highest,postmortem,pmrepo-INC-2024-0015-2,\n"
    "Build perf test stage,PAY-13,10013,Task,In Progress,High,pmrepo-INC-2024-0015-3,,\n"
    "Someone else's,PAY-14,10014,Task,To Do,Low,unrelated,,\n"
    "Gone,PAY-15,10015,Task,To Do,Low,pmrepo-INC-2099-0001-1,,\n"
)


def _sync(export: Path) -> tuple[int, list[str], str]:
    result = run_cli("actions", str(SAMPLE_REPO), "--sync-from", str(export))
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_a_jira_export_shows_the_statuses_that_differ(tmp_path: Path) -> None:
    export = tmp_path / "jira.csv"
    export.write_text(JIRA_EXPORT, "utf-8")
    code, lines, stderr = _sync(export)
    assert (code, stderr) == (1, "")
    assert lines[:3] == [
        f"INC-2024-0015 #1: the post-mortem says DONE, Jira PAY-11 says To Do ({SEED}:147)",
        f"INC-2024-0015 #2: the post-mortem says OPEN, Jira PAY-12 says Done ({SEED}:148)",
        "pmrepo-INC-2099-0001-1: Jira PAY-15 has no such action item in the post-mortems",
    ]
    assert lines[3].startswith("19 open items with no Jira issue: INC-2023-0047 #5, ")
    assert len(lines) == 4


def test_gh_issue_list_json_is_read_as_github_issues(tmp_path: Path) -> None:
    export = tmp_path / "issues.json"
    issues = [
        {"number": 7, "state": "CLOSED", "labels": [{"name": "pmrepo-INC-2024-0015-2"}]},
        {"number": 8, "state": "OPEN", "labels": [{"name": "pmrepo-INC-2024-0015-3"}]},
        {"number": 9, "state": "CLOSED", "labels": [{"name": "pmrepo-INC-2024-0015-4"}]},
        {"number": 10, "state": "OPEN", "labels": []},
    ]
    export.write_text(json.dumps(issues, indent=2), "utf-8")
    code, lines, _ = _sync(export)
    assert code == 1
    assert lines[0] == (
        f"INC-2024-0015 #2: the post-mortem says OPEN, GitHub #7 says CLOSED ({SEED}:148)"
    )
    assert len(lines) == 2 and lines[1].startswith("19 open items with no GitHub issue")


def test_no_difference_exits_0(tmp_path: Path) -> None:
    export = tmp_path / "issues.json"
    export.write_text(
        json.dumps([{"number": 8, "state": "OPEN", "labels": [{"name": "pmrepo-INC-2024-0015-3"}]}])
    )
    code, lines, _ = _sync(export)
    assert code == 0
    assert lines[-1] == "No status differs between GitHub and the post-mortems."


def test_an_export_pmrepo_cannot_read_is_named_with_its_line(tmp_path: Path) -> None:
    no_status = tmp_path / "jira.csv"
    no_status.write_text("Summary,Issue key,Labels\nx,PAY-1,pmrepo-INC-2024-0015-1\n")
    code, lines, stderr = _sync(no_status)
    assert (code, lines) == (2, [])
    assert stderr == (
        f"pmrepo: error: {no_status}:1: a Jira CSV export needs the columns Issue key, Status "
        "and Labels (found: Summary, Issue key, Labels)\n"
    )
    broken = tmp_path / "issues.json"
    broken.write_text('[\n  {"number": 1,\n  "state": }\n]\n')
    code, _, stderr = _sync(broken)
    assert code == 2
    assert stderr.startswith(f"pmrepo: error: {broken}:3: not JSON: Expecting value")
    fields = tmp_path / "fields.json"
    fields.write_text('[{"title": "x"}]')
    assert _sync(fields)[2] == (
        f"pmrepo: error: {fields}: issue 1 has no number or state: export with "
        "`gh issue list --state all --json number,state,stateReason,labels`\n"
    )


def test_a_re_export_with_the_tracker_export_adds_only_new_items(tmp_path: Path) -> None:
    export = tmp_path / "jira.csv"
    export.write_text(JIRA_EXPORT, "utf-8")
    everything = run_cli("actions", str(SAMPLE_REPO), "--format", "github-issues", "--all")
    only_new = run_cli(
        "actions",
        str(SAMPLE_REPO),
        "--format",
        "github-issues",
        "--all",
        "--sync-from",
        str(export),
    )
    assert only_new.exit_code == 0
    keys = [
        {json.loads(line)["labels"][0] for line in result.stdout.splitlines()}
        for result in (everything, only_new)
    ]
    tracked = {f"pmrepo-INC-2024-0015-{n}" for n in (1, 2, 3)}
    assert tracked <= keys[0]
    assert keys[1] == keys[0] - tracked


def test_a_jira_status_of_the_done_category_is_closed(tmp_path: Path) -> None:
    export = tmp_path / "jira.csv"
    export.write_text(
        "Summary,Issue key,Status,Status Category,Labels\n"
        "Add latency check,PAY-12,Shipped,Done,pmrepo-INC-2024-0015-2\n"
        "Add query timeout,PAY-11,Shipped,Done,pmrepo-INC-2024-0015-1\n",
        "utf-8",
    )
    code, lines, _ = _sync(export)
    assert code == 1
    assert lines[0] == (
        f"INC-2024-0015 #2: the post-mortem says OPEN, Jira PAY-12 says Shipped ({SEED}:148)"
    )
    assert not any("#1:" in line for line in lines)  # DONE in both


def test_without_a_status_category_a_resolved_jira_issue_is_closed(tmp_path: Path) -> None:
    """A custom status pmrepo does not know, with a Resolution or a Resolved date: closed,
    as Jira's Done category would say; "Unresolved" and no date: open. With a Status
    Category column, the category decides (a reopened issue may keep its resolution)."""
    export = tmp_path / "jira.csv"
    header = "Summary,Issue key,Status,Resolution,Resolved,Labels\n"
    export.write_text(
        header + "Timeout,PAY-11,Awaiting Deploy Verification,Fixed,01/Mar/25 11:00 AM,"
        "pmrepo-INC-2024-0015-1\n"
        "Canary,PAY-12,Awaiting Deploy Verification,,01/Mar/25 11:00 AM,pmrepo-INC-2024-0015-2\n"
        "Pool size,PAY-14,Awaiting Deploy Verification,Unresolved,,pmrepo-INC-2024-0015-4\n",
        "utf-8",
    )
    code, lines, _ = _sync(export)
    assert code == 1
    assert lines[:2] == [
        "INC-2024-0015 #2: the post-mortem says OPEN, Jira PAY-12 says Awaiting Deploy "
        f"Verification ({SEED}:148)",
        "INC-2024-0015 #4: the post-mortem says DONE, Jira PAY-14 says Awaiting Deploy "
        f"Verification ({SEED}:150)",
    ]
    categorised = tmp_path / "categorised.csv"
    categorised.write_text(
        "Summary,Issue key,Status,Resolution,Status Category,Labels\n"
        "Timeout,PAY-11,Awaiting Deploy Verification,Fixed,To Do,pmrepo-INC-2024-0015-1\n",
        "utf-8",
    )
    assert _sync(categorised)[1][0] == (
        "INC-2024-0015 #1: the post-mortem says DONE, Jira PAY-11 says Awaiting Deploy "
        f"Verification ({SEED}:147)"
    )


def test_withheld_items_are_not_counted_as_missing_from_the_tracker(
    tmp_path: Path, repo: Path
) -> None:
    """An uncleared security incident's items are never exported: none is 'missing'."""
    path = repo / SEED
    path.write_text(path.read_text("utf-8").replace("security: false", "security: true"))
    export = tmp_path / "issues.json"
    export.write_text("[]", "utf-8")
    result = run_cli("actions", str(repo), "--sync-from", str(export))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("18 open items with no GitHub issue: ")
    assert "INC-2024-0015" not in result.stdout


def test_what_an_export_holds_that_pmrepo_reads_past_is_said(tmp_path: Path) -> None:
    """A label pmrepo cannot read and a key two issues carry: warned, with the entry."""
    export = tmp_path / "issues.json"
    issues = [
        {"number": 7, "state": "CLOSED", "labels": [{"name": "pmrepo-INC-2024-0015-2"}]},
        {"number": 8, "state": "OPEN", "labels": ["pmrepo-INC-2024-0015-3"]},
        {"number": 9, "state": "OPEN", "labels": "pmrepo-INC-2024-0015-4"},
        {"number": 10, "state": "OPEN", "labels": [{"name": "pmrepo-INC-2024-0015-2"}]},
    ]
    export.write_text(json.dumps(issues), "utf-8")
    code, _, stderr = _sync(export)
    assert code == 1
    assert stderr == (
        f'pmrepo: warning: {export}: entry 2 (#8): label 1 "pmrepo-INC-2024-0015-3" is not '
        'a label {"name": …}: read past (export with `gh issue list --json labels`)\n'
        f'pmrepo: warning: {export}: entry 3 (#9): labels "pmrepo-INC-2024-0015-4" is not a '
        'label {"name": …}: read past (export with `gh issue list --json labels`)\n'
        f"pmrepo: warning: {export}: entry 4: GitHub #10 has the key pmrepo-INC-2024-0015-2, "
        "as #7 (entry 1) has, and says OPEN (#7: CLOSED): one issue per action item (they "
        "disagree, so pmrepo leaves the item as it is)\n"
    )
    jira = tmp_path / "jira.csv"
    jira.write_text(
        JIRA_EXPORT + "Again,PAY-16,10016,Task,Done,Highest,pmrepo-INC-2024-0015-2,,\n", "utf-8"
    )
    assert _sync(jira)[2] == (
        f"pmrepo: warning: {jira}: line 7: Jira PAY-16 has the key pmrepo-INC-2024-0015-2, as "
        "PAY-12 (line 3) has, and says Done (PAY-12: Done): one issue per action item (they "
        "agree: read as one)\n"
    )


def test_labels_match_whatever_their_case_as_the_trackers_match_them(tmp_path: Path) -> None:
    export = tmp_path / "issues.json"
    issues = [{"number": 7, "state": "CLOSED", "labels": [{"name": "PMREPO-inc-2024-0015-2"}]}]
    export.write_text(json.dumps(issues), "utf-8")
    code, lines, stderr = _sync(export)
    assert (code, stderr) == (1, "")
    assert lines[0] == (
        f"INC-2024-0015 #2: the post-mortem says OPEN, GitHub #7 says CLOSED ({SEED}:148)"
    )
    only_new = run_cli(
        *("actions", str(SAMPLE_REPO), "--format", "github-issues", "--sync-from", str(export))
    )
    assert "pmrepo-INC-2024-0015-2" not in only_new.stdout
