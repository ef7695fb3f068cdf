"""What a one-file check loads: a pre-commit hook runs pmrepo on every commit, and most of
its time is imports. Checked by the modules a fresh interpreter ends with, not by a clock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SEED_NAME

_PROBE = """
import json, sys
from pathlib import Path
from postmortem_repo import api
result = api.check([Path(sys.argv[1])], cache=sys.argv[2] == "cache")
print(json.dumps({"findings": [f.code for f in result.findings], "modules": sorted(sys.modules)}))
"""


def _check_in_fresh_interpreter(path: Path, cache: bool = False) -> tuple[list[str], set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), "cache" if cache else "no-cache"],
        cwd=path.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    return report["findings"], {name.split(".")[0] for name in report["modules"]}


def test_a_valid_file_without_a_cache_loads_no_database_pool_or_validator(repo: Path) -> None:
    findings, loaded = _check_in_fresh_interpreter(repo / SEED_NAME)
    assert findings == []
    assert not loaded & {"sqlite3", "concurrent", "jsonschema"}


def test_an_invalid_front_matter_loads_the_validator_to_say_why(repo: Path) -> None:
    seed = repo / SEED_NAME
    seed.write_text(seed.read_text("utf-8").replace("severity: SEV2", "severity: SEV9"), "utf-8")
    findings, loaded = _check_in_fresh_interpreter(seed)
    # SEV9 also leaves the README index's severity stale (PM705).
    assert sorted(set(findings)) == ["PM205", "PM705"] and findings.count("PM205") == 1
    assert "jsonschema" in loaded
    assert not loaded & {"sqlite3", "concurrent"}


def test_a_check_with_a_cache_opens_the_database(repo: Path) -> None:
    findings, loaded = _check_in_fresh_interpreter(repo / SEED_NAME, cache=True)
    assert findings == [] and "sqlite3" in loaded
