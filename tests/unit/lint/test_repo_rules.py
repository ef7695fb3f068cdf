"""Repo-wide rules see the whole repository even when one file is checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import SEED_NAME, findings_of

from postmortem_repo import api

OTHER = "2024/Q2/INC-2024-0015-dns-outage.md"


def test_duplicate_id_in_an_unchecked_file_is_reported_on_the_checked_one(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    other = seed_text.replace("date: 2024-01-15", "date: 2024-04-02")
    root = make_repo({SEED_NAME: seed_text, OTHER: other})
    assert findings_of(root, root / SEED_NAME, select=["PM1"]) == [("PM106", 2, 5)]
    assert findings_of(root, select=["PM1"]) == [("PM106", 2, 5), ("PM106", 2, 5)]


def test_single_file_without_config_infers_the_root_above_the_year(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    root = make_repo({"2024/INC-2024-0015-payment.md": seed_text})
    codes = findings_of(root, root / "2024/INC-2024-0015-payment.md")
    assert codes == [("PM103", 1, 1)]


def test_a_duplicate_is_named_among_many_other_post_mortems(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    files = {SEED_NAME: seed_text, OTHER: seed_text.replace("date: 2024-01-15", "date: 2024-04-02")}
    for number in range(16, 26):
        files[f"2024/Q1/INC-2024-00{number}-other.md"] = seed_text.replace(
            "INC-2024-0015", f"INC-2024-00{number}"
        )
    root = make_repo(files)
    result = api.check([root / SEED_NAME], select=["PM106"])
    assert [(f.code, f.line, f.message) for f in result.findings] == [
        (
            "PM106",
            2,
            f"id INC-2024-0015 is also used by {OTHER}: give each incident its own id "
            "(pmrepo new picks the next free one)",
        )
    ]
