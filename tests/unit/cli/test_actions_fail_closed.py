"""pmrepo actions and pmrepo review answer for a post-mortem repository read whole, or stop:
--check still answers with --sync-from, a folder that is no repository is refused (before
it is walked), and --check or --sync-from stop at a post-mortem they cannot read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, run_cli

TODAY = ("--today", "2024-01-24")  # INC-2024-0015 #2, a P0 due 2024-01-22, is 2 days overdue
OVERDUE = (
    "pmrepo: P0 overdue by 2 days: INC-2024-0015 #2 "
    "(2024/Q1/INC-2024-0015-payment-api-latency-degradation.md:148)\n"
)
LATIN_1 = b"---\nid: INC-2024-0061\ntitle: Caf\xe9 outage\ndate: 2024-01-20\n---\n# Caf\xe9\n"
UNREADABLE = (
    "pmrepo: error: 1 post-mortem file(s) cannot be read; pmrepo reads all of them or none, "
    "so nothing was written:\n"
    "  2024/Q1/INC-2024-0061-latin.md:3:11: PM102 not valid UTF-8 (byte 0xe9): re-save the "
    "file as UTF-8\n"
)


def _export(tmp_path: Path) -> Path:
    """A GitHub export that agrees with the post-mortems on every item it has."""
    export = tmp_path / "issues.json"
    labels = [{"name": "pmrepo-INC-2024-0015-3"}]
    export.write_text(json.dumps([{"number": 8, "state": "OPEN", "labels": labels}]), "utf-8")
    return export


def test_check_answers_with_sync_from(tmp_path: Path) -> None:
    export = _export(tmp_path)
    result = run_cli("actions", str(SAMPLE_REPO), "--check", "--sync-from", str(export), *TODAY)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "No status differs between GitHub and the post-mortems."
    )
    assert result.stderr == OVERDUE
    diff = run_cli(
        "actions", str(SAMPLE_REPO), "--check", "--sync-from", str(export), "--diff", *TODAY
    )
    assert (diff.exit_code, diff.stderr.endswith(OVERDUE)) == (1, True)
    quiet = run_cli(
        "actions", str(SAMPLE_REPO), "--check", "--sync-from", str(export), "--today", "2024-01-20"
    )
    assert (quiet.exit_code, quiet.stderr) == (0, "")


def test_check_with_fix_is_a_usage_error(tmp_path: Path) -> None:
    export = _export(tmp_path)
    result = run_cli(
        "actions", str(SAMPLE_REPO), "--check", "--sync-from", str(export), "--fix", *TODAY
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "pmrepo: error: --check answers for the post-mortems as they are, and --fix changes "
        "them: run --sync-from FILE --fix first, then --check\n"
    )


NOT_A_REPOSITORY = (
    "pmrepo: error: {folder}: no .pmrepo.yaml, and no YYYY/ folder, TEMPLATE.md or "
    "post-mortem at its top: not a post-mortem repository (name its folder, or set one up "
    "with pmrepo init); nothing was written\n"
)
COMMANDS = [
    ("actions",),
    ("actions", "--check"),
    ("actions", "--sync-from", "{export}"),
    ("actions", "--format", "jira-csv"),
    ("review", "--month", "2024-01"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_folder_that_is_no_repository_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    export = _export(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = run_cli(*(part.format(export=export) for part in command), *TODAY)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == NOT_A_REPOSITORY.format(folder=empty)
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_folder_above_repositories_is_refused_before_it_is_walked(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """/tmp or a home folder: each repository under it is one, the folder is none (a cache
    an older pmrepo left in it does not make it one)."""
    export = _export(tmp_path)
    above = tmp_path / "above"
    shutil.copytree(SAMPLE_REPO, above / "payments")
    (above / ".pmrepo_cache").mkdir()
    args = [part.format(export=export) for part in command]
    result = run_cli(args[0], str(above), *args[1:], *TODAY)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == NOT_A_REPOSITORY.format(folder=above)


def test_a_folder_of_post_mortems_without_year_folders_is_a_repository(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    seed = SAMPLE_REPO / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
    shutil.copyfile(seed, notes / seed.name)
    result = run_cli("actions", str(notes), "--check", *TODAY)
    assert (result.exit_code, result.stderr) == (1, OVERDUE.replace("2024/Q1/", ""))


@pytest.mark.parametrize(
    "options", [("--check",), ("--sync-from", "{export}"), ("--sync-from", "{export}", "--diff")]
)
def test_check_and_sync_stop_at_a_post_mortem_they_cannot_read(
    repo: Path, tmp_path: Path, options: tuple[str, ...]
) -> None:
    (repo / "2024/Q1/INC-2024-0061-latin.md").write_bytes(LATIN_1)
    export = _export(tmp_path)
    args = [part.format(export=export) for part in options]
    result = run_cli("actions", str(repo), *args, *TODAY)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", UNREADABLE)


def test_the_dashboard_lists_what_it_can_read_and_says_what_it_cannot(repo: Path) -> None:
    (repo / "2024/Q1/INC-2024-0061-latin.md").write_bytes(LATIN_1)
    result = run_cli("actions", str(repo), *TODAY)
    assert result.exit_code == 0 and "INC-2024-0015 #2" in result.stdout
    assert "2024/Q1/INC-2024-0061-latin.md:3:11: left out: not valid UTF-8" in result.stderr
