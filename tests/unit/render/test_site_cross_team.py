"""pmrepo site --org: what one team's post-mortem says of another team's incidents (a
`related: [platform/INC-…]` link, a repeat across teams) shows on both teams' pages, and
what one team withholds blanks nothing of another team's."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli
from org_repos import org_repos

TODAY = "2026-12-07"


def build(tmp_path: Path, *options: str) -> dict[str, str]:
    org = org_repos(tmp_path)
    output = tmp_path / "site"
    result = run_cli("site", "--org", str(org), "--output", str(output), "--today", TODAY, *options)
    assert result.exit_code == 0, result.stderr
    return {
        path.relative_to(output).as_posix(): path.read_text("utf-8")
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def connections(page: str) -> list[str]:
    """The page's Connections list, each item as "Kind: link-target text"."""
    found = re.search(r"<h2>Connections</h2>\n<ul>\n(.*?)</ul>", page, re.DOTALL)
    assert found is not None, page
    items = re.findall(r"<li>(.*?)</li>", found[1], re.DOTALL)
    return [re.sub(r'<a href="\.\./([^"]+)">[^<]*</a>', r"\1", item) for item in items]


def test_a_link_to_another_teams_incident_shows_on_both_pages(tmp_path: Path) -> None:
    pages = build(tmp_path)
    platform = "incidents/platform-INC-2026-0001.html Shared Postgres proxy pool exhausted"
    data = "incidents/data-INC-2026-0001.html Events ingestion stalled on proxy limits"
    payments = "incidents/payments-INC-2026-0001.html Checkout failures from proxy pool exhaustion"
    assert f"Related: {platform}" in connections(pages["incidents/data-INC-2026-0001.html"])
    assert f"Related: {platform}" in connections(pages["incidents/payments-INC-2026-0001.html"])
    assert f"Related: {data}" in connections(pages["incidents/payments-INC-2026-0001.html"])
    # The linked pages name those that link to them.
    assert f"Related: {data}" in connections(pages["incidents/platform-INC-2026-0001.html"])
    assert f"Related: {payments}" in connections(pages["incidents/platform-INC-2026-0001.html"])
    assert f"Related: {payments}" in connections(pages["incidents/data-INC-2026-0001.html"])


def test_no_link_leads_to_a_withheld_or_hidden_incident_of_another_team(tmp_path: Path) -> None:
    pages = build(tmp_path)
    # platform's uncleared INC-2026-0002 names data's, data's DRAFT names platform's.
    for page in ("incidents/data-INC-2026-0001.html", "incidents/platform-INC-2026-0001.html"):
        assert [c for c in connections(pages[page]) if "INC-2026-0002" in c] == []
