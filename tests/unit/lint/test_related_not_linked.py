"""PM706 related-not-linked: a clearly similar earlier incident that is not linked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from related_repos import POOL, post_mortem

from postmortem_repo import api
from postmortem_repo.core.errors import PmrepoError

MakeRepo = Callable[[dict[str, str]], Path]
LATER = "2024/Q1/INC-2024-0003-x.md"


def two_incidents(make_repo: MakeRepo, extra: str = "", status: str = "PUBLISHED") -> Path:
    earlier = post_mortem("INC-2023-0001", "2023-02-01", "Orders failing", POOL)
    path, text = post_mortem("INC-2024-0003", "2024-03-01", "Orders failing", POOL, extra=extra)
    return make_repo(dict([earlier, (path, text.replace("PUBLISHED", status))]))


def pm706(root: Path, *paths: Path) -> list[tuple[str, int, int, str, str | None]]:
    result = api.check(list(paths) or [root], select=["PM706"])
    return [
        (Path(f.path).relative_to(root).as_posix(), f.line, f.column, f.message, f.hint)
        for f in result.findings
    ]


def test_a_similar_earlier_incident_not_linked_is_a_warning(make_repo: MakeRepo) -> None:
    root = two_incidents(make_repo)
    assert pm706(root) == [
        (
            LATER,
            2,
            5,
            "INC-2023-0001 (Orders failing) looks related and is not linked: same service "
            "orders-api; shared tag capacity-limit; 'database connection' in both root "
            "causes (score 1.60)",
            "add INC-2023-0001 to related (or repeat_of), or run 'pmrepo related "
            "INC-2024-0003' to see the other candidates",
        )
    ]
    assert api.check([root], select=["PM706"]).findings[0].severity.value == "warning"


def test_a_check_of_the_later_file_alone_warns_too(make_repo: MakeRepo) -> None:
    root = two_incidents(make_repo)
    assert [finding[:2] for finding in pm706(root, root / LATER)] == [(LATER, 2)]


def test_a_linked_incident_is_no_warning(make_repo: MakeRepo) -> None:
    assert pm706(two_incidents(make_repo, "related: [INC-2023-0001]\n")) == []
    assert pm706(two_incidents(make_repo, "repeat_of: INC-2023-0001\n")) == []


def test_a_draft_is_not_checked(make_repo: MakeRepo) -> None:
    assert pm706(two_incidents(make_repo, status="DRAFT")) == []


def test_the_threshold_is_the_config_s(make_repo: MakeRepo) -> None:
    root = two_incidents(make_repo)
    (root / ".pmrepo.yaml").write_text("related:\n  threshold: 1.7\n", "utf-8")
    assert pm706(root) == []
    (root / ".pmrepo.yaml").write_text("related:\n  threshold: 1.5\n", "utf-8")
    assert [finding[:2] for finding in pm706(root)] == [(LATER, 2)]


def test_a_bad_threshold_is_a_config_error(make_repo: MakeRepo) -> None:
    root = two_incidents(make_repo)
    (root / ".pmrepo.yaml").write_text("related:\n  threshold: high\n", "utf-8")
    with pytest.raises(PmrepoError) as raised:
        api.check([root], select=["PM706"])
    assert str(raised.value) == (
        f"{root / '.pmrepo.yaml'}: invalid config at 'related.threshold': "
        "'related.threshold' must be a number; got 'high'"
    )


def test_an_uncleared_security_incident_is_neither_warned_nor_named(
    make_repo: MakeRepo,
) -> None:
    assert pm706(two_incidents(make_repo, "security: true\n")) == []
    earlier_secret = post_mortem(
        "INC-2023-0001", "2023-02-01", "Orders failing", POOL, extra="security: true\n"
    )
    later = post_mortem("INC-2024-0003", "2024-03-01", "Orders failing", POOL)
    assert pm706(make_repo(dict([earlier_secret, later]))) == []


def test_sample_repo_has_no_warning(repo: Path) -> None:
    assert pm706(repo) == []


def test_linking_the_first_does_not_hide_a_second_as_strong(make_repo: MakeRepo) -> None:
    first = post_mortem("INC-2023-0001", "2023-02-01", "Orders failing", POOL)
    second = post_mortem(
        "INC-2023-0007", "2023-06-01", "Orders failing", POOL, extra="related: [INC-2023-0001]\n"
    )
    later = post_mortem(
        "INC-2024-0003", "2024-03-01", "Orders failing", POOL, extra="related: [INC-2023-0007]\n"
    )
    root = make_repo(dict([first, second, later]))
    [(path, _, _, message, _)] = pm706(root)
    assert path == LATER and message.startswith("INC-2023-0001 (Orders failing) looks related")
