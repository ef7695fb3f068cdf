"""The draft of a new user's first hour, moved to IN REVIEW before its template text is
filled in (44 findings): --fix fixes every mechanical one and leaves those a person must
write."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from postmortem_repo import api
from tests.conftest import run_cli

DRAFT = "2024/Q4/INC-2024-0049-checkout-latency-spike.md"


@pytest.fixture
def in_review(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # No git identity: the author stays the template's placeholder, as in the README.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.chdir(repo)
    created = run_cli(
        "new", "--title", "Checkout latency spike", "--severity", "SEV2",
        "--date", "2024-12-02", "--services", "checkout-api",
    )  # fmt: skip
    assert created.stdout == f"{DRAFT}\n"
    path = repo / DRAFT
    path.write_text(path.read_text("utf-8").replace("status: DRAFT", "status: IN REVIEW"))
    return repo


def test_fix_leaves_only_what_a_person_must_write(in_review: Path) -> None:
    before = run_cli("check", "--statistics", "--no-cache")
    assert before.stdout == (
        "38\tPM307\tplaceholder-left\n"
        " 5\tPM205\tfrontmatter-schema\n"
        " 1\tPM705\tgenerated-out-of-date\n"
        "Found 44 errors in 2 files (11 files checked).\n"
    )
    fixed = run_cli("check", "--fix", "--statistics", "--no-cache")
    assert fixed.stdout == (
        "32\tPM307\tplaceholder-left\n"
        " 5\tPM205\tfrontmatter-schema\n"
        "Found 37 errors in 1 file (11 files checked).\n"
        "Fixed 7 findings in 2 files; 37 remain.\n"
    )
    text = (in_review / DRAFT).read_text("utf-8")
    assert text.endswith("## Sign-off\n\nPending review.\n")
    assert "| Checkout latency spike | 2024-12-02 | SEV2 | IN REVIEW |" in (
        in_review / "README.md"
    ).read_text("utf-8")
    # What remains needs its author: values only they know, and the template's text.
    remaining = api.check([in_review]).findings
    assert all(finding.fix is None for finding in remaining)
    assert Counter(finding.code for finding in remaining) == {"PM307": 32, "PM205": 5}
    assert api.fix([in_review], unsafe=True).fixed == 0
