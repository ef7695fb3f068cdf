"""`pmrepo new` and `pmrepo init`: start a post-mortem, or a post-mortem repository."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.reading import GENERATED_LIMIT, read_limited_text
from postmortem_repo.core.writer import write_new, write_new_files
from postmortem_repo.model.layout import Layout
from postmortem_repo.repo.config import Config
from postmortem_repo.repo.discover import slugify
from postmortem_repo.repo.heads import scan_repo_ids
from postmortem_repo.schema.validate import frontmatter_enum

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


def new_post_mortem(
    root: Path,
    config: Config,
    *,
    title: str,
    severity: str,
    date: dt.date,
    services: list[str],
) -> Path:
    """Write the next post-mortem of date's year from the repository's TEMPLATE.md (or the
    built-in one) and return its path; never overwrites a file."""
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
    text = _fill(
        template.replace("\r\n", "\n"),
        {
            "id": incident,
            "title": json.dumps(title.strip(), ensure_ascii=False),
            "date": date.isoformat(),
            "status": "DRAFT",
            "severity": severity,
            "services": json.dumps(services),
        },
    )
    write_new(path, text, root=root)
    return path


INIT_CONFIG = """\
# pmrepo configuration (see pmrepo's README for every key).
root: .
"""

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

INIT_PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): `pre-commit install` once, then every commit is checked.
repos:
  - repo: local
    hooks:
      - id: pmrepo-check
        name: pmrepo check
        entry: pmrepo check
        language: system
        files: '(^|/)([0-9]{4}/.+|INC-[^/]+)\\.(md|MD)$'
        require_serial: true
      - id: pmrepo-index
        name: pmrepo index
        entry: pmrepo index
        language: system
        files: '\\.(md|MD)$'
        pass_filenames: false
      - id: pmrepo-patterns
        name: pmrepo patterns
        entry: pmrepo patterns
        language: system
        files: '\\.(md|MD)$'
        pass_filenames: false
"""


def init_repository(folder: Path) -> list[tuple[Path, bool]]:
    """Set up a post-mortem repository in folder; returns (file, created) for each file of
    the layout. Existing files are kept as they are."""
    files = {
        ".pmrepo.yaml": INIT_CONFIG,
        "TEMPLATE.md": builtin_template(),
        "README.md": INIT_README,
        "patterns/README.md": INIT_PATTERNS,
        ".pre-commit-config.yaml": INIT_PRE_COMMIT,
    }
    if folder.exists() and not folder.is_dir():
        raise PmrepoError(f"{folder}: not a folder")
    return write_new_files(folder, files)
