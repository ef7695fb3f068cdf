"""Hover and go-to-definition: a finding's rule doc, an incident id's record and file."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types
from pygls.uris import from_fs_path

from postmortem_repo.lint import rules as registry
from postmortem_repo.lsp.knowledge import Knowledge
from postmortem_repo.model.layout import Layout


def incident_id_at(line: str, character: int, layout: Layout) -> str | None:
    """The incident id the character (a code point offset) of line is on, if any."""
    for match in re.finditer(layout.id_regex(), line):
        if match.start() <= character <= match.end():
            return match.group(0)
    return None


def rule_hover(diagnostics: Sequence[types.Diagnostic], at: types.Position) -> str | None:
    """The docs of the rules whose diagnostics cover the position, as Markdown."""
    codes = [str(d.code) for d in diagnostics if isinstance(d.code, str) and _covers(d.range, at)]
    docs = []
    for code in dict.fromkeys(codes):
        try:
            rule = registry.get(code)
        except KeyError:
            continue
        docs.append(
            f"**{rule.code}** `{rule.name}` (default severity: {rule.severity.value})\n\n"
            f"```text\n{rule.doc.strip()}\n```\n\n`pmrepo rule {rule.code}` explains it too."
        )
    return "\n\n---\n\n".join(docs) or None


def incident_hover(incident_id: str, knowledge: Knowledge) -> str | None:
    """An incident's title, date, severity, status and path, as Markdown."""
    incident = knowledge.incidents.get(incident_id)
    if incident is None:
        return None
    return (
        f"**{incident.id}**: {incident.title}\n\n"
        f"{incident.date.isoformat()} · {incident.severity} · {incident.status}\n\n"
        f"`{incident.relpath}`"
    )


def definition(incident_id: str, knowledge: Knowledge) -> types.Location | None:
    """The start of the post-mortem that holds the incident."""
    path = knowledge.path_of(incident_id)
    if path is None:
        return None
    uri = from_fs_path(str(path))
    if uri is None:
        return None
    start = types.Position(0, 0)
    return types.Location(uri=uri, range=types.Range(start, start))


def _covers(where: types.Range, at: types.Position) -> bool:
    start, end = where.start, where.end
    after_start = (at.line, at.character) >= (start.line, start.character)
    before_end = (at.line, at.character) <= (end.line, end.character)
    return after_start and before_end
