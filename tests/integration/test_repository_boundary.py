"""pmrepo writes nothing outside the repository, whatever symlinks the repository holds, and
reads only regular files of a bounded size. Each test puts a folder next to the repository
whose content must not change."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import Result
from conftest import SAMPLE_REPO, SEED_NAME, run_cli

from postmortem_repo import api
from postmortem_repo.core.errors import ConfigError
from postmortem_repo.core.writer import OutsideRepository, write_atomic, write_new_files
from postmortem_repo.store.cache import DATABASE


def contents(folder: Path) -> str:
    """A hash of every name (links too) and every file's bytes under folder."""
    hashed = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        hashed.update(str(path.relative_to(folder)).encode() + b"\0")
        if path.is_symlink():
            hashed.update(b"->" + os.readlink(path).encode())
        elif path.is_file():
            hashed.update(path.read_bytes())
    return hashed.hexdigest()


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(a copy of sample-repo as the working folder, a victim folder next to it)."""
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo, ignore=shutil.ignore_patterns(".pmrepo_cache"))
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious\n", "utf-8")
    monkeypatch.chdir(repo)
    return repo, victim


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


# The result cache -----------------------------------------------------------------------


def test_a_cache_folder_linked_out_of_the_repository_is_not_used(places: tuple[Path, Path]) -> None:
    repo, victim = places
    plain = run_cli("check", "--no-cache")
    (repo / ".pmrepo_cache").symlink_to("../victim")
    before = contents(victim)
    result = run_cli("check")
    # Before: .gitignore ('*'), CACHEDIR.TAG and the database were written into victim/.
    assert (result.exit_code, result.stdout) == (plain.exit_code, plain.stdout)
    warnings = lines(result.stderr)
    assert len(warnings) == 1 and warnings[0].startswith("pmrepo: warning: ")
    assert "the cache folder is a symlink; running without a cache" in warnings[0]
    assert contents(victim) == before


def test_a_cache_folder_inside_the_repository_but_linked_is_not_used(
    places: tuple[Path, Path],
) -> None:
    repo, _victim = places
    (repo / "elsewhere").mkdir()
    (repo / ".pmrepo_cache").symlink_to("elsewhere")
    result = run_cli("check")
    assert result.exit_code == 0 and "running without a cache" in result.stderr
    assert not any((repo / "elsewhere").iterdir())


def test_a_dangling_database_link_does_not_create_its_target(places: tuple[Path, Path]) -> None:
    repo, victim = places
    (repo / ".pmrepo_cache").mkdir()
    (repo / ".pmrepo_cache" / DATABASE).symlink_to("../../victim/planted.sqlite3")
    before = contents(victim)
    result = run_cli("check")
    # Before: SQLite followed the link and created victim/planted.sqlite3 (and its -wal).
    assert result.exit_code == 0 and "All checks passed" in result.stdout
    [warning] = lines(result.stderr)
    assert warning.endswith(
        f"{DATABASE}: a file of the cache is a symlink; running without a cache"
    )
    assert contents(victim) == before
    assert not (victim / "planted.sqlite3").exists()


def test_the_library_check_and_the_generators_warn_once_and_go_on(
    places: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, victim = places
    (repo / ".pmrepo_cache").symlink_to("../victim")
    before = contents(victim)
    assert api.check([repo], cache=True).findings == api.check([repo]).findings
    assert run_cli("index", "--check").exit_code == 0
    assert capsys.readouterr().err.count("running without a cache") == 1
    assert contents(victim) == before


# pmrepo new and pmrepo init ---------------------------------------------------------------


def test_new_refuses_a_year_folder_linked_out_of_the_repository(
    places: tuple[Path, Path],
) -> None:
    repo, victim = places
    (repo / "2031").symlink_to("../victim")
    before = contents(victim)
    result = run_cli("new", "--title", "Disk full", "--severity", "sev2", "--date", "2031-02-01")
    # Before: victim/Q1/INC-2031-0001-disk-full.md was written.
    assert result.exit_code == 2
    assert "leads out of the repository through the symlink" in result.stderr
    assert "2031" in result.stderr and "nothing was written" in result.stderr
    assert contents(victim) == before


def test_new_refuses_a_quarter_folder_linked_out_of_the_repository(
    places: tuple[Path, Path],
) -> None:
    repo, victim = places
    (repo / "2031").mkdir()
    (repo / "2031" / "Q1").symlink_to("../../victim")
    before = contents(victim)
    result = run_cli("new", "--title", "Disk full", "--severity", "sev2", "--date", "2031-02-01")
    assert result.exit_code == 2 and "leads out of the repository" in result.stderr
    assert contents(victim) == before


def test_new_still_writes_through_a_link_that_stays_inside(places: tuple[Path, Path]) -> None:
    repo, _victim = places
    (repo / "archive" / "2031").mkdir(parents=True)
    (repo / "2031").symlink_to("archive/2031")
    result = run_cli("new", "--title", "Disk full", "--severity", "sev2", "--date", "2031-02-01")
    assert result.exit_code == 0, result.stderr
    assert (repo / "archive/2031/Q1/INC-2031-0001-disk-full.md").is_file()


def test_init_refuses_a_patterns_folder_linked_out_and_writes_nothing(tmp_path: Path) -> None:
    folder, victim = tmp_path / "new-repo", tmp_path / "victim"
    folder.mkdir()
    victim.mkdir()
    (folder / "patterns").symlink_to("../victim")
    result = run_cli("init", str(folder))
    # Before: victim/README.md was written, with the rest of the layout.
    assert result.exit_code == 2
    assert "patterns/README.md: leads out of the repository" in result.stderr
    assert sorted(path.name for path in folder.iterdir()) == ["patterns"]  # nothing else
    assert list(victim.iterdir()) == []


def test_the_writer_refuses_a_target_outside_its_root(tmp_path: Path) -> None:
    root, victim = tmp_path / "repo", tmp_path / "victim"
    root.mkdir()
    victim.mkdir()
    (root / "out").symlink_to(victim)
    (root / "back").symlink_to(tmp_path)
    for target in (root / "out" / "x.md", root / "back" / "repo" / "x.md", victim / "x.md"):
        with pytest.raises(OutsideRepository):
            write_atomic(target, "x\n", root=root)
    with pytest.raises(OutsideRepository):
        write_new_files(root, {"a.md": "a\n", "out/b.md": "b\n"})
    assert not (root / "a.md").exists()  # every place is checked before the first write
    assert list(victim.iterdir()) == []


# root: in the config ----------------------------------------------------------------------


@pytest.mark.parametrize("root", ["../victim", "ABSOLUTE", "2024/../.."])
def test_a_config_root_outside_the_config_folder_is_a_config_error(
    places: tuple[Path, Path], root: str
) -> None:
    repo, victim = places
    shutil.copytree(repo, victim / "copy")  # a repository there, that index would update
    (victim / "copy" / "README.md").write_text(
        "<!-- pmrepo:index:start -->\n<!-- pmrepo:index:end -->\n", "utf-8"
    )
    value = str(victim / "copy") if root == "ABSOLUTE" else root
    (repo / ".pmrepo.yaml").write_text(f"root: {json.dumps(value)}\n", "utf-8")
    before = contents(victim)
    result = run_cli("index")
    # Before: victim/copy/README.md got the index of the copy.
    assert result.exit_code == 2
    assert "invalid config at 'root'" in result.stderr and "leads out" in result.stderr
    assert contents(victim) == before
    with pytest.raises(ConfigError):
        api.resolve_config([repo])


def test_a_config_root_inside_its_folder_is_kept(places: tuple[Path, Path]) -> None:
    repo, _victim = places
    (repo / ".pmrepo.yaml").write_text(f"root: {json.dumps(str(repo))}\n", "utf-8")
    assert api.resolve_config([repo]).root == repo.resolve()


# --output -----------------------------------------------------------------------------------


def check_to(output: str) -> Result:
    return run_cli("check", "--no-cache", "--format", "sarif", "--output", output)


def test_output_refuses_a_committed_link_out_of_the_repository(places: tuple[Path, Path]) -> None:
    repo, victim = places
    (repo / "pmrepo.sarif").symlink_to("../victim/keep.txt")
    (repo / "reports").symlink_to("../victim")
    before = contents(victim)
    for output in ("pmrepo.sarif", "reports/pmrepo.sarif", str(repo / "pmrepo.sarif")):
        result = check_to(output)
        # Before: victim/keep.txt was replaced by the report (and reports/ wrote into victim).
        assert result.exit_code == 2, output
        assert f"{output}: leads out of the repository through the symlink" in result.stderr
        assert contents(victim) == before


def test_output_to_a_path_the_user_names_outside_the_repository(
    places: tuple[Path, Path],
) -> None:
    repo, victim = places
    assert check_to("../victim/report.sarif").exit_code == 0
    assert check_to(str(victim / "absolute.sarif")).exit_code == 0
    assert json.loads((victim / "report.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert (victim / "absolute.sarif").is_file()
    assert check_to("pmrepo.sarif").exit_code == 0 and (repo / "pmrepo.sarif").is_file()


def test_output_refuses_a_link_in_the_config_folder_above_the_root(
    places: tuple[Path, Path],
) -> None:
    repo, victim = places
    posts = repo / "post-mortems"
    posts.mkdir()
    for year in ("2023", "2024"):
        (repo / year).rename(posts / year)
    (repo / ".pmrepo.yaml").write_text("root: post-mortems\n", "utf-8")
    (repo / "pmrepo.sarif").symlink_to("../victim/keep.txt")
    before = contents(victim)
    assert check_to("pmrepo.sarif").exit_code == 2
    assert contents(victim) == before


def test_timeline_output_refuses_a_link_out_of_the_repository(places: tuple[Path, Path]) -> None:
    repo, victim = places
    (repo / "timeline.md").symlink_to("../victim/keep.txt")
    source = Path(__file__).resolve().parents[1] / "fixtures" / "timeline" / "deploys.jsonl"
    before = contents(victim)
    result = run_cli(
        "timeline",
        *("--start", "2024-01-15T14:00:00Z", "--end", "2024-01-15T15:00:00Z"),
        *("--source", f"jsonl:{source}", "--output", "timeline.md"),
    )
    assert result.exit_code == 2 and "leads out of the repository" in result.stderr
    assert contents(victim) == before


# Reads --------------------------------------------------------------------------------------


def test_a_readme_linked_to_dev_zero_is_a_finding_and_a_refusal(places: tuple[Path, Path]) -> None:
    repo, _victim = places
    (repo / "README.md").unlink()
    (repo / "README.md").symlink_to("/dev/zero")
    # Before: MemoryError, from the index check and from the stored results' stamps.
    for cache in ("--no-cache", "--jobs=1"):
        result = run_cli("check", cache)
        assert result.exit_code == 1
        assert "README.md:1:1: PM705" in result.stdout and "leads out" in result.stdout
    result = run_cli("index")
    assert result.exit_code == 2 and "README.md: leads out of the repository" in result.stderr


def test_a_readme_that_is_a_fifo_or_too_large_is_never_read_whole(
    places: tuple[Path, Path],
) -> None:
    repo, _victim = places
    (repo / "README.md").unlink()
    os.mkfifo(repo / "README.md")
    result = run_cli("check")  # returns: the FIFO is never opened for a blocking read
    assert result.exit_code == 1 and "PM705" in result.stdout
    assert "README.md: is not a regular file" in run_cli("index").stderr
    (repo / "README.md").unlink()
    with (repo / "README.md").open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)  # sparse: 17 MB of zeros, over the 16 MB limit
    result = run_cli("index")
    assert result.exit_code == 2 and "over the limit of 16,384 KB" in result.stderr


@pytest.mark.parametrize("which", ["frontmatter", "sections"])
def test_a_schema_linked_to_dev_zero_is_a_config_error(
    places: tuple[Path, Path], which: str
) -> None:
    repo, _victim = places
    (repo / "schema.json").symlink_to("/dev/zero")
    (repo / ".pmrepo.yaml").write_text(f"schemas:\n  {which}: schema.json\n", "utf-8")
    result = run_cli("check")
    assert result.exit_code == 2
    assert "schema.json: cannot read schema: not a regular file" in result.stderr


def test_a_config_that_is_not_a_regular_file_or_too_large(places: tuple[Path, Path]) -> None:
    repo, _victim = places
    (repo / "config.yaml").symlink_to("/dev/zero")
    result = run_cli("check", "--config", "config.yaml")
    assert result.exit_code == 2 and "cannot read config: not a regular file" in result.stderr
    (repo / "big.yaml").write_text("# padding\n" * 30_000, "utf-8")
    result = run_cli("check", "--config", "big.yaml")
    assert result.exit_code == 2 and "over the limit of 256 KB" in result.stderr


def test_a_template_that_is_no_regular_file_or_too_large(places: tuple[Path, Path]) -> None:
    repo, _victim = places
    (repo / "TEMPLATE.md").unlink()
    (repo / "TEMPLATE.md").symlink_to("/dev/zero")  # not a file: the built-in template
    result = run_cli("new", "--title", "Disk full", "--severity", "sev2", "--date", "2031-02-01")
    assert result.exit_code == 0 and (repo / "2031/Q1/INC-2031-0001-disk-full.md").is_file()
    (repo / "TEMPLATE.md").unlink()
    with (repo / "TEMPLATE.md").open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)
    result = run_cli("new", "--title", "Disk full", "--severity", "sev2", "--date", "2031-03-01")
    assert result.exit_code == 2 and "TEMPLATE.md: 17,408 KB, over the limit" in result.stderr


def test_a_post_mortem_too_large_is_not_hashed_for_the_cache(places: tuple[Path, Path]) -> None:
    repo, _victim = places
    big = repo / SEED_NAME
    with big.open("ab") as handle:
        handle.write(b"x" * (1024 * 1024))
    result = run_cli("check")
    assert result.exit_code == 1 and "PM" in result.stdout and "over the limit" in result.stdout
