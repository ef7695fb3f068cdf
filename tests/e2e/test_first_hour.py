"""A new user's first hour, as the README tells it: the quick start, then a team's own
post-mortem repository set up with `pmrepo init` and `pmrepo new`, committed through the
real pre-commit framework, which installs pmrepo from a clone of this repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, VENV_BIN, git_env, hook_repository, run

from postmortem_repo import __version__
from postmortem_repo.commands.scaffold import HOOKS_REPO_PLACEHOLDER

PMREPO = str(VENV_BIN / "pmrepo")
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def step(args: list[str], cwd: Path, env: dict[str, str], code: int = 0) -> str:
    """Run one step; assert its exit code; return what it printed (stdout and stderr)."""
    result: subprocess.CompletedProcess[str] = run(args, cwd, env)
    output = result.stdout + result.stderr
    assert result.returncode == code, f"{' '.join(args)} exited {result.returncode}:\n{output}"
    return output


def test_the_quick_start_checks_the_sample_repository(tmp_path: Path) -> None:
    env = git_env(tmp_path)
    assert step([PMREPO, "--version"], REPO, env) == f"pmrepo, version {__version__}\n"
    checked = step([PMREPO, "check", "sample-repo", "--no-cache"], REPO, env)
    assert checked.startswith("All checks passed (10 files checked).")


@pytest.mark.slow
def test_a_new_team_commits_its_first_post_mortem_first_time(tmp_path: Path) -> None:
    env = git_env(tmp_path) | {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    hooks, sha = hook_repository(tmp_path, env)
    repo = tmp_path / "post-mortems"
    repo.mkdir()
    step(["git", "init", "-q", "-b", "main"], repo, env)
    step(["git", "config", "user.name", "Ada Lovelace"], repo, env)

    # pmrepo init: the files, the placeholder to edit, the next steps.
    init = step([PMREPO, "init", "."], repo, env)
    for name in (".pmrepo.yaml", "TEMPLATE.md", "README.md", "patterns/README.md"):
        assert f"created {name}\n" in init
    assert f"replace {HOOKS_REPO_PLACEHOLDER} with where your team gets pmrepo" in init
    assert "pre-commit install" in init

    # Left as init wrote it, the config fails closed: nothing is committed.
    step([*PRE_COMMIT, "install"], repo, env)
    step(["git", "add", "-A"], repo, env)
    offline = env | {"GIT_ALLOW_PROTOCOL": "file"}  # the placeholder is never fetched
    unedited = step(["git", "commit", "-qm", "Set up"], repo, offline, code=1)
    assert "YOUR-ORG/pmrepo" in unedited
    assert run(["git", "rev-parse", "-q", "--verify", "HEAD"], repo, env).returncode == 1

    # The team's edit, as init asks: where pmrepo comes from, at a commit.
    config = repo / ".pre-commit-config.yaml"
    text = config.read_text("utf-8")
    text = text.replace(HOOKS_REPO_PLACEHOLDER, str(hooks)).replace(f"v{__version__}", sha)
    config.write_text(text, "utf-8")

    new = step(
        [PMREPO, "new", "--title", "Payment API latency spike", "--severity", "SEV2",
         "--services", "payment-api", "--date", "2025-02-10"],
        repo, env,
    )  # fmt: skip
    draft = "2025/Q1/INC-2025-0001-payment-api-latency-spike.md"
    assert new == f"{draft}\n"
    assert 'author: "Ada Lovelace"' in (repo / draft).read_text("utf-8")
    assert step([PMREPO, "index"], repo, env) == "updated README.md\n"
    assert step([PMREPO, "patterns"], repo, env) == "Everything is up to date.\n"
    assert step([PMREPO, "check"], repo, env) == "All checks passed (1 file checked).\n"
    assert step([PMREPO, "patterns", "--check"], repo, env) == ""
    assert step([PMREPO, "actions", "--all"], repo, env) == "No action items match.\n"

    step(["git", "add", "-A"], repo, env)
    first = step(["git", "commit", "-m", "Our first post-mortem"], repo, env)
    for hook in ("pmrepo check", "pmrepo index", "pmrepo patterns"):
        assert any(line.startswith(hook) and line.endswith("Passed") for line in first.splitlines())
    assert step(["git", "status", "--porcelain"], repo, env) == ""

    # The hooks check for real: a person named as the cause stops the next commit.
    path = repo / draft
    path.write_text(
        path.read_text("utf-8").replace(
            "## Executive Summary\n\n", "## Executive Summary\n\nBob forgot to scale the pool.\n\n"
        ),
        "utf-8",
    )
    step(["git", "add", "-A"], repo, env)
    blamed = step(["git", "commit", "-qm", "Summary"], repo, env, code=1)
    assert f"{draft}:" in blamed and "PM402 a person is named as the cause: 'Bob forgot'" in blamed
