"""Show that a change left every user-visible output alone.

    python bench/same_output.py record DIR [--source TREE]
    python bench/same_output.py compare DIR [--source TREE]

`record` runs pmrepo from the source tree TREE (default: this checkout) over copies of
sample-repo, every fixture corpus and the dfds copy, and writes each command's exit code,
standard output and standard error to DIR. `compare` runs the same commands and prints
every output that differs from DIR's, byte for byte; it exits 1 when any does.

Typical use, against an earlier commit:

    git worktree add /tmp/before <commit>
    python bench/same_output.py record /tmp/outputs --source /tmp/before
    python bench/same_output.py compare /tmp/outputs
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2025-06-30"  # a fixed day, so that overdue items do not move with the calendar

# A repository's hand-written config, copied into it.
CONFIGS = {"tests/fixtures/dfds": "tests/fixtures/dfds-config"}

# (repository under this checkout, command arguments after `pmrepo`)
RUNS: list[tuple[str, list[str]]] = [
    ("sample-repo", ["check", "--format", "json", "--no-cache"]),
    ("sample-repo", ["check", "--format", "text", "--no-cache"]),
    ("sample-repo", ["check", "--format", "sarif", "--no-cache"]),
    ("sample-repo", ["check", "--format", "github", "--no-cache"]),
    ("sample-repo", ["index", "--check"]),
    ("sample-repo", ["patterns", "--check"]),
    ("sample-repo", ["actions", "--format", "json", "--today", TODAY]),
    ("sample-repo", ["actions", "--today", TODAY]),
    ("sample-repo", ["report", "--format", "json", "--year", "2024", "--today", TODAY]),
    ("sample-repo", ["report", "--quarter", "2024Q1", "--today", TODAY]),
    ("sample-repo", ["rules"]),
    ("tests/fixtures/corpus", ["check", "--format", "json", "--no-cache"]),
    ("tests/fixtures/corpus", ["check", "--format", "text", "--no-cache"]),
    ("tests/fixtures/corpus", ["index", "--check"]),
    ("tests/fixtures/corpus", ["actions", "--format", "json", "--today", TODAY]),
    ("tests/fixtures/corpus", ["report", "--format", "json", "--year", "2024", "--today", TODAY]),
    ("tests/fixtures/dfds", ["check", "--format", "json", "--no-cache"]),
    ("tests/fixtures/dfds", ["check", "--format", "json", "--no-cache", "--select", "PM4"]),
    ("tests/fixtures/dfds", ["actions", "--format", "json", "--today", TODAY]),
    ("tests/fixtures/dfds", ["report", "--format", "json", "--year", "2019", "--today", TODAY]),
]


def run_all(source: Path) -> dict[str, dict[str, object]]:
    outputs: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        copies: dict[str, Path] = {}
        for repo, arguments in RUNS:
            if repo not in copies:
                copies[repo] = Path(scratch) / repo.replace("/", "_")
                shutil.copytree(ROOT / repo, copies[repo])
                if repo in CONFIGS:
                    shutil.copytree(ROOT / CONFIGS[repo], copies[repo], dirs_exist_ok=True)
            name = f"{repo} :: {' '.join(arguments)}"
            outputs[name] = run_one(source, copies[repo], arguments)
    return outputs


def run_one(source: Path, repo: Path, arguments: list[str]) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    env.pop("GITHUB_STEP_SUMMARY", None)
    command = [sys.executable, "-m", "postmortem_repo", *arguments]
    done = subprocess.run(command, cwd=repo, env=env, capture_output=True, check=False)
    return {
        "exit": done.returncode,
        "stdout": done.stdout.decode("utf-8", "backslashreplace"),
        "stderr": done.stderr.decode("utf-8", "backslashreplace"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--source", type=Path, default=ROOT)
    args = parser.parse_args()
    outputs = run_all(args.source.resolve())
    stored = args.directory / "outputs.json"
    if args.mode == "record":
        args.directory.mkdir(parents=True, exist_ok=True)
        stored.write_text(json.dumps(outputs, indent=1, ensure_ascii=False), encoding="utf-8")
        digest = hashlib.sha256(stored.read_bytes()).hexdigest()[:16]
        print(f"recorded {len(outputs)} outputs in {stored} (sha256 {digest})")
        return 0
    before = json.loads(stored.read_text(encoding="utf-8"))
    differing = [name for name in outputs if outputs[name] != before.get(name)]
    for name in differing:
        print(f"DIFFERS: {name}")
        for part in ("exit", "stdout", "stderr"):
            if outputs[name][part] != before.get(name, {}).get(part):
                print(f"  {part}: before {before.get(name, {}).get(part)!r:.300}")
                print(f"  {part}: now    {outputs[name][part]!r:.300}")
    print(f"{len(outputs) - len(differing)} of {len(outputs)} outputs identical")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
