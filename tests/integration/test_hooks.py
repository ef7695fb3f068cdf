"""pmrepo in other people's tools: the pre-commit framework, a plain git hook, GitHub Actions."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, SAMPLE_REPO, VENV_BIN, git_env, hook_repository, run

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


def commit_notes_that_are_no_post_mortems(repo: Path, env: dict[str, str]) -> None:
    """Markdown that is no post-mortem, one file of it in a year folder (the hooks pass it;
    the config excludes every README.md): the commit is not stopped."""
    (repo / "2024" / "README.md").write_text("# 2024\n\nThe year's incidents.\n", "utf-8")
    (repo / "docs").mkdir()
    (repo / "docs" / "on-call.md").write_text("# On call\n", "utf-8")
    run(["git", "add", "-A"], repo, env)
    other = run(["git", "commit", "-qm", "Notes"], repo, env)
    assert other.returncode == 0, other.stdout + other.stderr


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

    commit_notes_that_are_no_post_mortems(repo, env)

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

    commit_notes_that_are_no_post_mortems(repo, env)
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


def test_the_plain_git_hook_fails_closed_without_pmrepo(tmp_path: Path) -> None:
    """A commit that pmrepo could not check is stopped, with how to install pmrepo."""
    env = git_env(tmp_path)
    repo = post_mortem_repo(tmp_path, env)
    shutil.copy2(REPO / "hooks" / "pre-commit", repo / ".git" / "hooks" / "pre-commit")
    add_blame(repo)
    run(["git", "add", "-A"], repo, env)
    git = shutil.which("git")
    assert git is not None
    no_pmrepo = env | {"PATH": f"{Path(git).parent}{os.pathsep}/bin"}
    assert run(["sh", "-c", "command -v pmrepo"], repo, no_pmrepo).returncode != 0
    blocked = run([git, "commit", "-qm", "Blame"], repo, no_pmrepo)
    assert blocked.returncode == 1
    assert "pmrepo cannot run here, so the post-mortems were not checked: commit stopped." in (
        blocked.stderr
    )
    assert "python3.11 -m pip install" in blocked.stderr
    assert run(["git", "rev-parse", "--verify", "-q", "HEAD"], repo, env).returncode != 0
    # A pmrepo that is there but cannot start stops it too.
    broken = tmp_path / "broken-bin"
    broken.mkdir()
    (broken / "pmrepo").write_text("#!/bin/sh\nexit 127\n", "utf-8")
    (broken / "pmrepo").chmod(0o755)
    failing = env | {"PATH": f"{broken}{os.pathsep}{no_pmrepo['PATH']}"}
    assert run([git, "commit", "-qm", "Blame"], repo, failing).returncode == 1


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


K8S = "2019-02-05.md"


def adopted_with_the_plain_hook(tmp_path: Path, env: dict[str, str], corpus: str) -> Path:
    """A collection in its own layout (tests/fixtures/<corpus>, no front matter), adopted
    with `pmrepo init --from-existing`, committed, with the plain git hook installed."""
    repo = tmp_path / corpus
    shutil.copytree(FIXTURES / corpus, repo)
    run(["git", "init", "-q", "-b", "main"], repo, env)
    adopted = run([str(VENV_BIN / "pmrepo"), "init", "--from-existing", "."], repo, env)
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    shutil.copy2(REPO / "hooks" / "pre-commit", repo / ".git" / "hooks" / "pre-commit")
    run(["git", "add", "-A"], repo, env)
    run(["git", "commit", "-qm", "Adopted", "--no-verify"], repo, env)
    return repo


def commit_blame(repo: Path, env: dict[str, str]) -> str:
    """Stage everything and commit it: the hook must stop the commit; returns its output."""
    run(["git", "add", "-A"], repo, env)
    blamed = run(["git", "commit", "-qm", "Blame"], repo, env)
    output = blamed.stdout + blamed.stderr
    assert blamed.returncode == 1, output
    return output


def test_the_plain_git_hook_checks_post_mortems_in_an_adopted_layout(tmp_path: Path) -> None:
    repo = adopted_with_the_plain_hook(tmp_path, git_env(tmp_path), "k8s-test-infra")
    path = repo / K8S
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("## ")) + 1
    lines[at:at] = ["\n", BLAME]
    path.write_text("".join(lines), "utf-8")
    output = commit_blame(repo, git_env(tmp_path))
    assert f"{K8S}:{at + 2}:1: PM402 a person is named as the cause: 'Alice forgot'" in output


def test_the_plain_git_hook_checks_a_report_published_without_an_extension(
    tmp_path: Path,
) -> None:
    repo = adopted_with_the_plain_hook(tmp_path, git_env(tmp_path), "chia")
    report = repo / "2022-10" / "2022-10-31-Android-Phone-Incident"
    report.write_text(report.read_text("utf-8") + "\n" + BLAME, "utf-8")
    line = report.read_text("utf-8").splitlines().index(BLAME.strip()) + 1
    output = commit_blame(repo, git_env(tmp_path))
    assert f"2022-10-31-Android-Phone-Incident:{line}:1: PM402" in output
