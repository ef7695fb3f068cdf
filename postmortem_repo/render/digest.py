"""`pmrepo digest`: the weekly newsletter's summary of the post-mortems published in a
period: for each, its title, severity, a one-paragraph summary, its key lessons and its P0
and P1 action items; as Markdown, HTML or plain text."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from postmortem_repo.model.incident import Incident
from postmortem_repo.render.dashboard import Action, collect
from postmortem_repo.render.escape import cell, visible_text
from postmortem_repo.render.excerpts import Excerpts, plain_text
from postmortem_repo.render.index import duration

KEY_LESSONS = 3
URGENT = ("P0", "P1")


@dataclass(frozen=True)
class Entry:
    incident: Incident
    published: dt.date
    excerpts: Excerpts
    link: str = ""  # the address of its page on the site (--site-url), if known

    @property
    def lessons(self) -> tuple[str, ...]:
        return self.excerpts.lessons[:KEY_LESSONS]

    @property
    def urgent_actions(self) -> list[Action]:
        return [action for action in collect([self.incident]) if action.priority in URGENT]


@dataclass(frozen=True)
class Digest:
    start: dt.date
    end: dt.date  # inclusive
    entries: list[Entry]
    withheld: int  # uncleared security incidents published in the period, not listed
    undated: tuple[str, ...] = ()  # PUBLISHED, on a day no one can tell: not listed

    @property
    def heading(self) -> str:
        count = len(self.entries)
        noun = "post-mortem" if count == 1 else "post-mortems"
        return f"{count} {noun} published from {self.start.isoformat()} to {self.end.isoformat()}"


def _due(action: Action) -> str:
    return action.due.isoformat() if action.due else action.due_text or "no due date"


def _action_line(action: Action) -> str:
    return (
        f"{action.priority} {plain_text(action.action)} (owner {action.owner or 'not given'}, "
        f"due {_due(action)}, {action.status or 'no status'})"
    )


def _withheld_note(digest: Digest) -> list[str]:
    if not digest.withheld:
        return []
    return [
        f"{digest.withheld} security incident{'s' * (digest.withheld != 1)} not cleared for "
        "publication published in the period, not listed.",
        "",
    ]


def _in_angle_brackets(url: str) -> str:
    """A URL as a Markdown link destination in <…>: no space, '<' or '>' left in it."""
    return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def render_markdown(digest: Digest) -> str:
    lines = [f"# Post-mortem digest: {digest.heading}", "", *_withheld_note(digest)]
    if not digest.entries:
        lines.append("No post-mortems published in this period.")
    for entry in digest.entries:
        incident = entry.incident
        lines += [
            f"## {cell(incident.id)}: {cell(incident.title)}",
            "",
            f"**{cell(incident.severity or 'No severity')}**, {incident.date.isoformat()}, "
            f"lasted {duration(incident.duration)}, published {entry.published.isoformat()}.",
            "",
            cell(entry.excerpts.summary or "No summary written."),
            "",
        ]
        if entry.lessons:
            lines += ["Key lessons:", "", *(f"- {cell(lesson)}" for lesson in entry.lessons), ""]
        urgent = entry.urgent_actions
        if urgent:
            lines += ["P0 and P1 action items:", ""]
            lines += [f"- {cell(_action_line(action))}" for action in urgent]
            lines.append("")
        if entry.link:
            lines += [f"[Read the post-mortem](<{_in_angle_brackets(entry.link)}>)", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_text(digest: Digest) -> str:
    lines = [f"Post-mortem digest: {digest.heading}", "", *_withheld_note(digest)]
    if not digest.entries:
        lines.append("No post-mortems published in this period.")
    for entry in digest.entries:
        incident = entry.incident
        lines += [
            f"{incident.id}: {incident.title}",
            f"{incident.severity or 'No severity'}, {incident.date.isoformat()}, lasted "
            f"{duration(incident.duration)}, published {entry.published.isoformat()}.",
            "",
            entry.excerpts.summary or "No summary written.",
            "",
        ]
        if entry.lessons:
            lines += ["Key lessons:", *(f"  - {lesson}" for lesson in entry.lessons), ""]
        urgent = entry.urgent_actions
        if urgent:
            lines += ["P0 and P1 action items:"]
            lines += [f"  - {_action_line(action)}" for action in urgent]
            lines.append("")
        if entry.link:
            lines += [f"Read it: {entry.link}", ""]
    return visible_text("\n".join(lines).rstrip()) + "\n"


MOST_SLACK_ENTRIES = 45  # Slack takes 50 blocks: the header, notes and the last line too


def render_slack(digest: Digest) -> str:
    """A Slack Block Kit message (JSON, for a CI step to post): one section per post-mortem,
    its title linked to its page when the site's address is known, every text escaped for
    mrkdwn and cut to Slack's limits."""
    from postmortem_repo.render import announce

    blocks: list[dict[str, object]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": announce.cut(f"Post-mortem digest: {digest.heading}", 150),
            },
        }
    ]
    notes = _withheld_note(digest)[:1]
    if not digest.entries:
        notes.append("No post-mortems published in this period.")
    shown = digest.entries[:MOST_SLACK_ENTRIES]
    for entry in shown:
        incident = entry.incident
        title = announce.mrkdwn(f"{incident.id}: {incident.title}")
        # A link's text cannot hold '|' or '>' (mrkdwn() has escaped '>').
        url = _in_angle_brackets(entry.link).replace("|", "%7C")
        heading = f"<{url}|{title.replace('|', '¦')}>" if entry.link else title
        body = (
            f"*{heading}*\n{announce.mrkdwn(incident.severity or 'No severity')}, "
            f"{incident.date.isoformat()}, lasted {duration(incident.duration)}, published "
            f"{entry.published.isoformat()}.\n"
            + announce.mrkdwn(entry.excerpts.summary or "No summary written.")
        )
        blocks.append(_slack_section(body))
    if len(digest.entries) > len(shown):
        notes.append(
            f"And {len(digest.entries) - len(shown)} more: see the digest's other formats."
        )
    blocks += [_slack_section(announce.mrkdwn(note)) for note in notes]
    message = {"text": announce.mrkdwn(digest.heading), "blocks": blocks}
    return json.dumps(announce.visible_json(message), indent=2, ensure_ascii=False) + "\n"


def _slack_section(text: str) -> dict[str, object]:
    from postmortem_repo.render import announce

    cut = announce.cut_mrkdwn(text, announce.SECTION_LIMIT)
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut}}


def render_html(digest: Digest) -> str:
    """A self-contained HTML page (styles inline), for an e-mail or a newsletter tool."""
    from postmortem_repo.render.site.pages import environment

    return environment().get_template("digest.html").render(digest=digest, action_line=_action_line)
