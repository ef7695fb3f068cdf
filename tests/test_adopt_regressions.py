"""Regressions found by an adversarial review of adoption (init --from-existing, layouts):
each test is the smallest repository that showed the problem."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from postmortem_repo.core.errors import ConfigError
from postmortem_repo.core.timeparse import parse_clock, parse_timestamp
from postmortem_repo.model.layout import make_layout
from postmortem_repo.repo.config import load_config

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
        "file names: 4 of 5 follow 'postmortems/{year}/Q{quarter}/INC-{year}-{seq}-{slug}.md'"
        in (result.stdout)
    )
    assert (
        "file names that do not (pmrepo check reports them): "
        "postmortems/2024/INC-2024-011-no-quarter.md" in result.stdout
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
