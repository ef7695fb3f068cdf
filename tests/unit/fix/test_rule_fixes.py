"""Each rule's fix on a broken copy of sample-repo: the exact fixed text, and a second run
that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortem_repo import api

PAYMENT = "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md"


def _edit(repo: Path, replacements: list[tuple[str, str]]) -> tuple[Path, str]:
    path = repo / PAYMENT
    text = path.read_text("utf-8")
    original = text
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")
    return path, original


def _fixed_twice(repo: Path, unsafe: bool = False) -> int:
    first = api.fix([repo], unsafe=unsafe)
    second = api.fix([repo], unsafe=unsafe)
    assert (second.fixed, second.texts, second.moves) == (0, {}, [])
    return first.fixed


def _codes(repo: Path) -> list[str]:
    return [finding.code for finding in api.check([repo]).findings]


def test_pm504_rewrites_each_metric_in_its_own_form(repo: Path) -> None:
    path, original = _edit(
        repo,
        [
            ("| Detection Time | 14:25 UTC |", "| Detection Time | 14:35 UTC |"),
            ("| Total Duration | 22 minutes |", "| Total Duration | 1h 5m |"),
            ("| MTTD | 2 minutes |", "| MTTD | 9 minute |"),
            ("| MTTR | 20 minutes |", "| MTTR | 1 hour 2 minutes |"),
        ],
    )
    assert _fixed_twice(repo) == 4
    expected = original.replace("| Total Duration | 22 minutes |", "| Total Duration | 22m |")
    assert path.read_text("utf-8") == expected
    assert _codes(repo) == []


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("0h 30m", "0h 22m"),
        ("0 hours 30 minutes", "0 hours 22 minutes"),
        ("1h 5m", "22m"),
        ("1h 0m", "22m"),
        ("0h 0m", "0h 22m"),
        ("30m", "22m"),
        ("1 hour", "22 minutes"),
    ],
)
def test_pm504_keeps_the_authors_units(repo: Path, written: str, fixed: str) -> None:
    # started 14:23, resolved 14:45: 22 minutes
    path, original = _edit(
        repo, [("| Total Duration | 22 minutes |", f"| Total Duration | {written} |")]
    )
    assert _fixed_twice(repo) == 1
    assert path.read_text("utf-8") == original.replace("22 minutes |", f"{fixed} |", 1)


def test_pm504_passes_a_duration_within_a_minute(repo: Path) -> None:
    _edit(repo, [("| Total Duration | 22 minutes |", "| Total Duration | 21 minutes |")])
    assert _codes(repo) == []
    _edit(repo, [("| Total Duration | 21 minutes |", "| Total Duration | 20 minutes |")])
    assert _codes(repo) == ["PM504"]


def test_pm504_leaves_a_value_it_cannot_read(repo: Path) -> None:
    _edit(repo, [("| MTTR | 20 minutes |", "| MTTR | about a third of an hour |")])
    assert api.fix([repo]).fixed == 0
    assert _codes(repo) == ["PM504"]


def test_pm504_rewrites_nothing_from_timestamps_out_of_order(repo: Path) -> None:
    # A typo in resolved_at (before detected_at) is PM505's: copying it into the table as
    # negative durations would spread it.
    path, _ = _edit(
        repo, [("resolved_at: 2024-01-15T14:45:00Z", "resolved_at: 2024-01-15T14:05:00Z")]
    )
    before = path.read_text("utf-8")
    run = api.fix([repo])
    assert path.resolve() not in {fixed.resolve() for fixed in run.texts}
    assert path.read_text("utf-8") == before
    assert "PM505" in _codes(repo)


def test_pm301_heading_at_the_wrong_level_is_fixed_safely(repo: Path) -> None:
    path, original = _edit(
        repo,
        [
            ("## Incident Metrics\n", "# Incident Metrics\n"),
            ("### User Impact\n", "## User Impact\n"),
            ("## Timeline\n", "# Timeline (times in UTC)\n"),
        ],
    )
    assert _fixed_twice(repo) == 3
    assert path.read_text("utf-8") == original.replace(
        "## Timeline\n", "## Timeline (times in UTC)\n"
    )
    assert _codes(repo) == []


def test_pm301_subsection_one_level_too_deep_gets_the_level_fix(repo: Path) -> None:
    # A required subsection and an optional one written '####' for '###': each is a
    # heading at the wrong level, fixed safely, with no placeholder section added.
    path, original = _edit(
        repo,
        [("### User Impact\n", "#### User Impact\n"), ("### 5 Whys", "#### 5 Whys")],
    )
    findings = api.check([repo]).findings
    assert [(f.code, f.line, f.message) for f in findings] == [
        (
            "PM301",
            52,
            "heading '#### User Impact' is at the wrong level: make it '### User Impact'",
        ),
        (
            "PM301",
            108,
            "heading '#### 5 Whys Analysis' is at the wrong level: make it '### 5 Whys Analysis'",
        ),
    ]
    assert _fixed_twice(repo, unsafe=True) == 2
    assert path.read_text("utf-8") == original
    assert _codes(repo) == []


def test_pm301_optional_sign_off_at_the_wrong_level_is_not_a_missing_sign_off(
    repo: Path,
) -> None:
    path, original = _edit(repo, [("## Sign-off\n", "### Sign-off\n")])
    findings = api.check([repo]).findings
    assert [(f.code, f.line, f.message) for f in findings] == [
        ("PM301", 167, "heading '### Sign-off' is at the wrong level: make it '## Sign-off'")
    ]
    assert _fixed_twice(repo) == 1
    assert path.read_text("utf-8") == original


def test_a_near_spelling_is_renamed_only_with_unsafe_fixes(repo: Path) -> None:
    path, original = _edit(
        repo,
        [
            ("## Root Cause Analysis\n", "## Root Cause Analyis\n"),
            ("## Appendix\n", "## Apendix\n"),
        ],
    )
    assert api.fix([repo]).fixed == 0
    assert sorted(_codes(repo)) == ["PM301", "PM308"]
    assert _fixed_twice(repo, unsafe=True) == 2
    assert path.read_text("utf-8") == original
    assert _codes(repo) == []


@pytest.mark.parametrize(
    ("written", "fixed"),
    [
        ("severity: sev2", "severity: SEV2"),
        ("status: 'published'", "status: 'PUBLISHED'"),
        ("root_cause_tags:\n  - Deployment_Bug", "root_cause_tags:\n  - deployment-bug"),
        ("started_at: 2024-01-15 14:23 UTC", "started_at: 2024-01-15T14:23:00Z"),
        ("started_at: '2024-01-15 15:23 +0100'", "started_at: '2024-01-15T15:23:00+01:00'"),
        ("date: 2024/01/15", "date: 2024-01-15"),
        ("date: Jan 15, 2024", "date: 2024-01-15"),
        ("date: 15 January 2024", "date: 2024-01-15"),
    ],
)
def test_pm205_value_in_another_case_or_format(repo: Path, written: str, fixed: str) -> None:
    path = repo / PAYMENT
    original = path.read_text("utf-8")
    canonical = {
        "severity: SEV2": "severity: SEV2",
        "status: 'PUBLISHED'": "status: PUBLISHED",
        "root_cause_tags:\n  - deployment-bug": "root_cause_tags:\n  - deployment-bug",
        "started_at: 2024-01-15T14:23:00Z": "started_at: 2024-01-15T14:23:00Z",
        "started_at: '2024-01-15T15:23:00+01:00'": "started_at: 2024-01-15T14:23:00Z",
        "date: 2024-01-15": "date: 2024-01-15",
    }[fixed]
    assert canonical in original
    path.write_text(original.replace(canonical, written, 1), "utf-8")
    assert "PM205" in _codes(repo)
    _fixed_twice(repo)
    assert path.read_text("utf-8") == original.replace(canonical, fixed, 1)
    assert _codes(repo) == []


@pytest.mark.parametrize(
    ("canonical", "written"),
    [("severity: SEV2", "severity: high"), ("date: 2024-01-15", "date: 01/02/2024")],
)
def test_pm205_value_that_needs_a_person_has_no_fix(
    repo: Path, canonical: str, written: str
) -> None:
    _edit(repo, [(canonical, written)])
    findings = api.check([repo]).findings
    assert [(f.code, f.fix) for f in findings if f.code == "PM205"] == [("PM205", None)]


def test_a_finding_carries_its_fix_for_an_editor(repo: Path) -> None:
    path, original = _edit(repo, [("severity: SEV2", "severity: sev2")])
    text = path.read_text("utf-8")
    (finding,) = api.check_text(text, path, select=["PM2"]).findings
    assert finding.fix is not None
    assert finding.fix.applicability is api.Applicability.SAFE
    assert finding.fix.title == "Write 'SEV2'"
    assert api.apply_fixes(text, [finding.fix]) == original


def test_pm502_sorts_a_timeline_with_complete_times_only_with_unsafe_fixes(repo: Path) -> None:
    path = repo / PAYMENT
    original = path.read_text("utf-8")
    early = "| 14:25:45 | alert | 🔥 Alert [PaymentAPI_ErrorRateElevated] firing |\n"
    late = "| 14:30:00 | human | 👤 oncall-alice: Opened #incident-pay-20240115 war room |\n"
    swapped = original.replace(early, "EARLY").replace(late, early).replace("EARLY", late)
    path.write_text(swapped, "utf-8")
    assert _codes(repo) == ["PM502", "PM502"]
    assert api.fix([repo]).fixed == 0
    assert _fixed_twice(repo, unsafe=True) == 2
    assert path.read_text("utf-8") == original


def test_pm502_leaves_a_timeline_with_an_unknown_time_to_a_person(repo: Path) -> None:
    _edit(
        repo,
        [
            ("| 14:26:00 | human |", "| 14:2X | human |"),
            ("| 14:32:00 | human |", "| 14:31:00 | human |"),
            ("| 14:33:00 | human |", "| 14:29:00 | human |"),
        ],
    )
    assert "PM502" in _codes(repo)
    assert api.fix([repo], unsafe=True).fixed == 0


def test_pm301_adds_a_missing_section_from_the_template_with_unsafe_fixes(repo: Path) -> None:
    path = repo / PAYMENT
    original = path.read_text("utf-8")
    start, end = original.index("## Lessons Learned"), original.index("## Action Items")
    path.write_text(original[:start] + original[end:], "utf-8")
    assert api.fix([repo]).fixed == 0
    assert _fixed_twice(repo, unsafe=True) == 1
    template = (repo / "TEMPLATE.md").read_text("utf-8")
    skeleton = template[template.index("## Lessons Learned") : template.index("## Action Items")]
    assert path.read_text("utf-8") == original[:start] + skeleton + original[end:]
    # The placeholders are still there for the author to fill in.
    assert [code for code in _codes(repo) if code != "PM307"] == []
    assert _codes(repo).count("PM307") == 3


def test_pm504_doc_states_its_one_minute_tolerance() -> None:
    from tests.conftest import run_cli

    doc = run_cli("rule", "PM504").stdout
    assert "A\nduration within one minute of the timestamps' passes (±1 minute" in doc
    assert "`0h 30m`\n→ `0h 22m`" in doc
