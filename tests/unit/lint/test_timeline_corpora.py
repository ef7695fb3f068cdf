"""Timelines of real post-mortem collections written without pmrepo (chia: Apache-2.0,
kubernetes/test-infra: Apache-2.0, PostHog: MIT, dfds: MIT; see each LICENSE): how many
entries are read per report, and the real errors each found once, at its line. Configs
written by hand: tests/fixtures/timeline/configs/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from postmortem_repo import api
from postmortem_repo.model.document import parse_document, read_text
from postmortem_repo.model.sections import load_sections_spec

TIMELINE = FIXTURES / "timeline"
CORPORA = {name: FIXTURES / name for name in ("chia", "k8s-test-infra", "posthog")}
CORPORA["dfds"] = FIXTURES / "dfds"
NOT_REPORTS = {"README.md", "LICENSE", "SOURCE.txt", "template.md"}

# Entries read per report that has a Timeline section (0: a section that only links to a
# status page).
ENTRIES = {
    "chia": [11, 4, 11, 19, 23, 9, 20, 18, 16, 16, 4, 2, 2, 3, 14, 6, 3, 2, 2, 2, 17, 2, 8, 13,
             4, 3, 4, 4, 3, 5, 8, 1],
    "k8s-test-infra": [11, 12, 13, 10, 11],
    "posthog": [8, 8, 38, 0, 10],
    "dfds": [14, 6, 11, 2, 4, 5, 3, 6, 5, 5, 6, 3, 4, 4, 7, 8, 7, 5, 5, 8, 13, 10, 26, 18, 7,
             12, 10, 12, 10, 13, 7, 20, 16, 13, 28, 7, 7, 19, 12, 1],
}  # fmt: skip


def _entries_per_report(folder: Path) -> list[int]:
    data = json.loads((TIMELINE / "sections.schema.json").read_text("utf-8"))
    spec = load_sections_spec(data, origin="sections")
    counts = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name in NOT_REPORTS or path.suffix not in ("", ".md"):
            continue
        text = read_text(path)
        assert isinstance(text, str)
        doc = parse_document(text, path=str(path), relpath=path.name, spec=spec)
        if doc.timeline_section is not None:
            counts.append(len(doc.timeline))
    return counts


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_entries_read_in_each_report_with_a_timeline(name: str) -> None:
    assert _entries_per_report(CORPORA[name]) == ENTRIES[name]


def test_timelines_are_read_in_nine_of_ten_reports_that_have_one() -> None:
    counts = [count for name in CORPORA for count in _entries_per_report(CORPORA[name])]
    assert sum(1 for count in counts if count) / len(counts) >= 0.9


def _pm5(name: str, tmp_path: Path) -> list[tuple[str, int, str]]:
    root = tmp_path / name
    shutil.copytree(CORPORA[name], root)
    shutil.copy(TIMELINE / "configs" / f"{name}.pmrepo.yaml", root / ".pmrepo.yaml")
    shutil.copy(TIMELINE / "sections.schema.json", root / "sections.schema.json")
    result = api.check([root], select=["PM5"])
    return [
        (Path(f.path).relative_to(root).as_posix(), f.line, f"{f.code} {f.message}")
        for f in result.findings
    ]


def test_the_real_timeline_errors_of_chia_each_once_at_its_line(tmp_path: Path) -> None:
    assert _pm5("chia", tmp_path) == [
        ("2021-10/2021-10-31-DustStorm.md", 40, "PM501 cannot read the time '23:00 AM MST'"),
        (
            "2022-01/2022-01-20-EmployeeCompromise.md",
            24,
            "PM502 22:40 comes before 22:06 (line 25) but is later",
        ),
        (
            "2023-01/2023-01-31-CLVM-infinite-recursion.md",
            15,
            "PM501 cannot read the time '11/03/202'",
        ),
        (
            "2023-01/2023-01-31-Negative-values-allowed-in-settlement_payments.md",
            23,
            "PM501 cannot read the time '11/03/202'",
        ),
        (
            "2023-01/2023-01-31-Wallet-error-handling-causing-infinite-loop.md",
            19,
            "PM501 cannot read the time '11/03/202'",
        ),
    ]


def test_the_real_timeline_errors_of_kubernetes_test_infra(tmp_path: Path) -> None:
    """Two entries dated 03-26 happened the evening before (the outage ran overnight):
    each is one finding, and the entries after them are none."""
    assert _pm5("k8s-test-infra", tmp_path) == [
        ("2019-03-26.md", 76, "PM502 03-26 17:40 comes before 03-26 02:50 (line 78) but is later"),
        ("2019-03-26.md", 77, "PM502 03-26 23:04 comes before 03-26 02:50 (line 78) but is later"),
    ]


def test_posthog_timelines_have_no_false_findings(tmp_path: Path) -> None:
    assert _pm5("posthog", tmp_path) == []
