"""pmrepo in other people's tools: the pre-commit framework, a plain git hook, GitHub Actions."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_REPO, VENV_BIN, git_env, run

SEED = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
BLAME = "Alice forgot to update the config after the deployment.\n\n"


def post_mortem_repo(tmp_path: Path, env: dict[str, str]) -> Path:
    repo = tmp_path / "post-mortems"
    shutil.copytree(SAMPLE_REPO, repo)
    run(["git", "init", "-q", "-b", "main"], repo, env)
    return repo


def add_blame(repo: Path) -> None:
    path = repo / SEED
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("### What Went Poorly\n\n", "### What Went Poorly\n\n" + BLAME), "utf-8"
    )


def make_stale(repo: Path) -> None:
    path = repo / SEED
    path.write_text(path.read_text("utf-8").replace("severity: SEV2", "severity: SEV1"), "utf-8")
    metrics = path.read_text("utf-8").replace("| Severity | SEV2 |", "| Severity | SEV1 |")
    path.write_text(metrics, "utf-8")


def hook_repository(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    """This checkout's files (as they are on disk) committed to a repository of their own,
    so the pre-commit framework can clone and install it like any hook repository."""
    copy = tmp_path / "pmrepo-hooks"
    listing = run(["git", "ls-files", "-co", "--exclude-standard", "-z"], REPO, env)
    if listing.returncode == 0 and listing.stdout:
        for name in listing.stdout.split("\0"):
            source = REPO / name
            if name and source.is_file() and not source.is_symlink():
                target = copy / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        (copy / "schemas").symlink_to("postmortem_repo/schema/json")
    else:  # not a git checkout: the source tree without what is built or cached
        ignored = shutil.ignore_patterns(
            ".git", ".venv", "*.egg-info", "__pycache__", "build", "dist", ".*_cache"
        )
        shutil.copytree(REPO, copy, symlinks=True, ignore=ignored)
    run(["git", "init", "-q"], copy, env)
    run(["git", "add", "-A"], copy, env)
    run(["git", "commit", "-qm", "pmrepo"], copy, env)
    sha = run(["git", "rev-parse", "HEAD"], copy, env).stdout.strip()
    return copy, sha


@pytest.mark.slow
def test_the_pre_commit_framework_runs_the_hooks(tmp_path: Path) -> None:
    env = git_env(tmp_path) | {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache")}
    hooks, sha = hook_repository(tmp_path, env)
    repo = post_mortem_repo(tmp_path, env)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {sha}\n    hooks:\n"
        "      - id: pmrepo-check\n      - id: pmrepo-index\n      - id: pmrepo-patterns\n",
        "utf-8",
    )
    pre_commit = [sys.executable, "-m", "pre_commit"]
    assert run([*pre_commit, "install"], repo, env).returncode == 0
    run(["git", "add", "-A"], repo, env)
    clean = run(["git", "commit", "-qm", "Post-mortems"], repo, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    # Markdown that is no post-mortem, one file of it in a year folder (the hook's `files:`
    # passes it; the config excludes every README.md): the commit is not stopped.
    (repo / "2024" / "README.md").write_text("# 2024\n\nThe year's incidents.\n", "utf-8")
    (repo / "docs").mkdir()
    (repo / "docs" / "on-call.md").write_text("# On call\n", "utf-8")
    run(["git", "add", "-A"], repo, env)
    other = run(["git", "commit", "-qm", "Notes"], repo, env)
    assert other.returncode == 0, other.stdout + other.stderr

    add_blame(repo)
    run(["git", "add", "-A"], repo, env)
    blamed = run(["git", "commit", "-qm", "Blame"], repo, env)
    output = blamed.stdout + blamed.stderr
    assert blamed.returncode == 1, output
    assert "pmrepo check" in output and "Failed" in output, output
    assert f"{SEED}:127:1: PM402 a person is named as the cause: 'Alice forgot'" in output
    run(["git", "checkout", "--", "."], repo, env)
    run(["git", "reset", "-q", "--hard"], repo, env)

    make_stale(repo)
    run(["git", "add", "-A"], repo, env)
    stale = run(["git", "commit", "-qm", "SEV1 after all"], repo, env)
    output = stale.stdout + stale.stderr
    assert stale.returncode == 1, output
    assert "pmrepo index" in output and "files were modified by this hook" in output
    assert "| SEV1 | PUBLISHED |" in (repo / "README.md").read_text("utf-8")
    run(["git", "add", "-A"], repo, env)
    again = run(["git", "commit", "-qm", "SEV1 after all"], repo, env)
    assert again.returncode == 0, again.stdout + again.stderr


def test_the_plain_git_hook(tmp_path: Path) -> None:
    env = git_env(tmp_path)
    repo = post_mortem_repo(tmp_path, env)
    hook = repo / ".git" / "hooks" / "pre-commit"
    shutil.copy2(REPO / "hooks" / "pre-commit", hook)
    run(["git", "add", "-A"], repo, env)
    clean = run(["git", "commit", "-qm", "Post-mortems"], repo, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    # Markdown that is no post-mortem, one file of it in a year folder (the hook's `files:`
    # passes it; the config excludes every README.md): the commit is not stopped.
    (repo / "2024" / "README.md").write_text("# 2024\n\nThe year's incidents.\n", "utf-8")
    (repo / "docs").mkdir()
    (repo / "docs" / "on-call.md").write_text("# On call\n", "utf-8")
    run(["git", "add", "-A"], repo, env)
    other = run(["git", "commit", "-qm", "Notes"], repo, env)
    assert other.returncode == 0, other.stdout + other.stderr
    add_blame(repo)
    run(["git", "add", "-A"], repo, env)
    blamed = run(["git", "commit", "-qm", "Blame"], repo, env)
    assert blamed.returncode == 1
    assert f"{SEED}:127:1: PM402" in blamed.stdout + blamed.stderr
    run(["git", "reset", "-q", "--hard"], repo, env)
    make_stale(repo)
    run(["git", "add", "-A"], repo, env)
    stale = run(["git", "commit", "-qm", "SEV1"], repo, env)
    assert stale.returncode == 1
    assert "run 'pmrepo index' and stage README.md" in stale.stderr


ACTIONLINT = shutil.which("actionlint", path=str(VENV_BIN)) or shutil.which("actionlint")


@pytest.mark.skipif(ACTIONLINT is None, reason="actionlint is not installed")
def test_the_action_and_the_example_workflow_pass_actionlint(tmp_path: Path) -> None:
    assert ACTIONLINT is not None
    env = git_env(tmp_path)
    project = tmp_path / "project"
    workflows = project / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy2(REPO / "action.yml", project / "action.yml")
    shutil.copy2(REPO / "hooks" / "github" / "pmrepo.yml", workflows / "pmrepo.yml")
    uses = (
        "name: use\non: pull_request\njobs:\n  lint:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - uses: ./\n        with:\n"
        "          path: post-mortems\n          format: sarif\n          output: pmrepo.sarif\n"
    )
    (workflows / "use.yml").write_text(uses, "utf-8")
    run(["git", "init", "-q"], project, env)
    result = run([ACTIONLINT, "-no-color"], project, env)
    assert result.returncode == 0, result.stdout + result.stderr
    # The validator does read action.yml: an input it does not declare is an error.
    (workflows / "use.yml").write_text(uses + "          colour: blue\n", "utf-8")
    wrong = run([ACTIONLINT, "-no-color"], project, env)
    assert wrong.returncode == 1 and 'input "colour" is not defined' in wrong.stdout


def test_shell_completion_scripts_are_printed() -> None:
    pmrepo = VENV_BIN / "pmrepo"
    for shell, marker in (("bash", "_pmrepo_completion()"), ("zsh", "#compdef pmrepo")):
        env = {**os.environ, "_PMREPO_COMPLETE": f"{shell}_source"}
        result = run([str(pmrepo)], REPO, env)
        assert result.returncode == 0 and marker in result.stdout
