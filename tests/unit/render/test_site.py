"""pmrepo site: what a reader of the built site sees, and what it never shows."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import GOLDEN, SAMPLE_REPO, run_cli

from postmortem_repo.render.site.charts import Chart, Series, render_svg

TODAY = "2024-12-31"
SECRET_ID = "INC-2024-0025"
SECRET_TITLE = "Signing Keys Readable Through The Vault Sidecar"
SECRET_PHRASE = "the sidecar answered unauthenticated reads"
SECRET_PATH = "2024/Q1/INC-2024-0025-vault-sidecar-signing-keys.md"


def build(root: Path, output: Path, *options: str) -> dict[str, str]:
    result = run_cli("site", str(root), "--output", str(output), "--today", TODAY, *options)
    assert result.exit_code == 0, result.stderr
    return {
        path.relative_to(output).as_posix(): path.read_text("utf-8")
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def _secret_incident(seed_text: str) -> str:
    text = seed_text.replace("INC-2024-0015", SECRET_ID)
    text = text.replace(
        "title: Samsung Pay — Payment Processing Latency Degradation", f"title: {SECRET_TITLE}"
    )
    text = text.replace(
        "# Samsung Pay — Payment Processing Latency Degradation", f"# {SECRET_TITLE}"
    )
    text = text.replace("security: false", "security: true")
    return text.replace(
        "## Executive Summary\n", f"## Executive Summary\n\nIn short, {SECRET_PHRASE}.\n"
    )


@pytest.fixture
def secret_repo(repo: Path, seed_text: str) -> Path:
    """sample-repo with an uncleared security incident, named as related by another one."""
    (repo / SECRET_PATH).write_text(_secret_incident(seed_text), "utf-8")
    smartthings = repo / "2024/Q2/INC-2024-0021-smartthings-device-registration.md"
    text = smartthings.read_text("utf-8")
    text = text.replace("related: []", f"related:\n  - {SECRET_ID}")
    text += f"\nSee also [{SECRET_ID}](../Q1/{SECRET_PATH.rsplit('/', 1)[1]}).\n"
    smartthings.write_text(text, "utf-8")
    return repo


def test_sample_repo_has_every_page(tmp_path: Path) -> None:
    pages = build(SAMPLE_REPO, tmp_path / "site")
    assert sorted(pages) == [
        ".pmrepo-site",
        "actions.html",
        "assets/site.js",
        "assets/style.css",
        "incidents.html",
        "incidents/INC-2023-0012.html",
        "incidents/INC-2023-0047.html",
        "incidents/INC-2023-0061.html",
        "incidents/INC-2023-0089.html",
        "incidents/INC-2024-0002.html",
        "incidents/INC-2024-0003.html",
        "incidents/INC-2024-0015.html",
        "incidents/INC-2024-0021.html",
        "incidents/INC-2024-0034.html",
        "index.html",
        "patterns.html",
        "patterns/PATTERN-001.html",
        "patterns/PATTERN-002.html",
        "patterns/PATTERN-003.html",
        "reports.html",
        "reports/2023Q1.html",
        "reports/2023Q2.html",
        "reports/2023Q3.html",
        "reports/2023Q4.html",
        "reports/2024Q1.html",
        "reports/2024Q2.html",
        "reports/2024Q3.html",
    ]


def test_the_same_repository_gives_the_same_bytes(tmp_path: Path) -> None:
    assert build(SAMPLE_REPO, tmp_path / "one") == build(SAMPLE_REPO, tmp_path / "two")


def test_sample_repo_site_matches_the_golden_digests(tmp_path: Path) -> None:
    """Every byte of sample-repo's site, as reviewed: a change to the pages (or to how fast
    they are made) that changes one shows here. After a reviewed change of the pages:
    (cd SITE && find . -type f | sort | sed 's|^./||' | xargs sha256sum) > the golden file."""
    pages = build(SAMPLE_REPO, tmp_path / "site")
    digests = "".join(
        f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {path}\n"
        for path, text in sorted(pages.items())
    )
    assert digests == (GOLDEN / "site-sample-repo.sha256").read_text("utf-8")


def test_every_link_is_relative(tmp_path: Path) -> None:
    pages = build(SAMPLE_REPO, tmp_path / "site")
    targets = {
        target
        for name, text in pages.items()
        if name.endswith(".html")
        for target in re.findall(r'(?:href|src)="([^"]*)"', text)
    }
    outside = {t for t in targets if re.match(r"[a-z]+:|/", t) and not t.startswith("https://")}
    assert outside == set()
    assert "../incidents/INC-2023-0089.html" in targets  # a body's link to another post-mortem


def test_related_and_repeat_incidents_link_both_ways(tmp_path: Path) -> None:
    pages = build(SAMPLE_REPO, tmp_path / "site")
    newer, older = pages["incidents/INC-2024-0015.html"], pages["incidents/INC-2023-0089.html"]
    assert 'Repeats <a href="../incidents/INC-2023-0089.html">INC-2023-0089</a>' in newer
    assert 'Repeated by <a href="../incidents/INC-2024-0015.html">INC-2024-0015</a>' in older
    assert 'Related: <a href="../incidents/INC-2024-0015.html">INC-2024-0015</a>' in older
    assert 'Pattern: <a href="../patterns/PATTERN-001.html">PATTERN-001</a>' in newer


def test_an_uncleared_security_incident_appears_nowhere(secret_repo: Path, tmp_path: Path) -> None:
    pages = build(secret_repo, tmp_path / "site")
    for name, text in pages.items():
        for secret in (SECRET_ID, SECRET_TITLE, SECRET_PHRASE, "vault-sidecar"):
            assert secret.casefold() not in text.casefold(), (name, secret)
    # It is counted (10 incidents, the draft left out), and the footer says one is withheld.
    assert "<dt>Incidents</dt><dd>10</dd>" in pages["index.html"]
    assert "1 security incident not cleared for publication is counted" in pages["index.html"]
    # The link to it from another post-mortem is no link.
    assert '<span class="unlinked">[withheld]</span>' in pages["incidents/INC-2024-0021.html"]


def test_drafts_only_with_include_drafts(tmp_path: Path) -> None:
    draft = "incidents/INC-2024-0048.html"
    assert draft not in build(SAMPLE_REPO, tmp_path / "published")
    pages = build(SAMPLE_REPO, tmp_path / "all", "--include-drafts")
    assert draft in pages
    assert "DRAFT post-mortems are counted and shown." in pages["index.html"]


HOSTILE_TITLE = "Outage <script>alert(1)</script> </a> {{ 7*7 }}"
HOSTILE_BODY = """
A paragraph with <script>alert(2)</script> and </a><img src=x onerror=alert(3)> and {{ 6*7 }}
and {% raw %} and [click](javascript:alert(4)) and [ok](https://example.com/" onmouseover="x)
and ![pic](https://tracker.example/p.png) and <!-- a hidden note -->.
"""


def test_what_a_post_mortem_says_is_shown_as_text(
    repo: Path, seed_text: str, tmp_path: Path
) -> None:
    text = seed_text.replace(
        "title: Samsung Pay — Payment Processing Latency Degradation",
        f"title: '{HOSTILE_TITLE}'",
    ).replace("## Executive Summary\n", "## Executive Summary\n" + HOSTILE_BODY)
    (repo / "2024/Q1/INC-2024-0015-payment-api-latency-degradation.md").write_text(text, "utf-8")
    pages = build(repo, tmp_path / "site")
    page = pages["incidents/INC-2024-0015.html"]
    assert "Outage &lt;script&gt;alert(1)&lt;/script&gt; &lt;/a&gt; {{ 7*7 }}" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "{{ 6*7 }}" in page and "{% raw %}" in page
    assert '<span class="unlinked">click</span>' in page
    assert "[image: pic]" in page
    for html in pages.values():
        assert "<script>alert" not in html
        assert "javascript:" not in html
        assert "<img" not in html
        assert 'onmouseover="' not in html
    # The search index carries the summary as JSON that cannot close its <script>.
    index = pages["incidents.html"]
    found = re.search(r'<script type="application/json" id="pmrepo-index">(.*?)</script>', index)
    assert found is not None and "<" not in found[1]
    # It searches the words the page shows: HTML-looking text too, as text.
    assert (
        "A paragraph with \\u003cscript\\u003ealert(2)\\u003c/script\\u003e and "
        "\\u003c/a\\u003e\\u003cimg src=x onerror=alert(3)\\u003e and {{ 6*7 }} and {% raw %} "
        "and click"
    ) in found[1]
    assert index.count("</script>") == 2  # the index's own and the filter script's


def test_a_folder_pmrepo_did_not_build_is_refused(tmp_path: Path) -> None:
    output = tmp_path / "mine"
    output.mkdir()
    (output / "notes.txt").write_text("keep me", "utf-8")
    result = run_cli("site", str(SAMPLE_REPO), "--output", str(output))
    assert result.exit_code == 2
    assert "a folder pmrepo did not build" in result.stderr
    assert [path.name for path in output.iterdir()] == ["notes.txt"]


def test_the_site_replaces_its_own_output(tmp_path: Path) -> None:
    output = tmp_path / "site"
    build(SAMPLE_REPO, output)
    (output / "stale.html").write_text("old", "utf-8")
    assert "stale.html" not in build(SAMPLE_REPO, output)


def test_the_repository_itself_is_refused(repo: Path) -> None:
    result = run_cli("site", str(repo), "--output", str(repo))
    assert result.exit_code == 2
    assert "holds the repository itself" in result.stderr


def test_every_chart_has_a_text_alternative_and_its_numbers(tmp_path: Path) -> None:
    home = build(SAMPLE_REPO, tmp_path / "site")["index.html"]
    charts = re.findall(r'<figure class="chart" id="([^"]+)">(.*?)</figure>', home, re.DOTALL)
    assert [slug for slug, _ in charts] == [
        "chart-severity",
        "chart-repeats",
        "chart-response",
        "chart-actions",
    ]
    for slug, figure in charts:
        assert f'aria-labelledby="{slug}-title {slug}-desc"' in figure
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in figure
        assert "<table" in figure and '<p class="alt">' in figure
    severity = dict(charts)["chart-severity"]
    assert (
        '<tr><th scope="row">Q1 2024</th><td>1</td><td>1</td><td>0</td><td>1</td></tr>' in severity
    )


def test_a_chart_escapes_its_labels() -> None:
    chart = Chart(
        slug="c",
        title="<b>t</b>",
        summary="a & b",
        categories=("Q1 <2024>",),
        series=(Series("</text><script>", (1.0,)),),
    )
    svg = render_svg(chart)
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;/text&gt;&lt;script&gt;" in svg and "a &amp; b" in svg


def test_pages_rendered_in_processes_are_the_same_bytes(tmp_path: Path) -> None:
    import datetime as dt

    from postmortem_repo import api
    from postmortem_repo.commands.site import build_site
    from postmortem_repo.lint.parallel import Parallelism

    repo = api.load_repository(SAMPLE_REPO)
    day, every_file = dt.date(2024, 12, 31), Parallelism(min_files_per_worker=1, chunk=2)
    build_site(repo, tmp_path / "serial", today=day)
    build_site(repo, tmp_path / "parallel", today=day, jobs=2, parallelism=every_file)
    files = sorted(
        path.relative_to(tmp_path / "serial") for path in (tmp_path / "serial").rglob("*")
    )
    assert len(files) > 20
    for name in files:
        serial, parallel = tmp_path / "serial" / name, tmp_path / "parallel" / name
        assert serial.is_dir() or serial.read_bytes() == parallel.read_bytes(), name
