"""Small post-mortems for the tests of pmrepo related and PM706."""

from __future__ import annotations


def post_mortem(
    incident_id: str,
    day: str,
    title: str,
    cause: str,
    *,
    services: str = "orders-api",
    tags: str = "capacity-limit",
    extra: str = "",
) -> tuple[str, str]:
    """(path, text) of a small post-mortem."""
    quarter = (int(day[5:7]) - 1) // 3 + 1
    path = f"{day[:4]}/Q{quarter}/{incident_id}-x.md"
    text = (
        f"---\nid: {incident_id}\ntitle: {title}\ndate: {day}\nstatus: PUBLISHED\n"
        f"services: [{services}]\nroot_cause_tags: [{tags}]\n{extra}---\n\n# {title}\n\n"
        f"## Executive Summary\n\n{title}.\n\n## Root Cause Analysis\n\n{cause}\n"
    )
    return path, text


POOL = "The database connection pool was exhausted by slow queries."
POOL_AGAIN = "Long transactions held the connection pool."
CERT = "The TLS certificate expired because renewal was manual."
