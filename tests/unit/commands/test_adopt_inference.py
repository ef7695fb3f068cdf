"""`init --from-existing` proposes the layout and the sections the files themselves follow,
each shown on the smallest repository that has the shape of a real collection."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

MakeRepo = Callable[[dict[str, str | bytes]], Path]
Cli = Callable[..., Result]

BODY = "# {title}\n\n## Summary\n\nText.\n\n## Timeline\n\n- 10:00 a\n\n## Action Items\n\n- One.\n"


def _adopt(root: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(root)
    result = cli("init", "--from-existing", ".")
    assert result.exit_code == 0, result.output
    return result


def _check(cli: Cli) -> dict[str, object]:
    result = cli("check", ".", "--format", "json", "--no-cache")
    report: dict[str, object] = json.loads(result.stdout)
    return report


def _found(report: dict[str, object]) -> list[tuple[str, str, int]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [(f["path"], f["code"], f["line"]) for f in findings]


@pytest.mark.parametrize(
    ("files", "layout"),
    [
        (  # month folders, names with capitals and underscores as the repository writes them
            [
                "2023-05/2023-05-08-Negative-values.md",
                "2023-05/2023-05-09-mempool_item-selection.md",
                "2024-02/2024-02-15-CATbleed.md",
            ],
            "{year}-{month}/{year}-{month}-{day}-{title}.md",
        ),
        (["2019-01-23.md", "2019-02-05.md", "2019-03-26.md"], "{year}-{month}-{day}.md"),
        (
            ["2023/2023-01-05-db-outage.md", "2024/2024-02-11-cache-miss.md"],
            "{year}/{year}-{month}-{day}-{slug}.md",
        ),
        (
            ["2024/Q1/2024-01-05-db.md", "2024/Q3/2024-08-11-cache.md"],
            "{year}/Q{quarter}/{year}-{month}-{day}-{slug}.md",
        ),
        (  # flat files, and one in a folder without a date: any folder
            [
                "2025-09-29-flags-is-down.md",
                "2025-10-03-surveys-sdk-bug.md",
                "investigations/2024-02-28-decide is down.md",
            ],
            "**/{year}-{month}-{day}-{title}.md",
        ),
        (["PM2020-001 - Inotify.md", "PM2021-002 - Flux bump.md"], "PM{year}-{seq} - {title}.md"),
    ],
)
def test_the_layout_is_generalised_from_the_files(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch, files: list[str], layout: str
) -> None:
    root = make_repo({name: BODY.format(title="x") for name in files})
    result = _adopt(root, cli, monkeypatch)
    count = len(files)
    assert f"file names: {count} of {count} follow '{layout}'" in result.stdout
    assert f"pmrepo check will check all {count} of them" in result.stdout
    report = _check(cli)
    assert report["summary"] == {"files_checked": count, "errors": 0, "warnings": 0}


def test_a_file_the_layout_does_not_place_is_named_with_why_and_checked(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"2023-0{month}/2023-0{month}-1{month}-Outage_{month}.md" for month in range(1, 10)]
    names.append("2023-04/04-25-User_Account_Compromise.md")
    root = make_repo({name: BODY.format(title="x") for name in names})
    result = _adopt(root, cli, monkeypatch)
    assert (
        "file names: 9 of 10 follow '{year}-{month}/{year}-{month}-{day}-{title}.md'\n"
        "files that do not (pmrepo check reports them, PM103):\n"
        "  2023-04/04-25-User_Account_Compromise.md: named '{month}-{day}-{title}.md', not "
        "'{year}-{month}-{day}-{title}.md'\n"
    ) in result.stdout
    report = _check(cli)
    assert report["summary"]["files_checked"] == 10  # type: ignore[index]
    assert _found(report) == [("2023-04/04-25-User_Account_Compromise.md", "PM103", 1)]
    # The folder alone, as a CI job would run it: the file is checked there too.
    folder = cli("check", "2023-04", "--format", "json", "--no-cache")
    assert json.loads(folder.stdout)["summary"]["files_checked"] == 2


def test_fewer_than_nine_files_in_ten_on_one_layout_is_said(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "2023/2023-01-05-db.md": BODY.format(title="a"),
            "2023/2023-02-05-dns.md": BODY.format(title="b"),
            "2023/outage-in-march.md": BODY.format(title="c"),
        }
    )
    result = _adopt(root, cli, monkeypatch)
    assert (
        "only 66% of the files follow one layout (pmrepo expects 90%): rename the others, "
        "or set layout yourself\n" in result.stdout
    )
    assert "  2023/outage-in-march.md: its name has no date, and no year and number\n" in (
        result.stdout
    )


TEMPLATE = (
    "# Incident title\n\n## Incident Lead:\n\n## Timeline summary\n\n_Give a play-by-play._\n\n"
    "## Follow-ups\n\n## Anything else\n"
)


def _report(title: str, timeline: str = "Timeline", lessons: str = "Lessons Learned") -> str:
    return (
        f"# {title}\n\n## Summary\n\nText.\n\n## {timeline}\n\n- 10:00 a\n\n## Root Cause\n\n"
        f"Text.\n\n## {lessons}\n\nText.\n"
    )


def test_a_template_no_file_follows_is_not_the_sections_schema(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(
        {
            "investigations/template.md": TEMPLATE,
            "2025-09-29-flags.md": _report("a"),
            "2025-10-03-surveys.md": _report("b", timeline="Timeline (times in BST)"),
            "2025-10-21-flags-again.md": _report("c", timeline="Timeline (all times UTC)"),
            "2025-11-15-persons.md": _report("d", lessons="Lessons learnt"),
            "2025-11-16-persons.md": _report("e", lessons="Lessons learnt"),
        }
    )
    result = _adopt(root, cli, monkeypatch)
    assert (
        "investigations/template.md: not used as the template: fewer than half of the files "
        "have most of its sections" in result.stdout
    )
    sections = json.loads((root / "pmrepo.sections.json").read_text("utf-8"))["sections"]
    assert [(s["name"], s.get("aliases", [])) for s in sections] == [
        ("Summary", []),
        ("Timeline", []),
        ("Root Cause", []),
        ("Lessons Learned", ["Lessons learnt"]),
    ]
    assert _check(cli)["summary"] == {"files_checked": 5, "errors": 0, "warnings": 0}


def test_the_sections_are_those_the_files_share_not_the_template_alone(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = (
        "# ISSUE NAME\n## Issue Summary\n\nLorem ipsum dolor\n\n"
        "## Timeline (all times PST) DATE RANGE. All times approximations\n\n"
        "## Resolution and recovery\n\n## Additional Sections as required\n\n## Q&A\n"
    )
    body = (
        "# {title}\n## Issue Summary\n\nText.\n\n## Timeline (all times PST) 01/{day}/2024 - "
        "02/28/2024. All times approximations\n\n- 10:00 a\n\n## Root Cause\n\nText.\n\n"
        "## Resolution and recovery\n\nText.\n"
    )
    root = make_repo(
        {
            "template.md": template,
            **{
                f"2024-0{n}/2024-0{n}-1{n}-outage.md": body.format(title=n, day=10 + n)
                for n in range(1, 4)
            },
        }
    )
    _adopt(root, cli, monkeypatch)
    sections = json.loads((root / "pmrepo.sections.json").read_text("utf-8"))["sections"]
    assert [(s["name"], s["required"]) for s in sections] == [
        ("Issue Summary", True),
        ("Timeline", True),
        ("Root Cause", True),
        ("Resolution and recovery", True),
    ]
    assert _check(cli)["summary"] == {"files_checked": 3, "errors": 0, "warnings": 0}


def test_a_table_is_proposed_only_where_most_files_have_one(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    metrics = "\n## Metrics\n\n| Metric | Value |\n|---|---|\n| MTTR | 1h |\n"
    files = {f"2024-01-0{n}.md": _report(str(n)) for n in range(1, 6)}
    for name in ("2024-01-01.md", "2024-01-02.md"):  # 2 of 5 files: a table, but not most
        files[name] += metrics
    root = make_repo(files)
    _adopt(root, cli, monkeypatch)
    sections = json.loads((root / "pmrepo.sections.json").read_text("utf-8"))["sections"]
    assert [(s["name"], "table" in s) for s in sections][-1] == ("Metrics", False)


def test_people_and_systems_are_proposed_from_what_the_files_show(
    make_repo: MakeRepo, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = (
        "## Summary\n\nAlice, our alert-routing service, paged nobody. Ysolde said the "
        "dashboards lagged.\n\n## Timeline\n\n- 10:00 Corwin joined the bridge\n"
        "- 10:05 Deploy posted a message; the deploy bot retried\n\n## Action Items\n\n- One.\n"
    )
    root = make_repo(
        {f"2024-0{n}-0{n}-outage.md": f"# Outage {n}\n\n" + record for n in range(1, 4)}
    )
    result = _adopt(root, cli, monkeypatch)
    config = (root / ".pmrepo.yaml").read_text()
    # 'Deploy' is also written as a word: a noun, not a name.
    assert "people:\n- Corwin\n- Ysolde\n" in config
    assert "not_people:\n- Alice\n" in config
    assert "people: names the post-mortems show acting as people: Corwin, Ysolde" in result.output
    # The proposal holds under check: the service is no one, the person is someone.
    (root / "2024-01-01-outage.md").write_text(
        "# Outage 1\n\n## Summary\n\nAlice should have paged the secondary. Corwin should "
        "have paged the secondary.\n\n## Timeline\n\n- 10:00 a\n\n## Action Items\n\n- One.\n"
    )
    assert [(code, line) for _, code, line in _found(_check(cli)) if code.startswith("PM4")] == [
        ("PM401", 5)
    ]
