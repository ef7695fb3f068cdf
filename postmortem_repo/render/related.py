"""`pmrepo related` as text and as JSON."""

from __future__ import annotations

import json
from typing import Any

from postmortem_repo.repo.related import Profile, Suggestion

WITHHELD = "is a security incident not cleared for publication: pmrepo compares it with none"


def render_text(
    target: Profile | None, incident_id: str, suggestions: list[Suggestion], *, teams: bool = False
) -> str:
    """teams: the incidents come from several teams' repositories (each named team/id)."""
    if target is None:
        return f"{incident_id} {WITHHELD}"
    if not suggestions:
        return f"No earlier incident is like {target.name}."
    lines = [f"Earlier incidents like {target.name} ({target.title}):"]
    for rank, suggestion in enumerate(suggestions, start=1):
        other = suggestion.incident
        lines.append(
            f"{rank:2}. {other.name}  {other.date.isoformat()}  score {suggestion.score:.2f}  "
            f"{other.title}"
        )
        lines.append(f"    {suggestion.reason}")
    return "\n".join(lines)


def render_json(
    target: Profile | None, incident_id: str, suggestions: list[Suggestion], *, teams: bool = False
) -> str:
    data: dict[str, Any] = {"incident": incident_id, "withheld": target is None}
    if teams:
        data["team"] = target.team if target is not None else None
    found = []
    for suggestion in suggestions:
        entry: dict[str, Any] = {"id": suggestion.incident.id}
        if teams:
            entry["team"] = suggestion.incident.team
        entry.update(
            title=suggestion.incident.title,
            date=suggestion.incident.date.isoformat(),
            path=suggestion.incident.relpath,
            score=round(suggestion.score, 3),
            wording=round(suggestion.wording, 3),
            reason=suggestion.reason,
        )
        found.append(entry)
    data["suggestions"] = found
    return json.dumps(data, indent=2, ensure_ascii=False)
