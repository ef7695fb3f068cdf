"""Blameless-language detection: the language model behind the PM4xx rules.

Every detector reads masked prose units (see prose.py) and reports hits with offsets. The
person test is the heart of it: a failure verb only counts when its subject is a person, a
role standing for one ("the on-call engineer"), a pronoun for people or a team. Systems
that fail ("the pool failed to ...", "Jenkins missed the webhook") are the normal subject of
a post-mortem sentence and never count.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Iterator
from typing import NamedTuple

from postmortem_repo.lint.blameless.prose import ProseUnit
from postmortem_repo.model.people import SUBJECT_STOPWORDS, People, word_set

COUNTERFACTUAL, INDIVIDUAL, JUDGEMENT, HUMAN_ERROR = "PM401", "PM402", "PM403", "PM404"


class Hit(NamedTuple):
    code: str
    start: int
    end: int
    phrase: str
    kind: str  # which hint to give


Spans = list[tuple[int, int]]


class _Lazy:
    """A pattern compiled when it is first used. As a pre-commit hook pmrepo often checks
    one file, and compiling every pattern here at import costs more than reading it: most
    only run on a sentence that holds one of their words."""

    __slots__ = ("_compiled", "_flags", "_source", "needs")

    def __init__(self, source: str, flags: int = 0, needs: tuple[str, ...] = ()) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None
        # Words (lowercase) one of which every match holds: _find skips spans without any.
        self.needs = needs

    @property
    def source(self) -> str:
        return self._source

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return (self._compiled or self.compiled).finditer(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self._compiled or self.compiled).search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self._compiled or self.compiled).match(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[str]:
        return (self._compiled or self.compiled).findall(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return (self._compiled or self.compiled).fullmatch(text, pos, endpos)


def _find(pattern: _Lazy, text: str, spans: Spans) -> Iterator[re.Match[str]]:
    """The pattern's matches in spans, looked for only in those that hold a word it needs:
    a pattern tried at every character costs far more than a few substring checks."""
    needs = pattern.needs
    if needs and _has_folded(text):
        needs = ()  # see _FOLDED
    for start, end in spans:
        if needs and not _holds_one(text[start:end].lower(), needs):
            continue
        yield from pattern.finditer(text, start, end)


def _holds_one(segment: str, needs: tuple[str, ...]) -> bool:
    # A loop, not any() over a generator: this runs for most sentences and is ~30% faster.
    for need in needs:  # noqa: SIM110
        if need in segment:
            return True
    return False


_LETTERS = _Lazy(r"[A-Za-z]+")
_WRONG = _Lazy(
    r"\b(?:wrong|incorrect|mistaken)\b", re.IGNORECASE, needs=("wrong", "incorrect", "mistaken")
)


# --- subjects ------------------------------------------------------------------------------

_TOKEN = _Lazy(r"[@\w][\w'\u2019.\-@]*\w|[@\w]")
_CLAUSE_BREAK = _Lazy(r"[.!?;:](?=\s|$)|[,()\[\]\u2014\u2013]|\s-\s|\n\s*\n")
_DETERMINERS = word_set(
    "the a an this that these those our their its his her my your every each no any some"
)
_ADVERBS = word_set(
    """also just simply then again apparently accidentally mistakenly inadvertently clearly
    obviously probably later still initially once somehow evidently reportedly even never
    already eventually subsequently unfortunately"""
)
_HUMAN_PRONOUNS = word_set("i we he she someone somebody")
_ROLE_NOUNS = word_set(
    """engineer engineers oncall on-call on-caller on-callers operator operators developer
    developers dev devs dba dbas sre sres admin admins administrator administrators reviewer
    reviewers responder responders commander intern interns hire hires contractor
    contractors employee employees staff analyst analysts team teams person people human
    humans technician technicians approver approvers deployer deployers author authors
    lead manager managers ops oncaller programmer programmers coder coders tester testers
    ic"""
)
_PREPOSITIONS = word_set(
    "to for with from of by about into onto on at in than like via per against"
)
_NOT_ROLE_BEFORE = word_set("service system bot script job pipeline tool")


class Subject(NamedTuple):
    kind: str  # pronoun, role, person
    start: int
    evidence: str = ""  # for a person: known, handle, name, word-name, capitalised, lowercase
    generic: bool = False  # "any engineer", "anyone": a statement about everyone


_CLAUSE_WINDOW = 300


def _tokens_before(text: str, end: int) -> tuple[int, list[re.Match[str]]]:
    """The start and the tokens of the clause that ends at end (commas and sentence ends
    break clauses)."""
    # A subject sits close to its verb: looking back a bounded way keeps a huge paragraph
    # linear in its length.
    start = max(0, end - _CLAUSE_WINDOW)
    for brk in _CLAUSE_BREAK.finditer(text, start, end):
        start = brk.end()
    return start, list(_TOKEN.finditer(text, start, end))


def _relative_pronoun(tokens: list[re.Match[str]]) -> int | None:
    """The index of 'who'/'whose' introducing the clause's subject, if there is one."""
    for index in range(len(tokens) - 1, max(-1, len(tokens) - 6), -1):
        if tokens[index].group().lower() in ("who", "whose"):
            return index
    return None


def _is_role(word: str, *, first: bool) -> bool:
    """'engineer', 'DBA', 'Engineers' opening a clause; not 'Teams' the product."""
    if word.lower().replace("\u2019", "'") not in _ROLE_NOUNS:
        return False
    return word.islower() or word.isupper() or first


def subject_before(
    text: str, end: int, people: People, *, antecedent: bool = False
) -> Subject | None:
    """Who does what the text says at end: the noun phrase right before it, if human."""
    clause_start, tokens = _tokens_before(text, end)
    while tokens and _is_adverb(tokens[-1].group()):
        tokens.pop()
    if not tokens:
        # "Alice, who was on call, forgot ...": look past the aside to its subject.
        if clause_start and text[clause_start - 1] == ",":
            aside = text.rfind(",", 0, clause_start - 1)
            if aside >= 0:
                return subject_before(text, aside, people)
        return None
    relative = _relative_pronoun(tokens)
    if relative is not None:
        # "the operator who ignored ...", "jdoe, whose careless edit caused ...".
        where = tokens[relative].start()
        if relative == 0:
            where = text.rfind(",", 0, clause_start) if clause_start else -1
            if where < 0:
                return None
        return subject_before(text, where, people, antecedent=True)
    if (
        len(tokens) > 2
        and tokens[-2].group().lower() == "on"
        and tokens[-1].group().lower()
        in (
            "shift",
            "call",
            "duty",
            "rotation",
        )
    ):
        tokens = tokens[:-2]
    head = tokens[-1]
    word = head.group()
    lowered = word.lower()
    before = tokens[-2].group().lower() if len(tokens) > 1 else ""
    if tokens[0].group().lower() == "whoever":
        return Subject("pronoun", tokens[0].start())
    if lowered in ("anyone", "anybody"):
        return Subject("pronoun", head.start(), generic=True)
    if lowered in _HUMAN_PRONOUNS:
        return Subject("pronoun", head.start())
    if _is_role(word, first=len(tokens) == 1) or lowered.endswith("-team"):
        return _role_subject(tokens, antecedent)
    # "the Knox service" is no one; in "a typo that Rahul pushed", 'that' starts a clause.
    if before in _DETERMINERS and not (before == "that" and _is_name_shaped(word)):
        return None
    evidence = people.evidence(word)
    if not evidence and len(tokens) > 1 and _is_name_shaped(word):
        # "Ayesha Siddiqui": the given name tells.
        given = tokens[-2].group()
        if _is_name_shaped(given) and people.evidence(given) in ("known", "name"):
            return Subject("person", tokens[-2].start(), people.evidence(given))
    if evidence:
        start = head.start()
        # "Alice Smith": start at the first name.
        if len(tokens) > 1 and tokens[-2].group()[:1].isupper() and people.evidence(before.title()):
            start = tokens[-2].start()
        return Subject("person", start, evidence)
    if people.is_system(word) or lowered in _STOP or lowered in SUBJECT_STOPWORDS:
        return None
    if not word[:1].isalpha():
        return None
    if word[:1].isupper() and _is_name_shaped(word):
        return Subject("person", head.start(), "capitalised")
    if len(tokens) == 1 and word.islower() and len(word) > 2:
        return Subject("person", head.start(), "lowercase")
    return None


_STOP = word_set(
    """it this that these those there then also everyone everybody nobody nothing something
    anything none each both all which who what when where why how here however meanwhile
    later finally first next after before during since because while although though if
    unless until so but and or nor yet they them it's was were is are be been being has had
    have do does did not no the a an of to in on at for with by from as"""
)


def _is_adverb(word: str) -> bool:
    lowered = word.lower()
    return lowered in _ADVERBS or (word.islower() and lowered.endswith("ly") and len(word) > 4)


def _is_name_shaped(word: str) -> bool:
    """Capitalised, then lowercase letters (Oluwaseun, O'Brien, Lucía): not ACME or API."""
    return bool(re.fullmatch(r"[A-Z][a-z\u00e0-\u024f]+(?:['\u2019-][A-Za-z][a-z]+)?", word))


def _role_subject(tokens: list[re.Match[str]], antecedent: bool) -> Subject | None:
    """'the on-call engineer', 'our DBA', 'Engineers', 'the payments team'.

    A role after a verb or a preposition is its object ("appointing an incident manager"),
    unless it is the antecedent of 'who' ("talk to the operator who ignored ...").
    """
    if len(tokens) > 1 and tokens[-2].group().lower() in _NOT_ROLE_BEFORE:
        return None
    index = len(tokens) - 1
    for candidate in range(len(tokens) - 2, max(-1, len(tokens) - 6), -1):
        if tokens[candidate].group().lower() in _DETERMINERS:
            index = candidate
            break
    word = tokens[index].group().lower()
    generic = word in ("any", "every", "no")
    if index > 0 and not antecedent:
        before = tokens[index - 1].group().lower()
        if before in _PREPOSITIONS and index > 1:
            # "someone on the data team", "an engineer from the payments team"
            owner = tokens[: index - 1]
            if owner[-1].group().lower() in _HUMAN_PRONOUNS:
                return Subject("pronoun", owner[-1].start())
            if _is_role(owner[-1].group(), first=len(owner) == 1):
                return _role_subject(owner, antecedent)
            return None
        if before.endswith("ing") or before in _PREPOSITIONS:
            return None
    return Subject("role", tokens[index].start(), generic=generic)


def person_after(text: str, start: int, people: People) -> tuple[int, int] | None:
    """The (start, end) of a person or role named right at start ('by Alice', 'by the DBA')."""
    tokens = list(_TOKEN.finditer(text, start, min(len(text), start + 60)))
    if not tokens or text[start : tokens[0].start()].strip():
        return None
    first = tokens[0].group()
    following = tokens[1].group().lower() if len(tokens) > 1 else ""
    if following in ("error", "errors", "mistake", "mistakes", "factor", "factors"):
        return None  # "caused by human error" is PM404's
    if first.lower() in ("him", "her", "me", "us", "someone", "somebody"):
        return tokens[0].start(), tokens[0].end()
    if first.lower() in _DETERMINERS:
        for token in tokens[1:5]:
            if token.group().lower() in _ROLE_NOUNS:
                return tokens[0].start(), token.end()
        return None
    if first.lower() in _ROLE_NOUNS:
        return tokens[0].start(), tokens[0].end()
    evidence = people.evidence(first)
    if evidence:
        end = tokens[0].end()
        if len(tokens) > 1 and tokens[1].group()[:1].isupper() and tokens[1].start() == end + 1:
            end = tokens[1].end()
        return tokens[0].start(), end
    return None


# --- PM402: a person as the cause ----------------------------------------------------------

# PM402's predicates in the order they are tried, by the group they report. Each is a
# literal phrase or (the words it can begin with, its pattern[, words one of which every
# phrase it matches holds]); "*" begins with any word ending in -ed or -ing. At a word
# only the predicates it can begin and whose words the sentence holds are compiled and
# tried (see _choice): one pattern of them all takes longer to compile than most files
# take to check.
Predicates = tuple[str | tuple[str, str] | tuple[str, str, str], ...]

# Verbs only people do: an unknown capitalised subject ("Oluwaseun forgot") is a person.
_HUMAN_ONLY: Predicates = (
    "forgot",
    "forgets",
    "forgetting",
    "had forgotten",
    "has forgotten",
    "neglected",
    "neglects",
    "overlooked",
    (
        "is are was were had got seemed appeared being",
        r"(?:is|are|was|were|had been|got|seemed|appeared|being)\s+(?:too\s+|very\s+|so\s+"
        r"|simply\s+|just\s+)?(?:tired|reckless|incompetent|irresponsible|clueless"
        r"|exhausted|fatigued|distracted|asleep|sleepy|drowsy|careless|sloppy|rushing|rushed"
        r"|inattentive|hungover|unfocused|not paying attention|not careful|not focused"
        r"|in a hurry|impatient|unaware|not aware|negligent|lazy)",
        """tired reckless incompetent irresponsible clueless exhausted fatigued distracted
        asleep sleepy drowsy careless sloppy rush inattentive hungover focused attention
        careful hurry impatient aware negligent lazy""",
    ),
    (
        "did didn never failed forgot neglected",
        r"(?:did not|didn't|didn\u2019t|never|failed to|forgot to|neglected to)\s+(?:even\s+)?"
        r"(?:know|understand|realise|realize|notice|bother|think|pay attention|care|read"
        r"|double-check|remember|consider|anticipate)",
        """know understand realise realize notice bother think attention care read check
        remember consider anticipate""",
    ),
    (
        "* ran hit chose took put set",
        r"(?:[a-z]+(?:ed|ing)|ran|hit|chose|took|put|set)\s+(?:on\s+)?(?:the|a|an)\s+(?:wrong"
        r"|incorrect|mistaken)",
        "wrong incorrect mistaken",
    ),
    "mistyped",
    ("fat", r"fat[- ]fingered"),
    "misread",
    "misjudged",
    "mishandled",
    "misconfigured",
    "misremembered",
    "botched",
    "bungled",
    "fumbled",
    "goofed",
    "messed up",
    "screwed up",
    "slipped up",
    "blundered",
    (
        "made makes make",
        r"(?:made|makes|make)\s+(?:a|an|the|another|two|several|one)\s+(?:\w+\s+)?(?:mistake"
        r"|mistakes|error|errors|typo|typos|slip|blunder|bad call|wrong call|oversight)",
        "mistake error typo slip blunder call oversight",
    ),
    (
        "accidentally mistakenly inadvertently unintentionally wrongly erroneously carelessly",
        r"(?:accidentally|mistakenly|inadvertently|unintentionally|wrongly|erroneously"
        r"|carelessly)\s+(?!assumed|believed|thought|expected|understood|concluded|guessed)\w+",
    ),
    "dropped the ball",
    (
        "could would did couldn wouldn didn",
        r"(?:could|would|did)(?: not|n't|n\u2019t)? be bothered",
        "bothered",
    ),
)
# What people do to a process: a name that is also a word counts here (Grant didn't follow).
_PROCESS: Predicates = (
    (
        "did didn never failed",
        r"(?:did not|didn't|didn\u2019t|never|failed to)\s+(?:follow|read|escalate|wait|review"
        r"|verify|test|check|double-check|ask|tell|notify|inform|communicate|consult|confirm)",
        """follow read escalate wait review verify test check ask tell notify inform
        communicate consult confirm""",
    ),
    (
        "pushed deployed merged shipped committed applied released rolled approved ran wrote",
        r"(?:pushed|deployed|merged|shipped|committed|applied|released|rolled out|approved"
        r"|ran|wrote)\s+(?:a|an|the|their|his|her|some)\s+(?:\w+\s+)?(?:bad|broken|faulty|buggy"
        r"|untested|unreviewed|wrong|incorrect|invalid|malformed|half-finished)",
        "bad broken faulty buggy untested unreviewed wrong incorrect invalid malformed half",
    ),
    (
        """ran re applied executed deployed pushed pointed targeted sent copied pasted
        configured restored promoted deleted dropped""",
        r"(?:ran|re-ran|applied|executed|deployed|pushed|pointed|targeted|sent|copied|pasted"
        r"|configured|restored|promoted|deleted|dropped)\s+(?:[\w.-]+\s+){0,8}?(?:(?:against|to"
        r"|on|in|into|from|at)\s+(?:the\s+)?wrong|instead of)",
        "wrong instead",
    ),
    "ignored",
    "bypassed",
    "circumvented",
    "disregarded",
    "dismissed",
    "snoozed",
    "overrode",
    (
        "is was are were",
        r"(?:is|was|are|were)\s+(?:solely\s+|partly\s+|entirely\s+|largely\s+)?(?:to blame"
        r"|at fault)",
        "blame fault",
    ),
)
_INABILITY = (
    r"(?:rec(?:ei|ie|e)ve|get|have|hear|need|exist|own|happen|occur|work|matter|apply|see any"
    r"|learn|expect|want|like|find|mean|intend|seem)"
)
_CORE_HUMAN = _Lazy(
    r"forg|neglect|overlook|(?:was|were|had been|got|seemed|appeared)\s|(?:did not|didn't|"
    r"didn\u2019t|never|failed to|forgot to|neglected to)\s|clicked|pressed|typed|fat|made",
    re.IGNORECASE,
)
# Verbs systems also do: the subject must be a known person, a name, a role or a pronoun.
_AMBIGUOUS: Predicates = (
    (
        "failed",
        r"failed to\s+(?!" + _INABILITY + r"\b|access|reach|connect|log ?in|authenticate)\w+",
    ),
    ("missed misses had has", r"(?:missed|misses|had missed|has missed)\b"),
    (
        "did didn never",
        r"(?:did not|didn't|didn\u2019t|never|did n't)\s+(?!" + _INABILITY + r"\b)\w+",
    ),
    "skipped",
    ("broke", r"broke\b"),
    ("caused", r"caused\b"),
    (
        "is was are were",
        r"(?:is|was|are|were)\s+(?:solely\s+|fully\s+|directly\s+)?responsible"
        r"(?=\s*(?:[.,;:!?]|$|for\s+(?:the|this)\s+(?:outage|incident|failure|mistake|error"
        r"|breakage|data loss|downtime|problem)))",
        "responsible",
    ),
    (
        "introduced",
        r"introduced\s+(?:a|an|the)\s+(?:\w+\s+)?(?:bug|regression|defect|typo|error|mistake)",
        "bug regression defect typo error mistake",
    ),
    (
        """deleted dropped removed truncated wiped overwrote killed terminated rebooted
        restarted shut scaled""",
        r"(?:deleted|dropped|removed|truncated|wiped|overwrote|killed|terminated|rebooted"
        r"|restarted|shut down|scaled down)\s+(?:the\s+)?(?:wrong|production|prod|live|primary)",
        "wrong prod live primary",
    ),
    "took down",
    "brought down",
)
# In Root Cause Analysis a person named as the doer of the change is the cause.
_CAUSAL_ACTION = (
    r"deployed|pushed|merged|ran|changed|modified|edited|updated|applied|removed|deleted"
    r"|enabled|disabled|approved|committed|wrote|set|configured|restarted|triggered|started"
    r"|executed|rolled|shipped|introduced|added|turned|switched|released|created|scaled"
    r"|migrated|upgraded|rotated|revoked|reverted|authored|decided|chose|dropped|pasted"
    r"|copied|typed|entered|selected|clicked|edited|pointed|targeted|promoted|drained|picked"
    r"|resized|killed"
)
# What a role did that can be the cause; restarts and rollbacks are usually the fix.
_ROLE_ACTION = _Lazy(
    r"deployed|pushed|merged|changed|modified|edited|applied|removed|deleted|disabled"
    r"|approved|committed|configured|triggered|executed|shipped|introduced|promoted|pointed"
    r"|targeted|drained|dropped|pasted|typed|selected|clicked|picked|resized|killed",
    re.IGNORECASE,
)


GROUPS = ("human", "process", "ambiguous", "action")


class Predicate(NamedTuple):
    group: str  # one of GROUPS
    firsts: frozenset[str]  # the words it can begin with
    needs: tuple[str, ...]  # every phrase it matches holds one of these; () when not known
    source: str


def _predicates(group: str, entries: Predicates) -> list[Predicate]:
    found = []
    for entry in entries:
        if isinstance(entry, str):
            entry = (entry.split(" ", 1)[0], entry)
        firsts, source, needs = entry if len(entry) == 3 else (*entry, "")
        found.append(Predicate(group, word_set(firsts), tuple(needs.split()), source))
    return found


# The neutral actions count only in Root Cause Analysis.
PREDICATES = (
    _predicates("human", _HUMAN_ONLY)
    + _predicates("process", _PROCESS)
    + _predicates("ambiguous", _AMBIGUOUS)
    + _predicates("action", tuple(_CAUSAL_ACTION.split("|")))
)


def predicate_pattern(chosen: list[Predicate]) -> re.Pattern[str]:
    """One alternation of the chosen predicates, in their order and in their groups: at any
    word it matches what the alternation of them all would, as long as no predicate left
    out could match there."""
    groups: dict[str, list[str]] = {group: [] for group in GROUPS}
    for predicate in chosen:
        groups[predicate.group].append(predicate.source)
    human, process, ambiguous, action = ("|".join(group) or "(?!)" for group in groups.values())
    return re.compile(
        rf"\b(?:(?P<human>{human})|(?P<process>{process})|(?P<ambiguous>{ambiguous})"
        rf"|(?P<action>{action}))\b",
        re.IGNORECASE,
    )


# Every word a predicate can start with (besides any word ending in -ed or -ing).
_FIRST = word_set(
    """forgot forgets forgetting had has neglected neglects overlooked is are was were got
    seemed appeared being did didn never failed ran hit chose took put set mistyped fat
    misread misjudged mishandled misconfigured misremembered botched bungled fumbled goofed
    messed screwed slipped blundered made makes make accidentally mistakenly inadvertently
    unintentionally wrongly erroneously carelessly dropped could would pushed deployed merged
    shipped committed applied released rolled approved wrote re executed pointed targeted
    sent copied pasted configured restored promoted deleted ignored bypassed circumvented
    disregarded dismissed snoozed overrode missed misses skipped broke caused introduced
    removed truncated wiped overwrote killed terminated rebooted restarted shut scaled
    brought couldn wouldn"""
)
_FIRST_RCA = _FIRST | word_set(_CAUSAL_ACTION.replace("|", " "))


class _Choice:
    """The predicates that can begin at one word, and the patterns of those of them whose
    needs a span meets."""

    __slots__ = ("chosen", "gated", "patterns")

    def __init__(self, chosen: tuple[int, ...]) -> None:
        self.chosen = chosen
        # The needs of those that have some, in order.
        self.gated = tuple(PREDICATES[index].needs for index in chosen if PREDICATES[index].needs)
        # By which of the needs a span meets.
        self.patterns: dict[tuple[bool, ...], re.Pattern[str] | None] = {}

    def pattern(self, held: tuple[bool, ...]) -> re.Pattern[str] | None:
        """The chosen predicates whose needs are held (one flag per gated predicate), as
        one pattern; None when there are none."""
        flags = iter(held)
        key = tuple(i for i in self.chosen if not PREDICATES[i].needs or next(flags))
        if key not in _PATTERNS:
            _PATTERNS[key] = predicate_pattern([PREDICATES[i] for i in key]) if key else None
        self.patterns[held] = _PATTERNS[key]
        return _PATTERNS[key]


# By (in Root Cause Analysis, a span with "wrong"), then by first word.
_CHOICES: dict[tuple[bool, bool], dict[str, _Choice]] = {
    (in_rca, generic): {} for in_rca in (False, True) for generic in (False, True)
}
# By the predicates in them: words that begin the same ones share a pattern.
_PATTERNS: dict[tuple[int, ...], re.Pattern[str] | None] = {}


def _choice(word: str, in_rca: bool, generic: bool) -> _Choice:
    """The predicates that can begin at a word (lowercased).

    One is left out only when none of its first words starts with word (the patterns read
    text case-insensitively: "reſtarted" matches where only "re" is plain letters), or when
    it is the one that begins with any word and the span has no "wrong" for it to reach.
    """
    chosen = tuple(
        index
        for index, predicate in enumerate(PREDICATES)
        if (in_rca or predicate.group != "action")
        and (generic or "*" not in predicate.firsts)
        and any(first == "*" or first.startswith(word) for first in predicate.firsts)
    )
    found = _CHOICES[in_rca, generic][word] = _Choice(chosen)
    return found


# What the patterns read as ASCII letters (ignoring case) besides them, and what lower()
# turns into one: where none is, text.lower() holds every word a pattern matches, at the
# same offsets. Where one is, every predicate is tried as if its needs were met.
_FOLDED = "\u017f\u0131\u0130\u212a"
_UNKNOWN = re.compile("")  # no pattern made for those needs yet


def _has_folded(text: str) -> bool:
    # Every _FOLDED character is beyond ASCII, and most prose is ASCII: isascii() is O(1).
    return not text.isascii() and any(c in text for c in _FOLDED)


class _Span:
    """One sentence as the predicates read it."""

    __slots__ = ("end", "generic", "holds", "in_rca", "lowered", "start", "text")

    def __init__(self, text: str, lowered: str | None, start: int, end: int, in_rca: bool):
        self.text, self.lowered, self.start, self.end = text, lowered, start, end
        self.in_rca = in_rca
        # Any -ed or -ing word can begin "clicked the wrong ...": only where "wrong" is.
        # _WRONG only finds what the lowercase span holds (see _FOLDED): most spans hold
        # none of its words, and a substring test says so faster than the regex.
        self.generic = (
            lowered is None or _holds_one(lowered[start:end], _WRONG.needs)
        ) and _WRONG.search(text, start, end) is not None
        self.holds: dict[tuple[str, ...], bool] = {}

    def has(self, needs: tuple[str, ...]) -> bool:
        """Whether the span holds one of the words a predicate needs (True if unsure)."""
        if self.lowered is None:
            return True
        held = self.holds.get(needs)
        if held is None:
            held = self.holds[needs] = _holds_one(self.lowered[self.start : self.end], needs)
        return held

    def pattern_at(self, word: str) -> re.Pattern[str] | None:
        """The predicates that can begin at word (lowercased) here, or None."""
        choice = _CHOICES[self.in_rca, self.generic].get(word)
        if choice is None:
            choice = _choice(word, self.in_rca, self.generic)
        held = tuple([self.has(needs) for needs in choice.gated]) if choice.gated else ()
        pattern = choice.patterns.get(held, _UNKNOWN)
        return choice.pattern(held) if pattern is _UNKNOWN else pattern

    def starts(self, first_words: frozenset[str]) -> list[tuple[int, re.Pattern[str]]]:
        """Where a predicate can begin, in order, with the pattern to try there."""
        lowered, start, end = self.lowered, self.start, self.end
        if lowered is None or self.generic:
            found = []
            for letters in _LETTERS.finditer(self.text, start, end):
                word = letters.group().lower()
                if word in first_words or (self.generic and word.endswith(("ed", "ing"))):
                    pattern = self.pattern_at(word)
                    if pattern is not None:
                        found.append((letters.start(), pattern))
            return found
        # Most words begin no predicate: let the set find the few that can.
        found = []
        for word in _starting_words(first_words, lowered, start, end):
            pattern = self.pattern_at(word)
            if pattern is None:
                continue
            at = lowered.find(word, start, end)
            while at >= 0:
                after = at + len(word)
                if (at == start or lowered[at - 1] not in _ASCII_LOWER) and (
                    after == end or lowered[after] not in _ASCII_LOWER
                ):
                    found.append((at, pattern))
                at = lowered.find(word, after, end)
        found.sort(key=lambda item: item[0])
        return found


_LOWER_LETTERS = _Lazy(r"[a-z]+")
_ASCII_LOWER = frozenset(string.ascii_lowercase)
# Every byte but a-z as a space: for ASCII text, the words split() then gives are the ones
# _LOWER_LETTERS finds, and reading them so costs a fraction of the regex.
_LETTER_BYTES = bytes(byte if 97 <= byte <= 122 else 32 for byte in range(256))
_FIRST_BYTES = {words: frozenset(word.encode() for word in words) for words in (_FIRST, _FIRST_RCA)}


def _starting_words(first_words: frozenset[str], lowered: str, start: int, end: int) -> list[str]:
    """The words of first_words among the lowercase letter runs of lowered[start:end]."""
    first_bytes = _FIRST_BYTES.get(first_words)
    if first_bytes is not None and lowered.isascii():
        letters = lowered[start:end].encode().translate(_LETTER_BYTES).split()
        return [word.decode() for word in first_bytes.intersection(letters)]
    return list(first_words.intersection(_LOWER_LETTERS.findall(lowered, start, end)))


def _find_predicates(text: str, spans: Spans, in_rca: bool) -> Iterator[re.Match[str]]:
    """The predicates in spans, tried only where a word that can begin one starts."""
    first_words = _FIRST_RCA if in_rca else _FIRST
    lowered = None if _has_folded(text) else text.lower()
    for start, end in spans:
        last_end = start
        for at, pattern in _Span(text, lowered, start, end, in_rca).starts(first_words):
            if at < last_end:
                continue
            match = pattern.match(text, at, end)
            if match:
                last_end = match.end()
                yield match


# "merged the PR without waiting for CI": the verb before 'without' carries the subject.
_WITHOUT = _Lazy(
    r"\bwithout\s+(?:first\s+)?(?:checking|waiting|reviewing|review|testing|tests|approval"
    r"|reading|verifying|telling|notifying|asking|looking|confirming|running|a review|a second"
    r"|any review|peer review|consulting|a dry[- ]run|a backup)\b",
    re.IGNORECASE,
)
_PAST_VERB = _Lazy(
    r"(?:re-?)?(?:[a-z]+ed|ran|put|set|made|took|sent|wrote|hit|cut|let|shut|did|went|gave"
    r"|got|began|chose|drove|rolled|pushed)",
)
_BY_AGENT = _Lazy(
    r"\b(?P<aux>(?:was|were|had been|got|been|is|are)\s+)?(?:\w+ly\s+)?"
    r"(?P<verb>missed|ignored|overlooked|forgotten|broken|caused|introduced|skipped|bypassed|misconfigured|mistyped|botched"
    r"|neglected|not\s+\w+|never\s+\w+|(?P<neutral>\w+ed|\w+en|made|done|run|set|sent|written))"
    r"\s+by\s+",
    re.IGNORECASE,
)
_CAUSED_BY = _Lazy(
    r"\b(?:caused|triggered|introduced|started)\s+by\s+|\b(?:root\s+)?cause\s*(?::|was|is|=)\s*",
    re.IGNORECASE,
    needs=("cause", "triggered", "introduced", "started"),
)
# "Bill's change removed the timeout": a person's change named as what broke things.
_CAUSAL_AFTER = _Lazy(
    r"^[^.;:!?]{0,60}?\b(?:caused|broke|removed|introduced|deleted|dropped|disabled|took down"
    r"|brought down|triggered|exhausted|overloaded|corrupted|wiped)\b",
    re.IGNORECASE,
)
_JUDGED_BY = _Lazy(
    r"\b(?:careless|sloppy|botched|reckless|unreviewed|untested|wrong|bad|faulty|error|mistake"
    r"|typo|oversight|slip|lapse)\s+(?:[\w.-]+\s+)"
    r"{0,6}?by\s+",
    re.IGNORECASE,
)
_POSSESSIVE = _Lazy(
    r"(?P<owner>\b(?:his|her)|(?<![\w.@-])@?[A-Za-z][\w.\-]{0,60}(?:'s|\u2019s))\s+(?:own\s+)?(?:\w+\s+)?"
    r"(?P<noun>mistake|mistakes|error|errors|typo|typos|oversight|fault|negligence|carelessness|slip|blunder|lapse"
    r"|(?P<neutral>change|commit|deploy|deployment|pr|pull request|script|command|config"
    r"|edit|migration|query|push|merge|decision|action|patch))\b",
    re.IGNORECASE,
)


def _rca(section: str) -> bool:
    return section.casefold().startswith("root cause")


# A team's or "we"'s failure given as the result of a cause the sentence already named.
_CONSEQUENCE_BEFORE = _Lazy(
    r"\b(?:so|therefore|thus|hence|as a result|consequently|which meant|meaning)"
    r"(?:\s+that)?,?\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# What somebody believed or asked, not what the text asserts: "assumed user error at the
# time", "not assume we could have started it faster", "reflect if it should have been".
_REPORTED_BEFORE = _Lazy(
    r"\b(?:assum\w*|presum\w*|suspect\w*|thought|think\w*|believ\w*|guess\w*"
    r"|speculat\w*|hypothes\w*|whether|(?:reflect|consider|discuss|evaluate|ask|question)"
    r"\w*\s+(?:on\s+)?if)\b(?:\s+[\w'\u2019-]+){0,8}\s*$",
    re.IGNORECASE,
)


def _reported(text: str, start: int) -> bool:
    """Is the phrase at start part of a belief, a hypothesis or a question in its sentence?"""
    before = text[max(0, start - 120) : start]
    for end in _SENTENCE_END.finditer(before):
        before = before[end.end() :]
    return bool(_REPORTED_BEFORE.search(before)) or _question(text, start)


def _question(text: str, start: int) -> bool:
    found = _SENTENCE_END.search(text, start)
    return found is not None and found.group().startswith("?")


def individual_hits(unit: ProseUnit, people: People, spans: Spans) -> list[Hit]:
    text = unit.text
    hits: list[Hit] = []
    in_rca = _rca(unit.section)
    for match in _find_predicates(text, spans, in_rca):
        subject = subject_before(text, match.start(), people)
        if subject is None or not _counts(subject, match, in_rca):
            continue
        if subject.kind != "person" and _CONSEQUENCE_BEFORE.search(text, 0, subject.start):
            continue  # "no test uses /api, so we didn't catch it": the cause is stated first
        hits.append(_hit(INDIVIDUAL, text, subject.start, match.end(), _kind_of(match)))
    hits.extend(_agent_hits(text, people, in_rca, spans))
    if "without" in text:
        hits.extend(_without_hits(text, people, spans))
    return hits


def _without_hits(text: str, people: People, spans: Spans) -> list[Hit]:
    hits = []
    for match in _find(_WITHOUT, text, spans):
        _, tokens = _tokens_before(text, match.start())
        for token in tokens[1:]:
            if not _PAST_VERB.fullmatch(token.group()):
                continue
            subject = subject_before(text, token.start(), people)
            if subject is not None and (
                subject.kind != "person" or subject.evidence in ("known", "handle", "name")
            ):
                hits.append(_hit(INDIVIDUAL, text, subject.start, match.end(), "process"))
            break
    return hits


def _counts(subject: Subject, match: re.Match[str], in_rca: bool) -> bool:
    if match.group("human"):
        # An unknown word as the subject is a person only for what nothing else does.
        guessed = subject.evidence in ("capitalised", "lowercase")
        return not guessed or bool(_CORE_HUMAN.match(match.group()))
    if match.group("action"):
        if subject.kind == "role":
            return bool(_ROLE_ACTION.fullmatch(match.group()))
        return subject.kind == "person" and subject.evidence not in ("capitalised", "lowercase")
    # Verbs systems also do need real evidence of a person.
    if subject.kind != "person":
        return True
    strong = ("known", "handle", "name")
    word_name_ok = in_rca or match.group("process") is not None
    return subject.evidence in strong or (word_name_ok and subject.evidence == "word-name")


def _agent_hits(text: str, people: People, in_rca: bool, spans: Spans) -> list[Hit]:
    hits: list[Hit] = []
    has_by = " by " in text or "\nby " in text or " by\n" in text
    for match in _find(_BY_AGENT, text, spans) if has_by else ():
        if match.group("neutral") and not (in_rca and match.group("aux")):
            continue
        if match.group("verb").lower().startswith(("not", "never")) and not match.group("aux"):
            continue
        agent = person_after(text, match.end(), people)
        if agent:
            hits.append(_hit(INDIVIDUAL, text, match.start(), agent[1], "agent"))
    for match in _find(_CAUSED_BY, text, spans):
        agent = person_after(text, match.end(), people)
        if agent:
            hits.append(_hit(INDIVIDUAL, text, match.start(), agent[1], "agent"))
    has_possessive = "'s" in text or "\u2019s" in text or "his " in text or "her " in text
    for match in _find(_POSSESSIVE, text, spans) if has_possessive else ():
        if match.group("neutral") and not in_rca and not _CAUSAL_AFTER.match(text[match.end() :]):
            continue
        owner = re.sub(r"(?:'s|\u2019s)$", "", match.group("owner"))
        lowered = owner.lower()
        if people.evidence(owner) or lowered in _ROLE_NOUNS or lowered in ("his", "her"):
            hits.append(_hit(INDIVIDUAL, text, match.start(), match.end(), "agent"))
    for match in _find(_JUDGED_BY, text, spans) if has_by else ():
        agent = person_after(text, match.end(), people)
        if agent:
            hits.append(_hit(INDIVIDUAL, text, match.start(), agent[1], "agent"))
    return hits


def _kind_of(match: re.Match[str]) -> str:
    phrase = match.group().lower()
    if re.search(r"\b(?:know|understand|realis|realiz|unaware|not aware)", phrase):
        return "knowledge"
    if re.search(r"\b(?:follow|bypass|skip|circumvent|disregard|ignor)", phrase):
        return "process"
    if re.search(
        r"wrong|incorrect|mistaken|tired|exhausted|fatigued|distracted|asleep|typ", phrase
    ):
        return "interface"
    if match.group("action"):
        return "agent"
    return "automation"


# --- PM401: hindsight counterfactuals ------------------------------------------------------

_PARTICIPLES = word_set(
    """been done known seen caught taken given gone run made put set kept told found thought
    brought built sent spent written read held let hit cut shut paid led left got gotten won
    sold said heard understood stood spotted begun chosen drawn driven eaten fallen flown
    forgotten frozen grown hidden ridden risen shaken shown spoken stolen thrown woken worn
    broken felt meant dealt lost slept swept won shot struck stuck sunk sprung spun taught
    fought sought bought built rebuilt split quit spread shed bet cast cost hurt had bent
    lent burnt learnt spelt dug hung fed bled bred fled sped won wound ground bound
    rolled"""
)
_MODAL_HAVE = _Lazy(
    r"\b(?P<modal>should|shouldn't|shouldn\u2019t|ought(?:n't)?\s+to|could|couldn't"
    r"|couldn\u2019t|would|wouldn't|wouldn\u2019t)(?P<neg>\s+not)?\s+(?:(?:also|just|really"
    r"|simply|easily|probably|clearly|definitely|certainly|never|all|both|at least|at the very"
    r" least)\s+)*(?:have|'ve|\u2019ve)\s+(?:(?:also|just|really|simply|easily|probably"
    r"|clearly|never|already)\s+)*(?P<part>[A-Za-z][\w-]*)",
    re.IGNORECASE,
    needs=("have", "'ve", "\u2019ve"),
)
_MODAL_CONTRACTED = _Lazy(
    r"\b(?P<modal>should|could|would)(?:'ve|\u2019ve)\s+(?P<part>[A-Za-z][\w-]*)",
    re.IGNORECASE,
    needs=("'ve", "\u2019ve"),
)
_IF_ONLY = _Lazy(r"\bif only\b", re.IGNORECASE, needs=("if only",))
_LUCKY = _Lazy(r"lucky|luck", re.IGNORECASE)


# "we would have lost the evening peak": what would have happened, not what someone should
# have done.
_IMPACT_PARTICIPLES = word_set(
    """been lost missed breached exceeded violated owed paid run hit seen had needed faced
    suffered incurred dropped failed overrun"""
)


def _is_participle(word: str) -> bool:
    lowered = re.sub(r"^re-?(?=[a-z]{3})", "", word.lower())
    return lowered in _PARTICIPLES or (len(lowered) > 3 and lowered.endswith(("ed", "en")))


def _names_someone(subject: Subject | None) -> bool:
    """A subject that stands for particular people (not 'any engineer', not a guess)."""
    if subject is None or subject.generic:
        return False
    return subject.kind != "person" or subject.evidence in ("known", "handle", "name", "word-name")


def counterfactual_hits(unit: ProseUnit, people: People, spans: Spans) -> list[Hit]:
    text = unit.text
    hits = []
    lucky = bool(_LUCKY.search(unit.section))
    for pattern in (_MODAL_HAVE, _MODAL_CONTRACTED):
        for match in _find(pattern, text, spans):
            part = match.group("part")
            modal = match.group("modal").lower()
            if part.lower() == "been" and modal.startswith(("should", "ought")):
                pass  # "should have been <anything>" judges the past
            elif part.lower() == "been":
                following = re.match(r"\s+([A-Za-z][\w-]*)", text[match.end() :])
                if not following or not _is_participle(following.group(1)):
                    continue
            elif not _is_participle(part):
                continue
            # "would/could have" is analysis unless a person is the one who would have.
            if not modal.startswith(("should", "ought")):
                subject = subject_before(text, match.start(), people)
                if lucky or not _names_someone(subject):
                    continue
                # "we would have lost the evening peak" is impact; "Zainab would have seen
                # it" is hindsight about a person.
                assert subject is not None
                if subject.kind == "pronoun" and part.lower() in _IMPACT_PARTICIPLES:
                    continue
            if _reported(text, match.start()):
                continue
            end = match.end()
            if part.lower() == "been":
                # Quote "should have been addressed", not just "should have been".
                following = re.match(r"[ \t]+[A-Za-z][\w-]*", text[end : end + 40])
                end += following.end() if following else 0
            hits.append(_hit(COUNTERFACTUAL, text, match.start(), end, "hindsight"))
    for match in _find(_IF_ONLY, text, spans):
        hits.append(_hit(COUNTERFACTUAL, text, match.start(), match.end(), "if-only"))
    return hits


# --- PM403: judgement words ----------------------------------------------------------------

_JUDGEMENT = _Lazy(
    r"\b(?:careless(?:ly|ness)?|negligen(?:t|tly|ce)|sloppy|sloppiness|lazy|laziness"
    r"|incompeten(?:t|ce|tly)|reckless(?:ly|ness)?|irresponsibl[ey]|irresponsibility"
    r"|inattentive|inattention|clueless|thoughtless(?:ly|ness)?|foolish(?:ly|ness)?"
    r"|stupid(?:ity|ly)?|dumb|idiot(?:ic|s)?|boneheaded|moronic|amateurish|unprofessional"
    r"|complacen(?:t|cy|ce)|cowboy|dropped the ball|fat[- ]?finger(?:ed|ing|s)?"
    r"|(?:did not|didn't|didn\u2019t|couldn't|could not|can't|won't|could|would)\s+(?:be\s+)?"
    r"bother(?:ed)?|(?:their|his|her|my|your|our|(?<![\w@.-])[\w@.-]{1,60}(?:'s|\u2019s))\s+(?:own\s+)?fault"
    r"|at fault|to blame|lazily"
    r"|(?:should|ought to)\s+(?:have\s+)?know(?:n)?\s+better|rookie (?:mistake|error)"
    r"|newbie (?:mistake|error)|silly mistake|basic mistake|obvious mistake"
    r"|lack of (?:care|diligence|attention|discipline|ownership)|not paying attention)\b",
    re.IGNORECASE,
)
_TECHNICAL_AFTER = _Lazy(
    r"^[\s-]*(?:load|loading|loaded|loader|init|initiali[sz]ation|evaluation|evaluated"
    r"|evaluates|import|imports|fetch|fetching|deletion|expiry|expiration|allocation"
    r"|connection|connect|binding|instantiation|iterator|sequence|property|attribute|mode"
    r"|writes?|replication|propagation|domain|domains|tolerance|tolerant|zone|zones|line"
    r"|loads|evaluate|initiali[sz]ed|computed|created|instantiated|fetched|evicted|resolved"
    r"|injection|isolation|terminal|pipe|client|proxy|switch|consumer|worker|val|value)\b",
    re.IGNORECASE,
)
_NEGATED_BEFORE = _Lazy(
    r"\b(?:not|no|never|nor|n't|rather than|instead of|nobody|no one|none of"
    r"|isn't|wasn't|weren't|aren't|neither|calling (?:this|it|that)|label(?:l)?ing (?:this|it"
    r"|that))\b(?:\s+[\w'-]+){0,4}\s*$",
    re.IGNORECASE,
)
_NEGATED_AFTER = _Lazy(r"^\s*(?:is|was|are|were)\s+(?:never|not|no|rarely)\b", re.I)


def _negated(text: str, start: int, end: int) -> bool:
    line_start = max(0, start - 60)
    before = text[line_start:start]
    for brk in _CLAUSE_BREAK.finditer(before):
        before = before[brk.end() :]
    return bool(_NEGATED_BEFORE.search(before) or _NEGATED_AFTER.match(text[end : end + 30]))


_COPULA_BEFORE = _Lazy(r"\b(?:is|are|was|were|being|been)\s+(?:\w+ly\s+)?$", re.I)
# What people do: "a lazy review", "a lazy workaround" judge the people who did it.
_HUMAN_WORK = (
    "review|reviews|reviewing|workaround|fix|hack|work|approach|attitude|testing|analysis"
    "|investigation|answer|response|approval|engineering|documentation|handover|handoff|job"
)
_PERSON_NOUN_AFTER = _Lazy(
    r"^\s+(?:[\w-]+\s+)?(?:" + "|".join(_ROLE_NOUNS) + "|" + _HUMAN_WORK + r")\b", re.I
)


def _about_people(text: str, match: re.Match[str], people: People) -> bool:
    """For words that describe software too (lazy, at fault, to blame): who is described?"""
    if _PERSON_NOUN_AFTER.match(text[match.end() :]):
        return True  # "a lazy reviewer"
    copula = _COPULA_BEFORE.search(text, 0, match.start())
    if copula is None:
        return False
    _, tokens = _tokens_before(text, copula.start())
    if tokens and re.fullmatch(_HUMAN_WORK, tokens[-1].group(), re.IGNORECASE):
        return True  # "the review was lazy"
    subject = subject_before(text, copula.start(), people)
    return subject is not None and subject.evidence not in ("capitalised", "lowercase")


def judgement_hits(unit: ProseUnit, people: People, spans: Spans) -> list[Hit]:
    text = unit.text
    hits = []
    for match in _find(_JUDGEMENT, text, spans):
        word = match.group().lower()
        if _TECHNICAL_AFTER.match(text[match.end() :]) and not word.startswith("laziness"):
            continue
        if word in ("lazy", "to blame", "at fault") and not _about_people(text, match, people):
            continue
        if word.startswith(("nobody", "no one", "noone", "anyone", "anybody")):
            continue
        if "bother" not in word and _negated(text, match.start(), match.end()):
            continue
        hits.append(_hit(JUDGEMENT, text, match.start(), match.end(), "judgement"))
    return hits


# --- PM404: "human error" as a cause -------------------------------------------------------

_HUMAN_ERROR = _Lazy(
    r"\b(?:(?:human|operator|pilot)[- ](?:error|mistake|fault)s?"
    r"|(?:user|engineer|people|personnel|staff)[- ](?:error|mistake)(?!s)"
    r"|pebkac|finger trouble|id-?10-?t error|layer[- ]8 (?:issue|problem|error))\b",
    re.IGNORECASE,
    needs=(
        *("human", "operator", "pilot", "user", "engineer", "people", "personnel", "staff"),
        *("pebkac", "finger", "10", "layer"),
    ),
)
_METRIC_AFTER = _Lazy(
    r"^[\s-]*(?:rate|rates|count|counts|budget|ratio|metric|metrics|code|codes|response"
    r"|responses|message|messages|page|pages|log|logs|dashboard|spike|percentage|class"
    r"|classes|handling|path|paths|state|screen|toast|banner|types?|category|categories)\b",
    re.IGNORECASE,
)


def human_error_hits(unit: ProseUnit, people: People, spans: Spans) -> list[Hit]:
    text = unit.text
    hits = []
    for match in _find(_HUMAN_ERROR, text, spans):
        if _METRIC_AFTER.match(text[match.end() :]) or _negated(text, match.start(), match.end()):
            continue
        if _reported(text, match.start()):
            continue
        hits.append(_hit(HUMAN_ERROR, text, match.start(), match.end(), "human-error"))
    return hits


def _hit(code: str, text: str, start: int, end: int, kind: str) -> Hit:
    phrase = " ".join(text[start:end].split())
    return Hit(code, start, end, phrase, kind)


# Words without which a detector cannot match: most prose has none of them, and one set
# intersection is far cheaper than running a detector's patterns over the text.
TRIGGERS = {
    COUNTERFACTUAL: word_set(
        """should shouldn't should've ought oughtn't could couldn't could've would wouldn't
        would've only"""
    ),
    INDIVIDUAL: word_set(
        """forgot forgets forgetting forgotten neglected neglects overlooked tired exhausted
        fatigued distracted asleep sleepy drowsy careless sloppy rushing rushed inattentive
        hungover unfocused attention careful focused hurry impatient unaware aware negligent
        lazy reckless incompetent irresponsible clueless wrong incorrect mistaken mistyped
        fingered misread misjudged mishandled misconfigured misremembered botched bungled
        fumbled goofed messed screwed slipped blundered mistake mistakes typo typos slip
        blunder oversight accidentally mistakenly inadvertently unintentionally wrongly
        erroneously carelessly ball bothered bad broken faulty buggy untested unreviewed
        invalid malformed half instead ignored bypassed circumvented disregarded dismissed
        snoozed overrode blame fault failed missed misses not didn't didnt never skipped broke
        caused responsible introduced without cause triggered negligence carelessness lapse
        removed deleted dropped disabled exhausted overloaded corrupted wiped took brought shut
        scaled truncated overwrote killed terminated rebooted restarted made makes make"""
    ),
    JUDGEMENT: word_set(
        """careless carelessly carelessness negligent negligently negligence sloppy sloppiness
        lazy laziness lazily incompetent incompetence incompetently reckless recklessly
        recklessness irresponsible irresponsibly irresponsibility inattentive inattention
        clueless thoughtless thoughtlessly thoughtlessness foolish foolishly foolishness
        stupid stupidity stupidly dumb idiot idiotic idiots boneheaded moronic amateurish
        unprofessional complacent complacency complacence cowboy ball fat fatfinger
        fatfingered fatfingering fatfingers bother bothered fault blame better rookie newbie
        mistake lack attention"""
    ),
    HUMAN_ERROR: word_set("error errors mistake mistakes fault faults pebkac trouble id10t 10 8"),
}
_WORDS = re.compile(r"[a-z0-9']+")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n[ \t]*\n")
# The same in text without a newline (most units): a pattern that begins with a character
# set, which the regex finds faster than the alternation.
_SENTENCE_END_IN_LINE = re.compile(r"[.!?]+(?=\s|$)")
# In Root Cause Analysis a named person's neutral action is a cause too.
_RCA_TRIGGERS = TRIGGERS[INDIVIDUAL] | word_set(
    _CAUSAL_ACTION.replace("|", " ")
    + " by change commit deploy deployment pr pull request script command config edit"
    " migration query push merge decision action patch"
)


_ALL_TRIGGERS = _RCA_TRIGGERS.union(*TRIGGERS.values())


# For ASCII text the words _WORDS finds in text.lower() are, byte for byte, the words
# text.encode().translate(_WORD_BYTES).split() gives: it lowers capitals and turns every
# byte a word cannot hold into a space. Reading them so costs half as much as the regex,
# and most prose is ASCII.
_WORD_BYTES = bytes(
    byte + 32 if 65 <= byte <= 90 else byte if re.fullmatch(_WORDS, chr(byte)) else 32
    for byte in range(256)
)
_ALL_TRIGGER_BYTES = frozenset(word.encode() for word in _ALL_TRIGGERS)


def may_blame(text: str) -> bool:
    """Whether any detector could match text: a unit without one of the trigger words is
    not worth preparing (masking only ever removes words)."""
    if text.isascii():
        return not _ALL_TRIGGER_BYTES.isdisjoint(text.encode().translate(_WORD_BYTES).split())
    return not _ALL_TRIGGERS.isdisjoint(_WORDS.findall(text.lower().replace("\u2019", "'")))


def _ascii_words(text: str) -> frozenset[str]:
    """The words of ASCII text as _WORDS reads them in its lowercase (see _WORD_BYTES)."""
    return frozenset(text.encode().translate(_WORD_BYTES).decode().split())


class Sentence(NamedTuple):
    start: int
    end: int
    words: frozenset[str]


def sentences(text: str) -> list[Sentence]:
    """The unit's sentences with their lowercase words: detectors skip most of them, and
    a unit without a single trigger word has none worth reading."""
    bounds = []
    start = 0
    ends = _SENTENCE_END if "\n" in text else _SENTENCE_END_IN_LINE
    for match in ends.finditer(text):
        bounds.append((start, match.end()))
        start = match.end()
    if start < len(text):
        bounds.append((start, len(text)))
    if text.isascii():
        parts = [
            Sentence(begin, end, _ascii_words(text[begin:end]))
            for begin, end in bounds
            if not text[begin:end].isspace()
        ]
        if all(_ALL_TRIGGERS.isdisjoint(part.words) for part in parts):
            return []
        return parts
    lowered = text.lower().replace("\u2019", "'")
    if len(bounds) > 1 and len(lowered) == len(text):
        # A word never spans two sentences: the unit's words are its sentences' words.
        parts = [
            Sentence(begin, end, frozenset(_WORDS.findall(lowered, begin, end)))
            for begin, end in bounds
            if not text[begin:end].isspace()
        ]
        if all(_ALL_TRIGGERS.isdisjoint(part.words) for part in parts):
            return []
        return parts
    words = frozenset(_WORDS.findall(lowered))
    if _ALL_TRIGGERS.isdisjoint(words):
        return []
    if len(bounds) == 1:
        return [Sentence(0, len(text), words)]
    # lower() made the text longer (a dotted capital I): the words are read as they were.
    return [
        Sentence(begin, end, frozenset(_WORDS.findall(lowered[begin:end])))
        for begin, end in bounds
        if not text[begin:end].isspace()
    ]


DETECTORS = {
    COUNTERFACTUAL: counterfactual_hits,
    INDIVIDUAL: individual_hits,
    JUDGEMENT: judgement_hits,
    HUMAN_ERROR: human_error_hits,
}


# Each detector with its trigger words, in DETECTORS' order; in Root Cause Analysis PM402
# reads more.
_BY_CODE = tuple(TRIGGERS.items())
_BY_CODE_RCA = tuple(
    (code, _RCA_TRIGGERS if code == INDIVIDUAL else triggers) for code, triggers in _BY_CODE
)


def trigger_spans(unit: ProseUnit, parts: list[Sentence]) -> dict[str, Spans]:
    """For each detector, the sentences that hold one of its trigger words; a detector
    with none is left out."""
    if not parts:
        return {}
    by_code = _BY_CODE_RCA if _rca(unit.section) else _BY_CODE
    found: dict[str, Spans] = {}
    for part in parts:
        # A sentence holds few trigger words: each detector looks among those, not among
        # all of its words.
        held = _ALL_TRIGGERS.intersection(part.words)
        for code, triggers in by_code:
            if not triggers.isdisjoint(held):
                found.setdefault(code, []).append((part.start, part.end))
    return {code: found[code] for code, _ in by_code if code in found}


def detect(code: str, unit: ProseUnit, spans: Spans, people: People) -> list[Hit]:
    """A detector's hits over the sentences that hold one of its trigger words."""
    return DETECTORS[code](unit, people, spans) if spans else []
