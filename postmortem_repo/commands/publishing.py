"""What the digest, the review deck and the announcement read beyond the incidents: each
post-mortem's own text (for its summary, impact, root cause and lessons) and when it was
published."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit

from postmortem_repo.commands.site import FromDisk
from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.core.timeparse import parse_timestamp
from postmortem_repo.core.writer import write_folder, write_output
from postmortem_repo.model.incident import Incident
from postmortem_repo.render import announce, deck, report
from postmortem_repo.render.deck import Review
from postmortem_repo.render.digest import Digest, Entry
from postmortem_repo.render.excerpts import EMPTY, Excerpts, excerpts_of_text, split_front_matter
from postmortem_repo.render.patterns import load_pattern, pattern_files
from postmortem_repo.render.plans import Repository
from postmortem_repo.render.report import Period
from postmortem_repo.render.site.catalogue import counted_incidents, incident_page
from postmortem_repo.render.site.figures import figures
from postmortem_repo.repo.gitdates import GitDates


def text_of(repo: Repository, incident: Incident) -> str | None:
    return FromDisk(repo.root, repo.config.max_file_kb)(incident)


def excerpts_for(repo: Repository, incident: Incident) -> Excerpts:
    text = text_of(repo, incident)
    return excerpts_of_text(text, repo.config.sections) if text is not None else EMPTY


def find_incident(repo: Repository, incident_id: str) -> Incident:
    """The incident with this id; PmrepoError when there is none, or when it is an
    uncleared security incident (nothing about it may be announced)."""
    wanted = incident_id.strip().upper()
    found = next((i for i in repo.incidents if i.id.upper() == wanted), None)
    if found is None:
        raise PmrepoError(f"{incident_id}: no post-mortem with this id in {repo.root}")
    if found.redacted:
        raise PmrepoError(
            f"{found.id}: a security incident not cleared for publication "
            "(security_cleared: true clears it); nothing was written"
        )
    return found


def page_url(site_url: str, incident: Incident) -> str:
    """The address of an incident's page on the site published at site_url; PmrepoError
    when site_url is no http(s) address of a site, or the address is too long to post."""
    parts = urlsplit(site_url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise PmrepoError(
            f"--site-url: '{site_url}' is not an http:// or https:// address "
            "(like https://postmortems.example.com/)"
        )
    if parts.query or parts.fragment:
        raise PmrepoError(
            f"--site-url: '{site_url}' has a query or a fragment (?… or #…): give the "
            "address of the site's home, where pmrepo site's index.html is"
        )
    base = site_url.strip().removesuffix("index.html").rstrip("/")
    link = f"{base}/{incident_page(incident.id)}"
    if len(link) > announce.URL_LIMIT:
        raise PmrepoError(
            f"--site-url: the link to {incident.id} would be {len(link)} characters, more "
            f"than the {announce.URL_LIMIT} Slack takes"
        )
    return link


def published_on(repo: Repository, incident: Incident, dates: GitDates) -> dt.date | None:
    """The day a post-mortem was published, in UTC: its published_at, else the day git
    first saw its file (as the publishing deadline rule reads it)."""
    text = text_of(repo, incident)
    data = split_front_matter(text)[0] if text is not None else {}
    stamp = parse_timestamp(data.get("published_at"))
    if stamp is None:
        stamp = dates.first_commit_time(repo.root / incident.relpath)
    return stamp.astimezone(dt.UTC).date() if stamp is not None else None


def week_before(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the week a digest run on today covers: the 7 days before
    it. Today is left out (a post-mortem may yet be published today): the next week's
    digest has it, so a digest run every week lists each post-mortem once."""
    return today - dt.timedelta(days=7), today - dt.timedelta(days=1)


def digest_of(
    repo: Repository, start: dt.date, end: dt.date, site_url: str | None = None
) -> Digest:
    """The post-mortems PUBLISHED from start to end (inclusive), by the day they were. Those
    whose day is unknown (no published_at, and no git history of the file: a shallow clone,
    or a file not committed yet) are named in the digest's undated. site_url: where the
    site is published, to link each post-mortem's page."""
    dates = GitDates()
    entries, withheld, undated = [], 0, []
    for incident in repo.incidents:
        if incident.status.strip().upper() != "PUBLISHED" or incident.date > end:
            continue
        published = published_on(repo, incident, dates)
        if published is None:
            undated.append(incident.id)
            continue
        if not start <= published <= end:
            continue
        if incident.redacted:
            withheld += 1
            continue
        link = page_url(site_url, incident) if site_url else ""
        entries.append(Entry(incident, published, excerpts_for(repo, incident), link))
    entries.sort(key=lambda entry: (entry.published, entry.incident.id))
    return Digest(start, end, entries, withheld, tuple(sorted(undated)))


def review_of(
    repo: Repository, period: Period, today: dt.date, *, include_drafts: bool = False
) -> Review:
    """The quarter's review: the numbers `pmrepo report` gives, the charts of the two years
    up to its end, its incidents (an uncleared security incident only counted) and the
    patterns seen in it. It counts what the site counts: DRAFTs only when asked."""
    counted = counted_incidents(repo.incidents, include_drafts)
    repeats = repo.repeats_among(counted)
    built = report.build(counted, repeats, period, today, repo.severities)
    members = [incident for incident in counted if period.holds(incident.date)]
    shown = [incident for incident in members if not incident.redacted]
    window = [
        incident
        for incident in counted
        if period.end - dt.timedelta(days=2 * 365) < incident.date <= period.end
    ]
    patterns = [load_pattern(path, repo.root)[0] for path in pattern_files(repo.root)]
    seen = [(p, sum(1 for incident in shown if p.matches(incident))) for p in patterns]
    return Review(
        report=built,
        incidents=shown,
        excerpts={incident.id: excerpts_for(repo, incident) for incident in shown},
        repeats=repeats,
        charts=figures(window, repeats, repo.severities),
        patterns=[(pattern, count) for pattern, count in seen if count],
        withheld=len(members) - len(shown),
        drafts=include_drafts,
    )


DECK_CHARTS_MARKER = ".pmrepo-deck-charts"


def write_deck(
    review: Review, output: Path, output_format: str, *, roots: Sequence[Path]
) -> list[Path]:
    """Write the deck to output; a Marp deck's charts go in the folder beside it named
    after it (deck.md: deck-charts/), replaced whole. The files written."""
    if output_format == "html":
        write_output(output, deck.render_html(review), roots=roots)
        return [output]
    folder = output.with_name(f"{output.stem}-charts")
    try:
        write_folder(folder, deck.chart_files(review), marker=DECK_CHARTS_MARKER)
        write_output(output, deck.render_marp(review, quote(folder.name)), roots=roots)
    except OSError as error:
        raise PmrepoError(f"{output}: cannot write the deck: {error.strerror or error}") from error
    return [output, folder]
