"""`pmrepo related` as text and as JSON."""

from __future__ import annotations

import json

from postmortem_repo.repo.related import Profile, Suggestion

WITHHELD = "is a security incident not cleared for publication: pmrepo compares it with none"


def render_text(target: Profile | None, incident_id: str, suggestions: list[Suggestion]) -> str:
    if target is None:
        return f"{incident_id} {WITHHELD}"
    if not suggestions:
        return f"No earlier incident is like {target.id}."
    lines = [f"Earlier incidents like {target.id} ({target.title}):"]
    for rank, suggestion in enumerate(suggestions, start=1):
        other = suggestion.incident
        lines.append(
            f"{rank:2}. {other.id}  {other.date.isoformat()}  score {suggestion.score:.2f}  "
            f"{other.title}"
        )
        lines.append(f"    {suggestion.reason}")
    return "\n".join(lines)


def render_json(target: Profile | None, incident_id: str, suggestions: list[Suggestion]) -> str:
    data = {
        "incident": incident_id,
        "withheld": target is None,
        "suggestions": [
            {
                "id": suggestion.incident.id,
                "title": suggestion.incident.title,
                "date": suggestion.incident.date.isoformat(),
                "path": suggestion.incident.relpath,
                "score": suggestion.score,
                "wording": suggestion.wording,
                "reason": suggestion.reason,
            }
            for suggestion in suggestions
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
