"""A team's own layout, optional front matter, unordered sections, and timelines as people
write them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from postmortem_repo import api
from postmortem_repo.core.errors import ConfigError
from postmortem_repo.model.layout import Layout, make_layout
from postmortem_repo.repo.config import load_config

MakeRepo = Callable[[dict[str, str | bytes]], Path]

CONFIG = """\
layout:
  path: "{year}/OUT-{year}-{seq}-{slug}.md"
  id: "OUT-{year}-{seq}"
front_matter: optional
schemas:
  sections: sections.json
"""
SECTIONS = """\
{"ordered": false, "sections": [
  {"name": "Summary", "required": true},
  {"name": "Timeline", "required": true, "table": {"view": "timeline",
   "columns": [{"name": "Time", "key": "time"}, {"name": "Event", "key": "event"}]}},
  {"name": "Follow-ups", "aliases": ["Action Items"], "required": true}
]}
"""


def post_mortem(timeline: str = "| 2023-04-01 09:00 | Alert |\n", title: str = "DB outage") -> str:
    return (
        f"# {title}\n\n## Follow-ups\n\n- Add an alert.\n\n## summary:\n\nThe DB was down.\n\n"
        f"## Timeline\n\n| Time | Event |\n|---|---|\n{timeline}"
    )


def found(root: Path, *paths: Path) -> list[tuple[str, str, int, str]]:
    result = api.check(list(paths) or [root], config_path=root / ".pmrepo.yaml")
    return [(Path(f.path).name, f.code, f.line, f.message) for f in result.findings]


def test_a_custom_layout_finds_its_files_and_takes_ids_from_their_names(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            ".pmrepo.yaml": CONFIG,
            "sections.json": SECTIONS,
            "2023/OUT-2023-001-db-outage.md": post_mortem(),
            # the same id again, and a name that breaks the layout
            "2023/OUT-2023-001-cache.md": post_mortem(title="Cache"),
            "2023/OUT-2023-002-Cache_Miss.md": post_mortem(title="Cache miss"),
            "docs/notes.md": "# Not a post-mortem\n",
        }
    )
    assert found(root) == [
        (
            "OUT-2023-001-cache.md",
            "PM106",
            1,
            "id OUT-2023-001 is also used by 2023/OUT-2023-001-db-outage.md: give each "
            "incident its own id",
        ),
        (
            "OUT-2023-001-db-outage.md",
            "PM106",
            1,
            "id OUT-2023-001 is also used by 2023/OUT-2023-001-cache.md: give each "
            "incident its own id",
        ),
        (
            "OUT-2023-002-Cache_Miss.md",
            "PM103",
            1,
            "'2023/OUT-2023-002-Cache_Miss.md' does not follow the layout "
            "'{year}/OUT-{year}-{seq}-{slug}.md' of the config: rename or move it",
        ),
    ]


def test_front_matter_when_present_is_still_checked_against_the_layout(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            ".pmrepo.yaml": CONFIG,
            "sections.json": SECTIONS,
            "2023/OUT-2023-003-dns.md": "---\nid: OUT-2023-004\n---\n" + post_mortem(),
        }
    )
    codes = [(code, line) for _, code, line, _ in found(root)]
    # PM105: the id differs from the file name's; PM205: the built-in schema wants more keys
    assert ("PM105", 2) in codes and ("PM201", 1) not in codes


def test_without_optional_front_matter_pm201_reports_the_missing_block(
    make_repo: MakeRepo,
) -> None:
    root = make_repo(
        {
            ".pmrepo.yaml": CONFIG.replace("front_matter: optional\n", ""),
            "sections.json": SECTIONS,
            "2023/OUT-2023-001-db-outage.md": post_mortem(),
        }
    )
    assert [code for _, code, _, _ in found(root)] == ["PM201"]


@pytest.mark.parametrize(
    ("timeline", "expected"),
    [
        # one-digit hours, ranges, extra spaces, dates with unknown times: all readable
        (
            "| 2023-04-01 9:05 | a |\n| 2023-04-01   10:00 - 11:00 | b |\n"
            "| 2023-04-01 HH:mm | c |\n| 2023-04-02 ??:?? | d |\n| 2023-04-?? | e |\n"
            "| 2023-04-03 14:?? | f |\n| 2023-04-03 | g |\n",
            [],
        ),
        # a row earlier than the one above, at the precision both have
        ("| 2023-04-02 10:00 | a |\n| 2023-04-01 HH:mm | b |\n", [("PM502", 16)]),
        ("| 2023-04-01 10:00 | a |\n| 2023-04-01 09:59 | b |\n", [("PM502", 16)]),
        # a five-digit year is a typo, not a time
        ("| 20232-04-01 10:00 | a |\n", [("PM501", 15)]),
    ],
)
def test_timelines_are_read_as_people_write_them(
    make_repo: MakeRepo, timeline: str, expected: list[tuple[str, int]]
) -> None:
    root = make_repo(
        {
            ".pmrepo.yaml": CONFIG,
            "sections.json": SECTIONS,
            "2023/OUT-2023-001-db-outage.md": post_mortem(timeline),
        }
    )
    assert [(code, line) for _, code, line, _ in found(root)] == expected


def test_a_missing_section_points_at_the_heading_that_stands_in_for_it(
    make_repo: MakeRepo,
) -> None:
    text = (
        post_mortem().replace("## Follow-ups", "# Follow-ups").replace("## summary:", "## Summry")
    )
    root = make_repo(
        {
            ".pmrepo.yaml": CONFIG,
            "sections.json": SECTIONS,
            "2023/OUT-2023-001-db-outage.md": text,
        }
    )
    assert [(code, line, message) for _, code, line, message in found(root)] == [
        (
            "PM301",
            3,
            "heading '# Follow-ups' is at the wrong level: make it '## Follow-ups'",
        ),
        (
            "PM301",
            7,
            "missing required section '## Summary': is '## Summry' meant to be it? "
            "make it '## Summary'",
        ),
    ]


def test_sections_out_of_order_are_fine_only_when_the_schema_says_so(
    make_repo: MakeRepo,
) -> None:
    files = {
        ".pmrepo.yaml": CONFIG,
        "sections.json": SECTIONS.replace('"ordered": false', '"ordered": true'),
        "2023/OUT-2023-001-db-outage.md": post_mortem(),
    }
    root = make_repo(files)
    assert [(code, line) for _, code, line, _ in found(root)] == [("PM302", 3)]
    (root / "sections.json").write_text(SECTIONS, "utf-8")
    assert found(root) == []


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        (
            {"path": "{year}/{name}.md", "id": "X"},
            "invalid config at 'layout.path': unknown field {name}",
        ),
        (
            {"path": "{year}/PM-{seq}.md", "id": "PM-{quarter}-{seq}"},
            "invalid config at 'layout.id': {quarter} is not a field of layout.path",
        ),
        ({"path": "{year/PM.md", "id": "PM"}, "invalid config at 'layout.path': unbalanced"),
    ],
)
def test_a_bad_layout_is_a_config_error_naming_the_key(
    tmp_path: Path, layout: dict[str, str], message: str
) -> None:
    config = tmp_path / ".pmrepo.yaml"
    config.write_text(f"layout: {{path: '{layout['path']}', id: '{layout['id']}'}}\n", "utf-8")
    with pytest.raises(ConfigError, match=str(config)) as error:
        load_config(config)
    assert message in str(error.value)


def test_a_bad_front_matter_setting_is_rejected(tmp_path: Path, cli: Callable[..., Result]) -> None:
    (tmp_path / ".pmrepo.yaml").write_text("front_matter: sometimes\n", "utf-8")
    result = cli("check", str(tmp_path))
    assert result.exit_code == 2
    assert "front_matter" in result.stderr


def test_layout_ids_and_candidates() -> None:
    layout = make_layout("PM{year}-{seq} - {title}.md", "PM{year}-{seq}", "test")
    assert layout.id_from_path("PM2020-001 - Inotify watches.md") == "PM2020-001"
    assert layout.is_candidate("PM2022-009 - Bad AMI")  # no extension: found, then PM103
    assert not layout.is_candidate("PMyyyy-nnn - Postmortem template.md")
    assert not layout.is_candidate("README.md")
    default = Layout()
    assert default.id_from_path("2024/Q1/INC-2024-0001-db.md") == "INC-2024-0001"
    assert default.is_candidate("2024/Q1/notes.md") and not default.is_candidate("notes.md")


def test_any_markdown_file_in_a_dated_folder_of_the_layout_is_checked() -> None:
    """A report renamed without its date is not dropped from checks: it is found, and
    PM103 says it breaks the layout."""
    dated = make_layout("{year}-{month}/{year}-{month}-{day}-{title}.md", "{year}", "test")
    assert dated.is_candidate("2026-12/timelord-disk-full.md")
    assert dated.is_candidate("2023-04/04-25-User_Account_Compromise.md")
    assert not dated.is_candidate("docs/timelord-disk-full.md")
    prefixed = make_layout("{year}/OUT-{year}-{seq}-{slug}.md", "OUT-{year}-{seq}", "test")
    assert prefixed.is_candidate("2023/notes.md")


def test_the_layout_finds_its_ids_in_text() -> None:
    default = Layout()
    assert default.ids_in("related: [INC-2024-0001, INC-2023-0089]\nrepeat_of: INC-24-1") == {
        "INC-2024-0001",
        "INC-2023-0089",
    }
    custom = make_layout("{year}/{seq}-{slug}.md", "{year}-{seq}", "test")
    # A date is not an id, even where its start looks like one.
    assert custom.ids_in("date: 2024-01-12\nrelated: [2024-7, '2023-12']") == {"2024-7", "2023-12"}
    assert custom.id_from_path("2024/7-db-outage.md") == "2024-7"


def test_pmrepo_new_refuses_a_custom_layout_and_writes_nothing(
    make_repo: MakeRepo, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({".pmrepo.yaml": CONFIG, "sections.json": SECTIONS})
    monkeypatch.chdir(root)
    result = cli("new", "--title", "Disk full", "--severity", "SEV2")
    assert result.exit_code == 2
    assert "layout is '{year}/OUT-{year}-{seq}-{slug}.md'" in result.stderr
    assert sorted(path.name for path in root.iterdir()) == [".pmrepo.yaml", "sections.json"]


def test_a_file_name_whose_date_is_no_date_breaks_the_layout(make_repo: MakeRepo) -> None:
    config = (
        'layout:\n  path: "{year}-{month}-{day}.md"\n  id: "{year}-{month}-{day}"\n'
        "front_matter: optional\n"
    )
    root = make_repo({".pmrepo.yaml": config, "2026-12-45.md": "# Disk full\n"})
    result = api.check([root], config_path=root / ".pmrepo.yaml", select=("PM103",))
    assert [(Path(f.path).name, f.line, f.message) for f in result.findings] == [
        (
            "2026-12-45.md",
            1,
            "'2026-12-45.md' follows the layout '{year}-{month}-{day}.md', but its date "
            "2026-12-45 is no date: correct the date in its name",
        )
    ]
