"""Time that grows no faster than the input: every parser and rule entry point pmrepo runs on
what people write takes, on 256 KB of a hostile shape, at most 24 times what it takes on
16 KB of the same shape (16 times is linear; the rest is room for noise). A regex that
backtracks over a long run would take 256 times as long, or more.

Each timing is the fastest of a few runs, with the garbage collector off (a collection in
one run is noise, not the cost of the input); an absolute slack of SLACK seconds keeps a
run that is too fast to time from failing on the clock's jitter alone."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile import SEED_PATH, SHAPES, paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem_repo import api
from postmortem_repo.commands.timeline_build import _timeline_lines
from postmortem_repo.core import timeparse
from postmortem_repo.core.markup import blank_code_spans, code_spans, without_comments
from postmortem_repo.lint.blameless.prose import mask
from postmortem_repo.lint.blameless.sentences import sentences
from postmortem_repo.lint.suppressions import suppressions_of
from postmortem_repo.model.directives import read_directives
from postmortem_repo.model.document import parse_document
from postmortem_repo.model.outline import atx_closed, atx_text, cell_spans, split_row
from postmortem_repo.model.people import _parse_people, without_brackets
from postmortem_repo.repo.config import Config

SMALL, LARGE = 16 * 1024, 256 * 1024
BOUND = 24
SLACK = 0.05
REPEATS = 3
ROUNDS = 5
SPEC = Config().sections


def _fastest(run: Callable[[str], object], text: str) -> tuple[float, float]:
    """The fastest of REPEATS runs on the wall clock, and on this process's CPU clock."""
    wall = cpu = float("inf")
    for _ in range(REPEATS):
        start, start_cpu = time.perf_counter(), time.process_time()
        run(text)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu


def _within(fast: float, slow: float) -> bool:
    return slow <= BOUND * fast + SLACK


def assert_linear(run: Callable[[str], object], make: Callable[[int], str]) -> float:
    """The ratio of run's time on make(LARGE) to its time on make(SMALL), checked. On a
    busy machine one round can be unlucky: up to ROUNDS rounds are timed, and each size
    keeps its fastest time over them (a cost that grows faster than linear fails them all).
    The wall clock (time.perf_counter) also counts the time other processes took the CPU
    from a long run: a ratio it finds too large is read again on this process's CPU time,
    which a quadratic cost inflates as much and the machine's other work does not."""
    small, large = make(SMALL), make(LARGE)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    fast = slow = fast_cpu = slow_cpu = float("inf")
    try:
        run(small)  # warm: imports, compiled patterns, caches of constant things
        for _ in range(ROUNDS):
            wall, cpu = _fastest(run, small)
            fast, fast_cpu = min(fast, wall), min(fast_cpu, cpu)
            wall, cpu = _fastest(run, large)
            slow, slow_cpu = min(slow, wall), min(slow_cpu, cpu)
            if _within(fast, slow) or _within(fast_cpu, slow_cpu):
                break
    finally:
        if enabled:
            gc.enable()
    ratio = slow / max(fast, 1e-9)
    assert _within(fast, slow) or _within(fast_cpu, slow_cpu), (
        f"{len(large)} characters took {slow:.3f} s, {ratio:.1f} times the "
        f"{fast:.4f} s of {len(small)} ({slow_cpu:.3f} s and {fast_cpu:.4f} s of CPU): "
        "more than linear"
    )
    cpu_ratio = slow_cpu / max(fast_cpu, 1e-9)
    print(f"ratio {ratio:5.1f} (CPU {cpu_ratio:5.1f})  {fast:.4f} s -> {slow:.4f} s")
    return ratio


def _repeat(unit: str, prefix: str = "", suffix: str = "x") -> Callable[[int], str]:
    return lambda n: prefix + unit * max(1, (n - len(prefix)) // len(unit)) + suffix


def _people(text: str) -> object:
    return _parse_people.__wrapped__(text)


def _timestamp(text: str) -> object:
    return timeparse._timestamp.__wrapped__(text)


def _clock(text: str) -> object:
    return timeparse.parse_clock.__wrapped__(text)


def _due(text: str) -> object:
    return timeparse.parse_due(text, dt.date(2024, 1, 15))


def _placeholders(text: str) -> object:
    return [list(pattern.finditer(text)) for pattern in SPEC.placeholders]


def _suppressions(text: str) -> object:
    lines = text.split("\n")
    found = suppressions_of(read_directives(lines, 0))
    return [found.covers("PM402", line) for line in range(1, len(lines) + 1)]


def _parse(text: str) -> object:
    return parse_document(text, path="x.md", relpath="x.md", spec=SPEC)


# Each entry point with the shapes the reproductions found slow in it (prefix, unit, suffix).
ENTRY_POINTS: dict[str, tuple[Callable[[str], object], list[tuple[str, str, str]]]] = {
    "code spans (PM307)": (
        lambda t: list(code_spans(t)),
        [("x ", "`", ""), ("", "` ", ""), ("", "``a`", ""), ("", "```` ` `` `", "")],
    ),
    "code spans in prose": (
        lambda t: list(code_spans(t, 2000)),
        [("", "` ", ""), ("", "``a`", "")],
    ),
    "blanked lines (PM307)": (blank_code_spans, [("x ", "`", ""), ("", "`x``", "")]),
    "prose masking": (
        mask,
        [
            ("Alice forgot ", "`", ""),
            ("Alice forgot ", "<!--", ""),
            ("", "<!-- ` -->", ""),
            ("", "`<!--", "-->"),
            ("", "[", ""),
            ("", '"', ""),
            ("", "<a", ""),
            ("", "'x", ""),
            ("", "*_~", ""),
        ],
    ),
    "sentences": (sentences, [("Alice forgot ", ".", "x"), ("", "\n \t", "x"), ("", "?!", "x")]),
    "HTML comments": (without_comments, [("", "<!--", ""), ("", "<!-->", "")]),
    "ATX heading": (atx_text, [("### Notes x", " ", "y"), ("#", " #", "x")]),
    "ATX closing sequence": (atx_closed, [("Notes x", " ", "y"), ("x", " #", "y")]),
    "timeline section": (
        lambda t: _timeline_lines(t + "\n\n## Timeline\n", "x.md"),
        [("## Notes x", " ", "y"), ("```\n# wait", " ", "x\n```")],
    ),
    "durations": (timeparse.parse_duration, [("", "1", "x |"), ("", "(", ""), ("1", " ", "x")]),
    "clock times": (_clock, [("14:50", "*", "x"), ("14:50", " ", "x"), ("", "*", "14:50")]),
    "timestamps": (_timestamp, [("2024-01-15T14:23", " ", "x"), ("2024-01-15T14:23", "*", "x")]),
    "due dates": (_due, [("", "(", ""), ("Jan 5", " ", "x"), ("", "1", "st")]),
    "owners": (_people, [("a", " ", "b"), ("", "(", ""), ("", "[", ""), ("", " and", "x")]),
    "parentheticals": (without_brackets, [("", "(", ""), ("", "[(", "")]),
    "placeholders": (_placeholders, [("", "[TODO ", ""), ("", "[Brief description", "")]),
    "suppressions": (
        _suppressions,
        [("", "<!-- pmrepo-disable PM1 PM2 -->\n<!-- pmrepo-enable PM3 -->\n", "")],
    ),
    "table rows": (lambda t: (split_row(t), cell_spans(t)), [("", "|", ""), ("", "\\|", "")]),
    "markdown": (_parse, [("### Notes x", " ", "y"), ("", "<!--", ""), ("", "| a ", "|\n")]),
}

CASES = [
    pytest.param(run, (prefix, unit, suffix), id=f"{name}: {prefix}{unit!r}*n{suffix}")
    for name, (run, shapes) in ENTRY_POINTS.items()
    for prefix, unit, suffix in shapes
]


@pytest.mark.parametrize(("run", "shape"), CASES)
def test_an_entry_point_takes_linear_time(
    run: Callable[[str], object], shape: tuple[str, str, str]
) -> None:
    prefix, unit, suffix = shape
    assert_linear(run, _repeat(unit, prefix, suffix))


@pytest.fixture(scope="module")
def seed_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import SAMPLE_REPO

    root = tmp_path_factory.mktemp("hostile") / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    return root / SEED_PATH


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_check_takes_linear_time_on_each_hostile_shape(seed_path: Path, shape: str) -> None:
    config = api.resolve_config([seed_path])
    assert_linear(lambda text: api.check_text(text, seed_path, config=config), SHAPES[shape])


# Units people (or a fuzzer) could repeat: the characters pmrepo's patterns care about.
UNITS = st.text(alphabet="`.!?<!->*_~([])\"' \t\n#|\\1:aT", min_size=1, max_size=5)
FAST_ENTRY_POINTS = [
    mask,
    sentences,
    lambda t: list(code_spans(t)),
    atx_text,
    timeparse.parse_duration,
    _clock,
    _people,
    _placeholders,
]


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(UNITS)
def test_any_repeated_unit_takes_linear_time(unit: str) -> None:
    for run in FAST_ENTRY_POINTS:
        assert_linear(run, _repeat(unit, "", ""))


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(UNITS)
def test_a_check_takes_linear_time_on_any_repeated_unit(seed_path: Path, unit: str) -> None:
    config = api.resolve_config([seed_path])
    assert_linear(
        lambda text: api.check_text(text, seed_path, config=config),
        lambda n: paragraph("Alice forgot " + unit * max(1, n // len(unit))),
    )
