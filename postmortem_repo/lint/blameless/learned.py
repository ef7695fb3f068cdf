"""A second reading of each sentence by a linear model learned from labelled sentences.

The detectors decide by structure and by words they know; the model reads the sentences
they leave, as word n-grams with people's names, handles and numbers made general ("<p>
pushed", "<p>'s change"), plus the section. Its weights come from bench/blame_train.py
(thousands of labelled sentences of many writers and styles) and ship as data: applying
them is a few dictionary lookups a sentence, deterministic, with nothing downloaded.

A sentence the model finds is given the rule its blame most resembles (a second set of
weights, one per rule) and quotes the n-gram that weighs most toward blame among those that
hold a person, a role or a pronoun.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import NamedTuple

from postmortem_repo.lint.blameless.lexicon import HUMAN_PRONOUNS, ROLE_NOUNS
from postmortem_repo.model.people import STRONG_EVIDENCE, People, first_names

MODEL_FILE = "blame-model.json"

# Words as the model reads them, in any alphabet ("Søren" is one word): handles with their
# dots, dashes and underscores, and numbers (times and dates as runs of digits).
TOKEN = re.compile(r"@?[^\W\d_][\w'\u2019.-]*[^\W_]|@?[^\W\d_]|\d+(?:[:./-]\d+)*")
PERSON = "<p>"

# The kinds of blame in the labelled data, and the rule that reports each.
KIND_CODES = {
    "counterfactual": "PM401",
    "named-individual": "PM402",
    "blame-verb": "PM402",
    "process-passive": "PM402",
    "judgement": "PM403",
    "human-error": "PM404",
    "punitive-action": "PM405",
}

# Section labels (as prose units carry them) reduced to what the model was taught.
_SECTION_KEYS = (
    ("executive summary", "summary"),
    ("impact", "impact"),
    ("timeline", "timeline"),
    ("root cause analysis / 5 whys", "whys"),
    ("root cause", "cause"),
    ("lessons learned / where we got lucky", "lucky"),
    ("lessons learned / what went well", "well"),
    ("lessons learned", "lessons"),
    ("action items", "actions"),
)


# What went well is credit: the model, taught on sentences about what went wrong, would read
# "the on-call engineer spotted the pattern" as being about a person.
_NOT_READ = frozenset(("well",))


class Token(NamedTuple):
    word: str  # as the model reads it
    start: int
    end: int


class Reading(NamedTuple):
    code: str
    start: int  # the quoted n-gram, as offsets into the text read
    end: int
    probability: float


@dataclass(frozen=True)
class Model:
    threshold: float
    bias: float
    weights: dict[str, float]
    code_biases: dict[str, float]  # which rule a sentence's blame is for
    code_weights: dict[str, dict[str, float]]


@functools.cache
def model() -> Model:
    raw = json.loads(files("postmortem_repo.lint.blameless").joinpath(MODEL_FILE).read_text())
    codes = raw["codes"]
    return Model(
        float(raw["threshold"]),
        float(raw["bias"]),
        raw["weights"],
        {code: float(value["bias"]) for code, value in codes.items()},
        {code: value["weights"] for code, value in codes.items()},
    )


def section_key(label: str) -> str:
    lowered = label.casefold()
    for prefix, key in _SECTION_KEYS:
        if lowered.startswith(prefix):
            return key
    return "other"


def _word(token: str, people: People) -> str:
    if token[0].isdigit():
        return "<n>"
    plain = token.replace("\u2019", "'")
    if plain.endswith("'s") and len(plain) > 3 and _is_person(plain[:-2], people):
        return PERSON + "'s"
    if _is_person(plain, people):
        return PERSON
    return plain.lower()


def _is_person(token: str, people: People) -> bool:
    # Most words are lowercase: a person only as a given name typed in a hurry or a handle
    # the repository knows.
    if (
        token.isalpha()
        and token.islower()
        and token.capitalize() not in first_names()
        and not people.knows(token)
    ):
        return False
    return people.evidence(token) in STRONG_EVIDENCE


def tokens(
    text: str, start: int, end: int, people: People, read: dict[str, str] | None = None
) -> list[Token]:
    """The words of text[start:end] as the model reads them. read holds the words already
    read with the same people (most words of a document recur, and telling whether one is
    a person is most of the cost)."""
    read = {} if read is None else read
    found_tokens = []
    for found in TOKEN.finditer(text, start, end):
        token = found.group()
        word = read.get(token)
        if word is None:
            word = read[token] = _word(token, people)
        found_tokens.append(Token(word, found.start(), found.end()))
    return found_tokens


# The n-grams read, by size, with the prefix of their feature names.
_GRAMS = ((1, "u="), (2, "b="), (3, "t="))


def features(words: list[str], section: str) -> set[str]:
    """The names of a sentence's features: its section; the words, pairs and triples of
    words (with the sentence's start and end); and the same read in general (see
    _general), with pairs one or two words apart, so that what was learned of "the DBA
    forgot" is known of "the SRE simply forgets". One home for training and reading."""
    padded = ["<s>", *words, "</s>"]
    general = [_general(word) for word in padded]
    names = {f"s={section_key(section)}"}
    for sequence, grams in ((padded, _GRAMS), (general, _GENERAL_GRAMS)):
        for size, prefix in grams:
            names.update(
                prefix + " ".join(sequence[index : index + size])
                for index in range(len(sequence) - size + 1)
            )
    names.update(
        f"gs={general[index]} {general[index + gap]}"
        for gap in _SKIPS
        for index in range(len(general) - gap)
    )
    return names


_GENERAL_GRAMS = ((1, "gu="), (2, "gb="), (3, "gt="))
_SKIPS = (2, 3)  # how far apart the words of a general pair are
# Endings a word loses when read in general, longest first.
_SUFFIXES = ("ingly", "edly", "ing", "ed", "es", "s", "ly")


def _general(word: str) -> str:
    """A word read in general: a role or a personal pronoun as the kind it is, any other
    word by its stem ('forgot' stays, 'forgetting' is 'forgett')."""
    if word.startswith("<"):
        return word
    if word in ROLE_NOUNS:
        return "<role>"
    if word in HUMAN_PRONOUNS:
        return "<pro>"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def read(
    text: str,
    start: int,
    end: int,
    section: str,
    people: People,
    words_read: dict[str, str] | None = None,
) -> Reading | None:
    """The model's reading of one sentence (text[start:end]): None unless it reads as
    blame with at least the model's threshold of probability. words_read: see tokens."""
    if section_key(section) in _NOT_READ:
        return None
    words = tokens(text, start, end, people, words_read)
    if not any(_is_agent(token.word) for token in words):
        return None  # nothing to quote (see _quoted): no need to weigh the sentence
    weights = model()
    names = features([token.word for token in words], section)
    found = weights.weights
    score = weights.bias + sum(found.get(name, 0.0) for name in names)
    probability = 1 / (1 + math.exp(-score))
    if probability < weights.threshold:
        return None
    quoted = _quoted(words, weights)
    if quoted is None:
        return None
    return Reading(_code(names, weights), *quoted, probability)


def _quoted(words: list[Token], weights: Model) -> tuple[int, int] | None:
    """The span to quote: of the n-grams that weigh toward blame, the heaviest that holds
    a person, a role or a pronoun for one. None when none does: blame needs someone to
    be about, and on long real post-mortems a reading without one is mostly of the topic
    ('outage', 'could have')."""
    best: tuple[float, int, int] | None = None
    for size, prefix in _GRAMS:
        for index in range(len(words) - size + 1):
            gram = words[index : index + size]
            if not any(_is_agent(token.word) for token in gram):
                continue
            weight = weights.weights.get(prefix + " ".join(token.word for token in gram), 0.0)
            candidate = (weight, -gram[0].start, gram[-1].end)
            if weight > 0 and (best is None or candidate > best):
                best = candidate
    return None if best is None else (-best[1], best[2])


def _is_agent(word: str) -> bool:
    return word.startswith(PERSON) or word in ROLE_NOUNS or word in HUMAN_PRONOUNS


def _code(names: set[str], weights: Model) -> str:
    scores = {
        code: bias + sum(weights.code_weights[code].get(name, 0.0) for name in names)
        for code, bias in weights.code_biases.items()
    }
    return max(sorted(scores), key=lambda code: scores[code])
