"""Suppressions as a ruff user expects them: directives that do not split tables, same-line
directives, unknown codes and malformed directives reported (PM901, PM902), unused ones
reported when asked (PM903, off by default), and per_file_ignores in the config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEED_NAME, findings_of, run_cli

from postmortem_repo import api
from postmortem_repo.lint import rules as registry
from postmortem_repo.lint.selection import Selection

MakeRepo = Callable[[dict[str, str | bytes]], Path]

ROW_2 = "| 2 | Add latency check to canary analysis (>50% regression = block) |"
ROW_3 = "| 3 | Build perf test stage in CI with 10M+ row dataset | platform-team | P1 |"
VAGUE_ROW_3 = "| 3 | Improve testing | platform-team | P1 |"
SKIP = "<!-- pmrepo-disable-next-line PM605 -->\n"


def _with(seed_text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert old in seed_text, old
        seed_text = seed_text.replace(old, new)
    return seed_text


# Item 2 of the issue: a directive above a table row splits the table ---------------------


def test_rows_below_a_directive_are_still_checked(make_repo: MakeRepo, seed_text: str) -> None:
    text = _with(seed_text, (ROW_2, SKIP + ROW_2), (ROW_3, VAGUE_ROW_3))
    root = make_repo({SEED_NAME: text})
    assert findings_of(root) == [("PM605", 150, 7)]


def test_actions_lists_the_rows_below_a_directive(make_repo: MakeRepo, seed_text: str) -> None:
    text = _with(seed_text, (ROW_2, SKIP + ROW_2))
    root = make_repo({SEED_NAME: text})
    listed = run_cli("actions", str(root), "--today", "2024-01-20").stdout
    assert [line.split()[1] for line in listed.splitlines() if "INC-2024-0015 #" in line] == [
        "#2",
        "#5",
        "#3",
    ]


# Same-line directives ---------------------------------------------------------------------


def test_a_directive_at_the_end_of_a_row_suppresses_that_row(
    make_repo: MakeRepo, seed_text: str
) -> None:
    vague = VAGUE_ROW_3 + " 2024-02-14 | OPEN |"
    text = _with(
        seed_text,
        (ROW_3 + " 2024-02-14 | OPEN |", vague + " <!-- pmrepo-disable-line action-vague -->"),
    )
    root = make_repo({SEED_NAME: text})
    assert findings_of(root) == []
    unsuppressed = text.replace("pmrepo-disable-line", "no directive")
    # Read as text, the comment is a seventh cell: the row is malformed.
    assert findings_of(make_repo({SEED_NAME: unsuppressed})) == [("PM306", 149, 1)]


def test_a_directive_at_the_end_of_a_heading_suppresses_it(
    make_repo: MakeRepo, seed_text: str
) -> None:
    text = _with(
        seed_text,
        (
            "## Appendix",
            "## Notes <!-- pmrepo-disable-line section-unknown -->\n\nx\n\n## Appendix",
        ),
    )
    assert findings_of(make_repo({SEED_NAME: text})) == []
    unsuppressed = text.replace(" <!-- pmrepo-disable-line section-unknown -->", "")
    assert findings_of(make_repo({SEED_NAME: unsuppressed})) == [("PM308", 160, 1)]


def test_a_yaml_comment_at_the_end_of_a_front_matter_line(
    make_repo: MakeRepo, seed_text: str
) -> None:
    text = _with(seed_text, ("severity: SEV2", "severity: SEV5  # pmrepo-disable-line PM205"))
    assert findings_of(make_repo({SEED_NAME: text})) == []
    unsuppressed = text.replace("# pmrepo-disable-line PM205", "")
    assert findings_of(make_repo({SEED_NAME: unsuppressed})) == [("PM205", 10, 11)]


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        (
            ROW_3 + " 2024-02-14 | OPEN | # pmrepo-disable-line PM605",
            100,
            "in Markdown a directive is an HTML comment",
        ),
        (
            ROW_3 + " 2024-02-14 | OPEN <!-- pmrepo-disable-line PM605 --> |",
            98,
            "a directive must be alone on its line",
        ),
        ("<!-- pmrepo-disable-line PM605 -->\n" + ROW_3 + " 2024-02-14 | OPEN |", 1, "applies"),
        ("<!-- pmrepo-disable-nextline PM605 -->\n" + ROW_3 + " 2024-02-14 | OPEN |", 6, "is not"),
    ],
)
def test_a_directive_pmrepo_does_not_read_is_reported(
    make_repo: MakeRepo, seed_text: str, line: str, column: int, reason: str
) -> None:
    text = _with(seed_text, (ROW_3 + " 2024-02-14 | OPEN |", line))
    result = api.check([make_repo({SEED_NAME: text})])
    malformed = [f for f in result.findings if f.code == "PM902"]
    assert [(f.line, f.column) for f in malformed] == [(149, column)]
    assert reason in malformed[0].message


def test_a_directive_quoted_in_inline_code_is_text(make_repo: MakeRepo, seed_text: str) -> None:
    text = _with(
        seed_text,
        ("## Appendix\n", "## Appendix\n\nWrite `<!-- pmrepo-disable PM4 -->` in a file.\n"),
    )
    assert findings_of(make_repo({SEED_NAME: text})) == []


# Unknown codes: PM901; names accepted -----------------------------------------------------


def test_an_unknown_code_in_a_directive_is_reported(make_repo: MakeRepo, seed_text: str) -> None:
    text = _with(
        seed_text,
        (ROW_2, "<!-- pmrepo-disable-next-line PM650, blame-judgment -->\n" + ROW_2),
    )
    result = api.check([make_repo({SEED_NAME: text})])
    assert [(f.path.split("/")[-1][:13], f.code, f.line, f.column) for f in result.findings] == [
        ("INC-2024-0015", "PM901", 148, 31),
        ("INC-2024-0015", "PM901", 148, 38),
    ]
    assert result.findings[0].message.startswith(
        "'PM650' in this pmrepo-disable-next-line directive is no rule code, prefix or name"
    )
    assert result.findings[1].hint == "did you mean 'blame-judgement'?"


def test_a_directive_of_unknown_codes_only_suppresses_nothing(
    make_repo: MakeRepo, seed_text: str
) -> None:
    text = _with(
        seed_text,
        (ROW_3, "<!-- pmrepo-disable-next-line PM650 -->\n" + VAGUE_ROW_3),
    )
    assert findings_of(make_repo({SEED_NAME: text})) == [("PM901", 149, 31), ("PM605", 150, 7)]


def test_rule_names_work_in_directives(make_repo: MakeRepo, seed_text: str) -> None:
    text = _with(
        seed_text,
        (
            "severity: SEV2",
            "severity: SEV2\n# pmrepo-disable-next-line frontmatter-unknown-key\nextra: 1",
        ),
        (ROW_3, "<!-- pmrepo-disable-next-line action-vague -->\n" + VAGUE_ROW_3),
    )
    assert findings_of(make_repo({SEED_NAME: text})) == []
    unsuppressed = text.replace("pmrepo-disable-next-line", "no directive")
    assert findings_of(make_repo({SEED_NAME: unsuppressed}))[:1] == [("PM206", 12, 1)]


# Unused directives: PM903, off by default -------------------------------------------------


def test_the_unused_directive_rule_is_off_unless_named() -> None:
    def runs(*select: str) -> bool:
        return Selection(select, (), {}).enabled("PM903")

    assert not runs("ALL")
    assert not runs("PM")
    assert runs("PM9") and runs("PM90") and runs("PM903") and runs("ALL", "PM903")
    assert not Selection(("PM9",), ("PM903",), {}).enabled("PM903")
    assert Selection(("ALL",), (), {}).enabled("PM901")
    assert registry.resolve_selector("directive-unused") == "PM903"


def test_unused_directives_are_reported_when_selected(make_repo: MakeRepo, seed_text: str) -> None:
    row_1 = "| 1 | Add 30s query timeout to all DB connection pools | sre-team | P0 | 2024-01-22 |"
    text = _with(
        seed_text,
        (row_1 + " DONE |", row_1 + " DONE | <!-- pmrepo-disable-line PM6 -->"),  # row 1: fine
        (ROW_2, SKIP + ROW_2),  # row 2 is not vague: unused
        (ROW_3, "<!-- pmrepo-disable-next-line PM605 PM401 -->\n" + VAGUE_ROW_3),
        ("## Appendix\n", "## Appendix\n<!-- pmrepo-enable PM3 -->\n"),
    )
    root = make_repo({SEED_NAME: text})
    assert findings_of(root) == []
    result = api.check([root], select=["ALL", "PM903"])
    assert [(f.code, f.line, f.column, f.message) for f in result.findings] == [
        ("PM903", 147, 94, "this directive suppresses no finding of PM6: remove it"),
        ("PM903", 148, 1, "this directive suppresses no finding of PM605: remove it"),
        ("PM903", 150, 1, "this directive suppresses no finding of PM401: remove it"),
        ("PM903", 163, 1, "this pmrepo-enable closes no pmrepo-disable above it: remove it"),
    ]
    only = run_cli("check", str(root), "--select", "directive-unused", "--format", "json")
    assert (
        '"message": "this directive suppresses no finding of PM605 (not run in this '
        'check): remove it"' in only.stdout
    )
    config = make_repo({".pmrepo.yaml": "select: [ALL, PM903]\n"})
    assert findings_of(config) == [
        ("PM903", 147, 94),
        ("PM903", 148, 1),
        ("PM903", 150, 1),
        ("PM903", 163, 1),
    ]


def test_the_cache_keeps_runs_with_and_without_the_unused_rule_apart(
    make_repo: MakeRepo, seed_text: str, tmp_path: Path
) -> None:
    root = make_repo({SEED_NAME: _with(seed_text, (ROW_2, SKIP + ROW_2))})
    cache = tmp_path / "cache"
    for _ in range(2):
        assert findings_of(root, cache=cache) == []
        assert findings_of(root, cache=cache, select=["ALL", "PM903"]) == [("PM903", 148, 1)]


# per_file_ignores -------------------------------------------------------------------------


def test_per_file_ignores_drop_the_named_rules_in_matching_files(
    make_repo: MakeRepo, seed_text: str
) -> None:
    text = _with(seed_text, (ROW_3, VAGUE_ROW_3), ("## Appendix", "## Notes\n\nx\n\n## Appendix"))
    root = make_repo({SEED_NAME: text})
    assert findings_of(root) == [("PM605", 149, 7), ("PM308", 160, 1)]
    make_repo({".pmrepo.yaml": 'per_file_ignores:\n  "2024/**": [action-vague, PM3]\n'})
    assert findings_of(root) == []
    make_repo({".pmrepo.yaml": 'per_file_ignores:\n  "2023/**": [PM6]\n  "*.md": [PM308]\n'})
    assert findings_of(root) == [("PM605", 149, 7)]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            'per_file_ignores:\n  "2024/**": [blame-judgment]\n',
            "invalid config at 'per_file_ignores.2024/**': unknown rule code or name "
            "'blame-judgment'; did you mean 'blame-judgement'? (see 'pmrepo rules')",
        ),
        (
            'per_file_ignores:\n  "2024/**": PM3\n',
            "invalid config at 'per_file_ignores.2024/**'",
        ),
        (
            'per_file_ignores:\n  "2024/**": [PM3X]\n',
            "invalid config at 'per_file_ignores.2024/**[0]': 'per_file_ignores.2024/**[0]' "
            "must be a rule code (PM605), a prefix (PM6) or a rule name (action-vague); "
            "got 'PM3X'",
        ),
        (
            'per_file_ignores:\n  "2024/[": [PM3]\n',
            "invalid config at 'per_file_ignores.2024/[': '2024/[' is not a valid pattern",
        ),
    ],
)
def test_a_bad_per_file_ignore_is_a_config_error_naming_the_file(
    make_repo: MakeRepo, seed_text: str, config: str, message: str
) -> None:
    root = make_repo({SEED_NAME: seed_text, ".pmrepo.yaml": config})
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pmrepo: error: {root / '.pmrepo.yaml'}: {message}")


def test_a_directive_shown_in_a_fenced_code_block_is_an_example_not_a_directive(
    make_repo: MakeRepo, seed_text: str
) -> None:
    example = (
        "```markdown\n<!-- pmrepo-disable-file -->\n```\n\nAlice forgot to update the config.\n"
    )
    text = _with(seed_text, ("### What Went Poorly\n\n", "### What Went Poorly\n\n" + example))
    root = make_repo({SEED_NAME: text})
    line = text.splitlines().index("Alice forgot to update the config.") + 1
    assert findings_of(root, select=("PM4", "PM9")) == [("PM402", line, 1)]
