"""Timelines in every form reports write them (tables with a Date column, one heading per
entry, bullet lists, bare lines, chat-log stamps), in the zone they declare, with unknown
parts read at the precision given; PM502 once per entry out of place."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from postmortem_repo import api

ANY_FORM = FIXTURES / "timeline" / "sections.schema.json"
CONFIG = """\
layout:
  path: "{year}-{month}-{day}.md"
  id: "{year}-{month}-{day}"
front_matter: optional
schemas:
  sections: sections.schema.json
"""
Found = list[tuple[int, str, str]]
# A timeline table spec written by hand, as pmrepo's own template has one.
TABLE = {
    "ordered": False,
    "sections": [
        {
            "name": "Timeline",
            "table": {
                "view": "timeline",
                "columns": [
                    {"name": "Time (UTC)", "key": "time"},
                    {"name": "Event", "key": "event"},
                ],
            },
        }
    ],
}


def _check(tmp_path: Path, body: str, schema: Path | dict[str, object] = ANY_FORM) -> Found:
    (tmp_path / ".pmrepo.yaml").write_text(CONFIG, "utf-8")
    target = tmp_path / "sections.schema.json"
    if isinstance(schema, Path):
        shutil.copy(schema, target)
    else:
        target.write_text(json.dumps(schema), "utf-8")
    (tmp_path / "2018-04-18.md").write_text(body, "utf-8")
    result = api.check([tmp_path], select=["PM5"])
    return [(f.line, f.code, f.message) for f in result.findings]


def test_one_heading_per_entry_is_read_and_ordered(tmp_path: Path) -> None:
    body = (
        "# Database outage\n\n## Timeline\n\n"
        "### 2018-04-18 14:40\n\nAlert fired.\n\n"
        "### 14:49\n\nFailover started.\n\n"
        "### 14:43\n\nReplica lag noticed.\n\n"
        "### 14:55\n\nRecovered.\n"
    )
    assert _check(tmp_path, body) == [
        (13, "PM502", "14:43 comes after 14:49 (line 9) but is earlier")
    ]


def test_an_hour_not_known_exactly_is_no_ordering_finding(tmp_path: Path) -> None:
    body = (
        "# Outage\n\n## Timeline\n\n"
        "### 2018-04-18 20:10\n\nDeploy.\n\n"
        "### 2X:XX (not sure exact time)\n\nSomeone noticed.\n\n"
        "### 21:30\n\nRollback.\n\n"
        "### 23:50\n\nAll clear.\n"
    )
    assert _check(tmp_path, body) == []


def test_headings_with_a_month_and_day_are_entries(tmp_path: Path) -> None:
    body = "# Outage\n\n## Timeline\n\n## Feb 21, 13:00\n\nDeploy.\n\n## Feb 21, 12:00\n\nAlert.\n"
    assert _check(tmp_path, body) == [
        (9, "PM502", "Feb 21, 12:00 comes after Feb 21, 13:00 (line 5) but is earlier")
    ]


def test_bullets_bold_or_not_under_date_sub_headings(tmp_path: Path) -> None:
    body = (
        "# Outage\n\n## Timeline\n\nAll times in PST\n\n"
        "2018-04-17\n\n- 11:20 PM: deploy\n- **11:50 PM** - alert\n\n"
        "2018-04-18\n\n* **00:20** rollback\n* 00:10 paged\n"
    )
    assert _check(tmp_path, body) == [
        (15, "PM502", "00:10 comes after 00:20 (line 14) but is earlier")
    ]


def test_one_entry_out_of_place_is_one_finding_not_a_cascade(tmp_path: Path) -> None:
    rows = ["22:40", "22:06", "22:07", "22:08", "22:09", "22:19", "22:23", "23:15"]
    table = "| Date | Time (UTC) | Event |\n|---|---|---|\n" + "".join(
        f"| Jan 20 | {time} | event {n} |\n" for n, time in enumerate(rows)
    )
    body = f"# Account compromise\n\n## Timeline\n\n{table}"
    assert _check(tmp_path, body, TABLE) == [
        (7, "PM502", "22:40 comes before 22:06 (line 8) but is later")
    ]


def test_a_date_column_carries_across_days_without_false_findings(tmp_path: Path) -> None:
    table = (
        "| Day | Date (2022) | Time (UTC) | Event |\n|---|---|---|---|\n"
        "| Thu | Jan 20 | 22:40 | first |\n| Thu | | 23:55 | second |\n"
        "| Fri | Jan 21 | 00:20 | third |\n| Fri | | 01:31 | fourth |\n"
        "| Fri | | 16:49 | fifth |\n| Sat | Jan 22 | 09:00 | sixth |\n"
    )
    assert _check(tmp_path, f"# Ramp card\n\n## Timeline\n\n{table}", TABLE) == []


def test_chat_log_stamps_name_the_entry_out_of_place(tmp_path: Path) -> None:
    body = (
        "# Outage\n\nAll times in PDT (UTC-7).\n\n## Timeline\n\n"
        "- [04-17 16:21] bug introduced\n- [04-18 17:40] upgrade\n"
        "- [04-18 02:50] reported\n- [04-18 05:16] reported again\n"
    )
    assert _check(tmp_path, body) == [
        (8, "PM502", "04-18 17:40 comes before 04-18 02:50 (line 9) but is later")
    ]


def test_an_impossible_time_in_another_zone_is_one_finding(tmp_path: Path) -> None:
    body = (
        "# Dust storm\n\n## Timeline (all times PST)\n\n"
        "22:22 PM PST Saturday: second wave peaks\n\n"
        "23:00 AM MST Saturday: mempool is empty again\n\n"
        "03:30 AM PST Sunday: final wave begins\n"
    )
    result = api.check([_written(tmp_path, body)], select=["PM5"])
    assert [(f.line, f.code, f.message, f.hint) for f in result.findings] == [
        (
            7,
            "PM501",
            "cannot read the time '23:00 AM MST'",
            "23:00 is not a morning (AM) time; the timeline's times are in PST (line 3), "
            "this one says MST; write HH:MM or HH:MM:SS in UTC, or a full timestamp like "
            "2024-01-15T14:23:00Z",
        )
    ]


def _written(tmp_path: Path, body: str) -> Path:
    (tmp_path / ".pmrepo.yaml").write_text(CONFIG, "utf-8")
    shutil.copy(ANY_FORM, tmp_path / "sections.schema.json")
    (tmp_path / "2018-04-18.md").write_text(body, "utf-8")
    return tmp_path


def test_the_declared_zone_places_times_in_the_incident_window(tmp_path: Path) -> None:
    """14:45 BST is 13:45 UTC, inside a window that ends at 14:30 UTC (60 minutes after
    resolved_at); read as UTC, it is outside."""
    body = (
        "---\nstarted_at: 2018-04-18T13:00:00Z\nresolved_at: 2018-04-18T13:30:00Z\n---\n"
        "# Outage\n\n## Timeline (times in BST)\n\n- 14:05 alert\n- 14:45 resolved\n"
    )
    assert _check(tmp_path, body) == []
    assert _check(tmp_path, body.replace(" (times in BST)", "")) == [
        (10, "PM503", "14:45 is 75 minutes after resolved_at (13:30 UTC)")
    ]


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        # Read by nothing, the timeline is not passed over in silence.
        (
            ["table"],
            [
                (
                    3,
                    "PM507",
                    "the timeline has 2 entries written as 'list', which the sections schema "
                    "does not read: no timeline rule checks them",
                )
            ],
        ),
        (["list"], [(6, "PM502", "14:10 comes after 14:20 (line 5) but is earlier")]),
    ],
)
def test_the_sections_schema_says_which_forms_are_read(
    tmp_path: Path, forms: list[str], expected: Found
) -> None:
    schema = {"sections": [{"name": "Timeline", "timeline_forms": forms}]}
    body = "# Outage\n\n## Timeline\n\n- 14:20 alert\n- 14:10 deploy\n"
    assert _check(tmp_path, body, schema) == expected


def _dates(tmp_path: Path, name: str, body: str) -> list[tuple[int, str, str, str]]:
    (tmp_path / ".pmrepo.yaml").write_text(CONFIG, "utf-8")
    shutil.copy(ANY_FORM, tmp_path / "sections.schema.json")
    (tmp_path / name).write_text(body, "utf-8")
    result = api.check([tmp_path], select=["PM506"])
    return [(f.line, f.code, f.severity.value, f.message) for f in result.findings]


RAMP = "\n## Timeline\n\n| Date | Time (UTC) | Event |\n|---|---|---|\n| Jun 2 | 02:34 | charge |\n"


def test_a_title_dated_away_from_the_timeline_is_a_warning_at_the_title(
    tmp_path: Path,
) -> None:
    assert _dates(tmp_path, "2022-06-02.md", "# 2022-01-27 Ramp card\n" + RAMP) == [
        (1, "PM506", "warning", "the title says 2022-01-27 but the timeline starts on "
         "2022-06-02 (line 7)")
    ]  # fmt: skip


def test_a_file_name_dated_before_the_timeline_is_a_warning(tmp_path: Path) -> None:
    assert _dates(tmp_path, "2022-01-27.md", "# Ramp card\n" + RAMP) == [
        (1, "PM506", "warning", "the file name says 2022-01-27 but the timeline starts on "
         "2022-06-02 (line 7)")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "title", "front_matter"),
    [
        ("2022-06-10.md", "# Ramp card", ""),  # written a week later: the day it was written
        ("2022-06-03.md", "# June 1st, 2022 Ramp card", ""),  # a day apart
        ("2022-01-27.md", "# 2022-01-27 Ramp card", "---\ndate: 2022-01-27\n---\n"),
    ],
)
def test_dates_that_agree_or_that_the_front_matter_gives_are_not_reported(
    tmp_path: Path, name: str, title: str, front_matter: str
) -> None:
    assert _dates(tmp_path, name, front_matter + title + "\n" + RAMP) == []


def test_a_timeline_without_a_zone_is_read_as_utc_and_the_finding_says_so(
    tmp_path: Path,
) -> None:
    body = (
        "---\nstarted_at: 2018-04-18T13:00:00Z\nresolved_at: 2018-04-18T13:30:00Z\n---\n"
        "# Outage\n\n## Timeline\n\n- 14:05 alert\n- 14:45 resolved\n"
    )
    result = api.check([_written(tmp_path, body)], select=["PM503"])
    assert [f.hint for f in result.findings] == [
        "check the time zone (read as UTC: the timeline declares no zone; write 'All times "
        "in PST' or set timeline.zone) and the date; widen the window with timeline.slack_* "
        "in the config if events this far out belong here"
    ]
    (tmp_path / ".pmrepo.yaml").write_text(CONFIG + "timeline:\n  zone: BST\n", "utf-8")
    assert api.check([tmp_path], select=["PM503"]).findings == []


def test_a_table_timeline_with_a_stray_bullet_is_read_and_not_reported(tmp_path: Path) -> None:
    body = (
        "# Outage\n\n## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n"
        "| 14:10 | deploy |\n| 14:20 | alert |\n| 14:30 | rollback |\n\n- 14:40 all clear\n"
    )
    assert _check(tmp_path, body, TABLE) == []
