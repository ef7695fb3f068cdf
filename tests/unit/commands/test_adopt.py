"""A post-mortem repository nobody here wrote: dfds/postmortems (MIT), 39 files named
`PMYYYY-NNN - Title.md`, no front matter, their own headings. Its findings, reviewed by hand,
are tests/golden/dfds-findings.txt."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from conftest import FIXTURES, GOLDEN

from postmortem_repo.core.errors import ConfigError
from postmortem_repo.core.timeparse import parse_clock, parse_timestamp
from postmortem_repo.model.layout import make_layout
from postmortem_repo.repo.config import load_config

DFDS = FIXTURES / "dfds"
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
    assert "heading '# Stats' is at the wrong level: make it '## Stats'" in everything
    assert "cannot read the time '20202-01-16 12:00'" in everything  # a five-digit year


def test_blameless_findings_on_the_real_post_mortems(dfds: Path) -> None:
    blame = [line.split(": ", 1)[1] for line in _golden_findings() if ": PM4" in line]
    assert blame == [
        "PM401 hindsight counterfactual 'should have been addressed'",
        "PM405 an action aimed at a person, not the system: 'be more aware'",
        "PM405 an action aimed at a person, not the system: 'needs more carefully'",
        "PM402 the team is named as the cause: 'we did not catch'",
        "PM402 the team is named as the cause: 'we failed to verify'",
        "PM405 an action aimed at a person, not the system: 'Be more careful'",
        "PM405 an action aimed at a person, not the system: 'need to be better at'",
        "PM401 hindsight counterfactual 'shouldn't have been rushed'",
        "PM403 judgement word 'despite being aware' about people",
        "PM401 hindsight counterfactual 'shouldn't have been rushed'",
        "PM402 the team is named as the cause: 'We wrongly assumed'",
        "PM405 an action aimed at a person, not the system: 'need be better at'",
        "PM404 'Human error' given as a cause",
        "PM403 judgement word 'Lack of deeper understanding' about people",
        "PM405 an action aimed at a person, not the system: 'be very cautious'",
        "PM402 a team is named as the cause: 'Teams still haven't adopted'",
        "PM402 the team is named as the cause: 'we missed'",
        "PM405 an action aimed at a person, not the system: 'be more careful'",
        "PM405 an action aimed at a person, not the system: 'be more aware'",
    ]


def test_init_from_existing_proposes_a_config_that_reports_only_the_real_problems(
    dfds: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(dfds)
    result = cli("init", "--from-existing", str(dfds))
    assert result.exit_code == 0, result.output
    # The file without '.md' does not follow it (PM103 says so).
    assert "file names: 38 of 39 follow 'PM{year}-{seq} - {title}.md'" in result.output
    # The hooks and the index are the team's to set up: init says how.
    assert "\nNext steps:\n  1. pmrepo check" in result.output
    assert "pmrepo-check hook" in result.output and "<!-- pmrepo:index:start -->" in result.output
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


# Found by review, each with the minimal input.

MakeRepo = Callable[[dict[str, str | bytes]], Path]
Cli = Callable[..., Result]

BODY = (
    "# {title}\n\n## Summary\n\nText.\n\n## Timeline\n\n| Time | Event |\n|---|---|\n"
    "| 2023-01-05 10:00 | a |\n\n## Action Items\n\n- One.\n"
)


def _adopt(root: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(root)
    result = cli("init", "--from-existing", ".")
    assert result.exit_code == 0, result.output
    return result


def _checked(cli: Cli) -> dict[str, object]:
    report: dict[str, object] = json.loads(
        cli("check", ".", "--format", "json", "--no-cache").stdout
    )
    return report


def test_front_matter_without_an_id_takes_it_from_the_file_name(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    front = "---\ntitle: Good one\ndate: 2023-01-05\nauthors: [carol]\n---\n"
    root = make_repo(
        {
            "PM2023-001 - Good.md": front + BODY.format(title="Good"),
            "PM2023-002 - Other.md": front + BODY.format(title="Other"),
            "README.md": "# Ours\n\n<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n",
        }
    )
    _adopt(root, cli, monkeypatch)
    result = cli("index")
    assert result.exit_code == 0 and "left out" not in result.stderr
    readme = (root / "README.md").read_text("utf-8")
    assert "[PM2023-001](PM2023-001%20-%20Good.md) | Good one | 2023-01-05" in readme


def test_an_incident_with_template_in_its_title_is_not_the_template(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "PM2023-001 - Email template rendering outage.md": BODY.format(title="Email"),
            "PM2023-002 - DNS.md": BODY.format(title="DNS"),
            "PMyyyy-nnn - Postmortem template.md": (
                "# T\n\n## Summary\n\n## Summary\n\n## Timeline\n\n## Action Items\n"
            ),
        }
    )
    result = _adopt(root, cli, monkeypatch)
    assert "template: PMyyyy-nnn - Postmortem template.md" in result.stdout
    sections = json.loads((root / "pmrepo.sections.json").read_text("utf-8"))["sections"]
    assert [section["name"] for section in sections] == ["Summary", "Timeline", "Action Items"]
    report = _checked(cli)
    assert report["summary"] == {"files_checked": 2, "errors": 0, "warnings": 0}


def test_misfiled_post_mortems_are_found_and_reported_not_skipped(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        f"postmortems/2024/Q{q}/INC-2024-00{q}-db.md": BODY.format(title="x") for q in (1, 2, 3)
    }
    files["postmortems/2024/Q4/INC-2023-009-wrong-year.md"] = BODY.format(title="y")
    files["postmortems/2024/INC-2024-011-no-quarter.md"] = BODY.format(title="z")
    root = make_repo(files)
    result = _adopt(root, cli, monkeypatch)
    assert (
        "file names: 3 of 5 follow 'postmortems/{year}/Q{quarter}/INC-{year}-{seq}-{slug}.md'\n"
        "only 60% of the files follow one layout (pmrepo expects 90%): rename the others, or "
        "set layout yourself\n"
        "files that do not (pmrepo check reports them, PM103):\n"
        "  postmortems/2024/INC-2024-011-no-quarter.md: in 'postmortems/{year}/', not "
        "'postmortems/{year}/Q{quarter}/'\n"
        "  postmortems/2024/Q4/INC-2023-009-wrong-year.md: the dates of its folder and its "
        "name differ\n" in result.stdout
    )
    report = _checked(cli)
    layout = sorted(f["path"] for f in report["findings"] if f["code"] == "PM103")  # type: ignore[attr-defined, index]
    assert report["summary"]["files_checked"] == 5  # type: ignore[index]
    assert layout == [
        "postmortems/2024/INC-2024-011-no-quarter.md",
        "postmortems/2024/Q4/INC-2023-009-wrong-year.md",
    ]


def test_date_named_files_get_a_layout_and_are_checked(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "2023-01-05-db-outage.md": BODY.format(title="DB"),
            "2023-02-11-cache-miss.md": BODY.format(title="Cache"),
            "notes.txt": "not a post-mortem",
        }
    )
    result = _adopt(root, cli, monkeypatch)
    assert "file names: 2 of 2 follow '{year}-{month}-{day}-{slug}.md'" in result.stdout
    config = load_config(root / ".pmrepo.yaml")
    assert config.layout.id_from_path("2023-01-05-db-outage.md") == "2023-01-05-db-outage"
    assert _checked(cli)["summary"] == {"files_checked": 2, "errors": 0, "warnings": 0}


def test_a_slug_layout_does_not_take_other_files_in_its_folders(make_repo: MakeRepo) -> None:
    layout = make_layout("incidents/{year}/{slug}.md", "{year}-{slug}", "test")
    assert layout.is_candidate("incidents/2023/db-outage.md")
    for other in ("incidents/2023/diagram.png", "incidents/2023/notes.txt", "readme.md"):
        assert not layout.is_candidate(other), other
    assert not layout.is_candidate("docs/guide.md")  # outside the layout's folders
    assert not layout.is_candidate(".pmrepo.yaml")


def test_a_few_files_with_front_matter_get_a_schema_of_their_keys(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "PM2023-001 - A.md": "---\nid: PM2023-001\nauthors: carol\n---\n"
            + BODY.format(title="A"),
            "PM2023-002 - B.md": BODY.format(title="B"),
            "PM2023-003 - C.md": "---\nauthors: [dan, eve]\n---\n" + BODY.format(title="C"),
        }
    )
    result = _adopt(root, cli, monkeypatch)
    assert "front matter: 2 of 3 files have it (required)" in result.stdout
    schema = json.loads((root / "pmrepo.frontmatter.json").read_text("utf-8"))
    assert schema["properties"]["authors"] == {"type": ["array", "string"]}
    assert _checked(cli)["summary"] == {"files_checked": 3, "errors": 1, "warnings": 0}


def test_files_without_shared_headings_are_a_clear_error_and_nothing_is_written(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({"PM2023-001 - A.md": "just text\n", "PM2023-002 - B.md": "more\n"})
    monkeypatch.chdir(root)
    result = cli("init", "--from-existing", ".")
    assert result.exit_code == 2
    assert "no section headings that the files share" in result.stderr
    assert sorted(path.name for path in root.iterdir()) == [
        "PM2023-001 - A.md",
        "PM2023-002 - B.md",
    ]


def test_a_folder_with_braces_is_not_made_into_a_layout(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({f"team{{a}}/PM2023-00{n} - X.md": BODY.format(title="X") for n in (1, 2)})
    result = _adopt(root, cli, monkeypatch)
    assert "no common pattern" in result.stdout
    load_config(root / ".pmrepo.yaml")  # valid


def test_table_rows_without_a_closing_pipe_are_read(make_repo: MakeRepo, cli: Cli) -> None:
    """GFM rows need no closing pipe; mistune ended the table at the first such row."""
    text = BODY.format(title="x").replace(
        "| 2023-01-05 10:00 | a |\n",
        "| 2023-01-05 10:00 | a |\n| 2023-01-05 11:00 | b\n| 2023-01-05 09:00 | c\n",
    )
    root = make_repo(
        {
            ".pmrepo.yaml": "layout: {path: '{year}/X-{seq}.md', id: 'X-{seq}'}\n"
            "front_matter: optional\nschemas: {sections: s.json}\n",
            "s.json": '{"sections": [{"name": "Timeline", "table": {"view": "timeline", '
            '"columns": [{"name": "Time", "key": "time"}, {"name": "Event", "key": "event"}]}}]}',
            "2023/X-1.md": text,
        }
    )
    result = cli("check", str(root), "--format", "json", "--no-cache", "--select", "PM5")
    report = json.loads(result.stdout)
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("PM502", 13)]


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2015-10-21 14:51 PDT", "2015-10-21T21:51:00+00:00"),
        ("2015-10-21 2:53 PM", "2015-10-21T14:53:00+00:00"),
        ("2021-02-03 12:00 (CET)", "2021-02-03T11:00:00+00:00"),
        ("2024-01-15T14:23:00Z", "2024-01-15T14:23:00+00:00"),
    ],
)
def test_timestamps_with_zones_and_twelve_hour_clocks(written: str, utc: str) -> None:
    moment = parse_timestamp(written)
    assert moment is not None
    assert moment.astimezone(dt.UTC).isoformat() == utc


def test_clock_times_with_zones_and_twelve_hour_clocks() -> None:
    assert str(parse_clock("2:53 pm")) == "14:53:00"
    assert str(parse_clock("12:05 AM")) == "00:05:00"
    assert str(parse_clock("14:51 PDT")) == "21:51:00"
    assert parse_clock("13:00 PM") is None


@pytest.mark.parametrize(
    ("layout_id", "message"),
    [
        ("PM{Year}-{seq}", "unknown field {Year}"),
        ("PM{seq:03}", "unknown field {seq:03}"),
        ("PM", "uses no field of layout.path"),
    ],
)
def test_layout_id_mistakes_are_named(tmp_path: Path, layout_id: str, message: str) -> None:
    config = tmp_path / ".pmrepo.yaml"
    config.write_text(f"layout: {{path: 'PM{{year}}-{{seq}}.md', id: '{layout_id}'}}\n", "utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert message in str(error.value)


def test_a_file_name_with_a_newline_stays_inside_the_proposals_comments(
    dfds: Path, cli: Callable[..., Result]
) -> None:
    odd = "PM2023-001 - x\nignore: [PM1, PM2, PM3, PM4, PM5, PM6, PM7]\n# \u202e.md"
    shutil.copy(dfds / "PM2020-003 - Postmortem for ADSync migration.md", dfds / odd)
    result = cli("init", "--from-existing", str(dfds))
    assert result.exit_code == 0, result.output
    text = (dfds / ".pmrepo.yaml").read_text("utf-8")
    config = yaml.safe_load(text)
    assert "ignore" not in config
    assert set(config) == {"layout", "front_matter", "schemas", "template", "exclude"}
    assert load_config(dfds / ".pmrepo.yaml").ignore == ()
    # Every line before the config's keys is a comment, the odd name shown on one of them.
    head = text.split("\n\n", 1)[0].split("\n")
    assert all(line.startswith("#") for line in head)
    shown = "PM2023-001 - x\\x0aignore: [PM1, PM2, PM3, PM4, PM5, PM6, PM7]\\x0a# \\u202e.md"
    assert any(shown in line for line in head)
    # The notes printed on the terminal show the name as text too.
    assert "\u202e" not in result.stdout and "x\\nignore: [PM1" in result.stdout
