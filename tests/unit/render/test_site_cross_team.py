"""pmrepo site --org: what one team's post-mortem says of another team's incidents (a
`related: [platform/INC-…]` link, a repeat across teams) shows on both teams' pages, and
what one team withholds blanks nothing of another team's."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli
from org_repos import DRAFT_TITLE, SECRET_TITLE, org_repos

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


def test_one_teams_withheld_id_blanks_nothing_of_another_teams(tmp_path: Path) -> None:
    """platform withholds its INC-2026-0002; data's DRAFT INC-2026-0002 is shown whole."""
    pages = build(tmp_path, "--include-drafts")
    draft = pages["incidents/data-INC-2026-0002.html"]
    assert "[withheld]" not in draft
    assert '<h1><span class="id">data/INC-2026-0002</span> ' in draft
    assert "<code>data/2026/Q4/INC-2026-0002-x.md</code>" in draft
    assert f"Related: incidents/data-INC-2026-0002.html {DRAFT_TITLE}" in connections(
        pages["incidents/platform-INC-2026-0001.html"]
    )
    listing = pages["incidents.html"]
    assert "[withheld]" not in listing
    assert '<a href="incidents/data-INC-2026-0002.html">data/INC-2026-0002</a>' in listing
    # platform's uncleared incident is still named nowhere, qualified or not.
    for name, text in pages.items():
        assert "platform/INC-2026-0002" not in text and "platform-INC-2026-0002" not in text, name
        assert SECRET_TITLE not in text, name


def _summary(path: Path, summary: str) -> None:
    text = path.read_text("utf-8")
    text = re.sub(r"(## Executive Summary\n\n)[^\n]*", lambda m: m[1] + summary, text)
    path.write_text(text, "utf-8")


def test_a_bare_withheld_id_is_taken_out_of_its_own_teams_words_only(tmp_path: Path) -> None:
    org = org_repos(tmp_path)
    _summary(tmp_path / "platform/2026/Q4/INC-2026-0001-x.md", "Found again in INC-2026-0002.")
    _summary(tmp_path / "data/2026/Q4/INC-2026-0002-x.md", "INC-2026-0002 stalled again.")
    output = tmp_path / "site"
    result = run_cli(
        "site", "--org", str(org), "-o", str(output), "--today", TODAY, "--include-drafts"
    )
    assert result.exit_code == 0, result.stderr
    platform = (output / "incidents/platform-INC-2026-0001.html").read_text("utf-8")
    assert "<p>Found again in [withheld].</p>" in platform
    data = (output / "incidents/data-INC-2026-0002.html").read_text("utf-8")
    assert "<p>INC-2026-0002 stalled again.</p>" in data
    # On the pages of every team's, each team's words are scrubbed as its own pages are.
    for page in ("index.html", "incidents.html"):
        text = (output / page).read_text("utf-8")
        assert "Found again in [withheld]." in text, page
        assert "INC-2026-0002 stalled again." in text, page
