"""Running git, the one program pmrepo starts (for `check --changed`, first-commit dates and
`pmrepo timeline --source git:`).

Always an argument list, never a shell line. A revision never starts with '-': one that does
(`--changed --output=/tmp/x`) would be taken by git for an option, so it is refused before
git runs. Paths go after `--`, where git takes nothing for an option.

git itself starts programs that its config names, and a repository's `.git/config` is
written by whoever prepared the repository. Every git command pmrepo runs therefore gets
options, at git's highest-priority (command-line) level, that turn off each config-named
program the commands pmrepo runs (rev-parse, log, diff, ls-files, merge-base,
for-each-ref, config) could start; see SAFE_CONFIG and _harden().
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError

TIMEOUT_SECONDS = 120

# `-c NAME=VALUE` pairs given to every git command. Command-line settings outrank the
# system, global and repository config files (and any file those include).
SAFE_CONFIG = (
    # The file system monitor hook runs on any command that looks at the work tree.
    "core.fsmonitor=false",
    # Hooks (post-index-change, reference-transaction, ...) from any folder.
    "core.hooksPath=/dev/null",
    # A pager (core.pager, pager.<command>) also never starts without a terminal; --no-pager too.
    "core.pager=cat",
    # Signature checks in `git log` start gpg, gpgsm or ssh-keygen from gpg.*.program.
    "log.showSignature=false",
    "gpg.program=",
    "gpg.openpgp.program=",
    "gpg.x509.program=",
    "gpg.ssh.program=",
    "gpg.ssh.defaultKeyCommand=",
    # External diff programs and textconv filters (--no-ext-diff and --no-textconv too).
    "diff.external=",
    # No fetch may start: no transport (ssh and core.sshCommand, remote helpers, ext::,
    # credential helpers) is allowed; GIT_ALLOW_PROTOCOL in the environment says the same
    # in a way protocol.<name>.allow cannot undo. A partial clone's lazy fetch of a missing
    # object is the one fetch the commands pmrepo runs could start.
    "protocol.allow=never",
    "credential.helper=",
    "core.sshCommand=",
    "core.askPass=",
    "core.alternateRefsCommand=",
    # No automatic maintenance (git gc and its pre-auto-gc hook).
    "gc.auto=0",
    "maintenance.auto=false",
)

# The environment git runs in: no transport; no prompt; no opportunistic write of the
# repository's index. The machine's and the user's config files are read (CI images set
# safe.directory in either): the settings above outrank both, and only the repository's
# own config is a pull request's to write.
SAFE_ENVIRONMENT = {
    "GIT_ALLOW_PROTOCOL": "",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
}
# Set by the user's environment for programs git would start: never passed on.
_UNSAFE_VARIABLES = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "GIT_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND")

# Options each subcommand that accepts them gets right after its name.
_SUBCOMMAND_OPTIONS = {
    "log": ("--no-ext-diff", "--no-textconv", "--no-show-signature"),
    # A submodule's dirty work tree is not looked into (that would run git in it, under
    # its own config); a submodule is never a post-mortem.
    "diff": ("--no-ext-diff", "--no-textconv", "--ignore-submodules=dirty"),
}


class GitNotFound(PmrepoError):
    """git is not installed (or not on the PATH)."""


class GitFailed(PmrepoError):
    """git ran and failed, or did not finish in time."""

    def __init__(self, command: Sequence[str], stderr: str) -> None:
        self.command = tuple(command)  # the arguments after 'git'
        self.stderr = stderr
        super().__init__(f"git {' '.join(self.command[:2])}: {stderr.strip() or 'failed'}")


def check_revision(revision: str) -> None:
    """PmrepoError for a revision that git would take for an option."""
    if revision.startswith("-"):
        raise PmrepoError(
            f"{revision}: not a git revision (it starts with '-', which git would take for "
            "an option)"
        )


def _subcommand_at(options: Sequence[str]) -> int | None:
    """The index of the subcommand's name in options (after any `-c NAME=VALUE`)."""
    index = 0
    while index < len(options):
        if options[index] == "-c":
            index += 2
        elif options[index].startswith("-"):
            index += 1
        else:
            return index
    return None


def _harden(options: Sequence[str]) -> list[str]:
    """options with each subcommand's own switches for config-named programs added."""
    at = _subcommand_at(options)
    if at is None:
        return list(options)
    extra = _SUBCOMMAND_OPTIONS.get(options[at], ())
    return [*options[: at + 1], *extra, *options[at + 1 :]]


def _environment() -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in _UNSAFE_VARIABLES}
    environment.update(SAFE_ENVIRONMENT)
    return environment


def _filter_settings(git: str, folder: Path, environment: dict[str, str]) -> list[str]:
    """`-c` options that turn off every content filter driver the config names.

    A clean filter (filter.<driver>.clean or .process, chosen by .gitattributes) runs when
    `git diff` reads a work-tree file whose index entry looks stale; drivers can only be
    turned off one by one, so the config is asked for their names first. GitFailed when
    a driver's name cannot be written as `-c filter.<driver>.clean=`.
    """
    import subprocess

    command = ["config", "-z", "--name-only", "--get-regexp", r"^filter\..*\."]
    done = subprocess.run(
        [git, "--no-pager", *_with_config(command)],
        cwd=folder,
        capture_output=True,
        env=environment,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode not in (0, 1):  # 1: no such setting
        raise GitFailed(command, done.stderr.decode("utf-8", "replace"))
    drivers: list[str] = []
    for name in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        driver = name.partition(".")[2].rpartition(".")[0]
        if driver and driver not in drivers:
            drivers.append(driver)
    settings = []
    for driver in drivers:
        if "=" in driver:
            raise GitFailed(
                command, f"filter driver {driver!r}: a name with '=' cannot be turned off"
            )
        for key, value in (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false")):
            settings += ["-c", f"filter.{driver}.{key}={value}"]
    return settings


def _with_config(command: Sequence[str]) -> list[str]:
    pairs = [part for setting in SAFE_CONFIG for part in ("-c", setting)]
    return [*pairs, *command]


def run_git(
    folder: Path,
    *options: str,
    revisions: Sequence[str] = (),
    paths: Sequence[str] = (),
    encoding: str | None,
    errors: str | None,
) -> str:
    """git's standard output for `git OPTIONS... REVISIONS... [-- PATHS...]`, run in folder.

    encoding and errors decode the output (both None: the locale's encoding, strictly).
    Raises PmrepoError for a revision that starts with '-' (before anything runs),
    GitNotFound when git is missing, GitFailed when it fails or times out.
    """
    for revision in revisions:
        check_revision(revision)
    command = [*options, *revisions, *(("--", *paths) if paths else ())]
    # Imported here: most checks never run git, and start-up time is the hook's cost.
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        raise GitNotFound("git is not installed (or not on the PATH)")
    environment = _environment()
    try:
        at = _subcommand_at(options)
        reads_work_tree = at is not None and options[at] == "diff" and "--cached" not in options
        filters = _filter_settings(git, folder, environment) if reads_work_tree else []
        arguments = [*_with_config(filters), *_harden(options), *command[len(options) :]]
        done = subprocess.run(
            [git, "--no-pager", *arguments],
            cwd=folder,
            capture_output=True,
            text=True,
            encoding=encoding,
            errors=errors,
            env=environment,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as error:
        if str(error.filename) == str(folder):
            raise GitFailed(command, f"{folder}: no such folder") from error
        raise GitNotFound("git is not installed (or not on the PATH)") from error
    except (OSError, subprocess.SubprocessError) as error:
        raise GitFailed(command, str(error)) from error
    if done.returncode != 0:
        raise GitFailed(command, done.stderr)
    return done.stdout
