"""A post-mortem repository nobody here wrote: dfds/postmortems (MIT), 39 files named
`PMYYYY-NNN - Title.md`, no front matter, their own headings. Its findings, reviewed by hand,
are tests/golden/dfds-findings.txt."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

FIXTURES = Path(__file__).parent / "fixtures"
DFDS = FIXTURES / "dfds"
GOLDEN = Path(__file__).parent / "golden"
NO_EXTENSION = "PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues"


@pytest.fixture
def dfds(tmp_path: Path) -> Path:
    copy = tmp_path / "dfds"
    shutil.copytree(DFDS, copy)
    return copy


def _findings(result: Result) -> list[str]:
    report = json.loads(result.stdout)
    return [
        f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}"
        for f in report["findings"]
    ]


def _golden_findings() -> list[str]:
    return (GOLDEN / "dfds-findings.txt").read_text("utf-8").splitlines()


def _check(cli: Callable[..., Result], root: Path) -> Result:
    return cli("check", str(root), "--format", "json", "--no-cache")


def test_a_hand_written_config_finds_the_real_problems_of_every_file(
    dfds: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (".pmrepo.yaml", "sections.schema.json"):
        shutil.copy(FIXTURES / "dfds-config" / name, dfds / name)
    monkeypatch.chdir(dfds)
    result = _check(cli, dfds)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["files_checked"] == 39  # 38 .md files and one without .md
    codes = {finding["code"] for finding in report["findings"]}
    assert not codes & {"PM101", "PM102", "PM201", "PM306"}  # all read, all parsed
    found = _findings(result)
    assert found == _golden_findings()
    # What the issue names: a file without .md, timeline order, missing sections.
    everything = "\n".join(found)
    assert f"{NO_EXTENSION}:1:1: PM103" in everything and "add the '.md' extension" in everything
    assert "2023-02-14 11:07 comes after 2023-02-14 11:08" in everything
    assert "missing required section '## Stats': is '# Stats' meant to be it?" in everything
    assert "cannot read the time '20202-01-16 12:00'" in everything  # a five-digit year


def test_blameless_findings_on_the_real_post_mortems(dfds: Path) -> None:
    blame = [line.split(": ", 1)[1] for line in _golden_findings() if ": PM4" in line]
    assert blame == [
        "PM401 hindsight counterfactual 'should have been addressed'",
        "PM402 the team is named as the cause: 'we did not catch'",
        "PM402 the team is named as the cause: 'we failed to verify'",
        "PM401 hindsight counterfactual 'shouldn't have been rushed'",
        "PM401 hindsight counterfactual 'shouldn't have been rushed'",
        "PM404 'Human error' given as a cause",
        "PM402 the team is named as the cause: 'we missed'",
    ]


def test_init_from_existing_proposes_a_config_that_reports_only_the_real_problems(
    dfds: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(dfds)
    result = cli("init", "--from-existing", str(dfds))
    assert result.exit_code == 0, result.output
    assert "file names: 39 of 39 follow 'PM{year}-{seq} - {title}.md'" in result.output
    assert (dfds / ".pmrepo.yaml").read_text("utf-8") == (
        GOLDEN / "dfds-proposed.pmrepo.yaml"
    ).read_text("utf-8")
    assert (dfds / "pmrepo.sections.json").read_text("utf-8") == (
        GOLDEN / "dfds-proposed.sections.json"
    ).read_text("utf-8")
    checked = _check(cli, dfds)
    assert checked.exit_code == 1
    assert _findings(checked) == _golden_findings()


def test_init_from_existing_keeps_a_config_that_exists(
    dfds: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    (dfds / ".pmrepo.yml").write_text("select: [PM4]\n", "utf-8")
    monkeypatch.chdir(dfds)
    result = cli("init", "--from-existing", str(dfds))
    assert result.exit_code == 0
    assert (dfds / ".pmrepo.yml").read_text("utf-8") == "select: [PM4]\n"
    assert sorted(path.name for path in dfds.glob("*pmrepo*")) == [".pmrepo.yml"]
    assert ".pmrepo.yml is this repository's config and was kept; nothing was written" in (
        result.stderr
    )
    assert "path: PM{year}-{seq} - {title}.md" in result.stdout  # the proposal, to merge


def test_init_from_existing_on_a_folder_without_post_mortems_is_an_error(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "README.md").write_text("# Notes\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--from-existing", str(tmp_path))
    assert result.exit_code == 2
    assert "no Markdown files that look like post-mortems" in result.stderr
    assert not (tmp_path / ".pmrepo.yaml").exists()


def test_init_from_existing_on_files_with_front_matter_proposes_a_schema_of_their_keys(
    tmp_path: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "\n# Title\n\n## What happened\n\nText.\n\n## Follow-ups\n\n- One.\n"
    for number in (1, 2, 3):
        front = f"---\nid: OUT-2023-{number:03}\nseverity: {number}\n"
        front += "owner: infra\n" if number < 3 else ""
        (tmp_path / f"OUT-2023-{number:03}-db-outage.md").write_text(
            front + "---\n" + body, "utf-8"
        )
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--from-existing", str(tmp_path))
    assert result.exit_code == 0, result.output
    schema = json.loads((tmp_path / "pmrepo.frontmatter.json").read_text("utf-8"))
    assert schema["properties"] == {
        "id": {"type": "string"},
        "owner": {"type": "string"},
        "severity": {"type": "number"},
    }
    assert schema["required"] == ["id", "severity"]
    config = (tmp_path / ".pmrepo.yaml").read_text("utf-8")
    assert "path: OUT-{year}-{seq}-{slug}.md" in config and "front_matter" not in config
    checked = _check(cli, tmp_path)
    assert checked.exit_code == 0, checked.output


def test_the_index_of_an_adopted_repository_takes_ids_titles_and_dates_from_the_files(
    dfds: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(dfds)
    assert cli("init", "--from-existing", ".").exit_code == 0
    readme = dfds / "README.md"
    readme.write_text(
        readme.read_text("utf-8") + "\n<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n",
        "utf-8",
    )
    result = cli("index")
    assert result.exit_code == 0, result.output
    text = readme.read_text("utf-8")
    # id from the file name, title from the H1, date from the first dated timeline row
    assert (
        "| [PM2022-009](PM2022-009%20-%20Bad%20AWS%20EKS%20AMI%20causing%20Kubernetes%20issues)"
        " | Bad AWS EKS AMI | 2022-10-29 |" in text
    )
    # one file has no readable date (a five-digit year in every row): left out, and said
    assert "38 incidents from 2019-11-29 to 2025-03-17" in text
    assert "PM2020-003 - Postmortem for ADSync migration.md: left out" in result.stderr
    assert cli("index", "--check").exit_code == 0


def test_a_cached_run_of_an_adopted_repository_gives_the_same_findings(
    dfds: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache remembers what a file says (its front matter's id), not what the layout
    makes of its name: a run before the config was written must not leak into later ones."""
    monkeypatch.chdir(dfds)
    cli("check", ".", "--format", "json")  # the default layout: nothing is a post-mortem
    assert cli("init", "--from-existing", ".").exit_code == 0
    for _ in range(2):  # cold, then warm
        result = cli("check", ".", "--format", "json")
        assert _findings(result) == _golden_findings()
