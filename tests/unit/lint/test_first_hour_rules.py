"""Rules a new team meets in its first post-mortems: PM401 under Where We Got Lucky, PM307 in
the Sign-off of a post-mortem IN REVIEW, PM603 for a status such as TODO, and the index's
severities."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import SEED_NAME, run_cli

from postmortem_repo import api

MakeRepo = Callable[[dict[str, str | bytes]], Path]


def found(root: Path, *select: str) -> list[tuple[str, int, int, str]]:
    result = api.check([root], select=list(select))
    return [(f.code, f.line, f.column, f.message) for f in result.findings]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_pm401_does_not_fire_under_where_we_got_lucky(make_repo: MakeRepo, seed_text: str) -> None:
    lucky = "### Where We Got Lucky\n\n"
    text = seed_text.replace(
        lucky, lucky + "We caught it early; it should have been much worse.\n\n"
    )
    assert text != seed_text
    assert found(make_repo({SEED_NAME: text}), "PM401") == []
    # The same sentence elsewhere is hindsight.
    poorly = "### What Went Poorly\n\n"
    elsewhere = seed_text.replace(poorly, poorly + "The rollout should have been stopped.\n\n")
    line = line_of(elsewhere, "The rollout should have been stopped.")
    assert found(make_repo({SEED_NAME: elsewhere}), "PM401") == [
        ("PM401", line, 13, "hindsight counterfactual 'should have been stopped'")
    ]


SIGN_OFF = "| SRE Lead | [Name] | [YYYY-MM-DD] |"


def in_review_with_template_sign_off(seed_text: str) -> str:
    text = seed_text.replace("status: PUBLISHED", "status: IN REVIEW")
    text = text.replace("| SRE Lead | Bob Johnson | 2024-01-17 |", SIGN_OFF)
    assert SIGN_OFF in text
    return text


def test_pm307_says_how_to_mark_a_sign_off_pending(make_repo: MakeRepo, seed_text: str) -> None:
    text = in_review_with_template_sign_off(seed_text)
    root = make_repo({SEED_NAME: text})
    line = line_of(text, SIGN_OFF)
    result = api.check([root], select=["PM307"])
    assert [(f.code, f.line, f.column) for f in result.findings] == [
        ("PM307", line, 14),
        ("PM307", line, 23),
    ]
    assert result.findings[0].message == (
        "template placeholder '[Name]' left in the Sign-off of a post-mortem IN REVIEW: until "
        "the reviewers sign off, replace the table's placeholder rows with the line "
        "'Pending review.'"
    )


def test_a_pending_sign_off_passes_in_review_and_fails_once_published(
    make_repo: MakeRepo, seed_text: str
) -> None:
    text = in_review_with_template_sign_off(seed_text)
    start = text.index("| Role | Name | Date |")
    pending = text[:start] + "Pending review.\n"
    root = make_repo({SEED_NAME: pending})
    assert found(root, "PM3", "PM7") == []
    published = pending.replace("status: IN REVIEW", "status: PUBLISHED")
    (root / SEED_NAME).write_text(published, "utf-8")
    assert [code for code, *_ in found(root, "PM3", "PM7")] == ["PM702"]


def test_a_todo_status_is_not_one_of_the_statuses(make_repo: MakeRepo, seed_text: str) -> None:
    row = "| 2 | Add latency check to canary analysis"
    start = seed_text.index(row)
    end = seed_text.index("\n", start)
    cells = seed_text[start:end].split("|")
    cells[6] = " TODO "
    text = seed_text[:start] + "|".join(cells) + seed_text[end:]
    line = line_of(text, row)
    column = text.splitlines()[line - 1].index("TODO") + 1
    assert found(make_repo({SEED_NAME: text}), "PM6") == [
        (
            "PM603",
            line,
            column,
            "status 'TODO' is not one of OPEN, IN PROGRESS, DONE, WON'T DO",
        )
    ]


def test_the_index_writes_no_severity_the_schema_does_not_list(
    make_repo: MakeRepo, seed_text: str
) -> None:
    readme = "# Post-mortems\n\n<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n"
    text = seed_text.replace("severity: SEV2", "severity: SEV5")
    text = text.replace("status: PUBLISHED", "status: WIP")
    root = make_repo({SEED_NAME: text, "README.md": readme})
    assert run_cli("index", str(root)).exit_code == 0
    index = (root / "README.md").read_text("utf-8")
    assert "SEV5" not in index and "WIP" not in index
    row = next(line for line in index.splitlines() if line.startswith("| [INC-2024-0015]"))
    assert row.split(" | ")[3:5] == ["—", "—"]
    assert "| Year | — | Total |\n|---|---|---|\n| 2024 | 1 | 1 |" in index


def test_a_required_section_written_a_level_too_deep_is_named_as_such(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    """'### Timeline (all times UTC)' under the section before it is the Timeline at the
    wrong level: PM301 points at it instead of asking to add a second Timeline."""
    text = seed_text.replace("## Timeline\n", "### Timeline (all times UTC)\n", 1)
    line = text.splitlines().index("### Timeline (all times UTC)") + 1
    root = make_repo({SEED_NAME: text})
    found = [f for f in api.check([root], select=("PM301",)).findings]
    assert [(f.line, f.message) for f in found] == [
        (
            line,
            "heading '### Timeline (all times UTC)' is at the wrong level: "
            "make it '## Timeline (all times UTC)'",
        )
    ]
