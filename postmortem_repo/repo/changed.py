"""`pmrepo check --changed [REF]`: the post-mortems a change touched, and the files whose
cross-file findings it can change (same id, or a link to an id it adds or removes)."""

from __future__ import annotations

import os
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.git import GitFailed, GitNotFound, check_revision, run_git
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import (
    is_candidate,
    is_excluded,
    read_head,
    relative,
    resolved,
    walk,
)

_DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")
_HEAD_BYTES = 8192


def _git(folder: Path, *options: str, revisions: tuple[str, ...] = ()) -> str:
    try:
        return run_git(
            folder,
            *options,
            revisions=revisions,
            encoding="utf-8",
            errors="surrogateescape",  # file names that are not UTF-8 stay as the OS has them
        )
    except GitNotFound as error:
        raise PmrepoError("--changed needs git, and git is not installed") from error


def _top(root: Path) -> Path:
    try:
        return Path(_git(root, "rev-parse", "--show-toplevel").strip())
    except GitFailed as error:
        raise PmrepoError(
            f"--changed needs a git repository, and {root} is not inside one"
        ) from error


def work_tree(folder: Path) -> Path | None:
    """The top of the git work tree around folder; None outside git or without git."""
    if not folder.is_dir():
        return None
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel").strip()).resolve()
    except PmrepoError:
        return None


def is_revision(folder: Path, word: str) -> bool:
    """Whether word names a commit (a branch, tag or commit id) in the git repository around
    folder; False outside git, without git, or for a word git would take for an option."""
    if word.startswith("-"):
        return False
    try:
        _git(folder, "rev-parse", "--verify", "--quiet", revisions=(f"{word}^{{commit}}",))
    except PmrepoError:
        return False
    return True


def _base(top: Path, ref: str | None) -> str:
    if ref:
        check_revision(ref)
        if not is_revision(top, ref):
            raise PmrepoError(
                f"--changed {ref}: no branch, tag or commit '{ref}' in the git repository at "
                f"{top} (a remote branch must be fetched first)"
            )
        try:
            # A ref that starts with '-' (git would take it for an option) is refused.
            return _git(top, "merge-base", revisions=(ref, "HEAD")).strip()
        except GitFailed as error:
            raise PmrepoError(f"--changed {ref}: no common history with HEAD ({error})") from error
    for branch in _DEFAULT_BRANCHES:
        try:
            return _git(top, "merge-base", revisions=(branch, "HEAD")).strip()
        except GitFailed:
            continue
    raise PmrepoError("--changed: cannot find the default branch; name one: --changed origin/main")


def _names(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def changed_paths(root: Path, ref: str | None) -> tuple[list[Path], list[Path]]:
    """(changed or added files, deleted files), absolute. Without REF in a git hook (pre-commit
    sets PRE_COMMIT, git sets GIT_INDEX_FILE), the staged files; else everything since the
    merge base with REF (default: the default branch), untracked files included."""
    top = _top(root)
    in_hook = bool(os.environ.get("PRE_COMMIT") or os.environ.get("GIT_INDEX_FILE"))
    if ref is None and in_hook:
        changed = _names(_git(top, "diff", "--cached", "--name-only", "--diff-filter=ACMR", "-z"))
        deleted = _names(_git(top, "diff", "--cached", "--name-only", "--diff-filter=D", "-z"))
    else:
        base = _base(top, ref)
        changed = _names(
            _git(top, "diff", "--name-only", "--diff-filter=ACMR", "-z", revisions=(base,))
        )
        changed += _names(_git(top, "ls-files", "--others", "--exclude-standard", "-z"))
        deleted = _names(
            _git(top, "diff", "--name-only", "--diff-filter=D", "-z", revisions=(base,))
        )
    return [top / name for name in changed], [top / name for name in deleted]


def _head(path: Path) -> str:
    text = read_head(path, _HEAD_BYTES)
    return text.split("\n---", 1)[0] if text.startswith("---") else ""


def changed_post_mortems(root: Path, config: Config, ref: str | None) -> list[Path]:
    """The post-mortems under root a change added or changed (what `check --fix --changed`
    fixes), without those it affects."""
    changed, _ = changed_paths(root, ref)
    resolved_root = root.resolve()
    found = [
        path
        for path in changed
        if path.exists()
        and path.resolve().is_relative_to(resolved_root)
        and is_candidate(relative(path, root), config)
        and not is_excluded(relative(path, root), config)
    ]
    return sorted(found, key=lambda path: relative(path, root))


def targets_for_change(root: Path, config: Config, ref: str | None) -> list[Path]:
    """The post-mortems to check for a change: changed ones under root, plus unchanged ones
    that share an id with them or link to an id they carry or carried."""
    changed, deleted = changed_paths(root, ref)
    resolved_root = root.resolve()

    def ours(path: Path) -> bool:
        try:
            path.resolve().relative_to(resolved_root)
        except ValueError:
            return False
        relpath = relative(path, root)
        return is_candidate(relpath, config) and not is_excluded(relpath, config)

    layout = config.layout

    def name_ids(path: Path) -> set[str]:
        # The ids the name spells, and the one the layout takes from the path (under a
        # layout whose id is not written out in the file name).
        ids = layout.ids_in(path.name)
        own = layout.id_from_path(relative(path, root))
        return ids | {own} if own else ids

    touched = [path for path in changed if path.exists() and ours(path)]
    ids = set()
    for path in touched + [path for path in deleted if ours(path)]:
        ids.update(name_ids(path))
        if path.exists():
            ids.update(layout.ids_in(_head(path)))
    keys = {resolved(path) for path in touched}
    affected = []
    if ids:
        for path in walk(root, root, config):
            if resolved(path) in keys:
                continue
            head = _head(path)
            if layout.ids_in(head) & ids or name_ids(path) & ids:
                affected.append(path)
    return sorted(touched + affected, key=lambda path: relative(path, root))
