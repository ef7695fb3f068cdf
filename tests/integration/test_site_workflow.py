"""The example workflow that publishes the site with GitHub Pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, VENV_BIN, git_env, run, run_cli

WORKFLOW = REPO / "hooks" / "github" / "pmrepo-site.yml"
ACTIONLINT = shutil.which("actionlint", path=str(VENV_BIN)) or shutil.which("actionlint")


@pytest.mark.skipif(ACTIONLINT is None, reason="actionlint is not installed")
def test_the_site_workflow_passes_actionlint(tmp_path: Path) -> None:
    assert ACTIONLINT is not None
    env = git_env(tmp_path)
    project = tmp_path / "project"
    workflows = project / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy2(WORKFLOW, workflows / "pmrepo-site.yml")
    run(["git", "init", "-q"], project, env)
    result = run([ACTIONLINT, "-no-color"], project, env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_builds_the_folder_it_uploads(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)  # the workflow runs at the top of the repository
    text = WORKFLOW.read_text("utf-8")
    command = re.search(r"run: (pmrepo site .*)", text)
    uploaded = re.search(r"upload-pages-artifact@v3\n\s+with:\n\s+path: (\S+)", text)
    assert command is not None and uploaded is not None
    result = run_cli(*command[1].split()[1:])
    assert result.exit_code == 0, result.stderr
    assert (repo / uploaded[1] / "index.html").is_file()


WORKFLOWS = sorted((REPO / "hooks" / "github").glob("*.yml"))


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_a_workflow_installs_pmrepo_from_its_repository_at_this_release(workflow: Path) -> None:
    from postmortem_repo import __version__

    text = workflow.read_text("utf-8")
    installs = re.findall(r"pip install (.+)", text)
    assert installs and set(installs) == {'"$PMREPO_REQUIREMENT"'}
    pins = re.findall(r'PMREPO_REQUIREMENT: "([^"]+)"', text)
    assert pins == [f"git+https://github.com/<owner>/pmrepo@v{__version__}"]


def test_the_action_installs_its_own_copy_of_pmrepo() -> None:
    text = (REPO / "action.yml").read_text("utf-8")
    assert re.search(r"version:\n(?:\s+.*\n)*?\s+default: \"\"\n", text)
    assert "PMREPO_REQUIREMENT: ${{ inputs.version || github.action_path }}" in text


def test_the_site_is_built_only_after_the_post_mortems_pass_check() -> None:
    runs = re.findall(r"run: (pmrepo \w+)", WORKFLOW.read_text("utf-8"))
    assert runs == ["pmrepo check", "pmrepo site"]
