"""`pmrepo site`: every page of the static site, rendered with Jinja2 templates (HTML
autoescaping on) from the incidents, their post-mortems and the pattern files.

Pages link to each other by relative paths only and load nothing from elsewhere: the site
opens from file:// and on a network without the internet. The same repository and the same
day give the same bytes."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from postmortem_repo.model.incident import Incident
from postmortem_repo.model.sections import SectionsSpec
from postmortem_repo.render import dashboard, report
from postmortem_repo.render.escape import visible_text
from postmortem_repo.render.excerpts import (
    EMPTY,
    Excerpts,
    excerpts_of,
    parse_body,
    split_front_matter,
)
from postmortem_repo.render.index import duration, percent
from postmortem_repo.render.markers import MarkerError, replace_blocks
from postmortem_repo.render.patterns import PATTERN_BLOCK, Pattern, render_pattern
from postmortem_repo.render.site.catalogue import Catalogue, incident_page, pattern_page
from postmortem_repo.render.site.charts import Chart, render_svg
from postmortem_repo.render.site.figures import figures
from postmortem_repo.render.site.markdown import render_markdown, render_tokens
from postmortem_repo.render.teams import team_of
from postmortem_repo.repo.repeats import (
    REDUCTION_TARGET,
    quarterly,
    same_quarter_last_year,
)

ASSETS = ("style.css", "site.js")
LATEST = 10

# A post-mortem's text by its incident (None: it can no longer be read).
ReadText = Callable[[Incident], str | None]


@dataclass(frozen=True)
class SiteSources:
    catalogue: Catalogue
    read: ReadText
    patterns: dict[str, str]  # pattern id → the pattern file's text
    spec: SectionsSpec
    severities: list[str]
    statuses: list[str]


@cache  # one per process: loading and compiling the templates costs more than a page
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("postmortem_repo.render.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_visible,
    )
    # Markup() below marks HTML that pmrepo built with every field escaped (the SVG charts,
    # the Markdown renderer's output, the JSON index): Jinja does not escape it twice.
    env.globals.update(
        incident_page=incident_page,
        pattern_page=pattern_page,
        duration=duration,
        percent=percent,
        minutes=report.minutes,
        team_of=team_of,
        svg=lambda chart: Markup(render_svg(chart)),
    )
    return env


def _visible(value: object) -> object:
    """What a page shows of a value: no control character or bidi override (a title with
    ESC or U+202E in it), whether it is text to escape or HTML pmrepo built."""
    if isinstance(value, Markup):
        return Markup(visible_text(str(value)))
    return visible_text(value) if isinstance(value, str) else value


# Renders the incident pages of a list of incidents: (page, excerpts) of each, in order.
RenderMany = Callable[[list[Incident]], Iterator[tuple[str, Excerpts]]]


def build_pages(
    sources: SiteSources, render_many: RenderMany | None = None
) -> Iterator[tuple[str, str]]:
    """(path inside the site, content) of every page, incident pages first. render_many
    renders the incident pages (default: one after the other, here)."""
    catalogue = sources.catalogue
    newest_first = list(reversed(catalogue.shown))
    rendered: Iterator[tuple[str, Excerpts]]
    if render_many is None:
        rendered = (render_incident(sources, incident) for incident in newest_first)
    else:
        rendered = render_many(newest_first)
    excerpts: dict[str, Excerpts] = {}
    for incident, (page, found) in zip(newest_first, rendered, strict=True):
        excerpts[incident.id] = found
        yield incident_page(incident.id), page
    env = environment()
    charts = figures(catalogue.counted, catalogue.repeats, sources.severities)
    for path, page, team in _summary_pages(env, sources, excerpts, charts):
        yield path, catalogue.scrub(page, team)
    for name in ASSETS:
        asset = files("postmortem_repo.render.site").joinpath(f"assets/{name}")
        yield f"assets/{name}", asset.read_text(encoding="utf-8")


def render_incident(sources: SiteSources, incident: Incident) -> tuple[str, Excerpts]:
    """An incident's page, with what it withholds taken out, and its excerpts."""
    catalogue = sources.catalogue
    page, found = _incident_page(environment(), sources, incident)
    team = catalogue.team(incident)
    return catalogue.scrub(page, team), catalogue.scrub_excerpts(found, team)


# (path inside the site, content, the team whose page it is: None for a page of every team's)
Pages = Iterator[tuple[str, str, str | None]]


def _summary_pages(
    env: Environment, sources: SiteSources, excerpts: dict[str, Excerpts], charts: list[Chart]
) -> Pages:
    catalogue = sources.catalogue
    today = catalogue.options.today
    newest_first = list(reversed(catalogue.shown))
    common = _common(sources)
    yield (
        "index.html",
        env.get_template("home.html").render(
            **common,
            base="",
            home=_home(catalogue, sources.severities),
            latest=[(incident, excerpts[incident.id]) for incident in newest_first[:LATEST]],
            charts=charts,
        ),
        None,
    )
    yield (
        "incidents.html",
        env.get_template("incidents.html").render(
            **common,
            base="",
            incidents=newest_first,
            filters=_filters(catalogue.shown, sources),
            index_json=Markup(_index_json(newest_first, excerpts, catalogue)),
        ),
        None,
    )
    actions = dashboard.collect(catalogue.shown)
    yield (
        "actions.html",
        env.get_template("actions.html").render(**common, base="", board=_board(actions, today)),
        None,
    )
    yield from _pattern_pages(env, sources, common)
    yield from _report_pages(env, sources, common, charts)


def _common(sources: SiteSources) -> dict[str, Any]:
    return {
        "today": sources.catalogue.options.today,
        "drafts": sources.catalogue.options.include_drafts,
        "withheld": len(sources.catalogue.withheld),
        "teams": bool(sources.catalogue.options.teams),
    }


def _incident_page(
    env: Environment, sources: SiteSources, incident: Incident
) -> tuple[str, Excerpts]:
    catalogue = sources.catalogue
    text = sources.read(incident)
    body, found = Markup(""), EMPTY
    data: dict[str, object] = {}
    if text is not None:
        data, source = split_front_matter(text)
        tokens = parse_body(source)
        found = excerpts_of(tokens, sources.spec)
        page_of = _from_folder(catalogue, "../")
        body = Markup(render_tokens(tokens, incident.relpath, page_of))
    today = catalogue.options.today
    page = env.get_template("incident.html").render(
        **_common(sources),
        base="../",
        incident=incident,
        team=catalogue.team(incident) or "",
        author=_text(data.get("author")),
        reviewers=_texts(data.get("reviewers")),
        body=body,
        readable=text is not None,
        actions=[(action, action.overdue_days(today)) for action in dashboard.collect([incident])],
        related=catalogue.related(incident),
        repeat_of=catalogue.repeat_of(incident),
        repeated_by=catalogue.repeated_by(incident),
        patterns=catalogue.patterns_of(incident),
    )
    return page, found


def _from_folder(catalogue: Catalogue, up: str) -> Callable[[str], str | None]:
    def page_of(relpath: str) -> str | None:
        page = catalogue.page_of(relpath)
        return up + page if page is not None else None

    return page_of


def _text(value: object) -> str:
    return str(value) if isinstance(value, str | int | float) and value != "" else ""


def _texts(value: object) -> list[str]:
    if isinstance(value, list):
        return [text for item in value if (text := _text(item))]
    return [text] if (text := _text(value)) else []


def _home(catalogue: Catalogue, severities: list[str]) -> dict[str, Any]:
    counted, today = catalogue.counted, catalogue.options.today
    by_severity = Counter(incident.severity for incident in counted)
    listed = Counter(incident.severity for incident in catalogue.shown)
    order = [level for level in severities if level in by_severity]
    order += sorted(set(by_severity) - set(order))
    actions = [action for action in dashboard.collect(catalogue.shown) if not action.closed]
    overdue = [action for action in actions if action.overdue_days(today)]
    return {
        "incidents": len(counted),
        # (severity, incidents counted, incidents the list shows: not the withheld ones)
        "by_severity": [(level, by_severity[level], listed[level]) for level in order],
        "open_actions": len(actions),
        "overdue_actions": len(overdue),
        "overdue_p0": sum(1 for action in overdue if action.priority == "P0"),
        "repeats": _repeat_headline(catalogue),
        "target": f"{100 * REDUCTION_TARGET:.0f}%",
    }


def _repeat_headline(catalogue: Catalogue) -> dict[str, Any] | None:
    """The newest quarter's repeat rate against the same quarter a year before."""
    stats = quarterly(catalogue.counted, catalogue.repeats)
    current = next((quarter for quarter in reversed(stats) if quarter.total), None)
    if current is None:
        return None
    before = same_quarter_last_year(stats, current)
    rate_before = before.rate if before is not None else None
    goal = None if rate_before is None else rate_before * (1 - REDUCTION_TARGET)
    met = None if goal is None or current.rate is None else current.rate <= goal
    return {
        "quarter": current.label,
        "rate": current.rate,
        "repeats": current.repeats,
        "total": current.total,
        "before": rate_before,
        "goal": goal,
        "met": met,
    }


def _filters(incidents: list[Incident], sources: SiteSources) -> dict[str, list[str]]:
    def ordered(values: set[str], known: list[str]) -> list[str]:
        return [v for v in known if v in values] + sorted(values - set(known))

    return {
        "team": list(sources.catalogue.options.teams),
        "year": sorted({str(i.date.year) for i in incidents}, reverse=True),
        "quarter": [f"Q{n}" for n in range(1, 5)],
        "severity": ordered({i.severity for i in incidents if i.severity}, sources.severities),
        "status": ordered({i.status for i in incidents if i.status}, sources.statuses),
        "service": sorted({s for i in incidents for s in i.services}, key=str.casefold),
        "tag": sorted({t for i in incidents for t in i.tags}, key=str.casefold),
    }


def _index_json(
    incidents: list[Incident], excerpts: dict[str, Excerpts], catalogue: Catalogue
) -> str:
    """The search index the list page's script filters by, safe inside a <script>."""
    entries = [
        _teamed(catalogue, incident)
        | {
            "id": incident.id,
            "title": incident.title,
            "summary": excerpts[incident.id].summary,
            "year": str(incident.date.year),
            "quarter": f"Q{incident.quarter[1]}",
            "severity": incident.severity,
            "status": incident.status,
            "service": list(incident.services),
            "tag": list(incident.tags),
        }
        for incident in incidents
    ]
    text = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _teamed(catalogue: Catalogue, incident: Incident) -> dict[str, object]:
    """The entry's team, on a site of several teams."""
    team = catalogue.team(incident)
    return {} if team is None else {"team": team}


def _board(actions: list[dashboard.Action], today: dt.date) -> dict[str, Any]:
    open_items = dashboard.select(actions, dashboard.Filters(), today)
    owners: dict[str, list[int]] = {}
    for action in open_items:
        row = owners.setdefault(action.owner or "(no owner)", [0, 0])
        row[0] += 1
        row[1] += bool(action.overdue_days(today))
    statuses = Counter(action.status or "(no status)" for action in actions)
    return {
        "groups": [
            (key, [(action, action.overdue_days(today)) for action in members])
            for key, members in dashboard.group(open_items, "priority")
        ],
        "owners": sorted(owners.items(), key=lambda item: item[0].casefold()),
        "statuses": sorted(statuses.items()),
        "closed": sum(1 for action in actions if action.closed),
    }


def _pattern_pages(env: Environment, sources: SiteSources, common: dict[str, Any]) -> Pages:
    catalogue = sources.catalogue
    listed = [(pattern, catalogue.members(pattern)) for pattern in catalogue.patterns]
    yield (
        "patterns.html",
        env.get_template("patterns.html").render(**common, base="", patterns=listed),
        None,
    )
    for pattern, members in listed:
        yield (
            pattern_page(pattern.id),
            env.get_template("pattern.html").render(
                **common,
                base="../",
                pattern=pattern,
                members=sorted(members, key=lambda incident: incident.sort_key, reverse=True),
                body=Markup(_pattern_body(catalogue, pattern, sources.patterns[pattern.id])),
            ),
            catalogue.team_of_pattern(pattern),
        )


def _pattern_body(catalogue: Catalogue, pattern: Pattern, text: str) -> str:
    """The pattern file's text, its generated block made again from the incidents the site
    shows: the file's block lists DRAFTs and withheld incidents' action items."""
    _, source = split_front_matter(text)
    members = catalogue.members(pattern)
    # No block, or broken markers (check reports them): what names others is scrubbed.
    with suppress(MarkerError):
        source = replace_blocks(source, {PATTERN_BLOCK: render_pattern(members)}, pattern.relpath)
    return render_markdown(source, pattern.relpath, _from_folder(catalogue, "../"))


def _report_pages(
    env: Environment, sources: SiteSources, common: dict[str, Any], charts: list[Chart]
) -> Pages:
    catalogue = sources.catalogue
    quarters = sorted({incident.quarter for incident in catalogue.counted}, reverse=True)
    reports = []
    for year, quarter in quarters:
        period = report.quarter_period(year, quarter)
        built = report.build(
            catalogue.counted,
            catalogue.repeats,
            period,
            catalogue.options.today,
            sources.severities,
        )
        reports.append((f"reports/{year}Q{quarter}.html", built))
    yield (
        "reports.html",
        env.get_template("reports.html").render(**common, base="", reports=reports, charts=charts),
        None,
    )
    for path, built in reports:
        yield (
            path,
            env.get_template("report.html").render(
                **common, base="../", report=built, target=f"{100 * REDUCTION_TARGET:.0f}%"
            ),
            None,
        )
