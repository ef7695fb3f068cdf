"""pmrepo site --org: what one team's post-mortem says of another team's incidents (a
`related: [platform/INC-…]` link, a repeat across teams) shows on both teams' pages, and
what one team withholds blanks nothing of another team's."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli
from org_repos import DRAFT_TITLE, SECRET_TITLE, org_repos
from related_repos import POOL, post_mortem

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


def _headline(home: str) -> str:
    found = re.search(r'<p class="repeat">(.*?)</p>', home, re.DOTALL)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found[1]).split("\n")[0]


def test_the_site_counts_repeats_across_teams_as_the_report_does(tmp_path: Path) -> None:
    """Q4 2026: platform's withheld 0002 repeats its 0001, data's 0001 and payments' 0001
    repeat platform's 0001, data's DRAFT 0002 repeats data's 0001."""
    home = build(tmp_path)["index.html"]
    assert _headline(home) == (
        "Repeat rate in Q4 2026: 75.0% (3 of 4 incidents repeat an earlier one)."
    )
    assert "DRAFT post-mortems are not counted (pmrepo site --include-drafts counts them)." in home
    drafts = build(tmp_path / "drafts", "--include-drafts")["index.html"]
    assert _headline(drafts) == (
        "Repeat rate in Q4 2026: 80.0% (4 of 5 incidents repeat an earlier one)."
    )
    report = run_cli(
        "report", "--org", str(tmp_path / "org.yaml"), "--quarter", "2026Q4", "--today", TODAY
    )
    assert report.exit_code == 0, report.stderr
    assert "| Repeat incidents | 4 | 0 |" in report.stdout
    assert "| Repeat rate | 80.0% | — |" in report.stdout
    assert "DRAFT post-mortems are counted: 1 of the 5 incidents is a DRAFT." in report.stdout


def test_a_repeat_of_another_teams_incident_is_linked_both_ways(tmp_path: Path) -> None:
    pages = build(tmp_path)
    assert (
        "Repeats incidents/platform-INC-2026-0001.html Shared Postgres proxy pool exhausted "
        "(related)" in connections(pages["incidents/data-INC-2026-0001.html"])
    )
    assert (
        "Repeated by incidents/data-INC-2026-0001.html Events ingestion stalled on proxy limits"
        in connections(pages["incidents/platform-INC-2026-0001.html"])
    )


def test_a_named_incident_of_another_team_is_a_repeat_outside_the_window(tmp_path: Path) -> None:
    org = org_repos(tmp_path)
    path, text = post_mortem(
        "INC-2024-0009", "2024-03-01", "Cache stampede", POOL, services="cache"
    )
    (tmp_path / "platform" / path).parent.mkdir(parents=True)
    (tmp_path / "platform" / path).write_text(text, "utf-8")
    linking = tmp_path / "data/2026/Q4/INC-2026-0001-x.md"
    linking.write_text(
        linking.read_text("utf-8").replace(
            "related: [platform/INC-2026-0001]", "repeat_of: platform/INC-2024-0009"
        ),
        "utf-8",
    )
    output = tmp_path / "site"
    result = run_cli("site", "--org", str(org), "-o", str(output), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    page = (output / "incidents/data-INC-2026-0001.html").read_text("utf-8")
    assert (
        "Repeats incidents/platform-INC-2024-0009.html Cache stampede (repeat_of)"
        in connections(page)
    )
