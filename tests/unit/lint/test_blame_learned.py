"""The learned reading of the blameless rules (config `blameless.learned`): off by default,
and when on, it flags what the detectors leave, quoting a phrase and giving the rule's hint."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from conftest import SEED_NAME, run_cli

from postmortem_repo import api
from postmortem_repo.lint.blameless import learned

ROOT_CAUSE = "### Root Cause\n\n"
# Blame no detector finds: a handle as the doer, in words no pattern knows.
UNSEEN = (
    "@kwabena.a widened the security group to 0.0.0.0/0 on Friday, and that is how the "
    "scanner got in."
)
LEARNED_ON = "blameless:\n  learned: true\n"
SENTENCES = Path(__file__).resolve().parents[2] / "data" / "blame" / "sentences"


def _repo(
    make_repo: Callable[..., Path], seed_text: str, sentence: str, config: str = ""
) -> tuple[Path, int]:
    text = seed_text.replace(ROOT_CAUSE, ROOT_CAUSE + sentence + "\n\n", 1)
    line = text.splitlines().index(sentence) + 1
    files = {SEED_NAME: text}
    if config:
        files[".pmrepo.yaml"] = config
    return make_repo(files), line


def _pm4(root: Path) -> list[tuple[str, int, str, str]]:
    result = api.check([root], select=("PM4",))
    return [(f.code, f.line, f.message, f.hint) for f in result.findings]


def test_off_by_default(make_repo: Callable[..., Path], seed_text: str) -> None:
    root, _ = _repo(make_repo, seed_text, UNSEEN)
    assert _pm4(root) == []


def test_when_on_a_sentence_the_detectors_leave_is_flagged_with_its_phrase(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    root, line = _repo(make_repo, seed_text, UNSEEN, LEARNED_ON)
    [(code, found_line, message, hint)] = _pm4(root)
    assert (code, found_line) == ("PM402", line)
    assert message == "reads as a person named as the cause: '@kwabena.a'"
    assert hint.startswith("describe the change and the safeguard that was missing")


def test_the_command_line_shows_it_with_column_and_exits_1(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    root, line = _repo(make_repo, seed_text, UNSEEN, LEARNED_ON)
    result = run_cli("check", str(root), "--select", "PM4")
    assert result.exit_code == 1
    assert f"{SEED_NAME}:{line}:1: PM402 reads as a person named as the cause" in result.output


def test_system_sentences_stay_clean_with_it_on(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    sentence = "The replica lag alert fired at 14:02 and paged the on-call."
    root, _ = _repo(make_repo, seed_text, sentence, LEARNED_ON)
    assert _pm4(root) == []


def test_an_allowed_phrase_keeps_its_sentence_from_the_learned_reading(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    config = LEARNED_ON + "  allow: ['security group']\n"
    root, _ = _repo(make_repo, seed_text, UNSEEN, config)
    assert _pm4(root) == []


def test_a_sentence_a_detector_flags_is_not_flagged_twice(
    make_repo: Callable[..., Path], seed_text: str
) -> None:
    sentence = "Alice forgot to update the config after the deployment."
    root, line = _repo(make_repo, seed_text, sentence, LEARNED_ON)
    assert [(code, found) for code, found, _, _ in _pm4(root)] == [("PM402", line)]
    assert not _pm4(root)[0][2].startswith("reads as")


def test_the_sample_repository_is_clean_with_it_on(repo: Path) -> None:
    config = repo / ".pmrepo.yaml"
    config.write_text(config.read_text("utf-8") + "\n" + LEARNED_ON, "utf-8")
    assert _pm4(repo) == []


def test_the_shipped_weights_were_learned_from_the_sentence_sets_as_they_are() -> None:
    """Changing a labelled set without training again (bench/blame_train.py) would ship
    weights that no longer say what the data does."""
    shipped = json.loads(Path(learned.__file__).with_name(learned.MODEL_FILE).read_text("utf-8"))[
        "trained_on"
    ]
    current = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(SENTENCES.glob("*.jsonl"))
    }
    assert shipped == current
