"""One repository with every trick a hostile pull request can commit at once: a cache made
elsewhere with its findings emptied, a year folder linked out of the repository, a git
config that names programs, and front matter written to inject into every output. pmrepo's
commands and its git hook run on it: nothing outside the repository changes, no program
runs, the blame finding is still reported, and no output carries the injected markup."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import REPO, SAMPLE_REPO, SEED_NAME, git_env, run

INJECTED_TITLE = 'Outage <img src=x onerror=alert(1)> https://evil.example "\x1b[31mred'
INJECTED_SEVERITY = 'SEV2" : 999\n "Injected'
BLAME = "Alice forgot to rotate the key.\n\n"
WINDOW = ("--start", "2024-01-15T00:00:00Z", "--end", "2024-01-16T00:00:00Z")


def _tree_digest(folder: Path) -> str:
    """Names, link targets and bytes of everything under folder."""
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        hasher.update(str(path.relative_to(folder)).encode())
        if path.is_symlink():
            hasher.update(os.readlink(path).encode())
        elif path.is_file():
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _pmrepo(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "postmortem_repo", *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def _hostile_repository(tmp_path: Path) -> tuple[Path, dict[str, str], Path, Path]:
    """(repository, environment, a folder outside it, the sentinel a program would make)."""
    env = git_env(tmp_path)
    for key in ("PRE_COMMIT", "GIT_INDEX_FILE"):
        env.pop(key, None)
    outside = tmp_path / "outside"
    (outside / "Q1").mkdir(parents=True)
    (outside / "keep.txt").write_text("do not touch\n", "utf-8")
    sentinel = tmp_path / "sentinel"
    program = tmp_path / "program.sh"
    program.write_text(f'#!/bin/sh\necho "$0 $*" >> "{sentinel}"\nexit 1\n', "utf-8")
    program.chmod(0o755)

    root = tmp_path / "post-mortems"
    shutil.copytree(SAMPLE_REPO, root, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    seed = root / SEED_NAME
    text = seed.read_text("utf-8").replace(
        "### What Went Poorly\n\n", f"### What Went Poorly\n\n{BLAME}"
    )
    text = text.replace("title: ", f"title: {json.dumps(INJECTED_TITLE)} # ", 1)
    seed.write_text(text.replace("severity: SEV2", f"severity: {json.dumps(INJECTED_SEVERITY)}"))
    (root / "2031").symlink_to(outside)
    # A cache made on another machine, every finding emptied, committed with the rest.
    _pmrepo(root, {**env, "XDG_CACHE_HOME": str(tmp_path / "elsewhere")}, "check")
    with sqlite3.connect(next((root / ".pmrepo_cache").glob("*.sqlite3"))) as db:
        db.execute("UPDATE entries SET entry = json_set(entry, '$.findings', json('[]'))")
    (root / ".pmrepo_cache" / ".gitignore").unlink()

    run(["git", "init", "-q", "-b", "main"], root, env)
    run(["git", "add", "-A"], root, env)
    run(["git", "commit", "-qm", "Post-mortems"], root, env)
    for key, value in {
        "core.fsmonitor": str(program),
        "core.pager": str(program),
        "log.showSignature": "true",
        "gpg.program": str(program),
        "diff.external": str(program),
        "core.hooksPath": str(tmp_path / "nowhere"),
    }.items():
        run(["git", "config", key, value], root, env)
    return root, {**env, "XDG_CACHE_HOME": str(tmp_path / "this-machine")}, outside, sentinel


def test_every_trick_at_once_changes_nothing_outside_runs_nothing_and_hides_nothing(
    tmp_path: Path,
) -> None:
    root, env, outside, sentinel = _hostile_repository(tmp_path)
    before = _tree_digest(outside)
    outputs = []

    check = _pmrepo(root, env, "check", "--format", "json")
    findings = json.loads(check.stdout)["findings"]
    assert ("PM402", SEED_NAME) in [(f["code"], f["path"]) for f in findings]
    assert check.returncode == 1
    for args in (
        ("check",),
        ("check", "--format", "github"),
        ("check", "--changed", "HEAD"),
        ("index",),
        ("index", "--check"),
        ("report", "--year", "2024", "--today", "2025-06-30"),
        ("actions", "--today", "2025-06-30"),
        ("init", "--from-existing", "."),
        ("timeline", "--source", "git:.", *WINDOW, "--into", "INC-2024-0015"),
    ):
        done = _pmrepo(root, env, *args)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        outputs += [done.stdout, done.stderr]
    refused = _pmrepo(
        root, env, "new", "--title", "x", "--severity", "SEV3", "--date", "2031-02-01"
    )
    assert refused.returncode == 2 and "2031" in refused.stderr

    hook = root / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "hooks" / "pre-commit", hook)
    # The test's own git is told to run nothing: only what the hook (pmrepo's) does counts.
    quiet = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=.git/hooks"]
    run(["git", *quiet, "add", "-A"], root, env)
    committed = run(["git", *quiet, "commit", "-qm", "More"], root, env)
    assert committed.returncode != 0  # the hook stops the commit: PM402
    said = committed.stdout + committed.stderr
    assert f"{SEED_NAME}:" in said and "PM402" in said
    outputs += [committed.stdout, committed.stderr]

    assert _tree_digest(outside) == before
    assert not sentinel.exists(), sentinel.read_text("utf-8")
    readme = (root / "README.md").read_text("utf-8")
    for text in [*outputs, readme]:
        assert "\x1b[31m" not in text
        assert "<img" not in text
        assert "](https://evil.example" not in text
        assert '"Injected"' not in text
