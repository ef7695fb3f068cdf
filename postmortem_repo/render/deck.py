"""`pmrepo review-deck`: the quarterly incident review as slides: Marp Markdown (a widely
used slide format: `marp deck.md` makes a PDF or PowerPoint) and a self-contained HTML deck
(one file, charts inline, no script).

Marp shows an image only from a file or a URL (its Markdown parser refuses
data:image/svg+xml, and raw HTML such as an inline <svg> is off by default), so the Marp
deck's charts are SVG files written beside it. Every slide fits a 16:9 page: long text is
cut, and a long table or list goes on over more slides."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
# What fits on a 16:9 slide at the deck's font sizes.
TABLE_ROWS = 9  # rows under the header
BULLETS = 6
TEXT_LIMIT = 360  # characters of a paragraph
BULLET_LIMIT = 160
ELLIPSIS = "…"
# Marp's global style: smaller type than its default theme's, so a slide holds a table.
MARP_STYLE = (
    "style: |\n"
    "  section { font-size: 22px; }\n"
    "  table { font-size: 17px; }\n"
    "  h2 { font-size: 34px; }"
)
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
    """Every slide of the deck, each short enough for its page."""
    return [page for slide in _slides(review) for page in _fit(slide)]


def _slides(review: Review) -> list[Slide]:
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
        *_actions(review),
        _patterns(review),
    ]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def _fit(slide: Slide) -> list[Slide]:
    """The slide as one page or more: paragraphs and bullets cut short, a table of more than
    TABLE_ROWS rows or more than BULLETS bullets carried on to the next page."""
    if slide.chart is not None:
        return [slide]
    paragraphs = tuple(_cut(paragraph, TEXT_LIMIT) for paragraph in slide.paragraphs)
    bullets = tuple(_cut(bullet, BULLET_LIMIT) for bullet in slide.bullets)
    header, rows = (slide.table[0], slide.table[1:]) if slide.table else ((), ())
    row_pages = [rows[i : i + TABLE_ROWS] for i in range(0, len(rows), TABLE_ROWS)] or [()]
    bullet_pages = [bullets[i : i + BULLETS] for i in range(0, len(bullets), BULLETS)] or [()]
    pages = [
        replace(slide, paragraphs=paragraphs, bullets=chunk, table=()) for chunk in bullet_pages
    ]
    pages[-1] = replace(pages[-1], table=(header, *row_pages[0]) if header else ())
    pages += [
        Slide(f"{slide.title} (continued)", table=(header, *chunk)) for chunk in row_pages[1:]
    ]
    for index in range(1, len(bullet_pages)):
        pages[index] = replace(pages[index], title=f"{slide.title} (continued)", paragraphs=())
    return pages


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
            f"for publication counted here (not {'their' if review.withheld != 1 else 'its'} "
            "action items), not shown.",
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


def _actions(review: Review) -> list[Slide]:
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
    if more > 0:
        bullets += (f"and {more} more (pmrepo actions lists them all)",)
    health_slide = Slide("Action items", table=tuple(rows) if health else ())
    if not bullets:
        return [replace(health_slide, paragraphs=("No open P0 or P1 item.",))]
    return [health_slide, Slide("Open P0 and P1 action items", bullets=bullets)]


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


def chart_files(review: Review) -> list[tuple[str, str]]:
    """(file name, SVG) of each chart, for the folder a Marp deck names (charts_folder)."""
    return [(f"{chart.slug}.svg", render_svg(chart)) for chart in review.charts]


def render_marp(review: Review, charts_folder: str | None = None) -> str:
    """Marp Markdown: front matter, then one slide per `---`. charts_folder: the folder,
    relative to the deck, holding chart_files(review); None: a chart slide gives its numbers
    only, and says how to get the chart."""
    front = (
        f"---\nmarp: true\npaginate: true\ntitle: Incident review {review.report['period']}"
        f"\n{MARP_STYLE}\n---"
    )
    # The front matter's closing line is no slide break: the first slide follows it.
    body = "\n\n---\n\n".join(_marp_slide(slide, charts_folder) for slide in slides(review))
    return f"{front}\n\n{body}\n"


def _marp_slide(slide: Slide, charts_folder: str | None) -> str:
    lines = [f"## {cell(slide.title)}", ""]
    if slide.chart is not None:
        chart = slide.chart
        if charts_folder is None:
            lines += ["The chart is drawn when the deck is written to a file (--output).", ""]
        else:
            # A split background: the chart on the right, its numbers beside it on the left;
            # Marp gives the image's description to screen readers.
            lines += [
                f"![bg right:55% fit {cell(chart.summary)}]({charts_folder}/{chart.slug}.svg)",
                "",
            ]
        lines += _marp_table(tuple(tuple(row) for row in [chart.headers, *chart.rows()]))
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
