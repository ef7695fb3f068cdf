"""PM4xx on real post-mortems: the reframing table, positions, people, config."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, SEED_NAME, findings_of, run_cli

from postmortem_repo import api

POORLY = "### What Went Poorly\n\n"
FIRST = 127  # the first line written under What Went Poorly in the sample post-mortem


def under_poorly(seed_text: str, *paragraphs: str) -> str:
    """The seed sample with paragraphs at the top of What Went Poorly, one line each."""
    assert POORLY in seed_text
    return seed_text.replace(POORLY, POORLY + "".join(p + "\n\n" for p in paragraphs), 1)


def blame(root: Path, **options: object) -> list[tuple[str, int, int]]:
    return findings_of(root, select=("PM4",), **options)


LEFT_COLUMN = [
    "Alice forgot to update the config after the deployment.",
    "Bob was tired and clicked the wrong button in the admin panel.",
    "The on-call engineer didn't know how to handle the alert.",
    "Charlie didn't check the database connection pool before deploying.",
    "The team didn't follow the change management process.",
]
RIGHT_COLUMN = [
    "The deployment process did not automatically validate that configuration matched the "
    "deployed code version.",
    "The admin panel had no confirmation dialog for destructive actions, and the 'delete' "
    "button was visually similar to 'disable'.",
    "The runbook for this alert was outdated (last updated 8 months ago) and did not cover "
    "the current failure mode.",
    "The CI pipeline does not include a pre-deploy health check for database connection capacity.",
    "The change management process was bypassed because it added 4 hours of delay, and "
    "engineers felt pressure to deploy quickly.",
]


def test_every_left_column_sentence_is_flagged_with_a_hint(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    root = make_repo({SEED_NAME: under_poorly(seed_text, *LEFT_COLUMN)})
    result = api.check([root], select=("PM4",))
    assert [(f.code, f.line, f.column) for f in result.findings] == [
        ("PM402", FIRST + 2 * index, 1) for index in range(5)
    ]
    assert [f.message for f in result.findings] == [
        "a person is named as the cause: 'Alice forgot'",
        "a person is named as the cause: 'Bob was tired'",
        "a person is named as the cause: 'The on-call engineer didn't know'",
        "a person is named as the cause: 'Charlie didn't check'",
        "a team is named as the cause: 'The team didn't follow'",
    ]
    hints = [f.hint for f in result.findings]
    assert all(hints)
    assert "did not automatically validate" in hints[0]
    assert "confirmation dialog" in hints[1]
    assert "runbook" in hints[2]
    assert "bypassed because it added 4 hours of delay" in hints[4]


def test_no_right_column_sentence_is_flagged(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    root = make_repo({SEED_NAME: under_poorly(seed_text, *RIGHT_COLUMN)})
    assert blame(root) == []


def test_the_seed_sample_is_clean_including_where_we_got_lucky(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    assert "MTTR would have been significantly longer" in seed_text
    root = make_repo({SEED_NAME: seed_text})
    assert blame(root) == []


def test_the_rule_doc_shows_the_seed_reframing_table() -> None:
    doc = run_cli("rule", "PM402").stdout
    for sentence in LEFT_COLUMN + RIGHT_COLUMN:
        assert sentence in doc


def test_findings_point_at_the_phrase_in_wrapped_text_lists_and_cells(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    text = under_poorly(
        seed_text,
        "The rollback started late. In hindsight the canary\nshould have been checked first.",
        "- Metrics were fine.\n  - Careless review let the change through.",
    )
    text = text.replace(
        "| 14:25:12 | alert | 🔥 Alert [PaymentAPI_LatencyP95High] firing |",
        "| 14:25:12 | oncall-alice | Page missed by oncall-alice; root cause: human error |",
    )
    root = make_repo({SEED_NAME: text})
    assert blame(root) == [
        ("PM402", 71, 34),  # "missed by oncall-alice", in the Event cell
        ("PM404", 71, 70),
        ("PM401", FIRST + 1, 1),  # the counterfactual starts the wrapped line
        ("PM403", FIRST + 4, 5),  # a nested list item
    ]


def test_quotes_code_comments_and_links_are_not_read(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    text = under_poorly(
        seed_text,
        'The old runbook said "operators should have drained the node first".',
        "Running `git blame` showed the line; the `--careless` flag is a real option.",
        "<!-- Alice forgot to drain the node: keep this out of the published copy -->",
        "See [Why human error is never the root cause](https://example.com/human-error).",
        "```\nhuman error: operator should have confirmed\n```",
    )
    root = make_repo({SEED_NAME: text})
    assert blame(root) == []


def test_a_chat_log_in_a_block_quote_is_read_at_its_own_lines(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    # A pasted chat is published with the post-mortem: its blame is the post-mortem's.
    text = under_poorly(
        seed_text,
        "> fejta [5:21 PM]\nyes, roll back\nWe really ought not to have refactored every"
        " binary at once.\n>\n> > - nested: Bob forgot to restart the service.",
    )
    root = make_repo({SEED_NAME: text})
    assert blame(root) == [
        ("PM401", FIRST + 2, 11),  # a lazy continuation line of the quote
        ("PM402", FIRST + 4, 15),  # a list item in a quote in a quote
    ]


def test_code_and_headings_inside_a_block_quote_are_not_read(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    text = under_poorly(
        seed_text,
        "> ```\n> $ deploy --force\n>\n> Bob was careless and forgot the flag\n> ```",
        "> ## Bob forgot to restart the service",
    )
    assert blame(make_repo({SEED_NAME: text})) == []


def test_timeline_actors_owners_and_sign_off_names_are_facts(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    text = seed_text.replace(
        "| 14:25:12 | alert | 🔥 Alert [PaymentAPI_LatencyP95High] firing |",
        "| 14:25:12 | oncall-alice | oncall-alice acknowledged the page and rolled back |",
    ).replace("| sre-team | P0 | 2024-01-22 | DONE |", "| Bob Johnson | P0 | 2024-01-22 | DONE |")
    root = make_repo({SEED_NAME: text})
    assert blame(root) == []


def test_a_person_named_in_root_cause_analysis_is_a_finding_even_with_a_neutral_verb(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    line = "Alice deployed v2.4.0 with the unindexed query."
    text = seed_text.replace("### Root Cause\n\n", f"### Root Cause\n\n{line}\n\n", 1)
    elsewhere = under_poorly(seed_text, line)
    root = make_repo({SEED_NAME: text})
    assert blame(root) == [("PM402", 95, 1)]
    root = make_repo({SEED_NAME: elsewhere})
    assert blame(root) == []


def test_systems_and_words_that_look_like_names_are_not_people(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    text = under_poorly(
        seed_text,
        "Jenkins failed to start the deploy job, and Knox missed two heartbeats.",
        "Grant failed to propagate to the read replica within the TTL.",
        "The payment-api pods ignored the SIGTERM and were killed after 30 s.",
        "We will mark the alert as flaky and bill the overage to the platform budget.",
    )
    root = make_repo({SEED_NAME: text})
    assert blame(root) == []


def test_people_come_from_the_config_and_from_other_post_mortems(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    sentence = "Okonkwo missed the disk alert for two days."
    other = seed_text.replace("id: INC-2024-0015", "id: INC-2024-0016").replace(
        "  - Carol Williams (Eng Manager)", "  - Okonkwo Eze (DBA)"
    )
    root = make_repo({SEED_NAME: under_poorly(seed_text, sentence)})
    assert blame(root) == []
    (root / ".pmrepo.yaml").write_text("people: [Okonkwo]\n", "utf-8")
    assert blame(root) == [("PM402", FIRST, 1)]
    (root / ".pmrepo.yaml").unlink()
    (root / "2024/Q1/INC-2024-0016-dns.md").write_text(other, "utf-8")
    assert findings_of(root, select=("PM402",)) == [("PM402", FIRST, 1)]


def test_a_known_person_whose_name_is_also_a_grammar_word_is_still_a_person(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    # "Do" and "An" are never the subject of a clause, unless someone is called that.
    sentences = ("Do forgot to rotate the key.", "An skipped the review.")
    root = make_repo({SEED_NAME: under_poorly(seed_text, *sentences)})
    assert blame(root) == []
    (root / ".pmrepo.yaml").write_text("people: [Minh Do, An Nguyen]\n", "utf-8")
    assert blame(root) == [("PM402", FIRST, 1), ("PM402", FIRST + 2, 1)]


def test_config_not_people_allow_extra_and_skip_sections(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    text = under_poorly(
        seed_text,
        "Clara failed to rotate the signing keys.",
        "We didn't catch the drift in staging.",
        "The YOLO deploy went out at 17:55 on a Friday.",
    )
    root = make_repo({SEED_NAME: text})
    assert blame(root) == [("PM402", FIRST, 1), ("PM402", FIRST + 2, 1)]
    (root / ".pmrepo.yaml").write_text(
        "not_people: [Clara]\n"
        "blameless:\n"
        '  allow: ["we didn\'t catch"]\n'
        "  extra: {PM403: [yolo deploy]}\n",
        "utf-8",
    )
    assert blame(root) == [("PM403", FIRST + 4, 5)]
    (root / ".pmrepo.yaml").write_text(
        "blameless:\n  skip_sections: {Lessons Learned: [PM4]}\n", "utf-8"
    )
    assert blame(root) == []


def test_inline_suppressions_cover_the_blameless_rules(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    text = under_poorly(
        seed_text,
        "<!-- pmrepo-disable-next-line PM402 -->\nAlice forgot to update the config.",
        "<!-- pmrepo-disable PM401 -->",
        "We should have rolled back sooner.",
        "<!-- pmrepo-enable PM401 -->",
        "We should have paged the database team.",
    )
    root = make_repo({SEED_NAME: text})
    assert blame(root) == [("PM401", FIRST + 9, 4)]


def test_a_bad_blameless_config_is_a_clear_error(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    root = make_repo({SEED_NAME: seed_text, ".pmrepo.yaml": "blameless:\n  extra: {PM999: [x]}\n"})
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert ".pmrepo.yaml: invalid config at 'blameless.extra'" in result.stderr


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("blame_quality", REPO / "bench/blame_quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("corpus", ["dev", "holdout", "holdout2"])
def test_labelled_corpus_meets_the_quality_targets(corpus: str) -> None:
    bench = _bench()
    items = bench.evaluate(corpus)  # type: ignore[attr-defined]
    assert len(items) >= (300 if corpus == "dev" else 100)
    scores = bench.score(items)  # type: ignore[attr-defined]
    overall = scores["overall"]
    assert overall.precision >= 0.95 and overall.recall >= 0.90, vars(overall)
    for code in ("PM401", "PM402", "PM403", "PM404"):
        assert scores[code].precision >= 0.9 and scores[code].recall >= 0.85, (code, scores[code])


def test_messages_quote_the_whole_phrase(make_repo: Callable[..., Path], seed_text: str) -> None:
    text = under_poorly(
        seed_text,
        "The pool size should have been reviewed as traffic grew.",
        "Root cause: operator error during the manual failover.",
    )
    root = make_repo({SEED_NAME: text})
    result = api.check([root], select=("PM4",))
    assert [(f.code, f.line, f.column, f.message) for f in result.findings] == [
        ("PM401", FIRST, 15, "hindsight counterfactual 'should have been reviewed'"),
        ("PM404", FIRST + 2, 13, "'operator error' given as a cause"),
    ]


PERSON_TARGETED = [
    "Sven to complete database safety retraining before his access is restored.",
    "Marcus to obtain manager sign-off before any further production deploys.",
    "The on-call engineer will receive a formal written warning.",
    "Remind all engineers to be more careful when editing production configs.",
    "Sven's production access will be revoked until he completes the course.",
]
NOT_PERSON_TARGETED = [
    "Require a second approver in the migration tool for statements without a WHERE clause.",
    "Add a confirmation prompt that shows the target environment, rather than asking "
    "people to be more careful.",
    "No disciplinary action will be taken: the same slip is open to every engineer.",
    "Ingrid waited 20 minutes for log access because the break-glass flow required a "
    "manager's approval.",
    "Revoke the leaked deploy token's access to the registry.",
    "Run the quarterly failover drill for the whole on-call rotation.",
]


def test_actions_aimed_at_a_person_are_flagged_with_the_system_alternative(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    root = make_repo({SEED_NAME: under_poorly(seed_text, *PERSON_TARGETED)})
    result = api.check([root], select=("PM405",))
    assert [(f.code, f.line, f.message) for f in result.findings] == [
        ("PM405", FIRST, "an action aimed at a person, not the system: 'retraining'"),
        (
            "PM405",
            FIRST + 2,
            "an action aimed at a person, not the system: 'obtain manager sign-off'",
        ),
        (
            "PM405",
            FIRST + 4,
            "an action aimed at a person, not the system: 'formal written warning'",
        ),
        (
            "PM405",
            FIRST + 6,
            "an action aimed at a person, not the system: "
            "'Remind all engineers to be more careful'",
        ),
        (
            "PM405",
            FIRST + 8,
            "an action aimed at a person, not the system: 'access will be revoked'",
        ),
    ]
    assert all(
        "instead of retraining" in f.hint or "be more careful" in f.hint for f in result.findings
    )


def test_system_changes_and_set_aside_sanctions_are_not_person_targeted(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    root = make_repo({SEED_NAME: under_poorly(seed_text, *NOT_PERSON_TARGETED)})
    assert api.check([root], select=("PM405",)).findings == []


def test_a_person_targeted_action_item_row_is_flagged_at_its_row(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    header = "|---|--------|-------|----------|-----|--------|\n"
    assert header in seed_text
    row = "| 9 | Rahul to shadow a senior SRE on four shifts | Rahul | P2 | 2024-03-01 | OPEN |\n"
    text = seed_text.replace(header, header + row, 1)
    root = make_repo({SEED_NAME: text})
    line = text.splitlines().index(row.rstrip("\n")) + 1
    findings = api.check([root], select=("PM405",)).findings
    assert [(f.code, f.line, f.column) for f in findings] == [("PM405", line, 16)]


CLEARING_AND_SYSTEMS = [
    "The IPS team called the admin and confirmed that he did not suspend the account.",
    "However, the admin did not perform the suspension of the account.",
    "Our focus has always been on data security: we never expose personal information.",
    "Downstream actions were delayed and should have been automatically corrected.",
]


def test_clearing_someone_a_promise_and_a_system_s_task_are_not_blame(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    root = make_repo({SEED_NAME: under_poorly(seed_text, *CLEARING_AND_SYSTEMS)})
    assert api.check([root], select=("PM4",)).findings == []
