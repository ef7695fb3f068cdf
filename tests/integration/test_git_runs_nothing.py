"""git starts no program that a repository's own config names, whatever pmrepo asks of it
(`check` and its first-commit dates, `check --changed`, `timeline --source git:`), and the
answers are those of the same repository without that config."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, SEED_NAME, git_env, run

from postmortem_repo.core import git as core_git

OTHER = "2024/Q2/INC-2024-0021-smartthings-device-registration.md"
Hostile = tuple[Path, dict[str, str], Path, Callable[[], None]]
WINDOW = ("--start", "2024-01-01T00:00:00Z", "--end", "2024-12-31T00:00:00Z")


def git(root: Path, env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, input=stdin, capture_output=True, text=True, check=True
    )
    return done.stdout


def sign(root: Path, env: dict[str, str]) -> None:
    """Give HEAD a (made-up) signature, which `git log` checks when log.showSignature is on."""
    body = git(root, env, "cat-file", "commit", "HEAD")
    head, _, message = body.partition("\n\n")
    signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEz\n -----END PGP SIGNATURE-----"
    signed = f"{head}\n{signature}\n\n{message}"
    sha = git(root, env, "hash-object", "-t", "commit", "-w", "--stdin", stdin=signed).strip()
    git(root, env, "update-ref", "refs/heads/main", sha)


@pytest.fixture
def hostile(tmp_path: Path) -> Hostile:
    """(repository, environment, the sentinel a started program would create, a script that
    turns the repository's config hostile)."""
    env = git_env(tmp_path)
    for key in ("PRE_COMMIT", "GIT_INDEX_FILE"):
        env.pop(key, None)
    sentinel = tmp_path / "sentinel"
    tools = tmp_path / "tools"
    tools.mkdir()
    program = tools / "program.sh"  # what every config-named program is
    program.write_text(f'#!/bin/sh\necho "$0 $*" >> "{sentinel}"\nexit 1\n', "utf-8")
    passthrough = tools / "filter.sh"  # a clean filter must hand the content back
    passthrough.write_text(f'#!/bin/sh\necho filter >> "{sentinel}"\nexec cat\n', "utf-8")
    hooks = tools / "hooks"
    hooks.mkdir()
    for hook in ("post-index-change", "reference-transaction", "pre-auto-gc", "post-checkout"):
        shutil.copy(program, hooks / hook)
    for script in (program, passthrough, *hooks.iterdir()):
        script.chmod(0o755)

    root = tmp_path / "post-mortems"
    shutil.copytree(SAMPLE_REPO, root, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    seed = root / SEED_NAME
    # No published_at: PM701 takes the time of the file's first commit, from `git log`.
    seed.write_text(seed.read_text("utf-8").replace("published_at: 2024-01-17T11:00:00Z\n", ""))
    dated = {**env, "GIT_AUTHOR_DATE": "2024-02-20T10:00:00Z"}
    dated["GIT_COMMITTER_DATE"] = dated["GIT_AUTHOR_DATE"]
    git(root, env, "init", "-q", "-b", "main")
    git(root, env, "add", "-A")
    git(root, dated, "commit", "-qm", "Post-mortems")
    sign(root, env)
    git(root, env, "checkout", "-qb", "feature")
    other = root / OTHER
    other.write_text(other.read_text("utf-8").replace("## ", "Bob forgot to drain it.\n\n## ", 1))
    os.utime(seed, (1_000_000_000, 1_000_000_000))  # a stale index entry: git diff reads it

    def turn_hostile() -> None:
        settings = {
            "core.fsmonitor": str(program),
            "core.pager": str(program),
            "core.hooksPath": str(hooks),
            "core.sshCommand": str(program),
            "log.showSignature": "true",
            "gpg.program": str(program),
            "gpg.format": "openpgp",
            "diff.external": str(program),
            "diff.evil.textconv": str(program),
            "diff.evil.command": str(program),
            "filter.evil.clean": str(passthrough),
            "filter.evil.smudge": str(passthrough),
            "filter.evil.required": "true",
            "credential.helper": str(program),
            "pager.log": str(program),
            "pager.diff": str(program),
            "gc.auto": "1",
        }
        for key, value in settings.items():
            git(root, env, "config", key, value)
        (root / ".git/info/attributes").write_text("* diff=evil filter=evil\n", "utf-8")

    return root, env, sentinel, turn_hostile


def outputs(root: Path, env: dict[str, str]) -> list[tuple[int, str]]:
    commands = [
        ["pmrepo", "check", "--no-cache", "--format", "json"],
        ["pmrepo", "check", "--no-cache", "--changed", "main"],
        ["pmrepo", "check", "--no-cache", "--changed"],
        ["pmrepo", "timeline", "--source", "git:.", *WINDOW],
    ]
    results = []
    for command in commands:
        done = run(command, root, env)
        results.append((done.returncode, done.stdout + done.stderr))
    return results


def test_no_program_named_in_the_repository_config_runs(hostile: Hostile) -> None:
    root, env, sentinel, turn_hostile = hostile
    plain = outputs(root, env)
    # What the checks rest on: a date from the first commit, a change, the commit in time.
    assert "PM701" in plain[0][1] and "from its first commit" in plain[0][1]
    assert plain[1][0] == 1 and "(1 file checked)" in plain[1][1] and "PM402" in plain[1][1]
    assert plain[2] == plain[1]
    assert "by SRE: Post-mortems" in plain[3][1]
    assert not sentinel.exists()

    turn_hostile()
    assert outputs(root, env) == plain
    assert not sentinel.exists(), sentinel.read_text("utf-8")


def test_the_hostile_config_would_run_its_programs(hostile: Hostile) -> None:
    """The same commands pmrepo runs, without its options: the fixture's programs do run."""
    root, env, sentinel, turn_hostile = hostile
    turn_hostile()
    git(root, env, "log", "--format=%aI", "--name-status")
    assert sentinel.read_text("utf-8").count("--verify") == 1  # gpg, for the signed commit
    sentinel.unlink()
    subprocess.run(["git", "diff", "--name-only", "main"], cwd=root, env=env, capture_output=True)
    ran = sentinel.read_text("utf-8")
    assert "filter" in ran  # the clean filter, for the stale index entry
    assert "program.sh 2 " in ran  # the fsmonitor hook


def test_every_git_command_gets_the_safe_options(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    env = git_env(tmp_path)
    git(root, env, "init", "-q")
    git(root, env, "config", "filter.a.b.clean", "x")
    recorded: list[list[str]] = []
    real = subprocess.run

    def record(arguments: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        recorded.append(list(arguments))
        return real(arguments, **kwargs)  # type: ignore[call-overload,no-any-return]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subprocess, "run", record)
        core_git.run_git(root, "diff", "--name-only", encoding="utf-8", errors="strict")
    assert len(recorded) == 2  # the filter drivers' names, then the diff
    diff = recorded[-1]
    assert diff[1] == "--no-pager"
    for setting in ("core.fsmonitor=false", "log.showSignature=false", "filter.a.b.clean="):
        assert diff[diff.index(setting) - 1] == "-c"
    assert diff[diff.index("diff") + 1 :][:3] == [
        "--no-ext-diff",
        "--no-textconv",
        "--ignore-submodules=dirty",
    ]
