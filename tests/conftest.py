from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from postmortem_repo import api
from postmortem_repo.cli import main

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
VENV_BIN = Path(sys.executable).parent
SAMPLE_REPO = REPO / "sample-repo"
SEED_SAMPLE = SAMPLE_REPO / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"
SEED_NAME = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of sample-repo to change (without any result cache a run left in it)."""
    copy = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, copy, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    return copy


@pytest.fixture
def seed_text() -> str:
    """The sample post-mortem INC-2024-0015, without its link to INC-2023-0089: tests put it in
    repositories of its own, where that incident does not exist (PM703)."""
    text = SEED_SAMPLE.read_text("utf-8")
    return text.replace("related:\n  - INC-2023-0089\n", "related:\n  []\n")


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write {relative path: text or bytes} into a fresh repository root; returns the root."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "repo"
        root.mkdir(exist_ok=True)
        for relpath, content in files.items():
            path = root / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, "utf-8", newline="")
        return root

    return make


Triple = tuple[str, int, int]


def findings_of(root: Path, *paths: Path, **options: object) -> list[Triple]:
    """(code, line, column) of every finding, in output order."""
    result = api.check(list(paths) or [root], **options)  # type: ignore[arg-type]
    return [(f.code, f.line, f.column) for f in result.findings]


def run_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


@pytest.fixture
def cli() -> Callable[..., Result]:
    return run_cli


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def git_env(home: Path) -> dict[str, str]:
    """An environment for git with a fixed identity, no user or system config, and this
    venv's pmrepo first on PATH."""
    return {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "SRE",
        "GIT_AUTHOR_EMAIL": "sre@example.com",
        "GIT_COMMITTER_NAME": "SRE",
        "GIT_COMMITTER_EMAIL": "sre@example.com",
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


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


# A post-mortem with findings of five rules, for the check command's option tests.
BLAME = (
    "Bob forgot to drain the node.\n"
    "The deploy was careless and sloppy.\n"
    "We should have noticed the alert sooner.\n\n"
)


@pytest.fixture
def findings_repo(
    make_repo: Callable[[dict[str, str | bytes]], Path],
    seed_text: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """One post-mortem with findings of five rules: PM205, PM206, PM401, PM402, PM403 (x2),
    and the working folder in its repository."""
    text = seed_text.replace("### What Went Poorly\n\n", "### What Went Poorly\n\n" + BLAME, 1)
    text = text.replace("severity: SEV2", "severity: high\nseverty: SEV2")
    root = make_repo({SEED_NAME: text})
    monkeypatch.chdir(root)
    return root
