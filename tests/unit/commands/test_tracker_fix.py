"""pmrepo actions --sync-from FILE --fix / --diff: the tracker's state written into the
Status cells of the items that differ, through check --fix's machinery (cell edits, the
generated blocks that count items, one all-or-nothing write)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, SEED_NAME, git_env, run, run_cli

from postmortem_repo import api
from postmortem_repo.commands import fixes, tracker_sync
from postmortem_repo.commands.fixes import FixRun, write_all
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.lint.rules.actions import STATUSES

ROW_1 = "| 1 | Add 30s query timeout to all DB connection pools | sre-team | P0 | 2024-01-22 |"
ROW_2 = (
    "| 2 | Add latency check to canary analysis (>50% regression = block) | platform-team "
    "| P0 | 2024-01-22 |"
)
ROW_3 = (
    "| 3 | Build perf test stage in CI with 10M+ row dataset | platform-team | P1 | 2024-02-14 |"
)
JIRA = (
    "Summary,Issue key,Status,Resolution,Labels\n"
    "Add query timeout,PAY-11,Reopened,,pmrepo-INC-2024-0015-1\n"
    "Add latency check,PAY-12,Done,Done,pmrepo-INC-2024-0015-2\n"
    "Build perf test stage,PAY-13,Closed,Duplicate,pmrepo-INC-2024-0015-3\n"
)


@pytest.fixture
def git_repo(repo: Path, tmp_path: Path) -> Path:
    """The copy of sample-repo committed to a git repository of its own."""
    env = git_env(tmp_path)
    for args in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "pm"]):
        assert run(args, repo, env).returncode == 0
    return repo


def _export(tmp_path: Path, text: str, name: str = "jira.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _texts(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*.md"))
        if ".git" not in path.parts
    }


def test_fix_writes_the_trackers_status_into_each_status_cell_only(
    git_repo: Path, tmp_path: Path
) -> None:
    before = _texts(git_repo)
    export = _export(tmp_path, JIRA)
    result = run_cli("actions", str(git_repo), "--sync-from", str(export), "--fix")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        f"INC-2024-0015 #1: DONE → OPEN, as Jira PAY-11 says Reopened ({SEED_NAME}:147)",
        f"INC-2024-0015 #2: OPEN → DONE, as Jira PAY-12 says Done ({SEED_NAME}:148)",
        f"INC-2024-0015 #3: OPEN → WON'T DO, as Jira PAY-13 says Closed ({SEED_NAME}:149)",
    ]
    assert lines[-1] == (
        "Changed 3 Status cells in 1 post-mortem, and the generated blocks of "
        f"{git_repo / 'README.md'}, "
        f"{git_repo / 'patterns/PATTERN-001-deployment-correlated-failures.md'}, "
        f"{git_repo / 'patterns/PATTERN-002-data-volume-regressions.md'}."
    )
    after = _texts(git_repo)
    expected = (
        before[SEED_NAME]
        .decode()
        .replace(f"{ROW_1} DONE |", f"{ROW_1} OPEN |")
        .replace(f"{ROW_2} OPEN |", f"{ROW_2} DONE |")
        .replace(f"{ROW_3} OPEN |", f"{ROW_3} WON'T DO |")
    )
    assert after[SEED_NAME].decode() == expected
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {
        SEED_NAME,
        "README.md",
        "patterns/PATTERN-001-deployment-correlated-failures.md",
        "patterns/PATTERN-002-data-volume-regressions.md",
    }
    # The blocks are those pmrepo index and pmrepo patterns write: the check passes.
    checked = run_cli("check", str(git_repo / SEED_NAME))
    assert (checked.exit_code, checked.stdout) == (0, "All checks passed (1 file checked).\n")
    again = run_cli("actions", str(git_repo), "--sync-from", str(export))
    assert again.stdout.splitlines()[-1] == "No status differs between Jira and the post-mortems."


def test_what_each_tracker_state_is_written_as() -> None:
    meaning = tracker_sync._jira_meaning
    assert [
        meaning("Done", "", ""),
        meaning("Shipped", "Done", ""),
        meaning("Closed", "", "Won’t Fix"),
        meaning("Won't Do", "Done", ""),
        meaning("Cancelled", "", ""),
        meaning("In Progress", "", ""),
        meaning("Code Review", "In Progress", ""),
        meaning("Reopened", "To Do", ""),
        meaning("Backlog", "", ""),
    ] == ["DONE", "DONE", "WON'T DO", "WON'T DO", "WON'T DO", "IN PROGRESS", "IN PROGRESS"] + [
        "OPEN"
    ] * 2
    states = [
        ("CLOSED", "COMPLETED"),
        ("CLOSED", "NOT_PLANNED"),
        ("CLOSED", "DUPLICATE"),
        ("OPEN", "REOPENED"),
        ("OPEN", ""),
    ]
    read = [tracker_sync._github_meaning(s == "CLOSED", {"stateReason": r}) for s, r in states]
    assert read == ["DONE", "WON'T DO", "WON'T DO", "OPEN", "OPEN"]
    assert tracker_sync._github_meaning(True, {}) == ""  # the export does not say
    assert {tracker_sync.OPEN, tracker_sync.IN_PROGRESS, tracker_sync.DONE} | {
        tracker_sync.WONT_DO
    } == set(STATUSES)


def test_a_jira_status_that_starts_work_reopens_a_done_item_as_in_progress(
    repo: Path, tmp_path: Path
) -> None:
    export = _export(
        tmp_path,
        "Issue key,Status,Status Category,Labels\nPAY-11,Code Review,In Progress,"
        "pmrepo-INC-2024-0015-1\n",
    )
    result = run_cli("actions", str(repo), "--sync-from", str(export), "--fix")
    assert result.exit_code == 0
    assert f"{ROW_1} IN PROGRESS |\n" in (repo / SEED_NAME).read_text("utf-8")


def test_github_issues_closed_as_not_planned_are_wont_do(repo: Path, tmp_path: Path) -> None:
    issues = [
        {"number": 7, "state": "CLOSED", "stateReason": "COMPLETED", "labels": []},
        {
            "number": 8,
            "state": "CLOSED",
            "stateReason": "NOT_PLANNED",
            "labels": [{"name": "pmrepo-INC-2024-0015-2"}],
        },
    ]
    export = _export(tmp_path, json.dumps(issues), "issues.json")
    result = run_cli("actions", str(repo), "--sync-from", str(export), "--fix")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        f"INC-2024-0015 #2: OPEN → WON'T DO, as GitHub #8 says CLOSED ({SEED_NAME}:148)"
    )
    assert f"{ROW_2} WON'T DO |\n" in (repo / SEED_NAME).read_text("utf-8")


def test_a_github_export_without_state_reasons_is_refused(repo: Path, tmp_path: Path) -> None:
    """A closed issue may be done or not planned: pmrepo does not guess."""
    before = _texts(repo)
    issues = [{"number": 8, "state": "CLOSED", "labels": [{"name": "pmrepo-INC-2024-0015-2"}]}]
    export = _export(tmp_path, json.dumps(issues), "issues.json")
    result = run_cli("actions", str(repo), "--sync-from", str(export), "--fix")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"pmrepo: error: {export}: entry 1: GitHub #8 is CLOSED, and the export does not say "
        "whether it was done or closed as not planned: export with `gh issue list --state all "
        "--json number,state,stateReason,labels`; nothing was written\n"
    )
    assert _texts(repo) == before


def test_diff_shows_the_change_and_writes_nothing(repo: Path, tmp_path: Path) -> None:
    before = _texts(repo)
    export = _export(tmp_path, JIRA.splitlines()[0] + "\n" + JIRA.splitlines()[2] + "\n")
    result = run_cli("actions", str(repo), "--sync-from", str(export), "--diff")
    assert result.exit_code == 1
    assert _texts(repo) == before
    assert result.stdout.startswith(
        f"--- a/{SEED_NAME}\n+++ b/{SEED_NAME}\n@@ -145,7 +145,7 @@\n"
        " | # | Action | Owner | Priority | Due | Status |\n"
        " |---|--------|-------|----------|-----|--------|\n"
        f" {ROW_1} DONE |\n-{ROW_2} OPEN |\n+{ROW_2} DONE |\n"
    )
    assert result.stderr.splitlines()[-1].startswith(
        "Would change 1 Status cell in 1 post-mortem, and the generated blocks of "
    )
    nothing = _export(tmp_path, "Issue key,Status,Labels\n", "empty.csv")
    quiet = run_cli("actions", str(repo), "--sync-from", str(nothing), "--diff")
    assert (quiet.exit_code, quiet.stdout) == (0, "")
    assert quiet.stderr.splitlines()[-1] == "No status to change from Jira."


def test_only_the_cell_text_changes_in_a_crlf_file_with_a_bom(repo: Path, tmp_path: Path) -> None:
    path = repo / SEED_NAME
    text = path.read_text("utf-8").replace(f"{ROW_2} OPEN |", f"{ROW_2}  |")  # empty
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    export = _export(tmp_path, JIRA.splitlines()[0] + "\n" + JIRA.splitlines()[2] + "\n")
    result = run_cli("actions", str(repo), "--sync-from", str(export), "--fix")
    assert result.exit_code == 0
    assert result.stdout.startswith("INC-2024-0015 #2: (no status) → DONE, as Jira PAY-12")
    expected = text.replace(f"{ROW_2}  |", f"{ROW_2} DONE |").replace("\n", "\r\n")
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.encode()


def test_items_of_an_uncleared_security_incident_are_never_edited(
    repo: Path, tmp_path: Path
) -> None:
    path = repo / SEED_NAME
    path.write_text(path.read_text("utf-8").replace("security: false", "security: true"))
    before = _texts(repo)
    export = _export(tmp_path, JIRA.splitlines()[0] + "\n" + JIRA.splitlines()[2] + "\n")
    result = run_cli("actions", str(repo), "--sync-from", str(export), "--fix")
    assert (result.exit_code, result.stderr) == (1, "")
    assert result.stdout.splitlines()[0] == (
        "INC-2024-0015 #2: the post-mortem says OPEN, Jira PAY-12 says Done: not changed: "
        "pmrepo never edits the items of a security incident not cleared for publication"
    )
    assert result.stdout.splitlines()[-1] == "No status to change from Jira."
    assert _texts(repo) == before


def test_each_team_is_fixed_in_its_own_repository_under_its_own_config(
    tmp_path: Path,
) -> None:
    """platform names the Status column State, which only its own sections schema knows."""
    payments, platform = tmp_path / "payments", tmp_path / "platform"
    for root in (payments, platform):
        shutil.copytree(SAMPLE_REPO, root, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    schema = json.loads(
        (Path(api.__file__).parent / "schema/json/postmortem.sections.schema.json").read_text()
    )
    action_items = next(s for s in schema["sections"] if s["name"] == "Action Items")
    action_items["table"]["columns"][-1]["aliases"] = ["State"]
    (platform / "team.sections.json").write_text(json.dumps(schema), "utf-8")
    (platform / ".pmrepo.yaml").write_text("root: .\nschemas:\n  sections: team.sections.json\n")
    seed = platform / SEED_NAME
    seed.write_text(seed.read_text("utf-8").replace("| Due | Status |", "| Due | State |"))
    before = _texts(platform)
    export = _export(
        tmp_path,
        "Issue key,Status,Labels\nPAY-12,Done,pmrepo-payments/INC-2024-0015-2\n"
        "OPS-12,Won't Do,pmrepo-platform/INC-2024-0015-2\n",
    )
    result = run_cli(
        *("actions", "--repo", str(payments), "--repo", str(platform)),
        *("--sync-from", str(export), "--fix"),
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines()[:2] == [
        f"payments/INC-2024-0015 #2: OPEN → DONE, as Jira PAY-12 says Done ({SEED_NAME}:148)",
        f"platform/INC-2024-0015 #2: OPEN → WON'T DO, as Jira OPS-12 says Won't Do "
        f"({SEED_NAME}:148)",
    ]
    assert f"{ROW_2} DONE |" in (payments / SEED_NAME).read_text("utf-8")
    assert seed.read_text("utf-8") == before[SEED_NAME].decode().replace(
        f"{ROW_2} OPEN |", f"{ROW_2} WON'T DO |"
    )
    for root in (payments, platform):
        assert run_cli("check", str(root)).exit_code == 0


def test_a_file_changed_since_it_was_read_is_not_written(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves the post-mortem while pmrepo runs: its row is not what was compared."""
    loaded = api.load_repository
    path = repo / SEED_NAME

    def load_then_edit(*args: object, **kwargs: object) -> object:
        repository = loaded(*args, **kwargs)  # type: ignore[arg-type]
        path.write_text(path.read_text("utf-8").replace(f"{ROW_2} OPEN |", f"{ROW_2} DONE |"))
        return repository

    monkeypatch.setattr(api, "load_repository", load_then_edit)
    saved = _texts(repo)
    export = _export(tmp_path, JIRA)
    result = run_cli("actions", str(repo), "--sync-from", str(export), "--fix")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"pmrepo: error: {path}:148: changed since pmrepo read it (item #2, OPEN); nothing was "
        "written (run again)\n"
    )
    assert _texts(repo) == {**saved, SEED_NAME: path.read_bytes()}
    assert f"{ROW_1} DONE |" in path.read_text("utf-8")  # item 1 not reopened either


def test_the_write_fails_closed_when_a_file_changes_before_it(repo: Path) -> None:
    path, readme = repo / SEED_NAME, repo / "README.md"
    old, old_readme = path.read_text("utf-8"), readme.read_text("utf-8")
    run = FixRun(root=repo)
    run.texts = {
        readme: (old_readme, old_readme + "x\n"),
        path: (old, old.replace(f"{ROW_2} OPEN |", f"{ROW_2} DONE |")),
    }
    path.write_text(old.replace("severity: SEV2", "severity: SEV1"), "utf-8")
    with pytest.raises(PmrepoError, match=rf"^{path}:10: changed on disk since pmrepo read it"):
        write_all([run])
    assert readme.read_text("utf-8") == old_readme


def test_a_write_that_fails_puts_back_the_files_written_before_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk on the second file: the first is as it was."""
    path, readme = repo / SEED_NAME, repo / "README.md"
    old, old_readme = path.read_text("utf-8"), readme.read_text("utf-8")
    run = FixRun(root=repo)
    new = old.replace(f"{ROW_2} OPEN |", f"{ROW_2} DONE |")
    run.texts = {readme: (old_readme, old_readme + "x\n"), path: (old, new)}
    written = fixes.write_atomic

    def full_disk(target: Path, text: str, *, root: Path) -> None:
        if target == path and text == new:
            raise OSError(28, "No space left on device")
        written(target, text, root=root)

    monkeypatch.setattr(fixes, "write_atomic", full_disk)
    with pytest.raises(PmrepoError, match=rf"^{path}:148: cannot write: .*nothing was written$"):
        write_all([run])
    assert (readme.read_text("utf-8"), path.read_text("utf-8")) == (old_readme, old)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """path made unwritable (for root too, through the immutable flag), or the test skipped."""
    path.chmod(0o444)
    flagged = False
    if os.access(path, os.W_OK):
        chattr = shutil.which("chattr")
        flagged = chattr is not None and run([chattr, "+i", str(path)], path.parent).returncode == 0
        if not flagged:
            path.chmod(0o644)
            pytest.skip("no way to make a file read-only here")
    try:
        yield
    finally:
        if flagged:
            run(["chattr", "-i", str(path)], path.parent)
        path.chmod(0o644)


def test_a_generated_file_that_cannot_be_written_stops_the_fix(repo: Path, tmp_path: Path) -> None:
    """PAY-12 done: the index's open count changes, and README.md is read-only."""
    before = _texts(repo)
    export = _export(tmp_path, JIRA.splitlines()[0] + "\n" + JIRA.splitlines()[2] + "\n")
    with read_only(repo / "README.md"):
        result = run_cli("actions", str(repo), "--sync-from", str(export), "--fix")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"pmrepo: error: {repo / 'README.md'}:26: cannot update its generated block: the file "
        "is not writable; nothing was written\n"
    )
    assert _texts(repo) == before


def test_a_post_mortem_that_cannot_be_written_stops_the_fix(repo: Path, tmp_path: Path) -> None:
    path = repo / SEED_NAME
    before = _texts(repo)
    with read_only(path):
        result = run_cli("actions", str(repo), "--sync-from", str(_export(tmp_path, JIRA)), "--fix")
    assert result.exit_code == 2
    assert result.stderr == (
        f"pmrepo: error: {path}:147: cannot fix: the file is not writable; nothing was written\n"
    )
    assert _texts(repo) == before


def test_fix_and_diff_go_with_sync_from_alone(tmp_path: Path) -> None:
    export = str(_export(tmp_path, JIRA))
    for args, message in (
        (("--fix",), "--fix and --diff go with --sync-from FILE alone (no tracker --format)"),
        (("--sync-from", export, "--fix", "--format", "jira-csv"), "--fix and --diff go with"),
        (("--sync-from", export, "--fix", "--diff"), "give --fix or --diff, not both"),
    ):
        result = run_cli("actions", str(SAMPLE_REPO), *args)
        assert result.exit_code == 2
        assert message in result.stderr


def test_two_issues_of_one_item_that_disagree_leave_it_as_it_is(repo: Path, tmp_path: Path) -> None:
    """PAY-11 says Done and PAY-99 Reopened for item 1 (DONE): --fix takes neither, says so
    with both issues, changes the others and exits 1 (the item still needs a person)."""
    seed = repo / SEED_NAME
    before = seed.read_text("utf-8")
    export = _export(
        tmp_path,
        "Summary,Issue key,Status,Resolution,Labels\n"
        "Add query timeout,PAY-11,Done,Done,pmrepo-INC-2024-0015-1\n"
        "Add latency check,PAY-12,Done,Done,pmrepo-INC-2024-0015-2\n"
        "Add query timeout again,PAY-99,Reopened,,pmrepo-INC-2024-0015-1\n",
    )
    result = run_cli("actions", str(repo), "--sync-from", str(export), "--fix")
    assert result.exit_code == 1
    assert result.stderr == (
        f"pmrepo: warning: {export}: line 4: Jira PAY-99 has the key pmrepo-INC-2024-0015-1, "
        "as PAY-11 (line 2) has, and says Reopened (PAY-11: Done): one issue per action item "
        "(they disagree, so pmrepo leaves the item as it is)\n"
    )
    assert result.stdout.splitlines()[:2] == [
        f"INC-2024-0015 #2: OPEN → DONE, as Jira PAY-12 says Done ({SEED_NAME}:148)",
        "INC-2024-0015 #1: Jira PAY-11 says Done, Jira PAY-99 says Reopened: left as it is, "
        "with the post-mortem's DONE (one issue per action item: close or relabel the others) "
        f"({SEED_NAME}:147)",
    ]
    assert seed.read_text("utf-8") == before.replace(f"{ROW_2} OPEN |", f"{ROW_2} DONE |")
    report = run_cli("actions", str(repo), "--sync-from", str(export))
    assert report.exit_code == 1
    assert report.stdout.splitlines()[0].startswith("INC-2024-0015 #1: Jira PAY-11 says Done, ")
