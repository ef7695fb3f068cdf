"""Three teams' small post-mortem repositories and the org.yaml that lists them, for the tests
of what pmrepo reads across teams (site, report, review, actions).

    platform INC-2026-0001  PUBLISHED  2026-11-18  the shared Postgres proxy's pool ran out
    platform INC-2026-0002  PUBLISHED  2026-12-01  uncleared security incident, related: [data/…1]
    data     INC-2026-0001  PUBLISHED  2026-11-25  related: [platform/INC-2026-0001]
    data     INC-2026-0002  DRAFT      2026-12-04  platform's withheld id; related: [platform/…1]
    payments INC-2026-0001  PUBLISHED  2026-12-03  related: [platform/…, data/INC-2026-0001]
"""

from __future__ import annotations

from pathlib import Path

from related_repos import POOL, post_mortem

SECRET_TITLE = "Proxy admin token exposed in CI build logs"
DRAFT_TITLE = "Kafka rebalance storm in the events pipeline"
ACTIONS = (
    "\n## Action Items\n\n| # | Action | Owner | Priority | Due | Status |\n"
    "|---|---|---|---|---|---|\n"
    "| 1 | Alert on pg-proxy pool saturation above 80% | @dana-okoye | P0 | 2026-11-20 | OPEN |\n"
    "| 2 | Add a load test for pg-proxy pool limits | @dana-okoye | P1 | 2026-12-31 | OPEN |\n"
)


def _files() -> dict[str, str]:
    pool = "services: [pg-proxy]"
    files: dict[str, str] = {}
    for team, incident_id, day, title, extra in (
        ("platform", "INC-2026-0001", "2026-11-18", "Shared Postgres proxy pool exhausted", ""),
        (
            "platform",
            "INC-2026-0002",
            "2026-12-01",
            SECRET_TITLE,
            "security: true\nsecurity_cleared: false\nrelated: [data/INC-2026-0001]\n",
        ),
        (
            "data",
            "INC-2026-0001",
            "2026-11-25",
            "Events ingestion stalled on proxy limits",
            "related: [platform/INC-2026-0001]\n",
        ),
        (
            "data",
            "INC-2026-0002",
            "2026-12-04",
            DRAFT_TITLE,
            "status: DRAFT\nrelated: [platform/INC-2026-0001]\n",
        ),
        (
            "payments",
            "INC-2026-0001",
            "2026-12-03",
            "Checkout failures from proxy pool exhaustion",
            "related: [platform/INC-2026-0001, data/INC-2026-0001]\n",
        ),
    ):
        path, text = post_mortem(incident_id, day, title, POOL, extra=extra)
        text = text.replace("services: [orders-api]", pool)
        if "status: DRAFT" in extra:
            text = text.replace("status: PUBLISHED\n", "")
        files[f"{team}/{path}"] = text + ACTIONS
    for team in ("payments", "platform", "data"):
        files[f"{team}/.pmrepo.yaml"] = "related:\n  org: ../org.yaml\n"
    files["org.yaml"] = "teams:\n" + "".join(
        f"  - name: {team}\n    repo: {team}\n" for team in ("payments", "platform", "data")
    )
    return files


def org_repos(where: Path) -> Path:
    """Write the three repositories and org.yaml under where; the path of org.yaml."""
    for relpath, text in _files().items():
        (where / relpath).parent.mkdir(parents=True, exist_ok=True)
        (where / relpath).write_text(text, "utf-8")
    return where / "org.yaml"
