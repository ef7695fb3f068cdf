"""PM706: a clearly similar earlier incident that the post-mortem does not link."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.lint.context import RepoEntry, RepoIndex, RuleContext
from postmortem_repo.lint.rules import repo_rule
from postmortem_repo.repo.corpus import load_related, org_related_index
from postmortem_repo.repo.related import Profile, RelatedIndex, linked

# Beyond this many post-mortems to judge, candidates are found through shared words.
_INDEX_WORDS_FROM = 20


@repo_rule("PM706", "related-not-linked", Severity.WARNING, needs=frozenset({"incidents"}))
def related_not_linked(index: RepoIndex, ctx: RuleContext) -> Iterator[tuple[str, Diagnostic]]:
    """An earlier incident is clearly like this one and is not in its `related` or `repeat_of`.

    Related incidents turn one post-mortem into organizational learning, and they are the
    links authors most often miss: they must remember what happened a year ago in another
    team. pmrepo compares each post-mortem with every earlier one (what they say, their
    services and root-cause tags, as `pmrepo related` does) and warns when the most
    similar one scores at least `related.threshold` (default 0.8) and is not linked. A
    DRAFT is not checked, and an uncleared security incident is never compared. Link the
    incident, or, when it is not related after all, suppress the warning where it is
    reported, in the front matter: `# pmrepo-disable-next-line PM706` above its `id:` line
    (or `<!-- pmrepo-disable-file PM706 -->` anywhere in the body).

    Bad: `related: []` in a post-mortem about the notification backlog on
    notification-service, when INC-2023-0047 was the same backlog a year before.
    Good: `related: [INC-2023-0047]` (or `repeat_of: INC-2023-0047`).

    Options: `related: {threshold: 0.8}` in the config (lower it where post-mortems have no
    services or tags, whose similarity is their wording alone).
    """
    targets = [entry for entry in index.entries if _judged(entry)]
    if not targets or ctx.root is None or not ctx.root.is_dir():
        return
    earlier = load_related(
        ctx.root,
        ctx.config,
        cache=ctx.cache,
        buffers=ctx.buffers,
        unsaved=index.unsaved(ctx.buffers),
        warn=False,
    )
    team = ""
    if ctx.config.related_org is not None:  # compared with every team's incidents
        earlier, team = org_related_index(ctx.config.related_org, earlier, ctx.root)
    if len(targets) > _INDEX_WORDS_FROM:
        earlier.index_words()
    for entry in targets:
        assert entry.incident is not None  # _judged made sure
        profile = earlier.by_relpath(entry.incident.relpath, team)
        if profile is None:
            continue
        finding = _unlinked(earlier, profile, ctx.config.related_threshold)
        if finding is not None:
            yield entry.path, Diagnostic(entry.id_line, entry.id_column, *finding)


_LOOKED_AT = 3  # suggestions PM706 looks through for one that is not linked


def _judged(entry: RepoEntry) -> bool:
    incident = entry.incident
    return entry.targeted and incident is not None and incident.status.upper() != "DRAFT"


def _unlinked(related: RelatedIndex, incident: Profile, threshold: float) -> tuple[str, str] | None:
    """(message, hint) for the strongest suggestion that scores at least the threshold and
    is not linked: linking the first does not hide a second as strong."""
    strong = [s for s in related.suggest(incident, _LOOKED_AT) if s.score >= threshold]
    best = next((s for s in strong if not linked(incident, s.incident)), None)
    if best is None:
        return None
    other = best.incident
    named = other.id if other.team == incident.team else other.name
    return (
        f"{named} ({other.title}) looks related and is not linked: "
        f"{best.reason} (score {best.score:.2f})",
        f"add {named} to related (or repeat_of), or run 'pmrepo related "
        f"{incident.id}' to see the other candidates",
    )
