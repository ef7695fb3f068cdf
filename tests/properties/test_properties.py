"""Properties that hold for any input: whatever people type, pmrepo answers with findings or
a clean error, never a crash, and never changes a byte it does not own."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path, PurePosixPath

import pytest
import yaml
from conftest import SAMPLE_REPO
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from postmortem_repo.core.errors import ConfigError
from postmortem_repo.core.findings import Finding, Severity
from postmortem_repo.lint.engine import CheckResult, Engine, Selection
from postmortem_repo.lint.reporters import (
    GithubReporter,
    JsonReporter,
    SarifReporter,
    _log_text,
)
from postmortem_repo.model.outline import split_row
from postmortem_repo.render.index import _relative_link, cell
from postmortem_repo.render.markers import MarkerError, find_blocks, replace_blocks
from postmortem_repo.repo.config import Config, load_config
from postmortem_repo.repo.discover import read_head

# PMREPO_PROPERTY_EXAMPLES=5000 for a longer hunt than CI's.
SETTINGS = settings(
    max_examples=int(os.environ.get("PMREPO_PROPERTY_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SAMPLE = SAMPLE_REPO
SEED = (SAMPLE / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md").read_text("utf-8")

# Pieces post-mortems are made of, to reach the parser's interesting paths more often than
# random text alone would.
PIECES = st.sampled_from(
    [
        "---\n",
        "id: INC-2024-0001\n",
        "status: PUBLISHED\n",
        "started_at: 2024-01-15T14:23:00Z\n",
        "a: &a [x, x]\nb: &b [*a, *a]\n",
        "## Timeline\n",
        "## Action Items\n",
        "### Root Cause\n",
        "# Title\n",
        "| Time (UTC) | Source | Event |\n|---|---|---|\n",
        "| 14:23 | alert | Bob should have restarted it |\n",
        "| 1 | Fix | bob | P0 | 2024-01-22 | OPEN |\n",
        "| # | Action | Owner | Priority | Due | Status |\n",
        "```\n",
        "<!-- pmrepo-disable PM4 -->\n",
        "<!-- pmrepo:index:start -->\n",
        "\r\n",
        "\ufeff",
        "\x00",
        "|",
        "\\",
        "\n",
    ]
)
DOCUMENTS = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=30).map("".join)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Path]:
    root = tmp_path_factory.mktemp("repo")
    (root / "2024" / "Q1").mkdir(parents=True)
    return Engine(Config(), Selection(("ALL",), (), {}), root), root


def _check(engine: tuple[Engine, Path], content: str | bytes) -> tuple[list[Finding], int]:
    checker, root = engine
    path = root / "2024" / "Q1" / "INC-2024-0001-any-text.md"
    if isinstance(content, str):
        path.write_text(content, "utf-8", newline="")
    else:
        path.write_bytes(content)
    # Lines as Markdown counts them: CRLF, CR and LF each end one.
    text = path.read_bytes().decode("utf-8", "replace")
    lines = len(re.split(r"\r\n|\r|\n", text))
    return checker.check_file(path).findings, lines


def _assert_inside(findings: list[Finding], lines: int) -> None:
    for finding in findings:
        assert 1 <= finding.line <= lines, finding
        assert finding.column >= 1, finding


@SETTINGS
@given(text=DOCUMENTS)
def test_any_text_gives_findings_inside_the_file_and_the_same_ones_twice(
    engine: tuple[Engine, Path], text: str
) -> None:
    found, lines = _check(engine, text)
    _assert_inside(found, lines)
    again, _ = _check(engine, text)
    assert again == found


@SETTINGS
@given(text=st.text(max_size=300).map(lambda t: SEED[: len(SEED) // 2] + t))
def test_a_post_mortem_cut_anywhere_and_continued_with_anything(
    engine: tuple[Engine, Path], text: str
) -> None:
    found, lines = _check(engine, text)
    _assert_inside(found, lines)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_give_findings_never_an_exception(
    engine: tuple[Engine, Path], data: bytes
) -> None:
    found, lines = _check(engine, data)
    _assert_inside(found, lines)


# What a UTF-8 file can hold on one line (no lone surrogates, no line break).
_CELL_CHARACTERS = st.characters(exclude_characters="\n\r", exclude_categories=["Cs"])


@SETTINGS
@given(
    cells=st.lists(
        st.lists(st.text(alphabet=_CELL_CHARACTERS, max_size=25), max_size=7),
        max_size=6,
    ),
    header=st.sampled_from(
        [
            "| Time (UTC) | Source | Event |",
            "| # | Action | Owner | Priority | Due | Status |",
            "| Metric | Value |",
        ]
    ),
)
def test_any_table_rows_under_the_seed_headers(
    engine: tuple[Engine, Path], cells: list[list[str]], header: str
) -> None:
    """Timeline, action-item and metrics rows of any shape and content."""
    section = {"| T": "## Timeline", "| #": "## Action Items", "| M": "## Incident Metrics"}
    table = header + "\n|" + "---|" * header.count(" | ") + "---|\n"
    table += "".join("| " + " | ".join(row) + " |\n" for row in cells)
    text = SEED.replace(section[header[:3]] + "\n", section[header[:3]] + "\n\n" + table, 1)
    found, lines = _check(engine, text)
    _assert_inside(found, lines)


MARKER_FREE = st.text(max_size=200).filter(lambda t: "pmrepo:" not in t)


@SETTINGS
@given(before=MARKER_FREE, old=MARKER_FREE, after=MARKER_FREE, new=MARKER_FREE)
def test_the_marker_writer_keeps_every_byte_outside_the_block(
    before: str, old: str, after: str, new: str
) -> None:
    assume(not re.search(r"^[ ]{0,3}(```|~~~)", before + old, re.MULTILINE))  # no open fence
    start, end = "<!-- pmrepo:index:start -->", "<!-- pmrepo:index:end -->"
    head = before if before.endswith("\n") or not before else before + "\n"
    text = f"{head}{start}\n{old}{'' if old.endswith(chr(10)) or not old else chr(10)}{end}"
    text += "\n" + after
    try:
        updated = replace_blocks(text, {"index": new}, "README.md")
    except MarkerError:
        return  # a marker-like line in the random text: refused, nothing written
    assert updated.startswith(head + start)
    assert updated.endswith(end + "\n" + after)
    block = find_blocks(updated, "README.md")["index"]
    assert block.start_line == head.count("\n") + 1
    assert replace_blocks(updated, {"index": new}, "README.md") == updated


@SETTINGS
@given(
    raw=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "select",
                        "ignore",
                        "layout",
                        "path",
                        "id",
                        "front_matter",
                        "blameless",
                        "allow",
                        "severity",
                        "timeline",
                        "exclude",
                        "schemas",
                        "sections",
                        "repeats",
                        "window_days",
                    ]
                )
                | st.text(max_size=8),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_any_yaml_config_is_a_clean_error_or_a_config(tmp_path: Path, raw: object) -> None:
    path = tmp_path / ".pmrepo.yaml"
    path.write_text(yaml.safe_dump(raw), "utf-8")
    try:
        config = load_config(path)
    except ConfigError as error:
        assert str(error).startswith(str(path))
    else:
        assert isinstance(config, Config)


TEXT = st.text(max_size=80)


@SETTINGS
@given(message=TEXT, hint=st.none() | TEXT, path=st.text(min_size=1, max_size=30))
def test_messages_round_trip_through_every_reporter(
    message: str, hint: str | None, path: str
) -> None:
    finding = Finding(
        path, 3, 7, "PM401", "blame-counterfactual", Severity.ERROR, message, hint or ""
    )
    result = CheckResult([finding], files_checked=1)

    stream = io.StringIO()
    JsonReporter(stream).report(result)
    reported = json.loads(stream.getvalue())["findings"][0]
    assert (reported["message"], reported["hint"], reported["path"]) == (
        message,
        hint or None,
        path,
    )

    stream = io.StringIO()
    SarifReporter(stream).report(result)
    sarif = json.loads(stream.getvalue())["runs"][0]["results"][0]
    assert sarif["message"]["text"].startswith(message)

    stream = io.StringIO()
    GithubReporter(stream).report(result)
    command = stream.getvalue().split("\n")[0]  # one line, whatever the message holds
    head, _, data = command.partition("::")[2].partition("::")
    properties = dict(item.split("=", 1) for item in head.split(" ", 1)[1].split(","))
    assert _unescape(properties["file"]) == path
    # Controls other than CR and LF (which the command carries escaped) are shown as the
    # text reporter shows them: GitHub prints annotations in the job's log too.
    expected = _log_text(message) + (f"\nhint: {_log_text(hint)}" if hint else "")
    assert _unescape(data) == expected


def _unescape(text: str) -> str:
    """GitHub's toolkit decoding of workflow-command values."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


@SETTINGS
@given(text=st.text(max_size=120))
def test_an_index_cell_never_breaks_its_row_or_becomes_markup(text: str) -> None:
    rendered = cell(text)
    assert "\n" not in rendered and "\r" not in rendered
    assert "<" not in rendered and ">" not in rendered
    assert re.search(r"(?<!\\)\|", rendered) is None  # every pipe escaped
    row = f"| {rendered} | x |"
    assert len(split_row(row)) == 2


def _link_by_pathlib(relpath: str, from_folder: str) -> str:
    target = PurePosixPath(relpath)
    base = PurePosixPath(from_folder) if from_folder else PurePosixPath()
    try:
        return target.relative_to(base).as_posix()
    except ValueError:
        return PurePosixPath(*([".."] * len(base.parts)), target).as_posix()


path_parts = st.lists(
    st.sampled_from(["2024", "Q1", "a.md", "patterns", "..", ".", ""]), max_size=4
)


@SETTINGS
@given(relpath=path_parts.map("/".join), folder=path_parts.map("/".join))
def test_index_links_are_what_pathlib_makes_of_them(relpath: str, folder: str) -> None:
    assume(relpath)
    assert _relative_link(relpath, folder) == _link_by_pathlib(relpath, folder)


# Bytes that exercise what the head reader must get right: line endings of every kind,
# characters of 1 to 4 bytes, and bytes that are not UTF-8.
head_bytes = st.lists(
    st.sampled_from(
        [
            b"a",
            b"-",
            b"\n",
            b"\r",
            b"\r\n",
            b"\xc3\xa9",
            b"\xe2\x80\x99",
            b"\xf0\x9f\x94\xa5",
            b"\xff",
            b"\xe2\x80",
        ]
    ),
    max_size=80,
).map(b"".join)


@SETTINGS
@given(data=head_bytes, size=st.integers(min_value=1, max_value=40))
def test_a_head_is_what_text_mode_reads(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, size: int
) -> None:
    path = tmp_path_factory.mktemp("head") / "INC-2024-0001-x.md"
    path.write_bytes(data)
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        expected = handle.read(size)
    assert read_head(path, size) == expected
