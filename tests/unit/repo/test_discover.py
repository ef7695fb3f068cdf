"""Walking the repository's folders."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import SEED_NAME, run_cli

MakeRepo = Callable[[dict[str, str | bytes]], Path]
DEPTH = 1000


@pytest.fixture
def deep(tmp_path: Path) -> Iterator[Path]:
    """A folder DEPTH levels below tmp_path/repo/2024/deep, removed afterwards from the
    bottom up: shutil.rmtree (which pytest's clean-up of old runs uses) recurses."""
    top = tmp_path / "repo" / "2024" / "deep"
    top.mkdir(parents=True)
    folder = top
    for _ in range(DEPTH):
        folder = folder / "d"
        folder.mkdir()
    try:
        yield folder
    finally:
        while folder != top.parent:
            for entry in os.scandir(folder):
                if not entry.is_dir(follow_symlinks=False):
                    os.unlink(entry.path)
            folder.rmdir()
            folder = folder.parent


def test_check_and_index_walk_a_tree_a_thousand_folders_deep(
    make_repo: MakeRepo, seed_text: str, deep: Path
) -> None:
    readme = "# Post-mortems\n\n<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n"
    root = make_repo({SEED_NAME: seed_text, "README.md": readme})
    bottom = deep
    (bottom / "INC-2024-0099-deep.md").write_text("# Deep\n", "utf-8")
    checked = run_cli("check", str(root), "--no-cache", "--format", "json")
    assert checked.exit_code == 1, checked.output
    paths = {finding["path"] for finding in json.loads(checked.stdout)["findings"]}
    assert any(path.endswith("/d/d/INC-2024-0099-deep.md") for path in paths)
    assert json.loads(checked.stdout)["summary"]["files_checked"] == 2
    indexed = run_cli("index", str(root), "--check")
    assert indexed.exit_code in (0, 1), indexed.output
    assert "left out (no readable id and date" in indexed.stderr
    adopted = run_cli("init", "--from-existing", str(root))
    assert adopted.exit_code == 0, adopted.output
    assert "2 post-mortems read" in adopted.stdout


def test_walk_folders_goes_where_os_walk_goes(tmp_path: Path) -> None:
    from postmortem_repo.repo.discover import walk_folders

    for relpath in ("a/b/c.md", "a/b/d/e.md", "a/f.md", "g/h.md", ".hidden/x.md"):
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text("x", "utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    for followlinks in (False, True):
        walked = [
            (folder, sorted(subfolders), sorted(files))
            for folder, subfolders, files in walk_folders(tmp_path, followlinks=followlinks)
        ]
        expected = [
            (folder, sorted(subfolders), sorted(files))
            for folder, subfolders, files in os.walk(tmp_path, followlinks=followlinks)
        ]
        assert walked == expected
    # Pruning the subfolders in place leaves them out, as with os.walk.
    kept = []
    for folder, subfolders, _ in walk_folders(tmp_path):
        subfolders[:] = [name for name in subfolders if name != "b"]
        kept.append(os.path.relpath(folder, tmp_path))
    assert sorted(kept) == [".", ".hidden", "a", "g"]  # a link to a folder is not walked


def test_a_post_mortem_that_is_not_utf8_is_left_out_saying_so(
    make_repo: MakeRepo, seed_text: str
) -> None:
    """The warning says what stops the file being read, at the byte, not 'no id and date'."""
    latin1 = seed_text.replace("Executive Summary", "Executive Summary caf\u00e9", 1)
    root = make_repo({SEED_NAME: latin1.encode("latin-1", "replace")})
    line = latin1[: latin1.index("caf\u00e9")].count("\n") + 1
    result = run_cli("actions", str(root))
    assert result.stderr == (
        f"pmrepo: warning: {SEED_NAME}:{line}:25: left out: not valid UTF-8 (byte 0xe9): "
        "re-save the file as UTF-8\n"
    )
