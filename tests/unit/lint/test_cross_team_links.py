"""A link to another team's incident, `related: [platform/INC-…]` or `repeat_of:
platform/INC-…`: accepted by check where the config names the org (related.org), refused
(PM703) where it does not or where that team has no such incident."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from related_repos import CERT, POOL, post_mortem

LINKING = "2024/Q1/INC-2024-0003-x.md"


def teams(tmp_path: Path, link: str, *, org: bool = True, key: str = "related") -> Path:
    """payments (whose INC-2024-0003 links `link` in `key`) and platform, listed in an
    org.yaml."""
    written = f"related: [{link}]\n" if key == "related" else f"repeat_of: {link}\n"
    files = {
        "payments/" + LINKING: post_mortem(
            "INC-2024-0003", "2024-02-01", "Orders failing", POOL, extra=written
        )[1],
        "payments/2023/Q2/INC-2023-0002-x.md": post_mortem(
            "INC-2023-0002", "2023-05-01", "Certificate expired", CERT
        )[1],
        "platform/2023/Q1/INC-2023-0001-x.md": post_mortem(
            "INC-2023-0001", "2023-02-01", "Orders failing", POOL
        )[1],
        "org.yaml": "teams:\n  - name: payments\n    repo: payments\n"
        "  - name: platform\n    repo: platform\n",
    }
    if org:
        files["payments/.pmrepo.yaml"] = "related:\n  org: ../org.yaml\n"
    for relpath, text in files.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text, "utf-8")
    return tmp_path / "payments"


def links_found(root: Path, key: str = "related") -> list[str]:
    """What check says of the `related` (or `repeat_of`) link (schema findings and PM703)."""
    result = run_cli("check", str(root), "--no-cache", "--select", "PM2,PM703", "--format", "json")
    return [
        f"{f['code']} {f['line']}:{f['column']} {f['message']}"
        if key == "repeat_of"
        else f"{f['code']} {f['message']}"
        for f in json.loads(result.output)["findings"]
        if key in f["message"] and f["path"].endswith(LINKING)
    ]


def test_a_link_to_another_teams_incident_is_accepted_where_the_org_is_known(
    tmp_path: Path,
) -> None:
    assert links_found(teams(tmp_path, "platform/INC-2023-0001")) == []


def test_without_an_org_a_cross_team_link_is_refused_with_what_to_do(tmp_path: Path) -> None:
    assert links_found(teams(tmp_path, "platform/INC-2023-0001", org=False)) == [
        "PM703 related: platform/INC-2023-0001 names another team's incident, and no org is known"
    ]


def test_an_id_the_other_team_does_not_have_is_refused(tmp_path: Path) -> None:
    assert links_found(teams(tmp_path, "platform/INC-2023-0009")) == [
        "PM703 related: no post-mortem in team platform's repository has the id INC-2023-0009"
    ]


def test_a_team_the_org_does_not_list_is_refused(tmp_path: Path) -> None:
    found = links_found(teams(tmp_path, "search/INC-2023-0001"))
    assert found == [f"PM703 related: {tmp_path}/org.yaml lists no team 'search' with post-mortems"]


def test_a_config_naming_an_org_that_is_not_there_is_a_config_error(tmp_path: Path) -> None:
    root = teams(tmp_path, "platform/INC-2023-0001")
    (tmp_path / "org.yaml").unlink()
    result = run_cli("check", str(root), "--no-cache")
    assert result.exit_code == 2
    assert f"related.org: {tmp_path}/org.yaml is not a file" in result.output


def warnings(root: Path) -> list[str]:
    result = run_cli("check", str(root), "--select", "PM706", "--format", "json")
    return [
        f"{Path(f['path']).name}: {f['message']}" for f in json.loads(result.output)["findings"]
    ]


def test_pm706_with_the_org_asks_for_a_link_to_another_teams_incident(tmp_path: Path) -> None:
    root = teams(tmp_path, "INC-2023-0002")
    found = warnings(root)
    assert len(found) == 1
    assert found[0].startswith(
        "INC-2024-0003-x.md: platform/INC-2023-0001 (Orders failing) looks related and is "
        "not linked: same service orders-api; shared tag capacity-limit;"
    )


def test_pm706_counts_a_cross_team_link_as_linked(tmp_path: Path) -> None:
    assert warnings(teams(tmp_path, "platform/INC-2023-0001")) == []


def test_a_change_in_another_teams_repository_is_seen_by_a_cached_check(
    tmp_path: Path,
) -> None:
    root = teams(tmp_path, "INC-2023-0002")
    other = tmp_path / "platform/2023/Q1/INC-2023-0001-x.md"
    text = other.read_text("utf-8")
    other.write_text(text.replace(POOL, CERT).replace("orders-api", "edge"), "utf-8")
    assert warnings(root) == []
    other.write_text(text, "utf-8")
    assert [found.split(" (")[0] for found in warnings(root)] == [
        "INC-2024-0003-x.md: platform/INC-2023-0001"
    ]


def test_a_repeat_of_another_teams_incident_is_accepted_where_the_org_is_known(
    tmp_path: Path,
) -> None:
    root = teams(tmp_path, "platform/INC-2023-0001", key="repeat_of")
    assert links_found(root, "repeat_of") == []


def test_a_repeat_of_another_team_is_refused_with_its_line_where_it_cannot_be_resolved(
    tmp_path: Path,
) -> None:
    unknown = teams(tmp_path / "a", "platform/INC-2023-0009", key="repeat_of")
    assert links_found(unknown, "repeat_of") == [
        "PM703 8:12 repeat_of: no post-mortem in team platform's repository has the id "
        "INC-2023-0009"
    ]
    no_org = teams(tmp_path / "b", "platform/INC-2023-0001", key="repeat_of", org=False)
    assert links_found(no_org, "repeat_of") == [
        "PM703 8:12 repeat_of: platform/INC-2023-0001 names another team's incident, and no "
        "org is known"
    ]
    no_team = teams(tmp_path / "c", "search/INC-2023-0001", key="repeat_of")
    assert links_found(no_team, "repeat_of") == [
        f"PM703 8:12 repeat_of: {tmp_path}/c/org.yaml lists no team 'search' with post-mortems"
    ]


def test_pm706_counts_a_cross_team_repeat_of_as_linked(tmp_path: Path) -> None:
    assert warnings(teams(tmp_path, "platform/INC-2023-0001", key="repeat_of")) == []


def test_a_repeat_of_a_later_incident_is_reported_with_its_line(tmp_path: Path) -> None:
    """A repeat follows what it repeats: repeat_of naming a later incident (of another
    team, or of its own repository; a later date, or the same date and a higher id) is
    reported where it is, never passed over."""
    later = teams(tmp_path / "a", "platform/INC-2023-0001", key="repeat_of")
    platform = tmp_path / "a/platform/2023/Q1/INC-2023-0001-x.md"
    platform.write_text(platform.read_text("utf-8").replace("2023-02-01", "2024-03-01"))
    assert links_found(later, "repeat_of") == [
        "PM703 8:12 repeat_of: platform/INC-2023-0001 happened on 2024-03-01, after this "
        "incident (2024-02-01): a repeat names an earlier incident"
    ]
    own = teams(tmp_path / "b", "INC-2023-0002", key="repeat_of")
    assert links_found(own, "repeat_of") == []
    earlier = own / "2023/Q2/INC-2023-0002-x.md"
    # The same day and a lower id: earlier, as repeats are ordered.
    earlier.write_text(post_mortem("INC-2023-0002", "2024-02-01", "Cert", CERT)[1], "utf-8")
    assert links_found(own, "repeat_of") == []
    earlier.write_text(post_mortem("INC-2023-0002", "2024-02-02", "Cert", CERT)[1], "utf-8")
    assert links_found(own, "repeat_of") == [
        "PM703 8:12 repeat_of: INC-2023-0002 happened on 2024-02-02, after this incident "
        "(2024-02-01): a repeat names an earlier incident"
    ]


def test_a_stored_result_is_not_taken_once_the_incident_named_moves_later(
    tmp_path: Path,
) -> None:
    own = teams(tmp_path, "INC-2023-0002", key="repeat_of")
    check = ("check", str(own), "--select", "PM703", "--format", "json")
    assert json.loads(run_cli(*check).output)["findings"] == []
    earlier = own / "2023/Q2/INC-2023-0002-x.md"
    earlier.write_text(post_mortem("INC-2023-0002", "2024-02-02", "Cert", CERT)[1], "utf-8")
    findings = json.loads(run_cli(*check).output)["findings"]
    assert [(f["code"], f["line"]) for f in findings] == [("PM703", 8)]
