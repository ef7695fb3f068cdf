"""pmrepo actions --sync-from with a file that is not a tracker's export (pmrepo's own
github-issues export, a semicolon-separated or Latin-1 CSV): what the file looks like and
what is expected, in a line, not the file's text."""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLE_REPO, run_cli

TODAY = ("--today", "2024-03-01")
HEADERS = "Summary,Issue key,Issue id,Issue Type,Status,Priority,Labels,Labels,Labels"
ROW = "Add latency check,PAY-12,10012,Task,Done,Highest,postmortem,pmrepo-INC-2024-0015-2,"


def _error_of(export: Path) -> str:
    result = run_cli("actions", str(SAMPLE_REPO), "--sync-from", str(export), *TODAY)
    assert (result.exit_code, result.stdout) == (2, "")
    return result.stderr


def test_pmrepos_own_github_issues_export_is_named_for_what_it_is(tmp_path: Path) -> None:
    made = run_cli("actions", str(SAMPLE_REPO), "--format", "github-issues", *TODAY)
    export = tmp_path / "issues.jsonl"
    export.write_text(made.stdout, "utf-8")
    assert _error_of(export) == (
        f"pmrepo: error: {export}:1: this is JSON lines, one issue a line, as pmrepo actions "
        "--format github-issues writes them to create issues; --sync-from reads what the "
        "tracker says of them: Jira's CSV export, or the JSON array that `gh issue list "
        "--state all --json number,state,stateReason,labels` prints\n"
    )


def test_a_semicolon_separated_csv_is_named_for_what_it_is(tmp_path: Path) -> None:
    export = tmp_path / "jira.csv"
    export.write_text(f"{HEADERS}\n{ROW}\n".replace(",", ";"), "utf-8")
    assert _error_of(export) == (
        f"pmrepo: error: {export}:1: the columns are separated by ';'; --sync-from reads "
        "Jira's CSV export, separated by ',' with the columns Issue key, Status and Labels: "
        "export it from Jira again, or save the file with ',' between columns\n"
    )


def test_a_latin_1_csv_is_named_for_what_it_is(tmp_path: Path) -> None:
    export = tmp_path / "jira.csv"
    export.write_bytes(
        f"{HEADERS}\n{ROW}\nCaf\xe9 menu,PAY-13,1,Task,Done,Low,x,,\n".encode("latin-1")
    )
    assert _error_of(export) == (
        f"pmrepo: error: {export}: not valid UTF-8 (byte 0xe9 on line 3); --sync-from reads an "
        "export as UTF-8, as Jira and gh write it: re-save the file as UTF-8\n"
    )


def test_a_file_without_the_columns_is_named_in_a_line(tmp_path: Path) -> None:
    export = tmp_path / "notes.csv"
    export.write_text("x" * 500 + "," + ",".join(f"column {n}" for n in range(20)) + "\n", "utf-8")
    assert _error_of(export) == (
        f"pmrepo: error: {export}:1: a Jira CSV export needs the columns Issue key, Status and "
        f"Labels (found: {'x' * 39}…, column 0, column 1, column 2, column 3, column 4 and 15 "
        "more)\n"
    )
