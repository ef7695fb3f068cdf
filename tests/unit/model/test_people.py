"""Who is a person and what is a system, as the blameless rules learn it from a post-mortem."""

from __future__ import annotations

import pytest

from postmortem_repo.model.people import People, systems_introduced


@pytest.mark.parametrize("actor", ["system", "monitoring", "alert", "deploy-bot", "cron"])
def test_a_timeline_actor_that_is_a_thing_makes_no_person(actor: str) -> None:
    people = People()
    people.add_people([actor])
    assert not people.knows(actor)
    assert people.evidence(actor) == ""


def test_a_timeline_actor_that_is_a_person_is_known() -> None:
    people = People()
    people.add_people(["oncall-alice", "@dmitri"])
    assert people.knows("alice") and people.knows("dmitri")


@pytest.mark.parametrize(
    ("text", "systems"),
    [
        ("The rollout controller, which we call Marvin internally, applied it.", {"marvin"}),
        ("(pricey = our LaunchDarkly \u2192 Slack notifier)", {"pricey"}),
        ("Marvin is the moderation bot on the project Discord.", {"marvin"}),
        ("Marvin is not a person, although people asked us to apologise.", {"marvin"}),
        ("Alice, our alert-routing service, paged nobody.", {"alice"}),
        # People described with a system's name are still people.
        ("Dana is the service owner.", set()),
        ("Kim is the owner of the payments service.", set()),
        ("She is the on-call for the api.", set()),
        ("Kim is the on-call engineer.", set()),
        ("The failover tool, Orca, checks replication lag.", {"orca"}),
        ("Orca is our orchestrator.", {"orca"}),
        ("13:05 Deploy bot Maggie starts progressive rollout", {"maggie"}),
        ("usage-aggregator 5.6 released by Barnaby (release bot) after CI.", {"barnaby"}),
        ("the University's certificate inventory (Keyfactor), which monitors", {"keyfactor"}),
        ("The on-call engineer, Priya, paged the DBA.", set()),
        ("it could only exfiltrate our bot PAT, the token", set()),
    ],
)
def test_systems_a_post_mortem_introduces(text: str, systems: set[str]) -> None:
    assert systems_introduced(text) == systems
