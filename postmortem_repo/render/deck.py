"""`pmrepo review-deck`: the quarterly incident review as slides: Marp Markdown (a widely
used slide format: `marp deck.md` makes a PDF or PowerPoint) and a self-contained HTML deck
(one file, charts inline, no script)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from postmortem_repo.model.incident import Incident
from postmortem_repo.render.dashboard import collect
from postmortem_repo.render.escape import cell
from postmortem_repo.render.excerpts import Excerpts, plain_text
from postmortem_repo.render.index import duration, percent
from postmortem_repo.render.patterns import Pattern
from postmortem_repo.render.report import minutes
from postmortem_repo.render.site.charts import Chart, render_svg
from postmortem_repo.repo.repeats import REDUCTION_TARGET, Repeat

KEY_LESSONS = 3
MOST_ACTIONS = 12
Table = tuple[tuple[str, ...], ...]  # the header row first


@dataclass(frozen=True)
class Slide:
    title: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    table: Table = ()
    chart: Chart | None = field(default=None)


@dataclass(frozen=True)
class Review:
    """What the deck is made of; the incidents are those of the quarter that may be shown."""

    report: dict[str, object]
    incidents: list[Incident]
    excerpts: dict[str, Excerpts]
    repeats: dict[str, Repeat]
    charts: list[Chart]
    patterns: list[tuple[Pattern, int]]  # patterns seen in the quarter, with their incidents
    withheld: int
    drafts: bool = False  # whether DRAFTs are counted and shown


def slides(review: Review) -> list[Slide]:
    report = review.report
    return [
        Slide(
            f"Incident review: {report['period']}",
            (
                f"{report['from']} to {report['to']}, compared with "
                f"{_previous(report)['period']}. Action items as of {report['today']}.",
            ),
        ),
        _numbers(review),
        *(Slide(chart.title, (chart.summary,), chart=chart) for chart in review.charts),
        _incident_list(review),
        *(_incident_slide(review, incident) for incident in _major(review.incidents)),
        _actions(review),
        _patterns(review),
    ]


def _previous(report: dict[str, object]) -> dict[str, object]:
    previous = report["previous"]
    assert isinstance(previous, dict)
    return previous


def _pair(values: object) -> str:
    assert isinstance(values, dict)
    return f"{minutes(values['median'])} / {minutes(values['p90'])}"


def _numbers(review: Review) -> Slide:
    report, before = review.report, _previous(review.report)
    by_severity, before_severity = report["by_severity"], before["by_severity"]
    assert isinstance(by_severity, dict) and isinstance(before_severity, dict)
    rows = [
        ("Measure", str(report["period"]), str(before["period"])),
        ("Incidents", str(report["incidents"]), str(before["incidents"])),
        *(
            (level or "No severity", str(count), str(before_severity.get(level, 0)))
            for level, count in by_severity.items()
        ),
        ("Repeat rate", percent(report["repeat_rate"]), percent(before["repeat_rate"])),
        ("MTTD median / p90", _pair(report["mttd_minutes"]), _pair(before["mttd_minutes"])),
        ("MTTR median / p90", _pair(report["mttr_minutes"]), _pair(before["mttr_minutes"])),
    ]
    baseline = report["repeat_baseline"]
    assert isinstance(baseline, dict)
    met = report["repeat_target_met"]
    verdict = "not measurable" if met is None else "met" if met else "not met"
    target = (
        f"Repeat target ({100 * REDUCTION_TARGET:.0f}% fewer repeats than "
        f"{baseline['period']}, {percent(baseline['repeat_rate'])}): {verdict}."
    )
    notes: tuple[str, ...] = (target, _drafts_note(review.drafts))
    if review.withheld:
        notes += (
            f"{review.withheld} security incident{'s' * (review.withheld != 1)} not cleared "
            "for publication counted here, not shown.",
        )
    return Slide("In numbers", notes, table=tuple(rows))


def _drafts_note(drafts: bool) -> str:
    """Whether the numbers count DRAFTs, said where they are (the site says it too)."""
    if drafts:
        return "DRAFT post-mortems are counted and shown."
    return "DRAFT post-mortems are not counted (--include-drafts counts them)."


def _incident_list(review: Review) -> Slide:
    rows: list[tuple[str, ...]] = [("Incident", "Title", "Severity", "Duration", "Repeat of")]
    for incident in sorted(review.incidents, key=lambda i: i.sort_key):
        repeat = review.repeats.get(incident.id)
        rows.append(
            (
                incident.id,
                incident.title,
                incident.severity or "—",
                duration(incident.duration),
                repeat.earlier if repeat is not None else "—",
            )
        )
    if len(rows) == 1:
        return Slide("The quarter's incidents", ("No incident to show.",))
    return Slide("The quarter's incidents", table=tuple(rows))


def _major(incidents: list[Incident]) -> list[Incident]:
    return [
        i for i in sorted(incidents, key=lambda i: i.sort_key) if i.severity in ("SEV1", "SEV2")
    ]


def _incident_slide(review: Review, incident: Incident) -> Slide:
    found = review.excerpts[incident.id]
    paragraphs = [
        f"{incident.severity}, {incident.date.isoformat()}, lasted {duration(incident.duration)}.",
        found.summary or "No summary written.",
    ]
    if found.root_cause:
        paragraphs.append(f"Root cause: {found.root_cause}")
    return Slide(
        f"{incident.id}: {incident.title}",
        tuple(paragraphs),
        bullets=found.lessons[:KEY_LESSONS],
    )


def _actions(review: Review) -> Slide:
    health = review.report["action_items"]
    assert isinstance(health, dict)
    rows: list[tuple[str, ...]] = [("Priority", "Done", "Won't do", "Open", "Overdue")]
    rows += [
        (priority, str(row["done"]), str(row["won't do"]), str(row["open"]), str(row["overdue"]))
        for priority, row in health.items()
    ]
    open_urgent = [
        action
        for action in collect(review.incidents)
        if not action.closed and action.priority in ("P0", "P1")
    ]
    bullets = tuple(
        f"{action.incident} {action.priority}: {plain_text(action.action)} "
        f"({action.owner or 'no owner'}, due "
        f"{action.due.isoformat() if action.due else action.due_text or 'not given'})"
        for action in open_urgent[:MOST_ACTIONS]
    )
    more = len(open_urgent) - len(bullets)
    notes: tuple[str, ...] = ("Open P0 and P1 items:",) if bullets else ("No open P0 or P1 item.",)
    if more > 0:
        bullets += (f"and {more} more (pmrepo actions lists them all)",)
    return Slide("Action items", notes, bullets=bullets, table=tuple(rows) if health else ())


def _patterns(review: Review) -> Slide:
    if not review.patterns:
        return Slide("Patterns", ("No pattern seen this quarter.",))
    return Slide(
        "Patterns",
        ("Recurring causes seen this quarter:",),
        bullets=tuple(
            f"{pattern.id} {pattern.title}: {count} incident{'s' * (count != 1)}"
            for pattern, count in review.patterns
        ),
    )


def render_marp(review: Review) -> str:
    """Marp Markdown: front matter, then one slide per `---`; charts as SVG data URIs."""
    front = (
        f"---\nmarp: true\npaginate: true\ntitle: Incident review {review.report['period']}\n---"
    )
    # The front matter's closing line is no slide break: the first slide follows it.
    body = "\n\n---\n\n".join(_marp_slide(slide) for slide in slides(review))
    return f"{front}\n\n{body}\n"


def _marp_slide(slide: Slide) -> str:
    lines = [f"## {cell(slide.title)}", ""]
    if slide.chart is not None:
        svg = base64.b64encode(render_svg(slide.chart).encode("utf-8")).decode("ascii")
        lines += [f"![{cell(slide.chart.summary)}](data:image/svg+xml;base64,{svg})", ""]
        lines += _marp_table(
            tuple(tuple(row) for row in [slide.chart.headers, *slide.chart.rows()])
        )
        return "\n".join(lines).rstrip()
    lines += [part for paragraph in slide.paragraphs for part in (cell(paragraph), "")]
    lines += [f"- {cell(bullet)}" for bullet in slide.bullets]
    if slide.bullets:
        lines.append("")
    lines += _marp_table(slide.table)
    return "\n".join(lines).rstrip()


def _marp_table(table: Table) -> list[str]:
    if not table:
        return []
    header, *rows = table
    lines = ["| " + " | ".join(cell(text) for text in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(cell(text) for text in row) + " |" for row in rows]
    return lines


def render_html(review: Review) -> str:
    """One HTML file: every slide a page (print it to PDF), charts inline."""
    from postmortem_repo.render.site.pages import environment

    return (
        environment()
        .get_template("deck.html")
        .render(title=f"Incident review: {review.report['period']}", slides=slides(review))
    )
