"""Which files are post-mortems, and where the repository root is."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.model.layout import is_companion_file
from postmortem_repo.repo.config import Config

_YEAR = re.compile(r"^\d{4}$")


def infer_root(target: Path) -> Path:
    """The repository root for a target when no config names one.

    The folder above the nearest YYYY/ folder at or above the target (so that
    `pmrepo check 2024/Q1` sees the layout), else the target folder, or the file's folder.
    """
    target = target.absolute()
    folders = [target, *target.parents] if target.is_dir() else list(target.parents)
    for folder in folders:
        if _YEAR.match(folder.name):
            return folder.parent
    return target if target.is_dir() else target.parent


def is_repository(root: Path, config: Config, cache_name: str) -> bool:
    """Whether root is a post-mortem repository, where pmrepo may keep its cache: a config
    applies to it, or it holds a year folder, a TEMPLATE.md or a cache already. A lone note
    in a folder of other files is none: nothing is written beside it."""
    if config.source is not None or config.root is not None:
        return True
    if (root / "TEMPLATE.md").is_file() or (root / cache_name).is_dir():
        return True
    try:
        with os.scandir(root) as entries:
            return any(_YEAR.match(entry.name) and entry.is_dir() for entry in entries)
    except OSError:
        return False


def looks_like_repository(root: Path, config: Config) -> bool:
    """Whether root can be a post-mortem repository, told without walking it: a config
    applies to it, or it holds a year folder, a TEMPLATE.md or a post-mortem at its top (a
    folder of INC-*.md files). A folder above several repositories (a home folder, /tmp)
    is none, even with a cache an older pmrepo left there: a view of it would mix them."""
    if config.source is not None or config.root is not None:
        return True
    if (root / "TEMPLATE.md").is_file():
        return True
    try:
        with os.scandir(root) as entries:
            return any(
                (_YEAR.match(entry.name) and entry.is_dir())
                or (entry.is_file() and is_candidate(entry.name, config))
                for entry in entries
            )
    except OSError:
        return False


def repository_root(config: Config, target: Path | None = None) -> Path:
    """The repository root: the configured one, else the one inferred from target (default:
    the working folder)."""
    return config.root or infer_root(target or Path.cwd())


def relative(path: Path, root: Path) -> str:
    """path relative to root, '/'-separated; '../name' when outside the root."""
    # Symlinks are not resolved: a link keeps the name it has in the repository. Plain
    # string operations: this runs several times for every file of the repository.
    absolute = os.path.normpath(os.path.abspath(path))
    base, prefix = _base_of(str(root), os.getcwd())
    if absolute == base:
        return "."
    if absolute.startswith(prefix):
        return absolute[len(prefix) :].replace(os.sep, "/")
    return "../" + path.name


@lru_cache(maxsize=64)
def _base_of(root: str, working_folder: str) -> tuple[str, str]:
    """The root as an absolute path, and that path ending in a separator."""
    base = os.path.normpath(os.path.join(working_folder, root))
    return base, base if base.endswith(os.sep) else base + os.sep


def is_excluded(relpath: str, config: Config) -> bool:
    """Whether the config's exclude patterns (gitignore syntax) leave this path out."""
    return config.exclusion.excludes(relpath)


def is_candidate(relpath: str, config: Config) -> bool:
    """By default a Markdown file inside a YYYY/ folder, or named INC-*, anywhere in the
    root; with a layout in the config, a path that follows it (or nearly: see layouts)."""
    return config.layout.is_candidate(relpath)


_WALKS: dict[tuple[str, str, int], list[tuple[str, str]]] | None = None


@contextmanager
def walks_remembered() -> Iterator[None]:
    """Within this block each folder is walked once, however many parts of a check ask;
    outside it every walk looks at the files as they are now."""
    global _WALKS
    outer, _WALKS = _WALKS, {}
    try:
        yield
    finally:
        _WALKS = outer


def walk(start: Path, root: Path, config: Config) -> list[Path]:
    """Every post-mortem under start (a folder in root), sorted; hidden folders are skipped."""
    return [Path(path) for _, path in walk_named(start, root, config)]


def walk_named(start: Path, root: Path, config: Config) -> list[tuple[str, str]]:
    """walk(): (relpath as relative() gives it, path) of each, sorted by relpath."""
    if _WALKS is None:
        return _walk(start, root, config)
    key = (os.path.abspath(start), os.path.abspath(root), id(config))
    if key not in _WALKS:
        _WALKS[key] = _walk(start, root, config)
    return list(_WALKS[key])


def walk_folders(
    top: str | os.PathLike[str], *, followlinks: bool = False
) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk, top-down, without recursion (os.walk recurses before Python 3.12, so a tree
    a thousand folders deep raised RecursionError): (folder, subfolders, files) for each
    folder; emptying or pruning subfolders in place leaves those out, as with os.walk.
    Folders that cannot be listed are skipped."""
    pending = [os.fspath(top)]
    while pending:
        folder = pending.pop()
        subfolders: list[str] = []
        files: list[str] = []
        links: set[str] = set()  # links to folders: listed as folders, walked into if asked
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_folder = entry.is_dir()
                        if is_folder and not followlinks and entry.is_symlink():
                            links.add(entry.name)
                    except OSError:
                        is_folder = False
                    (subfolders if is_folder else files).append(entry.name)
        except OSError:
            continue
        yield folder, subfolders, files
        # Depth first, in the order of subfolders, as os.walk goes.
        pending.extend(
            os.path.join(folder, name) for name in reversed(subfolders) if name not in links
        )


def _walk(start: Path, root: Path, config: Config) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    seen = {os.path.realpath(start)}
    reals = {os.fspath(start): os.path.realpath(start)}  # each folder to walk: its real path
    for folder, subfolders, files in walk_folders(start, followlinks=True):
        base = Path(folder)
        folder_real = reals.pop(folder)
        kept = []
        for name in sorted(subfolders):
            if name.startswith("."):
                continue
            child = os.path.join(folder, name)
            # A link is resolved; a folder that is none is its parent's real path and its
            # name (resolving each one whole costs a tree's depth squared).
            real = (
                os.path.realpath(child)
                if os.path.islink(child)
                else os.path.join(folder_real, name)
            )
            if real in seen:  # a symlink loop, or a folder seen twice
                continue
            seen.add(real)
            path = base / name
            # A folder named like a post-mortem is reported, not walked into.
            if name.lower().endswith(".md") and is_candidate(relative(path, root), config):
                found.append((relative(path, root), str(path)))
            else:
                kept.append(name)
                reals[child] = real
        subfolders[:] = kept
        inside = relative(base, root)  # once per folder, not once per file
        prefix = "" if inside == "." else inside + "/"
        for name in files:
            relpath = prefix + name if not inside.startswith("../") else "../" + name
            if is_candidate(relpath, config) and not is_excluded(relpath, config):
                found.append((relpath, os.path.join(folder, name)))
    return sorted(found, key=lambda pair: pair[0])


def markdown_files(root: Path) -> list[Path]:
    """Every file under root that may be a post-mortem, whatever the layout: Markdown files
    (and extensionless files that start with a heading), not hidden, not README, LICENSE and
    the like. `pmrepo init --from-existing` reads these; a layout's discovery (walk) must
    find the same ones."""
    found = []
    for folder, subfolders, names in walk_folders(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith(".") or is_companion_file(name):
                continue
            if name.lower().endswith(".md") or ("." not in name and _starts_with_heading(path)):
                found.append(path)
    return found


def _starts_with_heading(path: Path) -> bool:
    try:
        # Without waiting, and looked at before it is read: a FIFO would block forever.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return False
        with os.fdopen(handle, "r", encoding="utf-8", closefd=False) as stream:
            return stream.read(200).lstrip("\ufeff").startswith("#")
    except (OSError, UnicodeDecodeError):
        return False
    finally:
        os.close(handle)


class Targets(NamedTuple):
    """What a check covers: the files, and what it was pointed at and could not check."""

    files: list[Path]
    empty: list[Path]  # folders given in which no post-mortem was found
    excluded: list[Path]  # files given by name that the config's exclude leaves out


def expand_targets(
    targets: list[Path], root: Path, config: Config, *, force_exclude: bool = False
) -> Targets:
    """The files to check: folders walked, files taken as given. A file given by name that
    the config excludes is listed as excluded. force_exclude, as a hook that passes every
    staged Markdown file wants: a file given by name is checked only when a walk of the
    repository would check it (it follows the layout, or nearly, and is not excluded); the
    others are left out without a word."""
    if len(targets) == 1 and targets[0].is_dir() and not targets[0].name.lower().endswith(".md"):
        walked = walk(targets[0], root, config)
        # One folder: sorted and unique as walked, unless a link names a file twice.
        if not any(os.path.islink(path) for path in walked):
            return Targets(walked, [] if walked else [targets[0]], [])
    files: dict[str, Path] = {}
    empty: list[Path] = []
    excluded: list[Path] = []
    for target in targets:
        if not target.exists() and not target.is_symlink():
            raise PmrepoError(f"{target}: no such file or folder")
        if target.is_dir() and not target.name.lower().endswith(".md"):
            walked = walk(target, root, config)
            if not walked:
                empty.append(target)
            for path in walked:
                files.setdefault(resolved(path), path)
        elif is_excluded(relative(target, root), config):
            if not force_exclude:
                excluded.append(target)
        elif force_exclude and not is_candidate(relative(target, root), config):
            continue  # what a walk of the repository would not check either
        else:
            files.setdefault(resolved(target), target)
    return Targets(sorted(files.values(), key=lambda p: relative(p, root)), empty, excluded)


def resolved(path: Path) -> str:
    """str(path.resolve()); for a symlink loop (which resolve() raises on), the path as it
    is: reading it then fails, and that is reported for the file (PM101)."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return os.path.normpath(os.path.abspath(path))


def display_path(path: Path) -> str:
    """The path as people see it: relative to the working folder when inside it."""
    absolute = path.absolute()
    try:
        return printable(absolute.relative_to(Path.cwd()).as_posix())
    except ValueError:
        return printable(os.path.normpath(str(absolute)))


def printable(name: str) -> str:
    """A file name that can be printed: bytes that are not UTF-8 (kept by Python as lone
    surrogates) become U+FFFD."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return name


def read_head(path: Path, size: int = 8192) -> str:
    """The first characters of a regular file, newlines made universal as text mode makes
    them ('' for anything else: a FIFO or a device named like a post-mortem would block a
    reader forever, so the file is opened without waiting and looked at before it is read).
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return ""
        # Up to 4 bytes make one character: enough bytes for size characters, read without
        # the text layer, which costs a third of a scan of 10,000 heads.
        data = os.read(handle, size * 4)
    except OSError:
        return ""
    finally:
        os.close(handle)
    text = data.decode("utf-8", "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:size]


# Letters that Unicode does not decompose into an ASCII letter and a mark.
_LETTERS_WITHOUT_ACCENTS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)


def slugify(title: str, limit: int = 60) -> str:
    """'Payment API — Latency Spike' → 'payment-api-latency-spike' (ASCII, at a word end)."""
    spelled = title.translate(_LETTERS_WITHOUT_ACCENTS)
    ascii_title = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "incident"


class PathsOfRepository(NamedTuple):
    """Paths given to check that are in one repository, with its config and root."""

    config: Config
    root: Path
    targets: list[Path]


def repositories_of(
    targets: list[Path], config_path: Path | None = None
) -> list[PathsOfRepository]:
    """The targets grouped by the repository each is in, in the order first named: each
    read with its own config (the nearest above it, or config_path) and root. A target
    inside another's repository (a patterns/ file beside the year folders) is of that one."""
    from postmortem_repo.repo.config import find_config, load_config

    configs: dict[Path | None, Config] = {}
    found: list[PathsOfRepository] = []
    for target in targets:
        source = config_path if config_path is not None else find_config(target)
        if source not in configs:
            configs[source] = load_config(source)
        config = configs[source]
        root = repository_root(config, target)
        found.append(PathsOfRepository(config, root, [target]))
    return _nested_joined(found)


def _nested_joined(found: list[PathsOfRepository]) -> list[PathsOfRepository]:
    """One group per repository: a root at or inside another group's root joins that one."""
    places = [group.root.resolve() for group in found]
    owner: dict[int, int] = {}  # index in found → index of the group whose root holds it
    for index in sorted(range(len(found)), key=lambda i: len(places[i].parts)):
        owner[index] = next(
            (
                kept
                for kept in owner
                if owner[kept] == kept and places[index].is_relative_to(places[kept])
            ),
            index,
        )
    groups: dict[int, PathsOfRepository] = {}
    for index, group in enumerate(found):  # in the order named
        kept = owner[index]
        if kept not in groups:
            groups[kept] = PathsOfRepository(found[kept].config, found[kept].root, [])
        groups[kept].targets.extend(group.targets)
    return list(groups.values())
