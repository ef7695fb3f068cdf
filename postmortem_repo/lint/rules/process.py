"""PM7xx: process and cross-references across the repository."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.core.fixes import Edit, Fix, rewrite, safe
from postmortem_repo.core.reading import GENERATED_LIMIT, NotReadable, read_limited
from postmortem_repo.core.textpos import normalise
from postmortem_repo.core.timeparse import parse_timestamp
from postmortem_repo.lint.context import RepoIndex, RuleContext
from postmortem_repo.lint.rules import document_rule, repo_rule
from postmortem_repo.lint.rules.actions import _PLACEHOLDER
from postmortem_repo.model.document import Document
from postmortem_repo.render.markers import PlannedWrite, find_blocks
from postmortem_repo.repo.discover import display_path

if TYPE_CHECKING:
    from postmortem_repo.render.plans import Repository


def _has_block(path: Path, name: str) -> bool:
    """The file has a block of this name (a broken one counts: PM705 then says what is
    wrong); markers shown inside a code example do not."""
    if not path.exists():
        return False
    try:
        raw = read_limited(path, GENERATED_LIMIT)
    except NotReadable:
        return True  # not a regular file, or too large: PM705 says what the generator would
    if f"pmrepo:{name}:".encode() not in raw:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return True  # PM705 then names the line, as the generator's --check refuses the file
    # Newlines made universal, as a text read makes them: a file whose markers only a
    # carriage return ends has a block that the generator refuses, which PM705 then says.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return name in find_blocks(text, str(path))
    except PmrepoError:
        return True


def _first_difference(item: PlannedWrite) -> int:
    old = (item.old or "").splitlines()
    new = item.new.splitlines()
    for number, (before, after) in enumerate(zip(old, new, strict=False), start=1):
        if before != after:
            return number
    return min(len(old), len(new)) + 1


def _stale(
    plan: list[PlannedWrite], command: str, waits_for: str = ""
) -> Iterator[tuple[str, Diagnostic]]:
    """waits_for: why the block is not to be regenerated yet (no fix is offered)."""
    for item in plan:
        if item.changed:
            if item.old is None:
                message = f"generated file is missing: run '{command}'"
            else:
                message = f"generated block is out of date: run '{command}'"
            fix: Fix | None = _regenerate(item)
            if waits_for:
                message += f" once {waits_for}"
                fix = None
            line = _first_difference(item)
            yield display_path(item.path), Diagnostic(line, 1, message, fix=fix)


def _invalid_shown(repo: Repository) -> str:
    """What the index would show as a dash rather than as written (a severity the schema
    does not list), said so that the block waits for it: '' when there is none."""
    from postmortem_repo.render.escape import DASH
    from postmortem_repo.render.index import unlisted

    found = unlisted(repo.incidents, repo.severities, repo.statuses)
    if not found:
        return ""
    incident, key, value = found[0]
    also = f" (and {len(found) - 1} more such values)" if len(found) > 1 else ""
    return (
        f"{incident.id}'s {key} '{value}'{also} is fixed: the index would show a value the "
        f"schema does not list as '{DASH}'"
    )


def _regenerate(item: PlannedWrite) -> Fix:
    """What the generator would write, as the one edit between the file's text and it; for
    a file the generator would create (a per-year README), its whole text, inserted into
    a file that is not there yet (`check --fix` creates it)."""
    if item.old is None:
        return safe("Create the file", Edit(1, 1, 1, 1, normalise(item.new)))
    edit = rewrite(normalise(item.old), normalise(item.new))
    return safe("Regenerate the block", edit)


@repo_rule("PM705", "generated-out-of-date", Severity.ERROR, needs=frozenset({"incidents"}))
def generated_out_of_date(index: RepoIndex, ctx: RuleContext) -> Iterator[tuple[str, Diagnostic]]:
    """A file that `pmrepo index` or `pmrepo patterns` generates is out of date or broken.

    The README index, patterns/README.md and the pattern files are only useful when they
    are current: a new or changed post-mortem makes them stale. pmrepo checks every file
    the pmrepo-index and pmrepo-patterns hooks check (`pmrepo index --check`, `pmrepo
    patterns --check`): the root README when it has an index block (and the per-year
    READMEs with `index: {per_year: true}`), patterns/README.md when it has a patterns
    block, and every pattern file. It runs on a check of a few files too (a hook or
    `--changed` passes only the changed post-mortems, and a stale index is the
    repository's problem all the same), reading the other post-mortems from the cache
    where it can. Fix it by running the command the message names.

    Fix: safe: the block is regenerated, as the command would (`check --fix`), and a
    missing generated file (a per-year README) is created; not the
    index while a post-mortem has a severity or status the schema does not list (the index
    would show it as a dash): the finding names the value to fix first.

    Bad: a post-mortem was added and the README index still lists the old incidents.
    Good: `pmrepo index` and `pmrepo patterns` were run before the commit.
    """
    root = ctx.root
    if root is None or not root.is_dir():
        return
    # What it needs is imported here: most checks never get this far.
    from postmortem_repo.render.patterns import PATTERNS_DIR, pattern_files
    from postmortem_repo.render.plans import Repository, plan_index, plan_patterns

    readme = root / "README.md"
    patterns_readme = root / PATTERNS_DIR / "README.md"
    uses_index = _has_block(readme, "index")
    uses_patterns = bool(pattern_files(root)) or _has_block(patterns_readme, "patterns")
    if not (uses_index or uses_patterns):
        return
    repo = Repository.load(
        root,
        ctx.config,
        warn=False,
        parsed=index.parsed,
        cache=ctx.cache,
        paths=index.paths,
        unsaved=index.unsaved(ctx.buffers),
    )
    for wanted, planner, command, fallback in (
        (uses_index, plan_index, "pmrepo index", readme),
        (uses_patterns, plan_patterns, "pmrepo patterns", patterns_readme),
    ):
        if not wanted:
            continue
        waits_for = _invalid_shown(repo) if planner is plan_index else ""
        try:
            yield from _stale(planner(repo), command, waits_for)
        except PmrepoError as error:  # broken markers, a bad pattern file ...
            yield _broken(str(error), fallback)


def _broken(message: str, fallback: Path) -> tuple[str, Diagnostic]:
    """A refusal of the generators as a finding, at the file and line its message names."""
    # A check writes nothing: what a generator adds to say so does not belong here.
    message = message.removesuffix(": nothing was written")
    where, _, reason = message.partition(": ")
    path_text, _, line_text = where.partition(":")
    line = int(line_text) if line_text.isdigit() else 1
    shown = path_text if path_text else display_path(fallback)
    return shown, Diagnostic(line, 1, reason or message)


def _deadline(doc: Document) -> tuple[int, str] | None:
    """(hours, why) pmrepo's policy gives to publish this post-mortem after resolution. A
    security incident is published once security clears it: no clock runs before that."""
    data = doc.data
    if data.get("security") not in (None, False):
        return None
    if data.get("data_loss") is True:
        return 24, "data-loss"
    severity = data.get("severity")
    if severity in ("SEV1", "SEV2"):
        return 48, str(severity)
    started = parse_timestamp(data.get("started_at"))
    resolved = parse_timestamp(data.get("resolved_at"))
    long_outage = bool(started and resolved and (resolved - started).total_seconds() > 15 * 60)
    if data.get("customer_visible") is True and long_outage:
        return 48, "customer-visible (over 15 minutes)"
    if data.get("near_miss") is True:
        return 7 * 24, "near-miss"
    return None


@document_rule("PM701", "publish-late", Severity.ERROR, needs=frozenset({"git_first_commit"}))
def publish_late(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A post-mortem was published later than its deadline after resolution.

    The deadlines after resolution: data loss 24 hours; SEV1, SEV2 and a
    customer-visible outage over 15 minutes 48 hours; a near miss one week. A security
    incident is published when security clears it, so it has no deadline here. The
    publication time is `published_at`, else the time the file was first committed to git
    (never in a shallow clone, which has no true first commit). Only PUBLISHED post-mortems
    are checked, so the result never depends on today's date.

    Bad: a SEV2 resolved 2024-01-15T14:45Z with `published_at: 2024-01-19T10:00:00Z`.
    Good: `published_at: 2024-01-17T11:00:00Z` (44 hours later).
    """
    deadline = _deadline(doc)
    resolved = parse_timestamp(doc.data.get("resolved_at"))
    if doc.status != "PUBLISHED" or deadline is None or resolved is None:
        return
    published = parse_timestamp(doc.data.get("published_at"))
    source = "published_at"
    if published is None:
        published = ctx.git_dates.first_commit_time(Path(doc.path).resolve())
        source = "its first commit"
    if published is None:
        return
    hours = (published - resolved).total_seconds() / 3600
    limit, why = deadline
    if hours > limit:
        if source == "published_at":
            line, column = doc.front_matter.position(("published_at",), of_value=True)
        else:
            line, column = doc.front_matter.position(("status",), of_value=True)
        yield Diagnostic(
            line,
            column,
            f"published {hours:.0f} hours after resolution (from {source}); {why} "
            f"post-mortems are due within {limit} hours",
            "publish sooner next time: draft within 24 h, review within 36 h, publish within 48 h",
        )


@document_rule("PM702", "signoff-missing", Severity.ERROR)
def signoff_missing(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A PUBLISHED post-mortem has no completed sign-off.

    Publishing follows review: the Sign-off table records who approved it and when. At
    least one row needs a name and a date.

    Bad: `| SRE Lead | [Name] | [Date] |` in a PUBLISHED post-mortem.
    Good: `| SRE Lead | Bob Johnson | 2024-01-17 |`
    """
    if doc.status != "PUBLISHED" or doc.view_misplaced("sign_off"):
        return  # a Sign-off heading at the wrong level is PM301's: its table is not read
    rows = doc.view_rows("sign_off")
    signed = [
        line for line, row in rows if _filled(row.get("name", "")) and _filled(row.get("date", ""))
    ]
    if signed:
        return
    yield Diagnostic(
        doc.view_line("sign_off"),
        1,
        "a PUBLISHED post-mortem needs a sign-off row with a name and a date",
        "fill in the Sign-off table after the review meeting, or keep the status IN REVIEW",
    )


def _filled(value: str) -> bool:
    return bool(value.strip()) and not _PLACEHOLDER.match(value.strip())


@document_rule(
    "PM703", "related-unknown", Severity.ERROR, needs=frozenset({"repo_ids", "team_ids"})
)
def related_unknown(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """`related` or `repeat_of` names an id no post-mortem has, or the post-mortem itself.

    Links between incidents feed the repeat-incident rate and the patterns; a typo in an
    id silently breaks both. Another team's incident is named `team/INC-…` in `related` or
    `repeat_of`, where the config's `related.org` names the org.yaml that lists the teams:
    it must be in that team's repository.

    A post-mortem that names itself (its own id, or its team and id) links to no other
    incident, and is reported too, and so is a `repeat_of` naming a later incident (a later
    date, or the same date and a higher id): a repeat follows the incident it repeats, and
    the repeat rate, the reports and the site would pass the link over.

    Bad: `repeat_of: INC-2023-0074` when no post-mortem has that id; `repeat_of:
    INC-2024-0048` in INC-2024-0034, whose incident came first.
    Good: `repeat_of: INC-2023-0047`, an earlier incident that exists; `related:
    [platform/INC-2023-0001]` or `repeat_of: platform/INC-2023-0001` with `related: {org:
    ../org.yaml}` in the config; a later incident under `related`.
    """
    dates = ctx.repo_dates()
    if not dates:
        return
    dates = {**dates, **ctx.team_dates()}
    ids = frozenset(dates)
    own = doc.data.get("id")
    related = doc.data.get("related")
    targets: list[tuple[tuple[str | int, ...], object]] = []
    if isinstance(related, list):
        targets += [(("related", index), value) for index, value in enumerate(related)]
    if "repeat_of" in doc.data:
        targets.append((("repeat_of",), doc.data.get("repeat_of")))
    itself = {own, f"{ctx.own_team()}/{own}"} if ctx.config.related_org else {own}
    for path, value in targets:
        if not isinstance(value, str):
            continue
        later = path[0] == "repeat_of" and _later(doc, value, dates, ctx)
        if value in ids and value not in itself and not later:
            continue
        line, column = doc.front_matter.position(path, of_value=True)
        if later:
            yield Diagnostic(
                line,
                column,
                f"repeat_of: {value} happened on {dates[value]}, after this incident "
                f"({doc.data.get('date')}): a repeat names an earlier incident",
                "name the earlier incident this one repeats; link a later one under related "
                "(or name this one in its repeat_of)",
            )
        elif value in itself:
            message = f"{path[0]}: {value} is this post-mortem itself: name another incident"
            yield Diagnostic(line, column, message, "remove it, or name the incident meant")
        else:
            yield Diagnostic(line, column, *_unknown_link(path[0], value, ctx))


def _later(doc: Document, value: str, dates: dict[str, str | None], ctx: RuleContext) -> bool:
    """Whether the incident value names comes after this one, as repeats are ordered: a
    later date, or the same date and a higher id (another team's: both with their team)."""
    theirs, own = dates.get(value), str(doc.data.get("date") or "")[:10]
    if theirs is None or not _DAY.match(own):
        return False  # a date pmrepo cannot read is PM2xx's to report
    own_id = str(doc.data.get("id"))
    if "/" in value:
        own_id = f"{ctx.own_team()}/{own_id}"
    return (theirs, value) > (own, own_id)


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _unknown_link(key: object, value: str, ctx: RuleContext) -> tuple[str, str]:
    """(message, hint) for a link that names no incident pmrepo knows."""
    team = value.split("/", 1)[0] if "/" in value else None
    if team is None:
        return (
            f"{key}: no post-mortem in the repository has the id {value}",
            "check the id (pmrepo index lists every incident)",
        )
    org = ctx.config.related_org
    if org is None:
        return (
            f"{key}: {value} names another team's incident, and no org is known",
            "set related.org in the config to the org.yaml that lists the teams",
        )
    if not any(known.startswith(f"{team}/") for known in ctx.team_ids()):
        return (f"{key}: {org} lists no team '{team}' with post-mortems", "check the team name")
    return (
        f"{key}: no post-mortem in team {team}'s repository has the id {value.split('/', 1)[1]}",
        f"check the id (pmrepo index in {team}'s repository lists every incident)",
    )


@document_rule("PM704", "security-uncleared", Severity.ERROR)
def security_uncleared(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A security incident is PUBLISHED without `security_cleared: true`.

    Publish widely unless the post-mortem contains sensitive security
    information. A security incident is published only once security has cleared it.

    Bad: `security: true` and `status: PUBLISHED`, no `security_cleared`.
    Good: `security_cleared: true` after the security review, or status IN REVIEW.
    """
    secret = doc.data.get("security") is True and doc.data.get("security_cleared") is not True
    if secret and doc.status == "PUBLISHED":
        line, column = doc.front_matter.position(("status",), of_value=True)
        yield Diagnostic(
            line,
            column,
            "a security incident is PUBLISHED without security_cleared: true",
            "have security review it and set security_cleared: true, or keep it IN REVIEW",
        )
