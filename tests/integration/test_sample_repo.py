"""The example repository and the full sample post-mortem (INC-2024-0015) are clean."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO, SAMPLE_REPO, SEED_SAMPLE, run_cli

from postmortem_repo import api


def test_sample_repo_checks_clean() -> None:
    result = run_cli("check", str(SAMPLE_REPO))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == "All checks passed (10 files checked).\n"


def test_seed_sample_alone_has_zero_findings() -> None:
    result = api.check([SEED_SAMPLE])
    assert result.findings == []
    assert result.files_checked == 1


def test_sample_repo_covers_every_severity_and_status() -> None:
    import yaml

    severities, statuses, years = set(), set(), set()
    for path in SAMPLE_REPO.glob("20*/Q*/INC-*.md"):
        data = yaml.safe_load(path.read_text("utf-8").split("---")[1])
        severities.add(data["severity"])
        statuses.add(data["status"])
        years.add(path.parts[-3])
    assert severities == {"SEV1", "SEV2", "SEV3", "SEV4"}
    assert statuses == {"DRAFT", "IN REVIEW", "PUBLISHED"}
    assert years == {"2023", "2024"}


def test_python_dash_m_runs_the_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "postmortem_repo", "check", "sample-repo"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout == "All checks passed (10 files checked).\n"
