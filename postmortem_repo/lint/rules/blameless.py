"""PM4xx: blameless language — hindsight, people named as causes, judgement, "human error",
actions aimed at a person.

pmrepo's first blameless policy: never name individuals as causes; describe how the system allowed
the mistake. Every finding points at the phrase and carries a rewrite in that voice, taken
from pmrepo's reframing table.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.lint.blameless import learned
from postmortem_repo.lint.blameless.detectors import Hit, detect, raised_to_turn
from postmortem_repo.lint.blameless.prose import ProseUnit, prose_units
from postmortem_repo.lint.blameless.scan import Spans
from postmortem_repo.lint.blameless.sentences import may_blame, sentences, trigger_spans
from postmortem_repo.lint.context import RuleContext
from postmortem_repo.lint.rules import document_rule, matches
from postmortem_repo.model.document import Document
from postmortem_repo.model.people import People, systems_introduced
from postmortem_repo.model.sections import normalise_heading
from postmortem_repo.repo.config import BlamelessConfig

_HINTS = {
    "hindsight": (
        "say what the system allowed, not what someone should have done: 'the deploy "
        "checklist has no step that checks the pool size' rather than 'the pool size should "
        "have been checked'"
    ),
    "if-only": "describe the safeguard that was missing rather than wishing the past away",
    "automation": (
        "name the step that did not happen automatically: 'The deployment process did not "
        "automatically validate that configuration matched the deployed code version.'"
    ),
    "interface": (
        "name what made the action easy to get wrong: 'The admin panel had no confirmation "
        "dialog for destructive actions, and the delete button looked like disable.'"
    ),
    "knowledge": (
        "name the gap in runbooks, docs or training: 'The runbook for this alert was "
        "outdated and did not cover the current failure mode.'"
    ),
    "process": (
        "say why the process was bypassed: 'The change management process was bypassed "
        "because it added 4 hours of delay, and engineers felt pressure to deploy quickly.'"
    ),
    "process-passive": (
        "say why following it was hard or skipped, and what would make it unnecessary: "
        "'The release process needs a manual CDN step that nothing reminds or checks.'"
    ),
    "agent": (
        "describe the change and the safeguard that was missing, not who made it: 'The CI "
        "pipeline does not include a pre-deploy health check for database capacity.'"
    ),
    "judgement": (
        "drop the judgement and describe the conditions that made the mistake easy: time "
        "pressure, missing guardrails, confusing tooling"
    ),
    "human-error": (
        "ask why the system allowed the error and name that as the cause: the missing "
        "validation, confirmation, guardrail or automation"
    ),
    "person": (
        "change the system so the slip is impossible or harmless (a guard, a confirmation, "
        "an automated check) instead of retraining, restricting or sanctioning a person"
    ),
    "try-harder": (
        "name the system change that makes care unnecessary: 'Add a confirmation prompt that "
        "shows the target environment' rather than 'be more careful'"
    ),
    "extra": "this phrase is on the team's list to avoid (blameless.extra in the config)",
}


# What the learned reading says a sentence reads as, and the hint it gives, by rule.
LEARNED = "learned"
_LEARNED_READS_AS = {
    "PM401": ("hindsight about what a person should have done", "hindsight"),
    "PM402": ("a person named as the cause", "agent"),
    "PM403": ("a judgement of a person", "judgement"),
    "PM404": ("a person's error given as the cause", "human-error"),
    "PM405": ("an action aimed at a person, not the system", "person"),
}
_CODES = tuple(_LEARNED_READS_AS)


def _hint(code: str, hit: Hit) -> str:
    return _HINTS[_LEARNED_READS_AS[code][1] if hit.kind == LEARNED else hit.kind]


def _message(code: str, hit: Hit) -> str:
    if hit.kind == LEARNED:
        return f"reads as {_LEARNED_READS_AS[code][0]}: '{hit.phrase}'"
    if hit.kind == "extra":
        return f"'{hit.phrase}' is on the list of phrases to avoid"
    if code == "PM401":
        return f"hindsight counterfactual '{hit.phrase}'"
    if code == "PM402" and hit.kind == "process-passive":
        did_not = "follow it" if "follow" in hit.phrase or "respect" in hit.phrase else "act"
        return f"'{hit.phrase}' leaves the cause with whoever did not {did_not}"
    if code == "PM402":
        words = [word.lower() for word in hit.phrase.split()[:4]]
        first = words[0] if words else ""
        who = "the team is" if first in ("we", "our", "us") else "a person is"
        if who == "a person is" and any(word in ("team", "teams") for word in words):
            who = "a team is"
        return f"{who} named as the cause: '{hit.phrase}'"
    if code == "PM403":
        return f"judgement word '{hit.phrase}' about people"
    if code == "PM405":
        return f"an action aimed at a person, not the system: '{hit.phrase}'"
    return f"'{hit.phrase}' given as a cause"


def _document_people(doc: Document, ctx: RuleContext) -> People:
    """The repository's people plus everyone this document names as a matter of record."""
    people = ctx.repo_people().copy()
    for key in ("author", "authors", "reviewers", "owner", "incident_commander"):
        value = doc.data.get(key)
        people.add_people(value if isinstance(value, list) else [value])
    people.add_people(item.owner for item in doc.action_items)
    # The Timeline table's actors; the whole timeline reader is not needed for a column.
    people.add_people(cells.get("source", "") for _, cells in doc.view_rows("timeline"))
    people.add_people(row.get("name", "") for _, row in doc.view_rows("sign_off"))
    services = doc.data.get("services")
    if isinstance(services, list):
        people.add_systems(services)
    people.add_systems(systems_introduced(doc.text))
    return people


def _skipped(section: str, settings: BlamelessConfig) -> tuple[str, ...]:
    """Codes switched off in this section: a setting for a section covers its subsections."""
    if not settings.skip_sections:
        return ()
    parts = {normalise_heading(part) for part in section.split(" / ")}
    parts.add(normalise_heading(section))
    codes: list[str] = []
    for name, skipped in settings.skip_sections.items():
        if normalise_heading(name) in parts:
            codes.extend(skipped)
    return tuple(codes)


def _phrase_spans(text: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    any_phrase, patterns = _phrase_patterns(phrases)
    if any_phrase.search(text) is None:
        return []  # most units hold none of the phrases: one scan says so
    spans: list[tuple[int, int]] = []
    for pattern in patterns:
        spans.extend(m.span() for m in pattern.finditer(text))
    return spans


_PhrasePatterns = tuple[re.Pattern[str], tuple[re.Pattern[str], ...]]


@functools.lru_cache(maxsize=64)
def _phrase_patterns(phrases: tuple[str, ...]) -> _PhrasePatterns:
    """The config's phrases compiled once per run (compiled at each use, a list longer than
    re's own cache of 512 patterns was compiled again for every prose unit), and one
    pattern that matches where any of them does."""
    bodies = [r"\s+".join(map(re.escape, phrase.split())) for phrase in phrases]
    return (
        re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)", re.IGNORECASE),
        tuple(re.compile(r"(?<!\w)" + body + r"(?!\w)", re.IGNORECASE) for body in bodies),
    )


def _unit_hits(
    code: str, unit: ProseUnit, spans: Spans, people: People, settings: BlamelessConfig
) -> list[Hit]:
    hits = [hit for hit in detect(code, unit, spans, people) if not raised_to_turn(unit.text, hit)]
    extra = settings.extra.get(code, ())
    if extra:
        hits += [
            Hit(code, start, end, " ".join(unit.text[start:end].split()), "extra")
            for start, end in _phrase_spans(unit.text, extra)
        ]
    if not hits:
        return hits
    allowed = _phrase_spans(unit.text, settings.allow) if settings.allow else []
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if any(start < hit.end and hit.start < end for start, end in allowed):
            continue
        # One finding per phrase: a later hit inside an earlier one says the same thing.
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


def _prepared(doc: Document, settings: BlamelessConfig) -> list[tuple[ProseUnit, dict[str, Spans]]]:
    """The units worth reading, with the sentences each detector reads in them. Phrases
    from the config can be anywhere: with any, every unit is kept."""
    everything = any(settings.extra.values())
    keep = (lambda text: True) if everything else may_blame
    return [(unit, trigger_spans(unit, sentences(unit.text))) for unit in prose_units(doc, keep)]


UnitHits = list[tuple[ProseUnit, Hit]]


def _hits(code: str, doc: Document, ctx: RuleContext) -> UnitHits:
    """A rule's hits: its detector's, then, when the learned reading is on, the sentences
    it reads as this rule's blame where no detector found anything."""
    found = _detected(code, doc, ctx)
    if not ctx.config.blameless.learned:
        return found
    return found + ctx.memo(doc, "blame-learned", lambda: _learned_by_code(doc, ctx))[code]


def _detected(code: str, doc: Document, ctx: RuleContext) -> UnitHits:
    """One detector's hits, read once per document (the learned reading asks for them all)."""

    def read() -> UnitHits:
        settings = ctx.config.blameless
        people = _people(doc, ctx)
        extra = bool(settings.extra.get(code))
        return [
            (unit, hit)
            for unit, by_code in _units(doc, ctx)
            if code in by_code or extra
            for hit in _unit_hits(code, unit, by_code.get(code, []), people, settings)
        ]

    return ctx.memo(doc, f"blame-{code}", read)


def _learned_by_code(doc: Document, ctx: RuleContext) -> dict[str, UnitHits]:
    detected: dict[int, list[Hit]] = {}
    for code in _CODES:
        for unit, hit in _detected(code, doc, ctx):
            detected.setdefault(id(unit), []).append(hit)
    found: dict[str, UnitHits] = {code: [] for code in _CODES}
    words_read: dict[str, str] = {}
    people = _people(doc, ctx)
    for unit, by_code in _units(doc, ctx):
        unit_hits = detected.get(id(unit), [])
        read = sorted({span for spans in by_code.values() for span in spans})
        for hit in _learned_hits(unit, read, unit_hits, people, ctx.config.blameless, words_read):
            found[hit.code].append((unit, hit))
    return found


def _units(doc: Document, ctx: RuleContext) -> list[tuple[ProseUnit, dict[str, Spans]]]:
    return ctx.memo(doc, "prose", lambda: _prepared(doc, ctx.config.blameless))


def _people(doc: Document, ctx: RuleContext) -> People:
    return ctx.memo(doc, "people", lambda: _document_people(doc, ctx))


def _learned_hits(
    unit: ProseUnit,
    read: Spans,
    detected: list[Hit],
    people: People,
    settings: BlamelessConfig,
    words_read: dict[str, str],
) -> list[Hit]:
    """The learned reading of the sentences some detector read (those with one of their
    trigger words) and found nothing in."""
    allowed = _phrase_spans(unit.text, settings.allow) if settings.allow else []
    hits: list[Hit] = []
    for start, end in read:
        if any(start < other.end and other.start < end for other in detected):
            continue
        if any(start < finish and begin < end for begin, finish in allowed):
            continue
        reading = learned.read(unit.text, start, end, unit.section, people, words_read)
        if reading is None:
            continue
        phrase = " ".join(unit.text[reading.start : reading.end].split())
        hit = Hit(reading.code, reading.start, reading.end, phrase, LEARNED)
        if not raised_to_turn(unit.text, hit):
            hits.append(hit)
    return hits


def _diagnostics(code: str, doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    settings = ctx.config.blameless
    for unit, hit in _hits(code, doc, ctx):
        if settings.skip_sections and matches(code, _skipped(unit.section, settings)) >= 0:
            continue
        line, column = unit.position(hit.start)
        end_line, last_column = unit.position(hit.end - 1)
        yield Diagnostic(
            line, column, _message(code, hit), _hint(code, hit), end_line, last_column + 1
        )


@document_rule("PM401", "blame-counterfactual", Severity.ERROR, needs=frozenset({"repo_people"}))
def blame_counterfactual(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """Hindsight counterfactuals: "should have" + participle, "if only", "could have" for people.

    Hindsight judges a decision by an outcome nobody had at the time, and teaches nothing
    about the system. Requirements on a system ("the pool should have a query timeout"),
    impact counterfactuals ("MTTR would have been longer") and anything under Where We Got
    Lucky, in quotes or in code are not findings.

    Bad: `The on-call engineer should have checked the connection pool before deploying.`
    Good: `The deploy checklist has no step that checks connection-pool headroom.`

    Fix: none: a person rewrites the sentence; the finding's hint says how.
    """
    return _diagnostics("PM401", doc, ctx)


@document_rule("PM402", "blame-individual", Severity.ERROR, needs=frozenset({"repo_people"}))
def blame_individual(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A person, or a role or team standing for one, is named as the cause of the failure.

    Never name individuals as causes: name the process gap, the tooling deficiency or the
    missing automation that allowed the action. People are known from the repository
    (authors, reviewers, action-item owners, timeline actors, sign-off), from the config's
    `people:`, and by a first-name list; `not_people:` and the document's services are
    systems. A name in a Timeline actor column, in Sign-off or as an owner is a fact, not
    a finding; in Root Cause Analysis a person named as the doer of the change always is.

    pmrepo's reframing table (flagged on the left, the rewrite on the right):

    | Blame-oriented | System-oriented |
    |---|---|
    | Alice forgot to update the config after the deployment. | The deployment process did not automatically validate that configuration matched the deployed code version. |
    | Bob was tired and clicked the wrong button in the admin panel. | The admin panel had no confirmation dialog for destructive actions, and the 'delete' button was visually similar to 'disable'. |
    | The on-call engineer didn't know how to handle the alert. | The runbook for this alert was outdated (last updated 8 months ago) and did not cover the current failure mode. |
    | Charlie didn't check the database connection pool before deploying. | The CI pipeline does not include a pre-deploy health check for database connection capacity. |
    | The team didn't follow the change management process. | The change management process was bypassed because it added 4 hours of delay, and engineers felt pressure to deploy quickly. |

    Bad: `Alice forgot to update the config after the deployment.`
    Good: `The deployment process did not automatically validate the configuration.`

    Fix: none: a person rewrites the sentence; the finding's hint says how.
    """  # noqa: E501
    return _diagnostics("PM402", doc, ctx)


@document_rule("PM403", "blame-judgement", Severity.ERROR, needs=frozenset({"repo_people"}))
def blame_judgement(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """Judgement words about people: careless, negligent, sloppy, dropped the ball, to blame.

    Judgement makes people hide what they did, and the organisation stops learning.
    Technical uses ("lazy loading", "fault domain") and rejections ("no one is to blame")
    are not findings.

    Bad: `A careless engineer dropped the ball on the certificate renewal.`
    Good: `Certificate renewal was a manual calendar reminder with no alert before expiry.`

    Fix: none: a person rewrites the sentence; the finding's hint says how.
    """
    return _diagnostics("PM403", doc, ctx)


@document_rule("PM404", "blame-human-error", Severity.ERROR, needs=frozenset({"repo_people"}))
def blame_human_error(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """ "Human error", "operator error" or "user error" given as a cause.

    "Human error" is where an investigation should start, not where it ends: ask why the
    system made the error possible and easy. Metrics ("user error rate") and rejections
    ("this was not human error") are not findings.

    Bad: `Root cause: human error during the manual failover.`
    Good: `Root cause: the manual failover runbook has no check that the replica is in sync.`

    Fix: none: a person rewrites the sentence; the finding's hint says how.
    """
    return _diagnostics("PM404", doc, ctx)


@document_rule("PM405", "person-targeted-action", Severity.ERROR, needs=frozenset({"repo_people"}))
def person_targeted_action(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """An action aimed at a person rather than the system: retraining, sanctions, "be careful".

    Retraining, supervising or restricting someone, a warning or a performance note, and
    asking people to be more careful are actions on a person. An action item changes the
    system so the same slip cannot happen again or does no harm; acting on the person who
    slipped leaves the system as it was, teaches everyone else to hide their mistakes, and
    the next person slips the same way. Training that changes how everyone works (an
    onboarding drill, a runbook exercise) is not a finding; neither is a sentence that sets
    the action aside ("no disciplinary action", "rather than asking people to be careful").

    Bad: `Sven to complete database safety retraining before his access is restored.`
    Good: `Require a second approver in the migration tool for statements without a WHERE clause.`

    Fix: none: a person rewrites the sentence; the finding's hint says how.
    """
    return _diagnostics("PM405", doc, ctx)
