"""PM1xx: layout and identity — where a post-mortem lives and which id it carries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.core.fixes import Applicability, Fix
from postmortem_repo.lint.context import RepoIndex, RuleContext
from postmortem_repo.lint.rules import document_rule, file_rule, repo_rule
from postmortem_repo.model.document import Document
from postmortem_repo.model.layout import Layout
from postmortem_repo.repo.discover import slugify

FOLDER = re.compile(r"^(?P<year>\d{4})/Q(?P<quarter>[1-4])$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

file_rule(
    "PM101",
    "file-unreadable",
    Severity.ERROR,
    """A post-mortem file cannot be read.

    The path is a directory named like a post-mortem, or the file cannot be opened
    (permissions, a broken symlink). pmrepo reports it and goes on with the other files.

    Bad: a folder `2024/Q1/INC-2024-0001-db-outage.md/`.
    Good: a regular, readable file at that path.
    """,
    load_failure="unreadable",
)
file_rule(
    "PM102",
    "invalid-encoding",
    Severity.ERROR,
    """A post-mortem is not valid UTF-8.

    pmrepo reads every file as UTF-8 and points at the first byte that is not; other tools
    (GitHub's renderer, search) will mangle the text around it too.

    Bad: a file saved as Latin-1 with `café` in it.
    Good: the same file re-saved as UTF-8.
    """,
    load_failure="encoding",
)


file_rule(
    "PM107",
    "file-too-large",
    Severity.ERROR,
    """A post-mortem is larger than the limit (1 MB unless `limits.max_file_kb` says otherwise).

    A post-mortem is read by people: a file this large is almost always a pasted log or
    dump. pmrepo does not read it (so one huge file never slows a commit) and says so.

    Bad: a post-mortem with 40 MB of kubectl output pasted into the Appendix.
    Good: the output in a linked file or ticket, and the lines that matter quoted.
    """,
    load_failure="too_large",
)


file_rule(
    "PM108",
    "no-post-mortems",
    Severity.ERROR,
    """A folder given to `pmrepo check` holds no post-mortem.

    A check that found nothing to check would pass while checking nothing: in CI, a green
    check. The message says what pmrepo looks for (the default layout, or the config's
    `layout.path`); `pmrepo init --from-existing` proposes a layout for the files you have.
    Reported even under `--select`; `--ignore PM108` silences it.

    Bad: `pmrepo check docs/post-mortems` where the files are named `2019-01-23.md` and no
    layout says so.
    Good: a config with `layout: {path: '{year}-{month}-{day}.md', id: '{year}-{month}-{day}'}`.
    """,
    load_failure="no_post_mortems",
)
file_rule(
    "PM109",
    "excluded-file",
    Severity.ERROR,
    """A file named to `pmrepo check` is left out by the config's `exclude`.

    Naming a file and getting "All checks passed" when it was not read is a pass that
    checked nothing. pmrepo reports it instead. A hook that passes every staged Markdown
    file runs `pmrepo check --force-exclude`: excluded files are then skipped without a
    finding (the hook of `.pre-commit-hooks.yaml` does).

    Bad: `pmrepo check README.md` (every README.md is excluded), expecting it checked.
    Good: `pmrepo check 2024/Q1/INC-2024-0001-db-outage.md`, or `--force-exclude` in a hook.
    """,
    load_failure="excluded",
)


def quarter_folder(date: object) -> str | None:
    """'2024/Q2' for a 'YYYY-MM-DD' date string, else None."""
    match = ISO_DATE.match(date) if isinstance(date, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"{match.group(1)}/Q{(int(match.group(2)) - 1) // 3 + 1}"


@lru_cache(maxsize=8)
def _file_name(layout: Layout) -> re.Pattern[str]:
    """A well-formed file name of the default layout: its id, a hyphen, a slug, '.md'."""
    return re.compile(rf"^{layout.id_regex()}-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


def _suggested_name(doc: Document, layout: Layout) -> str:
    file_id = layout.id_from_path(doc.relpath)
    fm_id = doc.data.get("id")
    incident = fm_id if isinstance(fm_id, str) else "INC-YYYY-NNNN"
    if file_id:
        incident = file_id
    title = doc.data.get("title")
    return f"{incident}-{slugify(title if isinstance(title, str) else '')}.md"


@document_rule("PM103", "path-layout", Severity.ERROR)
def path_layout(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A post-mortem's path is not YYYY/Qn/INC-YYYY-NNNN-slug.md (or the config's `layout`).

    The layout lets people (and pmrepo's indexes) find an incident by year and quarter, and
    the id in the file name is how links between post-mortems resolve.

    Bad: `2024/payment outage.md`, `2024/Q1/INC-2024-0001_Payment_Outage.md`.
    Good: `2024/Q1/INC-2024-0001-payment-api-connection-pool.md`.

    Fix: unsafe: the file is moved into the folder of its `date` and renamed to its id and
    a slug of its title (with `git mv` when git tracks it; never onto an existing file).
    """
    if doc.relpath.startswith("../"):
        return
    layout = ctx.config.layout
    if not layout.is_default:
        yield from _custom_layout(doc.relpath, layout)
        return
    folder, _, name = doc.relpath.rpartition("/")
    good_name = bool(_file_name(layout).match(name))
    target = quarter_folder(doc.data.get("date"))
    good_folder = bool(FOLDER.match(folder))
    move = _move(
        folder if good_folder else target,
        name if good_name else _suggested_name(doc, layout),
    )
    if not good_name:
        yield Diagnostic(
            1,
            1,
            f"file name '{name}' is not INC-YYYY-NNNN-slug.md (slug: lowercase words "
            f"joined by hyphens): rename it, e.g. '{_suggested_name(doc, layout)}'",
            fix=move,
        )
    if not good_folder:
        yield Diagnostic(
            1,
            1,
            f"post-mortems live in YYYY/Qn/ folders, but this one is in "
            f"'{folder or '.'}/': move it to '{target or 'YYYY/Qn'}/'",
            fix=move,
        )


def _move(folder: str | None, name: str) -> Fix | None:
    """Moving the file to folder/name, unless either is still unknown."""
    if folder is None or "YYYY" in name or name.endswith("-.md"):
        return None
    return Fix(Applicability.UNSAFE, f"Move to '{folder}/{name}'", move_to=f"{folder}/{name}")


def _custom_layout(relpath: str, layout: Layout) -> Iterator[Diagnostic]:
    if layout.matches(relpath):
        impossible = _impossible_date(layout.fields(relpath))
        if impossible:
            yield Diagnostic(
                1,
                1,
                f"'{relpath}' follows the layout '{layout.path}', but its {impossible}: "
                "correct the date in its name",
            )
        return
    name = relpath.rpartition("/")[2]
    if not relpath.lower().endswith(".md") and layout.matches(relpath + ".md"):
        hint = f"add the '.md' extension: '{name}.md'"
    elif relpath.lower().endswith(".md") and layout.matches(relpath[:-3] + ".md"):
        hint = f"write the extension in lowercase: '{name[:-3]}.md'"
    else:
        hint = "rename or move it"
    yield Diagnostic(
        1, 1, f"'{relpath}' does not follow the layout '{layout.path}' of the config: {hint}"
    )


def _impossible_date(fields: dict[str, str]) -> str:
    """What is wrong with the date a path's fields write ('' when nothing is): a month 13,
    a day 45, a quarter 5 would file the incident nowhere."""
    year, month, day = fields.get("year"), fields.get("month"), fields.get("day")
    quarter = fields.get("quarter")
    if quarter is not None and not 1 <= int(quarter) <= 4:
        return f"quarter Q{quarter} is no quarter"
    if month is not None and not 1 <= int(month) <= 12:
        return f"month {month} is no month"
    if year is not None and month is not None and day is not None:
        try:
            dt.date(int(year), int(month), int(day))
        except ValueError:
            return f"date {year}-{month}-{day} is no date"
    return ""


@document_rule("PM104", "folder-date-mismatch", Severity.ERROR)
def folder_date_mismatch(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The YYYY/Qn folder does not match the incident `date`.

    Quarterly reports and the README index group incidents by the folder and by the date; a
    file in the wrong quarter is counted twice or not at all.

    Bad: `date: 2024-04-02` in `2024/Q1/`.
    Good: `date: 2024-04-02` in `2024/Q2/`.

    Fix: unsafe: the file is moved to the folder of its `date` (with `git mv` when git
    tracks it; never onto an existing file).
    """
    folder = doc.relpath.rpartition("/")[0]
    expected = quarter_folder(doc.data.get("date"))
    if expected and FOLDER.match(folder) and folder != expected:
        line, column = doc.front_matter.position(("date",), of_value=True)
        yield Diagnostic(
            line,
            column,
            f"the incident date {doc.data['date']} belongs in '{expected}/', "
            f"but the file is in '{folder}/': move it",
            fix=_move(expected, doc.relpath.rpartition("/")[2]),
        )


@document_rule("PM105", "id-mismatch", Severity.ERROR)
def id_mismatch(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The front-matter `id` differs from the id in the file name.

    Links, indexes and `repeat_of` references use the id; two different ids for one
    incident send readers to the wrong place.

    Bad: `id: INC-2024-0016` in `INC-2024-0015-payment-latency.md`.
    Good: `id: INC-2024-0015` in `INC-2024-0015-payment-latency.md`.
    """
    file_id = ctx.config.layout.id_from_path(doc.relpath)
    fm_id = doc.data.get("id")
    if file_id and isinstance(fm_id, str) and fm_id != file_id:
        line, column = doc.front_matter.position(("id",), of_value=True)
        yield Diagnostic(
            line,
            column,
            f"front-matter id {fm_id} differs from the file name's {file_id}: make them the same",
        )


@repo_rule("PM106", "duplicate-id", Severity.ERROR)
def duplicate_id(repo: RepoIndex, ctx: RuleContext) -> Iterator[tuple[str, Diagnostic]]:
    """Two post-mortems use the same incident id (reported on both).

    An id must name one incident: links, `repeat_of` and the index would otherwise point at
    whichever file happens to sort first.

    Bad: `2024/Q1/INC-2024-0003-cache.md` and `2024/Q2/INC-2024-0003-dns.md`.
    Good: the second one renamed to the next free id, `INC-2024-0017-dns.md`.
    """
    default = ctx.config.layout.is_default
    for incident, entries in repo.by_id().items():
        if len(entries) < 2:
            continue
        for entry in entries:
            if not entry.targeted:
                continue
            others = ", ".join(other.relpath for other in entries if other is not entry)
            yield (
                entry.path,
                Diagnostic(
                    entry.id_line,
                    entry.id_column,
                    f"id {incident} is also used by {others}: give each incident its own id"
                    + (" (pmrepo new picks the next free one)" if default else ""),
                ),
            )
