"""api.check_text: a text checked as the post-mortem at a path gives exactly the findings
`check` gives for that file on disk, so that an editor shows what CI will say."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_REPO, SEED_NAME

from postmortem_repo import api
from postmortem_repo.repo.discover import walk

FIXTURES = REPO / "tests" / "fixtures"
# Each repository pmrepo's tests read, with the config files copied into it.
REPOSITORIES = {
    "sample-repo": (SAMPLE_REPO, None),
    "corpus": (FIXTURES / "corpus", None),
    "dfds": (FIXTURES / "dfds", FIXTURES / "dfds-config"),
}


def _copy(name: str, tmp_path: Path) -> Path:
    source, config = REPOSITORIES[name]
    copy = tmp_path / name
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    if config is not None:
        shutil.copytree(config, copy, dirs_exist_ok=True)
    return copy


def _rows(result: api.CheckResult) -> list[tuple[str, int, int, str, str, str, str | None]]:
    return [
        (f.path, f.line, f.column, f.code, f.severity.value, f.message, f.hint)
        for f in result.findings
    ]


def _post_mortems(root: Path) -> list[Path]:
    config = api.resolve_config([root])
    return walk(root, root, config)


@pytest.mark.parametrize("name", sorted(REPOSITORIES))
def test_every_fixture_gives_the_findings_of_its_file_on_disk(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(name, tmp_path)
    monkeypatch.chdir(root)
    compared = 0
    for path in _post_mortems(root):
        try:
            text = path.read_bytes().decode("utf-8")  # as written: CRLF and BOM kept
        except UnicodeDecodeError:
            continue  # a buffer is text: a file that is not UTF-8 has no buffer to compare
        on_disk = _rows(api.check([path]))
        assert _rows(api.check_text(text, path)) == on_disk, path
        compared += 1
    assert compared >= {"sample-repo": 10, "corpus": 60, "dfds": 38}[name]


def test_a_buffer_stands_for_the_file_not_what_is_on_disk(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    seed = repo / SEED_NAME
    text = seed.read_text("utf-8")
    edited = text.replace("## Impact\n", "## Impact\n\nAlice should have checked the graph.\n")
    from_buffer = api.check_text(edited, seed)
    seed.write_text(edited, "utf-8")
    assert _rows(from_buffer) == _rows(api.check([seed]))
    assert ("PM401", 52) in [(f.code, f.line) for f in from_buffer.findings]


def test_an_unsaved_buffer_is_checked_with_the_repository_it_joins(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new file that reuses an id already taken: the duplicate is found before saving,
    as a check of the saved file finds it."""
    monkeypatch.chdir(repo)
    text = (repo / SEED_NAME).read_text("utf-8")
    new = repo / "2024/Q1/INC-2024-0015-payment-api-second-look.md"
    from_buffer = api.check_text(text, new)
    new.write_text(text, "utf-8")
    assert _rows(from_buffer) == _rows(api.check([new]))
    duplicates = [f for f in from_buffer.findings if f.code == "PM106"]
    assert [f.path for f in duplicates] == ["2024/Q1/INC-2024-0015-payment-api-second-look.md"]
    assert "INC-2024-0015-payment-api-latency-degradation.md" in duplicates[0].message


def test_other_open_buffers_stand_for_their_files(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor has two post-mortems open; the other one's unsaved id now duplicates this
    one's: the duplicate is found before either is saved."""
    monkeypatch.chdir(repo)
    seed = repo / SEED_NAME
    other = repo / "2024/Q1/INC-2024-0003-cache-invalidation-failure.md"
    duplicated = other.read_text("utf-8").replace("id: INC-2024-0003", "id: INC-2024-0015")
    alone = api.check_text(seed.read_text("utf-8"), seed)
    with_other = api.check_text(seed.read_text("utf-8"), seed, buffers={other: duplicated})
    assert alone.findings == []
    assert [(f.path, f.code) for f in with_other.findings] == [(SEED_NAME, "PM106")]


def test_another_open_buffer_not_saved_yet_counts_for_duplicate_ids(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new post-mortem, open in the editor and never saved, takes this one's id: this
    one shows the duplicate too, naming the new file."""
    monkeypatch.chdir(repo)
    seed = repo / SEED_NAME
    new = repo / "2024/Q1/INC-2024-0015-payment-api-second-look.md"
    text = seed.read_text("utf-8")
    result = api.check_text(text, seed, buffers={new: text})
    assert [(f.path, f.code, f.line) for f in result.findings] == [(SEED_NAME, "PM106", 2)]
    assert "2024/Q1/INC-2024-0015-payment-api-second-look.md" in result.findings[0].message


def test_the_cache_gives_the_findings_a_check_without_it_gives(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    seed = repo / SEED_NAME
    text = seed.read_text("utf-8")
    edited = text.replace("## Impact\n", "## Impact\n\nAlice should have checked the graph.\n")
    for buffer in (text, edited, edited, text):  # the second of each from a warm cache
        assert _rows(api.check_text(buffer, seed, cache=True)) == _rows(
            api.check_text(buffer, seed)
        )
    assert (repo / api.CACHE_DIR).is_dir()
