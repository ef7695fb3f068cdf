"""When git first saw a file (PM701's fallback publication time), in real git repositories:
one history read per check answers for every folder, and a renamed file keeps the date it
was first added under its old name."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from conftest import SEED_NAME

from postmortem_repo import api
from postmortem_repo.lint.parallel import Parallelism
from postmortem_repo.repo import gitdates

UTC = dt.UTC


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root.parent)}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def new_repo(root: Path) -> Path:
    root.mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.email", "sre@example.com")
    git(root, "config", "user.name", "SRE")
    return root


def commit(root: Path, files: dict[str, str], when: str) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Add", when=when)


@pytest.fixture
def git_calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A file that gets one line per git command pmrepo runs (worker processes forked from
    this one write to it too)."""
    record = tmp_path / "git-calls.txt"
    record.touch()
    real = gitdates._git

    def recorded(folder: Path, *args: str) -> str | None:
        with record.open("a", encoding="utf-8") as handle:
            handle.write(" ".join(args) + "\n")
        return real(folder, *args)

    monkeypatch.setattr(gitdates, "_git", recorded)
    return record


def history_reads(record: Path) -> list[str]:
    return [line for line in record.read_text("utf-8").splitlines() if " log " in f" {line} "]


def test_one_history_read_dates_files_in_every_folder(tmp_path: Path, git_calls: Path) -> None:
    dates = gitdates.GitDates()  # what one check reads of git
    root = new_repo(tmp_path / "repo")
    commit(root, {"2023/Q4/INC-2023-0001-a.md": "a\n"}, "2023-11-02T10:00:00Z")
    commit(
        root,
        {"2024/Q1/INC-2024-0001-b.md": "b\n", "2024/Q2/INC-2024-0002-café.md": "c\n"},
        "2024-04-03T10:00:00Z",
    )
    assert dates.first_commit_time(root / "2023/Q4/INC-2023-0001-a.md") == dt.datetime(
        2023, 11, 2, 10, tzinfo=UTC
    )
    for name in ("2024/Q1/INC-2024-0001-b.md", "2024/Q2/INC-2024-0002-café.md"):
        assert dates.first_commit_time(root / name) == dt.datetime(2024, 4, 3, 10, tzinfo=UTC)
    # One log for the whole work tree: no folder, and no file (not even one named with an
    # accent, which git would quote), needed a query of its own.
    assert len(history_reads(git_calls)) == 1
    assert not any("--follow" in line for line in git_calls.read_text("utf-8").splitlines())


def test_a_renamed_file_is_dated_by_its_first_commit(tmp_path: Path, git_calls: Path) -> None:
    dates = gitdates.GitDates()  # what one check reads of git
    root = new_repo(tmp_path / "repo")
    text = "".join(
        f"line {number} of a post-mortem long enough to be seen as renamed\n"
        for number in range(20)
    )
    commit(root, {"2024/Q1/INC-2024-0001-draft.md": text}, "2024-01-10T10:00:00Z")
    git(root, "mv", "2024/Q1/INC-2024-0001-draft.md", "2024/Q1/INC-2024-0001-db-outage.md")
    git(root, "commit", "-qm", "Rename", when="2024-03-01T10:00:00Z")
    renamed = root / "2024/Q1/INC-2024-0001-db-outage.md"
    assert dates.first_commit_time(renamed) == dt.datetime(2024, 1, 10, 10, tzinfo=UTC)


def test_a_parallel_check_reads_the_history_once_per_worker(
    tmp_path: Path, git_calls: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PUBLISHED without published_at: PM701 dates every file by its first commit.
    text = seed_text.replace("published_at: 2024-01-17T11:00:00Z\n", "")
    files = {}
    for number in range(1, 13):
        name = SEED_NAME.replace("INC-2024-0015", f"INC-2024-{number:04d}")
        files[name] = text.replace("id: INC-2024-0015", f"id: INC-2024-{number:04d}")
    root = new_repo(tmp_path / "repo")
    commit(root, files, "2024-01-20T09:00:00Z")
    # Two workers, a file per task: each worker checks several tasks.
    one_by_one = Parallelism(min_files_per_worker=1, chunk=1)
    result = api.check([root], select=["PM701"], jobs=2, parallelism=one_by_one)
    assert len(result.findings) == 12
    assert all("(from its first commit)" in finding.message for finding in result.findings)
    assert 1 <= len(history_reads(git_calls)) <= 2


def test_a_file_name_that_is_not_utf8_in_the_history_is_no_crash(
    tmp_path: Path, git_calls: Path
) -> None:
    dates = gitdates.GitDates()  # what one check reads of git
    # Names are read as they are (not C-quoted): a Latin-1 name anywhere in the history,
    # even one no post-mortem has, must not stop the dating of every file.
    root = new_repo(tmp_path / "repo")
    commit(root, {"2024/Q1/INC-2024-0001-a.md": "a\n"}, "2024-01-10T10:00:00Z")
    odd = Path(os.fsdecode(os.fsencode(root) + b"/notes-\xe9.txt"))
    try:
        odd.write_bytes(b"notes\n")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Notes", when="2024-02-01T10:00:00Z")
    assert dates.first_commit_time(root / "2024/Q1/INC-2024-0001-a.md") == dt.datetime(
        2024, 1, 10, 10, tzinfo=UTC
    )
    assert dates.first_commit_time(odd) == dt.datetime(2024, 2, 1, 10, tzinfo=UTC)


def test_a_file_renamed_onto_a_deleted_path_is_dated_by_its_own_first_commit(
    tmp_path: Path, git_calls: Path
) -> None:
    dates = gitdates.GitDates()  # what one check reads of git
    root = new_repo(tmp_path / "repo")
    commit(root, {"2024/Q1/INC-2024-0001-db.md": "an older post-mortem\n"}, "2024-01-01T10:00:00Z")
    git(root, "rm", "-q", "2024/Q1/INC-2024-0001-db.md")
    git(root, "commit", "-qm", "Remove", when="2024-02-01T10:00:00Z")
    text = "".join(f"line {number} of the post-mortem that took the name\n" for number in range(20))
    commit(root, {"INC-2024-0001-draft.md": text}, "2024-03-10T10:00:00Z")
    (root / "2024/Q1").mkdir(parents=True, exist_ok=True)  # the delete took the folder
    git(root, "mv", "INC-2024-0001-draft.md", "2024/Q1/INC-2024-0001-db.md")
    git(root, "commit", "-qm", "File it", when="2024-03-12T10:00:00Z")
    moved = root / "2024/Q1/INC-2024-0001-db.md"
    assert dates.first_commit_time(moved) == dt.datetime(2024, 3, 10, 10, tzinfo=UTC)
