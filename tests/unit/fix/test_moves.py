"""PM103/PM104: a misplaced post-mortem is moved (unsafe), as `git mv` moves it in git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from postmortem_repo import api
from tests.conftest import git_env, run_cli

CACHE = "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
KNOX = "2024/Q1/INC-2024-0002-knox-auth-degraded-latency.md"
KNOX_NAMED = "2024/Q1/INC-2024-0002-knox-auth-degraded-token-latency-from-coredns-saturation.md"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=git_env(repo.parent), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def misplaced(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """sample-repo in git, with one file in the wrong quarter and one outside a quarter
    folder under a name of its own."""
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "init")
    (repo / "2024/misc").mkdir()
    _git(repo, "mv", CACHE, "2024/Q2/")
    _git(repo, "mv", KNOX, "2024/misc/knox.md")
    _git(repo, "commit", "-qm", "misplaced")
    monkeypatch.chdir(repo)
    return repo


def test_moves_need_unsafe_fixes(misplaced: Path) -> None:
    result = run_cli("check", "--fix", "--no-cache")
    assert result.exit_code == 1
    # The README index and the pattern file are regenerated for the files where they are.
    assert result.stdout.endswith(
        "Fixed 2 findings in 2 files; 3 remain (3 more fixable with --unsafe-fixes).\n"
    )
    assert _git(misplaced, "status", "--porcelain").splitlines() == [
        " M README.md",
        " M patterns/PATTERN-001-deployment-correlated-failures.md",
    ]


def test_unfixable_moves_are_not_counted_as_fixable(misplaced: Path) -> None:
    (misplaced / ".pmrepo.yaml").write_text("unfixable: [PM1]\n", "utf-8")
    result = run_cli("check", "--fix", "--no-cache")
    assert result.stdout.endswith("Fixed 2 findings in 2 files; 3 remain.\n")


def test_unsafe_fixes_move_with_git_mv_and_regenerate_the_index(misplaced: Path) -> None:
    result = run_cli("check", "--fix", "--unsafe-fixes", "--no-cache")
    assert result.stdout == (
        "All checks passed (10 files checked).\nFixed 5 findings in 4 files; 0 remain.\n"
    )
    # The index names the files where they now are.
    assert _git(misplaced, "status", "--porcelain").splitlines() == [
        f"R  2024/misc/knox.md -> {KNOX_NAMED}",
        f"R  2024/Q2/INC-2024-0003-cache-invalidation-failure.md -> {CACHE}",
        " M README.md",
        " M patterns/PATTERN-001-deployment-correlated-failures.md",
    ]
    assert "(2024/misc/" not in (misplaced / "README.md").read_text("utf-8")
    again = api.fix([misplaced], unsafe=True)
    assert (again.fixed, again.texts, again.moves) == (0, {}, [])


def test_a_move_onto_an_existing_file_is_refused(misplaced: Path) -> None:
    (misplaced / CACHE).write_text("someone else's file\n", "utf-8")
    result = run_cli("check", "--fix-only", "--unsafe-fixes", "--no-cache")
    assert (
        "pmrepo: warning: 2024/Q2/INC-2024-0003-cache-invalidation-failure.md: not moved: "
        f"{CACHE} exists\n"
    ) in result.stderr
    assert (misplaced / CACHE).read_text("utf-8") == "someone else's file\n"
    assert (misplaced / "2024/Q2/INC-2024-0003-cache-invalidation-failure.md").is_file()
    assert (misplaced / KNOX_NAMED).is_file()


def test_outside_git_a_move_is_a_rename(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / CACHE).rename(repo / "2024/Q2" / Path(CACHE).name)
    monkeypatch.chdir(repo)
    run_cli("check", "--fix-only", "--unsafe-fixes", "--no-cache")
    assert (repo / CACHE).is_file()
    assert api.check([repo]).findings == []


def test_the_diff_shows_a_move_as_git_does(misplaced: Path) -> None:
    result = run_cli("check", "--diff", "--unsafe-fixes", "--no-cache")
    assert (
        "diff --git a/2024/Q2/INC-2024-0003-cache-invalidation-failure.md "
        f"b/{CACHE}\nsimilarity index 100%\n"
        f"rename from 2024/Q2/INC-2024-0003-cache-invalidation-failure.md\nrename to {CACHE}\n"
    ) in result.stdout
    assert _git(misplaced, "status", "--porcelain") == ""


def test_the_diff_with_moves_applies_with_patch_as_fix_does(
    misplaced: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    shutil.copytree(misplaced, other, ignore=shutil.ignore_patterns(".git"))
    result = run_cli("check", "--diff", "--unsafe-fixes", "--no-cache")
    assert result.stderr == "Would fix 5 findings.\n"
    # The index names the files where they will be.
    assert f"+| [INC-2024-0002]({KNOX_NAMED}) |" in result.stdout
    patched = subprocess.run(
        ["patch", "-p1"], input=result.stdout, text=True, cwd=other, capture_output=True
    )
    assert patched.returncode == 0, patched.stderr
    run_cli("check", "--fix", "--unsafe-fixes", "--no-cache")
    assert not (misplaced / "2024/misc").exists()
    assert _tree(misplaced) == _tree(other)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not {".git", ".pmrepo_cache"} & set(path.parts)
    }


def test_a_move_is_relative_to_the_repository_root(misplaced: Path) -> None:
    moved = misplaced / "2024/Q2/INC-2024-0003-cache-invalidation-failure.md"
    (finding,) = [f for f in api.check([moved]).findings if f.code == "PM104"]
    assert finding.fix is not None and finding.fix.move_to == CACHE
    assert api.repository_root_of(moved).resolve() / CACHE == (misplaced / CACHE).resolve()


def test_a_named_file_that_moves_is_checked_where_it_went(misplaced: Path) -> None:
    result = run_cli("check", "--fix", "--unsafe-fixes", "--no-cache", "2024/misc/knox.md")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "All checks passed (1 file checked).\nFixed 4 findings in 3 files; 0 remain.\n"
    )
    assert (misplaced / KNOX_NAMED).is_file()
    # The index was regenerated after the move: nothing is left out of date.
    assert run_cli("check", "--no-cache").exit_code == 1  # the other misplaced file
    assert "PM705" not in run_cli("check", "--no-cache", KNOX_NAMED).stdout
