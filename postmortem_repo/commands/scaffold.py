"""`pmrepo new` and `pmrepo init`: start a post-mortem, or a post-mortem repository."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from postmortem_repo import __version__
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.git import run_git
from postmortem_repo.core.reading import GENERATED_LIMIT, read_limited_text
from postmortem_repo.core.writer import write_new, write_new_files
from postmortem_repo.model.layout import Layout
from postmortem_repo.render.index import render_index
from postmortem_repo.render.markers import replace_blocks
from postmortem_repo.render.patterns import render_patterns_index
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import slugify
from postmortem_repo.repo.heads import scan_repo_ids
from postmortem_repo.schema.validate import CONFIG_SCHEMA, frontmatter_enum, yaml_modeline

SEVERITIES = frontmatter_enum("severity")  # as the front-matter schema lists them


def builtin_template() -> str:
    return (
        resources.files("postmortem_repo.commands").joinpath("data/TEMPLATE.md").read_text("utf-8")
    )


def next_id(ids: frozenset[str], year: int, layout: Layout) -> str:
    """The id after the highest of year's ids (INC-2024-0001 when there is none) of a
    layout whose id is made of {year} and {seq}."""
    same_year = re.compile(layout.id_regex(year=str(year)))
    numbers = [int(m["seq"]) for i in ids if (m := same_year.fullmatch(i))]
    return layout.id.format(year=year, seq=f"{max(numbers, default=0) + 1:04d}")


def _fill(template: str, values: dict[str, str]) -> str:
    """The template with its front-matter keys set (each key's line, and a block list under
    it, replaced) and its first H1 heading set to the title."""
    if not template.startswith("---"):
        raise PmrepoError("TEMPLATE.md: no front matter to fill in (it must start with ---)")
    head, separator, body = template[3:].partition("\n---")
    if not separator:
        raise PmrepoError("TEMPLATE.md: the front matter is never closed with ---")
    lines = head.split("\n")
    for key, value in values.items():
        found = [n for n, line in enumerate(lines) if re.match(rf"^{key}\s*:", line)]
        if not found:
            lines.append(f"{key}: {value}")
            continue
        start = found[0]
        end = start + 1
        while end < len(lines) and re.match(r"^\s+(-|\S)", lines[end]):
            end += 1
        lines[start:end] = [f"{key}: {value}"]
    title = json.loads(values["title"])
    body = re.sub(r"^# .*$", lambda _: f"# {title}", body, count=1, flags=re.M)
    return "---" + "\n".join(lines) + separator + body


def git_user_name(folder: Path) -> str | None:
    """`git config user.name` as git sees it in folder; None when it is not set (or there
    is no git)."""
    try:
        name = run_git(folder, "config", "--get", "user.name", encoding="utf-8", errors="replace")
    except PmrepoError:
        return None
    return name.strip() or None


def new_post_mortem(
    root: Path,
    config: Config,
    *,
    title: str,
    severity: str,
    date: dt.date,
    services: list[str],
    author: str | None = None,
) -> Path:
    """Write the next post-mortem of date's year from the repository's TEMPLATE.md (or the
    built-in one) and return its path; never overwrites a file. author: who writes it
    (default: git's user.name in root, else the template's placeholder stays)."""
    if not title.strip():
        raise PmrepoError("--title: a post-mortem needs a title")
    if not config.layout.is_default:
        raise PmrepoError(
            f"pmrepo new writes YYYY/Qn/INC-YYYY-NNNN-slug.md files, but this repository's "
            f"layout is '{config.layout.path}' ({config.source}): copy your template by hand"
        )
    layout = config.layout
    taken = set(scan_repo_ids(config, root))
    # File names count too: a file whose front matter says another id still holds its name.
    taken.update(
        incident
        for path in root.glob(f"{date.year}/**/INC-*")
        if (incident := layout.id_from_path(path.name))
    )
    incident = next_id(frozenset(taken), date.year, layout)
    quarter = (date.month - 1) // 3 + 1
    path = root / str(date.year) / f"Q{quarter}" / f"{incident}-{slugify(title)}.md"
    template_path = root / "TEMPLATE.md"
    template = (
        read_limited_text(template_path, GENERATED_LIMIT)
        if template_path.is_file()
        else builtin_template()
    )
    name = (author or git_user_name(root) or "").strip()
    text = _fill(
        template.replace("\r\n", "\n"),
        {
            "id": incident,
            "title": json.dumps(title.strip(), ensure_ascii=False),
            "date": date.isoformat(),
            "status": "DRAFT",
            "severity": severity,
            "services": json.dumps(services),
            **({"author": json.dumps(name, ensure_ascii=False)} if name else {}),
        },
    )
    write_new(path, text, root=root)
    return path


INIT_CONFIG = """\
# pmrepo configuration (see pmrepo's README for every key).
root: .
"""


def init_config() -> str:
    """The config `pmrepo init` writes: YAML-aware editors complete and check its keys."""
    return yaml_modeline(CONFIG_SCHEMA) + INIT_CONFIG


INIT_README = """\
# Post-mortems

Blameless post-mortems of our incidents, one Markdown file each, in `YYYY/Qn/`.
Start one with `pmrepo new --title "..." --severity SEV2`; `pmrepo check` runs on every
commit and `pmrepo index` keeps the index below current.

## Index

<!-- pmrepo:index:start -->
<!-- pmrepo:index:end -->
"""

INIT_PATTERNS = """\
# Patterns

Recurring causes across incidents, one file each (`PATTERN-NNN-slug.md`).
`pmrepo patterns --suggest` proposes new ones.

<!-- pmrepo:patterns:start -->
<!-- pmrepo:patterns:end -->
"""

# Where pmrepo's hooks come from when init cannot tell (pmrepo was not installed from a git
# repository): the team writes its own, and init says so. A config left as it is fails
# closed: pre-commit cannot clone the placeholder, and every commit stops until it is edited.
HOOKS_REPO_PLACEHOLDER = "https://github.com/YOUR-ORG/pmrepo"


@dataclass(frozen=True)
class HooksSource:
    """The repository and revision pre-commit installs pmrepo's hooks from."""

    repo: str
    rev: str
    known: bool  # False: the placeholder, to edit


def hooks_source() -> HooksSource:
    """Where this pmrepo came from, when pip installed it from a git repository (PEP 610's
    direct_url.json records the URL and the commit); else the placeholder."""
    from importlib import metadata

    placeholder = HooksSource(HOOKS_REPO_PLACEHOLDER, f"v{__version__}", known=False)
    try:
        text = metadata.distribution("pmrepo").read_text("direct_url.json")
        data = json.loads(text or "null")
    except (metadata.PackageNotFoundError, ValueError):
        return placeholder
    vcs = data.get("vcs_info") if isinstance(data, dict) else None
    if not isinstance(vcs, dict) or vcs.get("vcs") != "git":
        return placeholder
    url, commit = data.get("url"), vcs.get("commit_id")
    if not isinstance(url, str) or not isinstance(commit, str):
        return placeholder
    if not re.fullmatch(r"[0-9a-f]{40}", commit) or not re.fullmatch(r"[^\s\x00-\x1f\x7f]+", url):
        return placeholder
    if urlsplit(url).password:  # a credential pip kept: never copied into a committed file
        return placeholder
    # The tag asked for when it is this version's; else the commit (a branch would move).
    tagged = vcs.get("requested_revision") == f"v{__version__}"
    return HooksSource(url, f"v{__version__}" if tagged else commit, known=True)


def pre_commit_config(source: HooksSource) -> str:
    edit = (
        "# Installed from where this pmrepo came from; rev: is a tag (vX.Y.Z) or a full commit\n"
        "# sha of that repository, never a branch.\n"
        if source.known
        else "# EDIT BEFORE THE FIRST COMMIT:\n"
        "#   repo: where your team gets pmrepo: the URL (or a local path) of a clone of its "
        "repository\n"
        f"#   rev:  a release tag of it (v{__version__}) or a full commit sha, never a branch\n"
    )
    repo = json.dumps(source.repo) if source.known else source.repo
    return (
        "# pre-commit (https://pre-commit.com): run `pre-commit install` once; from then on every\n"
        "# commit is checked. pre-commit installs pmrepo itself, in an environment of its own, "
        "from\n# the repository below (its .pre-commit-hooks.yaml names the hooks).\n#\n"
        f"{edit}"
        "repos:\n"
        f"  - repo: {repo}\n"
        f"    rev: {source.rev}\n"
        "    hooks:\n"
        "      - id: pmrepo-check      # the staged post-mortems\n"
        "      - id: pmrepo-index      # README.md's index block\n"
        "      - id: pmrepo-patterns   # patterns/README.md and the pattern files\n"
    )


def init_repository(folder: Path, source: HooksSource | None = None) -> list[tuple[Path, bool]]:
    """Set up a post-mortem repository in folder; returns (file, created) for each file of
    the layout. Existing files are kept as they are. source: where pre-commit installs
    pmrepo from (default: hooks_source())."""
    files = {
        ".pmrepo.yaml": init_config(),
        "TEMPLATE.md": builtin_template(),
        # The blocks filled in as `pmrepo index` and `pmrepo patterns` would fill them in an
        # empty repository: a new repository's generated files are current from the start.
        "README.md": replace_blocks(INIT_README, {"index": render_index([], {}, [])}, "README.md"),
        "patterns/README.md": replace_blocks(
            INIT_PATTERNS, {"patterns": render_patterns_index([])}, "patterns/README.md"
        ),
        ".pre-commit-config.yaml": pre_commit_config(source or hooks_source()),
        ".gitignore": _gitignore(),
    }
    if folder.exists() and not folder.is_dir():
        raise PmrepoError(f"{folder}: not a folder")
    return write_new_files(folder, files)


def _gitignore() -> str:
    from postmortem_repo.commands.site import DEFAULT_OUTPUT

    return (
        "# What pmrepo site builds (DRAFTs too, with --include-drafts): publish it, do not\n"
        "# commit it.\n"
        f"/{DEFAULT_OUTPUT}/\n"
    )


def next_steps(
    folder: Path, results: list[tuple[Path, bool]], source: HooksSource | None = None
) -> list[str]:
    """What a team does after `pmrepo init`, in order, as lines to print."""
    shown = "." if folder in (Path(), Path(".")) else str(folder)
    steps = [] if (folder / ".git").exists() else [f"git init {shown}"]
    if shown != ".":
        steps.append(f"cd {shown}")
    wrote_config = any(
        created and path.name == ".pre-commit-config.yaml" for path, created in results
    )
    source = source or hooks_source()
    if wrote_config and source.known:
        steps.append(
            f".pre-commit-config.yaml installs pmrepo from {source.repo} at {source.rev} "
            "(where this pmrepo came from): change it if your team gets pmrepo elsewhere"
        )
    elif wrote_config:
        steps.append(
            f"edit .pre-commit-config.yaml: replace {HOOKS_REPO_PLACEHOLDER} with where your "
            "team gets pmrepo, and rev: with a tag or commit sha of it; until then every "
            "commit stops"
        )
    steps += [
        "pre-commit install    (or copy hooks/pre-commit of pmrepo's repository to "
        ".git/hooks/pre-commit)",
        'pmrepo new --title "What happened" --severity SEV2 --services your-service',
        "pmrepo index && pmrepo patterns && pmrepo check",
        'git add -A && git commit -m "Post-mortem repository"',
    ]
    return ["Next steps:", *(f"  {number}. {step}" for number, step in enumerate(steps, 1))]


def adoption_next_steps() -> list[str]:
    """What a team does after `pmrepo init --from-existing`, as lines to print: the hooks
    and the generated index are not set up, as the repository's own files are kept."""
    steps = [
        "pmrepo check    (review the findings; adjust .pmrepo.yaml and pmrepo.sections.json "
        "where the proposal is wrong for your team)",
        "to check every commit: a .pre-commit-config.yaml with pmrepo's pmrepo-check hook "
        "(pmrepo's README: 'In git, pre-commit and GitHub Actions'), then "
        "`pre-commit install`; or copy hooks/pre-commit of pmrepo's repository to "
        ".git/hooks/pre-commit",
        "for an index of every post-mortem: add the lines <!-- pmrepo:index:start --> and "
        "<!-- pmrepo:index:end --> to README.md, then `pmrepo index` (and the pmrepo-index "
        "hook)",
    ]
    return ["Next steps:", *(f"  {number}. {step}" for number, step in enumerate(steps, 1))]
