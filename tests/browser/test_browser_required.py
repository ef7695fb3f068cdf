"""Without chromium the browser tests skip and say why, unless PMREPO_REQUIRE_BROWSER=1
(CI) asks for them: then they fail, since a check that did not run must not pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

TARGET = (
    "tests/browser/test_site_in_browser.py"
    "::test_the_severity_filter_leaves_exactly_the_sev1_incidents"
)


def _run_without_chromium(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PMREPO_REQUIRE_BROWSER"}
    env |= {"PMREPO_CHROMIUM": str(tmp_path / "no-chromium"), **extra}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", TARGET],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_chromium_the_browser_tests_skip_with_the_reason(tmp_path: Path) -> None:
    done = _run_without_chromium(tmp_path)
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout
    assert f"no chromium at {tmp_path / 'no-chromium'} (apt-get install chromium)" in done.stdout


def test_when_required_a_missing_chromium_fails_them(tmp_path: Path) -> None:
    done = _run_without_chromium(tmp_path, PMREPO_REQUIRE_BROWSER="1")
    assert done.returncode == 1, done.stdout
    assert "PMREPO_REQUIRE_BROWSER=1 and no chromium at" in done.stdout
