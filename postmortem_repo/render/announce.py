"""`pmrepo announce`: the message that tells the team a post-mortem is published, as a Slack
Block Kit message (JSON, for a CI step to post) and as plain text. pmrepo posts nothing.

Every text is cut to Slack's published limits for its block (a header's 150 characters, a
section's 3,000, a field's 2,000, a button's 75), so Slack never rejects the message."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from postmortem_repo.model.incident import Incident
from postmortem_repo.render.escape import visible_text
from postmortem_repo.render.excerpts import Excerpts
from postmortem_repo.render.index import duration

HEADER_LIMIT = 150
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
BUTTON_LIMIT = 75
URL_LIMIT = 3000
FALLBACK_LIMIT = 3000  # the top-level text, shown in notifications
ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


@dataclass(frozen=True)
class Announcement:
    incident: Incident
    excerpts: Excerpts
    link: str  # a URL, or the post-mortem's path in the repository

    @property
    def heading(self) -> str:
        status = self.incident.status.strip()
        if status.upper() == "PUBLISHED":
            return f"Post-mortem published: {self.incident.id}: {self.incident.title}"
        state = f"{status or 'no status'}, not published yet"
        return f"Post-mortem ({state}): {self.incident.id}: {self.incident.title}"

    @property
    def root_cause(self) -> str:
        """The root cause in one line: the first sentence of its paragraph."""
        text = self.excerpts.root_cause
        return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""

    def facts(self) -> list[tuple[str, str]]:
        incident = self.incident
        return [
            ("Severity", incident.severity or "not given"),
            ("Duration", duration(incident.duration)),
            ("Date", incident.date.isoformat()),
            ("Services", ", ".join(incident.services) or "not given"),
        ]


def cut(text: str, limit: int) -> str:
    """text within limit characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


# The start of an escape of mrkdwn() that a cut would leave without its end.
_PART_OF_ESCAPE = re.compile(r"&[a-z]{0,3}$")


def cut_mrkdwn(text: str, limit: int) -> str:
    """mrkdwn text within limit characters, cut between escapes, never inside one ('&gt')."""
    if len(text) <= limit:
        return text
    return _PART_OF_ESCAPE.sub("", text[: limit - 1]).rstrip() + ELLIPSIS


def mrkdwn(text: str) -> str:
    """Text for Slack's mrkdwn: &, < and > escaped as Slack asks, so that no <!channel>,
    <@user> or <url|link> in a post-mortem turns into a mention or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(label: str, text: str) -> dict[str, object]:
    body = f"*{label}*\n" + mrkdwn(text or "not given")
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut_mrkdwn(body, SECTION_LIMIT)}}


def render_slack(announcement: Announcement) -> str:
    """The Block Kit message, as JSON for chat.postMessage."""
    blocks: list[dict[str, object]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": cut(announcement.heading, HEADER_LIMIT)},
        },
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": cut_mrkdwn(f"*{label}*\n{mrkdwn(value)}", FIELD_LIMIT)}
                for label, value in announcement.facts()
            ],
        },
        _section("Impact", announcement.excerpts.impact),
        _section("Root cause", announcement.root_cause),
    ]
    link = announcement.link
    if re.match(r"https?://", link) and len(link) <= URL_LIMIT:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Read the post-mortem"},
                        "url": link,
                    }
                ],
            }
        )
    else:
        blocks.append(_section("Post-mortem", link))
    # The top-level text is read as mrkdwn (notifications show it): escaped as well. The
    # header is plain_text, which Slack shows as it is.
    message = {"text": cut_mrkdwn(mrkdwn(announcement.heading), FALLBACK_LIMIT), "blocks": blocks}
    return json.dumps(visible_json(message), indent=2, ensure_ascii=False)


def visible_json(value: object) -> object:
    """Every text of a message without controls or bidi overrides."""
    if isinstance(value, str):
        return visible_text(value)
    if isinstance(value, dict):
        return {key: visible_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [visible_json(item) for item in value]
    return value


def render_text(announcement: Announcement) -> str:
    lines = [announcement.heading, ""]
    lines += [f"{label}: {value}" for label, value in announcement.facts()]
    lines += [
        f"Impact: {announcement.excerpts.impact or 'not given'}",
        f"Root cause: {announcement.root_cause or 'not given'}",
        f"Read it: {announcement.link}",
    ]
    return visible_text("\n".join(lines))
