"""Who the blameless rules take for a person: the repository's git authors and CODEOWNERS,
systems a post-mortem introduces as such, and things as the subject of 'should have'."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import SEED_NAME, findings_of, git_env, run

from postmortem_repo.repo.people_sources import codeowners_people, git_authors

ROOT_CAUSE = "### Root Cause\n\n"
POORLY = "### What Went Poorly\n\n"
ROOT_CAUSE_LINE = 95  # the first line written under Root Cause in the sample post-mortem
POORLY_LINE = 127  # the first line written under What Went Poorly

DEPLOYED = "Corwin deployed the change at 14:02, which exhausted the pool."


def _under(seed_text: str, heading: str, sentence: str) -> str:
    assert heading in seed_text
    return seed_text.replace(heading, heading + sentence + "\n\n", 1)


def _commit(root: Path, tmp_path: Path, author: str, email: str) -> None:
    env = {**git_env(tmp_path / "home"), "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email}
    for args in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "add"]):
        assert run(args, root, env).returncode == 0


def _blame(root: Path) -> list[tuple[str, int, int]]:
    return findings_of(root, select=("PM4",))


def test_a_git_author_is_a_person_the_rules_know(
    make_repo: Callable[..., Path], seed_text: str, tmp_path: Path
) -> None:
    root = make_repo({SEED_NAME: _under(seed_text, ROOT_CAUSE, DEPLOYED)})
    # Outside git, 'Corwin' is a word nobody knows, and deploying is what systems do too.
    assert _blame(root) == []
    _commit(root, tmp_path, "Corwin Vasek", "cvasek@example.com")
    assert _blame(root) == [("PM402", ROOT_CAUSE_LINE, 1)]
    assert git_authors(root) == ["Corwin Vasek", "cvasek"]


def test_bots_and_machine_identities_are_not_people(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_repo({"notes.md": "x\n"})
    _commit(root, tmp_path, "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
    assert git_authors(root) == []
    (root / "more.md").write_text("y\n")
    _commit(root, tmp_path, "root", "root@build-host")
    assert git_authors(root) == []


def test_not_people_wins_over_a_git_author(
    make_repo: Callable[..., Path], seed_text: str, tmp_path: Path
) -> None:
    root = make_repo(
        {
            SEED_NAME: _under(seed_text, ROOT_CAUSE, DEPLOYED),
            ".pmrepo.yaml": "not_people: [Corwin]\n",
        }
    )
    _commit(root, tmp_path, "Corwin Vasek", "cvasek@example.com")
    assert _blame(root) == []


def test_codeowners_handles_are_people_and_teams_are_not(make_repo: Callable[..., Path]) -> None:
    root = make_repo(
        {".github/CODEOWNERS": "# owners\n*.md @brannoc-vey @acme/sre jo@example.com\n"}
    )
    assert codeowners_people(root) == ["@brannoc-vey", "jo"]


def test_a_codeowner_named_in_the_text_is_a_person(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    sentence = "brannoc-vey deployed the change at 14:02, which exhausted the pool."
    files = {SEED_NAME: _under(seed_text, ROOT_CAUSE, sentence)}
    assert _blame(make_repo(files)) == []
    files[".github/CODEOWNERS"] = "* @brannoc-vey\n"
    assert _blame(make_repo(files)) == [("PM402", ROOT_CAUSE_LINE, 1)]


def test_a_name_introduced_as_a_service_is_a_system(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    service = "Alice, our alert-routing service, should have paged the secondary within 30 s."
    person = "Alice should have paged the secondary within 30 s."
    assert _blame(make_repo({SEED_NAME: _under(seed_text, POORLY, service)})) == []
    assert _blame(make_repo({SEED_NAME: _under(seed_text, POORLY, person)})) == [
        ("PM401", POORLY_LINE, 7)
    ]


def test_what_a_thing_should_have_done_is_not_hindsight_about_people(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    for sentence in (
        "The replica should have failed over within 30 s.",
        "Our overcommit should've been 2x, not 4x.",
    ):
        assert _blame(make_repo({SEED_NAME: _under(seed_text, POORLY, sentence)})) == [], sentence
    # A passive about a thing still hides whoever was to act.
    hidden = "The alert should have been acknowledged within five minutes."
    assert _blame(make_repo({SEED_NAME: _under(seed_text, POORLY, hidden)})) == [
        ("PM401", POORLY_LINE, 11)
    ]


def test_crediting_someone_is_not_naming_a_cause(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    credit = "As Ngozi pointed out in the review, the dashboards lagged by ten minutes."
    cause = "Ngozi pointed the DNS record at the old load balancer."
    assert _blame(make_repo({SEED_NAME: _under(seed_text, ROOT_CAUSE, credit)})) == []
    assert _blame(make_repo({SEED_NAME: _under(seed_text, ROOT_CAUSE, cause)})) == [
        ("PM402", ROOT_CAUSE_LINE, 1)
    ]
