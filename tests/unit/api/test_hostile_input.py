"""One hostile line, cell or config entry once stalled pmrepo check for seconds to hours
(pre-commit and CI with it). Each reproduction, at the size that was measured, now runs
through `pmrepo check` in well under a second; the wall-clock bound is only a backstop
(tests/properties/test_linear_time.py holds the real property: time linear in the input).
The findings are the ones the same text gives when it is short."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import Result
from conftest import REPO, run_cli
from hostile import EXTRA_PHRASES, SEED_PATH, SHAPES

BACKSTOP = 20.0  # seconds; each reproduction took from 6 s to several minutes


def _check(*args: str) -> tuple[Result, float]:
    start = time.perf_counter()
    result = run_cli("check", "--format", "json", "--no-cache", *args)
    return result, time.perf_counter() - start


def _codes(result: Result) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in json.loads(result.output)["findings"]]


# (shape, n as measured, the findings of the post-mortem with it)
REPRODUCTIONS = [
    ("backtick line", 1000, []),
    ("backtick line", 2000, []),
    ("backticks in prose", 1000, [("PM402", 50)]),
    ("dots in prose", 32_000, [("PM402", 50)]),
    ("unclosed comments in prose", 4 * 32_000, [("PM402", 50)]),
    ("spaces in a heading", 64_000, []),
    ("digits in a duration", 16_000, [("PM504", 46)]),
    ("spaces in an owner", 64_000, []),
    ("spaces in a source", 64_000, []),
    ("stars in a time", 64_000, [("PM501", 83)]),
    # started_at unreadable: the README index's duration for it is stale too (PM705)
    ("spaces in started_at", 30_000, [("PM205", 16), ("PM705", 26)]),
    ("parentheses in a due date", 512_000, [("PM604", 147)]),
    ("unclosed placeholders", 1_000_000, []),
    ("suppressions never closed", 1_000_000, []),
]


@pytest.mark.parametrize(
    ("shape", "size", "expected"),
    REPRODUCTIONS,
    ids=[f"{shape} x{size}" for shape, size, _ in REPRODUCTIONS],
)
def test_a_hostile_post_mortem_is_checked_quickly(
    repo: Path, shape: str, size: int, expected: list[tuple[str, int]]
) -> None:
    path = repo / SEED_PATH
    path.write_text(SHAPES[shape](size), "utf-8")
    result, took = _check(str(path))
    assert took < BACKSTOP, f"{shape}: {took:.1f} s"
    assert _codes(result) == expected, result.output[:2000]


def test_many_extra_phrases_are_compiled_once(repo: Path) -> None:
    (repo / ".pmrepo.yaml").write_text(EXTRA_PHRASES, "utf-8")
    files = sorted(repo.glob("20*/Q*/*.md"))[:10]
    result, took = _check(*map(str, files))
    assert took < BACKSTOP
    assert result.exit_code in (0, 1), result.output[:2000]
    # A phrase of the list is still found.
    path = repo / SEED_PATH
    path.write_text(SHAPES["backtick line"](1).replace("x `", "zq phrase number 999"), "utf-8")
    result, _ = _check(str(path))
    assert ("PM403", 50) in _codes(result)


@pytest.mark.parametrize("pattern", [r"(a+)+\]", r"(?:x*y?)*\]", r"([a-z]{1,3})+z"])
def test_a_placeholder_pattern_that_repeats_a_repetition_is_a_config_error(
    repo: Path, pattern: str
) -> None:
    schema = json.loads((REPO / "schemas/postmortem.sections.schema.json").read_text("utf-8"))
    schema["placeholders"] = [*schema["placeholders"], pattern]
    (repo / "sections.json").write_text(json.dumps(schema), "utf-8")
    (repo / ".pmrepo.yaml").write_text("root: .\nschemas:\n  sections: sections.json\n", "utf-8")
    path = repo / SEED_PATH
    path.write_text(SHAPES["backtick line"](1).replace("x `", "a" * 30), "utf-8")
    result, took = _check(str(path))
    assert took < BACKSTOP
    assert result.exit_code == 2
    assert "sections.json" in result.output
    assert f"the placeholder pattern '{pattern}' repeats a repetition" in result.output


def test_the_shipped_placeholder_patterns_are_accepted(repo: Path) -> None:
    result, _ = _check(str(repo / SEED_PATH))
    assert result.exit_code == 0, result.output
