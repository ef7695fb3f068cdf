"""The config's exclude patterns: .gitignore syntax, the same for every command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import git_env, run, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from pathspec import GitIgnoreSpec

from postmortem_repo.repo.exclude import DEFAULT_EXCLUDE, Exclusion

MakeRepo = Callable[[dict[str, str | bytes]], Path]

# Every file is a post-mortem by its place (a YYYY/ folder) or its name (INC-*).
FILES = [
    "2024/Q1/INC-2024-0001-kept.md",
    "2024/Q1/drafts/INC-2024-0002-nested-draft.md",
    "drafts/INC-2024-0003-top-draft.md",
    "archive/INC-2019-0001-old.md",
    "archive/2019/INC-2019-0002-older.md",
    "archive/INC-2019-0003-keep.md",
    "2022/INC-2022-0001-flat.md",
    "2022/Q3/INC-2022-0002-deep.md",
    "2023/Q1/INC-2023-0001-root-year.md",
    "teams/2023/INC-2023-0002-team-year.md",
]

CASES = {
    # ** matches any number of folders, none included; the trailing / means a folder
    "**/drafts/": {
        "2024/Q1/drafts/INC-2024-0002-nested-draft.md",
        "drafts/INC-2024-0003-top-draft.md",
    },
    # a folder and everything under it
    "archive/": {
        "archive/INC-2019-0001-old.md",
        "archive/2019/INC-2019-0002-older.md",
        "archive/INC-2019-0003-keep.md",
    },
    # * stays within one folder (fnmatch's * used to cross into 2022/Q3/)
    "2022/*.md": {"2022/INC-2022-0001-flat.md"},
    # anchored at the root: teams/2023/ is not the root's 2023/
    "/2023/": {"2023/Q1/INC-2023-0001-root-year.md"},
    # without a /, a name at any depth
    "INC-2019-*": {
        "archive/INC-2019-0001-old.md",
        "archive/2019/INC-2019-0002-older.md",
        "archive/INC-2019-0003-keep.md",
    },
}


def _repo(make_repo: MakeRepo, patterns: list[str], content: str) -> Path:
    """FILES, each with content (the sample's id replaced by the file's), under the patterns."""
    config = "exclude:\n" + "".join(f"  - {json.dumps(pattern)}\n" for pattern in patterns)
    files = {name: content.replace("INC-2024-0015", _id(name)) for name in FILES}
    readme = "# Post-mortems\n\n<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n"
    return make_repo({".pmrepo.yaml": config, "README.md": readme, **files})


def _id(name: str) -> str:
    return "-".join(name.rpartition("/")[2].split("-")[:3])


def _checked(root: Path) -> set[str]:
    """The files `pmrepo check` read: each has a finding, as none has front matter (the
    README's, that its index is out of date, is not one of them)."""
    result = run_cli("check", "--format", "json", "--no-cache", str(root))
    report = json.loads(result.stdout)
    paths = {finding["path"] for finding in report["findings"]} - {"README.md"}
    assert report["summary"]["files_checked"] == len(paths)
    return paths


def _with_actions(root: Path) -> set[str]:
    result = run_cli("actions", "--format", "json", "--today", "2024-01-01", str(root))
    assert result.exit_code == 0, result.output
    return {item["path"] for item in json.loads(result.stdout)["items"]}


def _indexed(root: Path) -> set[str]:
    """The ids in the rows of the index `pmrepo index` writes."""
    result = run_cli("index", str(root))
    assert result.exit_code == 0, result.output
    readme = (root / "README.md").read_text("utf-8")
    return set(re.findall(r"^\| \[?(INC-\d{4}-\d{4})", readme, re.MULTILINE))


@pytest.mark.parametrize("pattern", list(CASES))
def test_check_leaves_out_what_the_pattern_matches(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch, pattern: str
) -> None:
    root = _repo(make_repo, [pattern], "no front matter\n")
    monkeypatch.chdir(root)
    assert _checked(root) == set(FILES) - CASES[pattern]


def test_a_negation_re_includes_one_file_of_an_excluded_folder(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(make_repo, ["archive/", "!archive/INC-2019-0003-keep.md"], "no front matter\n")
    monkeypatch.chdir(root)
    assert _checked(root) == set(FILES) - {
        "archive/INC-2019-0001-old.md",
        "archive/2019/INC-2019-0002-older.md",
    }


def test_every_command_leaves_out_the_same_files(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch, seed_text: str
) -> None:
    patterns = ["**/drafts/", "archive/", "!archive/INC-2019-0003-keep.md", "/2023/", "2022/*.md"]
    root = _repo(make_repo, patterns, seed_text)
    monkeypatch.chdir(root)
    kept = {
        "2024/Q1/INC-2024-0001-kept.md",
        "archive/INC-2019-0003-keep.md",
        "2022/Q3/INC-2022-0002-deep.md",
        "teams/2023/INC-2023-0002-team-year.md",
    }
    assert _with_actions(root) == kept
    assert _indexed(root) == {_id(name) for name in kept}
    assert run_cli("index", "--check", str(root)).exit_code == 0
    # A file named on the command line is left out as the walk leaves it out, and said so
    # (PM109); --force-exclude, a hook's option, leaves it out without a word.
    named = [root / "drafts/INC-2024-0003-top-draft.md", root / "archive/INC-2019-0003-keep.md"]
    result = run_cli("check", "--format", "json", "--no-cache", *map(str, named))
    assert json.loads(result.stdout)["summary"]["files_checked"] == 1
    excluded = [
        (f["path"], f["code"])
        for f in json.loads(result.stdout)["findings"]
        if f["code"] == "PM109"
    ]
    assert excluded == [("drafts/INC-2024-0003-top-draft.md", "PM109")]
    result = run_cli("check", "--format", "json", "--no-cache", "--force-exclude", *map(str, named))
    assert json.loads(result.stdout)["summary"]["files_checked"] == 1
    assert {f["path"] for f in json.loads(result.stdout)["findings"]} <= {
        "archive/INC-2019-0003-keep.md"
    }


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("drafts\\", "is not a valid pattern"),
        ("!", "is not a valid pattern"),
        ("[abc", "is not a valid pattern"),
        ("#drafts", "is a comment in gitignore syntax"),
    ],
)
def test_an_invalid_pattern_is_a_config_error_naming_it(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch, pattern: str, reason: str
) -> None:
    root = _repo(make_repo, ["archive/", pattern], "no front matter\n")
    monkeypatch.chdir(root)
    for command in (["check", "--format", "json", "--no-cache"], ["index", "--check"]):
        result = run_cli(*command, str(root))
        assert result.exit_code == 2
        assert result.stdout == ""
        assert f"invalid config at 'exclude[1]': '{pattern}' {reason}" in result.stderr, (
            result.stderr
        )
        assert f"{os.path.join(str(root), '.pmrepo.yaml')}" in result.stderr


def test_changed_leaves_out_the_same_files(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env = git_env(tmp_path)
    for key in ("HOME", "GIT_CONFIG_NOSYSTEM", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.setenv(key, env[key])
    for key in ("PRE_COMMIT", "GIT_INDEX_FILE"):
        monkeypatch.delenv(key, raising=False)
    root = make_repo({".pmrepo.yaml": "exclude: ['**/drafts/', '/2023/']\n"})
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "Config"]):
        assert run(["git", *command], root, env).returncode == 0
    assert run(["git", "checkout", "-qb", "feature"], root, env).returncode == 0
    _repo(make_repo, ["**/drafts/", "/2023/"], "no front matter\n")
    monkeypatch.chdir(root)
    result = run_cli("check", "--changed", "--format", "json", "--no-cache")
    paths = {finding["path"] for finding in json.loads(result.stdout)["findings"]}
    assert paths - {"README.md"} == set(FILES) - {
        "2024/Q1/drafts/INC-2024-0002-nested-draft.md",
        "drafts/INC-2024-0003-top-draft.md",
        "2023/Q1/INC-2023-0001-root-year.md",
    }


_SEGMENTS = st.sampled_from(
    [
        *("README.md", "readme.md", "README.mdx", "TEMPLATE.md", "patterns", "pattern"),
        *("2024", "Q1", "INC-2024-0001-a.md", "x"),
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_SEGMENTS, min_size=1, max_size=5))
def test_the_built_in_patterns_match_as_pathspec_matches_them(parts: list[str]) -> None:
    """Without patterns of its own, pmrepo leaves out what pathspec would, without
    importing it."""
    relpath = "/".join(parts)
    expected = GitIgnoreSpec.from_lines(DEFAULT_EXCLUDE).match_file(relpath)
    assert Exclusion(DEFAULT_EXCLUDE).excludes(relpath) == expected, relpath


def test_a_check_without_patterns_of_its_own_does_not_import_pathspec(repo: Path) -> None:
    probe = "import sys; from postmortem_repo import api; api.check([sys.argv[1]]); "
    probe += "print('pathspec' in sys.modules)"
    without = subprocess.run(
        [sys.executable, "-c", probe, str(repo)], capture_output=True, text=True, check=True
    )
    assert without.stdout.strip() == "False"
    (repo / ".pmrepo.yaml").write_text("exclude: ['drafts/']\n", "utf-8")
    with_patterns = subprocess.run(
        [sys.executable, "-c", probe, str(repo)], capture_output=True, text=True, check=True
    )
    assert with_patterns.stdout.strip() == "True"
