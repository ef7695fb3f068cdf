"""The fuzz target runs briefly on every test run; longer on demand:
`python tests/fuzz/fuzz_parser.py -max_total_time=600`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TARGET = Path(__file__).parent / "fuzz_parser.py"


@pytest.mark.slow
def test_the_parser_fuzz_target_runs_without_a_crash(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(TARGET), "-atheris_runs=1500", "-seed=1"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done 1500 in" in done.stderr
