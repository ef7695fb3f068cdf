"""Four public post-mortem collections pmrepo was not written for (tests/fixtures/<name>, each
with its LICENSE and SOURCE.txt), each adopted with `init --from-existing` and then checked
under the proposal. The proposals and the findings are golden files, reviewed by hand:
tests/golden/<name>-proposed.pmrepo.yaml, <name>-proposed.sections.json, <name>-findings.txt.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import FIXTURES, GOLDEN

from postmortem_repo.repo.config import find_config, load_config
from postmortem_repo.repo.incidents import load_incidents

Cli = Callable[..., Result]

# name → the number of reports (every file but README, LICENSE, SOURCE.txt and the templates)
CORPORA = {"chia": 33, "dfds": 39, "k8s-test-infra": 5, "posthog": 7}
_PLACED = re.compile(r"^file names: (\d+) of (\d+) follow '(.+)'$", re.MULTILINE)


def _findings(result: Result) -> list[str]:
    return [
        f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}"
        for f in json.loads(result.stdout)["findings"]
    ]


@pytest.fixture(params=sorted(CORPORA))
def adopted(
    request: pytest.FixtureRequest, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, Path, Result]:
    name: str = request.param
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    monkeypatch.chdir(root)
    result = cli("init", "--from-existing", ".")
    assert result.exit_code == 0, result.output
    return name, root, result


def test_init_places_nine_reports_in_ten_and_check_checks_every_report(
    adopted: tuple[str, Path, Result], cli: Cli
) -> None:
    name, _root, init = adopted
    reports = CORPORA[name]
    assert f"{reports} post-mortems read" in init.stdout
    match = _PLACED.search(init.stdout)
    assert match is not None, init.stdout
    placed, total = int(match[1]), int(match[2])
    print(f"{name}: layout '{match[3]}' places {placed} of {total} reports")
    assert total == reports and placed * 10 >= total * 9
    assert f"pmrepo check will check all {reports} of them" in init.stdout
    checked = cli("check", ".", "--format", "json", "--no-cache")
    summary = json.loads(checked.stdout)["summary"]
    print(f"{name}: {summary['files_checked']} files checked")
    assert summary["files_checked"] == reports


def test_the_proposal_and_its_findings_are_the_reviewed_ones(
    adopted: tuple[str, Path, Result], cli: Cli
) -> None:
    name, root, _ = adopted
    for written, golden in (
        (".pmrepo.yaml", f"{name}-proposed.pmrepo.yaml"),
        ("pmrepo.sections.json", f"{name}-proposed.sections.json"),
    ):
        assert (root / written).read_text("utf-8") == (GOLDEN / golden).read_text("utf-8")
    checked = cli("check", ".", "--format", "json", "--no-cache")
    expected = (GOLDEN / f"{name}-findings.txt").read_text("utf-8").splitlines()
    assert _findings(checked) == expected


def test_every_adopted_report_is_an_incident_dated_by_its_file_name(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reports without front matter are dated by their timeline's first full date, else by
    their file name (these timelines write no year), so the index, the report and the
    actions list them all."""
    root = tmp_path / "k8s-test-infra"
    shutil.copytree(FIXTURES / "k8s-test-infra", root)
    monkeypatch.chdir(root)
    assert cli("init", "--from-existing", ".").exit_code == 0
    config = load_config(find_config(root))
    incidents = load_incidents(root, config, warn=False)
    assert [(i.id, i.date.isoformat()) for i in incidents] == [
        ("2019-01-23", "2019-01-22"),  # the timeline starts the evening before
        ("2019-02-05", "2019-02-05"),
        ("2019-02-08", "2019-02-08"),
        ("2019-03-26", "2019-03-26"),
        ("2019-05-30", "2019-05-30"),
    ]
