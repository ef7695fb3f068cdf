"""The labeled corpus: every fixture's findings equal its hand-reviewed .expected file.

tests/fixtures/corpus/ is a post-mortem repository of broken documents. Beside each fixture,
NAME.md.expected lists the exact findings as `LINE:COL CODE`, one per line (empty: none).
Adding a fixture needs no code change.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from conftest import FIXTURES

from postmortem_repo import api

CORPUS = FIXTURES / "corpus"
EXPECTED = sorted(CORPUS.rglob("*.expected"))


@pytest.fixture(scope="module")
def actual() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for finding in api.check([CORPUS]).findings:
        relpath = Path(finding.path).resolve().relative_to(CORPUS).as_posix()
        found[relpath].append(f"{finding.line}:{finding.column} {finding.code}")
    return found


def test_corpus_is_not_empty() -> None:
    assert len(EXPECTED) >= 30


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.removesuffix(".md.expected"))
def test_fixture_findings(expected: Path, actual: dict[str, list[str]]) -> None:
    relpath = expected.relative_to(CORPUS).as_posix().removesuffix(".expected")
    wanted = [line.strip() for line in expected.read_text().splitlines() if line.strip()]
    assert sorted(actual.get(relpath, []), key=_order) == sorted(wanted, key=_order)


def _order(entry: str) -> tuple[int, int, str]:
    position, code = entry.split(" ")
    line, column = position.split(":")
    return int(line), int(column), code
