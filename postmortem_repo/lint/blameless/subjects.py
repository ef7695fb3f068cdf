"""Who does what a clause says: the person test behind PM401 and PM402.

A failure verb only counts when its subject is a person, a role standing for one ("the
on-call engineer"), a pronoun for people or a team. Systems that fail ("the pool failed to
...", "Jenkins missed the webhook") are the normal subject of a post-mortem sentence and
never count.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from postmortem_repo.lint.blameless.lexicon import (
    ADVERBS,
    CLAUSE_BREAK,
    DETERMINERS,
    FAULT_TRIGGERS,
    HUMAN_PRONOUNS,
    NOT_ROLE_BEFORE,
    PARTICIPLES,
    PAST_VERB,
    PERSON_AFTER,
    PREPOSITIONS,
    ROLE_NOUNS,
    TOKEN,
)
from postmortem_repo.model.people import (
    STOPWORDS_UNLESS_KNOWN,
    STRONG_EVIDENCE,
    SUBJECT_STOPWORDS,
    THING_NOUNS,
    People,
    word_set,
)

Tokens = list[re.Match[str]]


class Subject(NamedTuple):
    kind: str  # pronoun, role, person
    start: int
    evidence: str = ""  # for a person: known, handle, name, word-name, capitalised, lowercase
    generic: bool = False  # "any engineer", "anyone": a statement about everyone


# A subject sits close to its verb: looking back a bounded way keeps a huge paragraph
# linear in its length.
_CLAUSE_WINDOW = 300
_ON_DUTY = ("shift", "call", "duty", "rotation")


def tokens_before(text: str, end: int) -> tuple[int, Tokens]:
    """The start and the tokens of the clause that ends at end (commas and sentence ends
    break clauses)."""
    start = max(0, end - _CLAUSE_WINDOW)
    for brk in CLAUSE_BREAK.finditer(text, start, end):
        start = brk.end()
    return start, list(TOKEN.finditer(text, start, end))


def subject_before(
    text: str, end: int, people: People, *, antecedent: bool = False, depth: int = 0
) -> Subject | None:
    """Who does what the text says at end: the noun phrase right before it, if human.
    depth: how many clauses back the search has gone ('Bob who pushed it and Bob who …'
    repeated has no end a reader would look for)."""
    if depth > _MAX_CLAUSES_BACK:
        return None
    clause_start, tokens = tokens_before(text, end)
    # 'Marco has ignored', 'the on-call had muted': a perfect's auxiliary is not the subject.
    perfect = False
    while tokens and (
        is_adverb(tokens[-1].group()) or tokens[-1].group().lower() in _PERFECT_OR_BOTH
    ):
        popped = tokens.pop().group().lower()
        perfect = perfect or popped == "have"
    if not tokens:
        return _subject_before_aside(text, clause_start, people, depth)
    if perfect and tokens[-1].group().lower().endswith(("'d", "\u2019d")):
        return None  # "or we'd have slept through it": what would have happened
    relative = _relative_pronoun(tokens)
    if relative is not None:
        return _antecedent_subject(text, clause_start, tokens[relative], relative, people, depth)
    if len(tokens) > 2 and tokens[-1].group().lower() in _COORDINATORS:
        return _coordinated_subject(text, tokens, people, depth)
    on_duty = _before_on(tokens, _ON_DUTY_MARKS)
    if on_duty and _is_plain_noun(on_duty[-1].group(), people):
        # 'the scheduler on duty', 'the controller on shift': only people are on duty
        return _role_subject(on_duty, antecedent)
    return _head_subject(_without_on_duty(tokens, people), people, antecedent)


# What marks the noun before it as someone working: 'the checker on duty'.
_ON_DUTY_MARKS = frozenset(("shift", "call", "duty"))


def _before_on(tokens: Tokens, marks: frozenset[str] | tuple[str, ...]) -> Tokens:
    """The noun phrase before 'on' and one of marks ('on duty'), else nothing."""
    if (
        len(tokens) > 2
        and tokens[-2].group().lower() == "on"
        and tokens[-1].group().lower() in marks
    ):
        return tokens[:-2]
    return []


def _is_plain_noun(word: str, people: People) -> bool:
    return word.isalpha() and word.islower() and not people.is_system(word)


# Roles that stay people after a system noun: 'the pipeline owner', 'the service manager'.
_PEOPLE_OF_A_THING = word_set(
    """owner owners manager managers lead leads director directors desk team teams engineer
    engineers administrator administrators architect architects"""
)


def _coordinated_subject(text: str, tokens: Tokens, people: People, depth: int) -> Subject | None:
    """'the lead published the banner early and ignored the freeze': the second verb's
    subject is the first verb's, when the first clause has no blame of its own to report
    ('Bob was tired and clicked the wrong button' is one finding)."""
    words = [token.group().lower() for token in tokens]
    if words[0] in _SUBORDINATORS:
        words = words[1:]  # 'because Ifeoma is new and …': the clause begins after it
    if any(word in FAULT_TRIGGERS and word not in ROLE_NOUNS for word in words):
        return None
    for token in tokens[1:-1]:
        word = token.group().lower()
        if word in _AUXILIARIES or word in PARTICIPLES or PAST_VERB.fullmatch(word):
            return subject_before(text, token.start(), people, depth=depth + 1)
    return None


_MAX_CLAUSES_BACK = 8
_SUBORDINATORS = frozenset(("because", "since", "as", "when", "while", "although", "though"))
_PERFECT = frozenset(("has", "have", "had", "hasn't", "haven't", "hadn't"))
# 'Paulo and his reviewer both missed': the quantifier is not the subject either.
_PERFECT_OR_BOTH = _PERFECT | {"both"}
_COORDINATORS = frozenset(("and", "then", "but"))
_AUXILIARIES = frozenset(("is", "was", "were", "are", "has", "had", "have", "did", "does"))


def _subject_before_aside(
    text: str, clause_start: int, people: People, depth: int
) -> Subject | None:
    """'Alice, who was on call, forgot ...': look past the aside to its subject."""
    if clause_start and text[clause_start - 1] == ",":
        aside = text.rfind(",", 0, clause_start - 1)
        if aside >= 0:
            return subject_before(text, aside, people, depth=depth + 1)
    return None


def _relative_pronoun(tokens: Tokens) -> int | None:
    """The index of 'who'/'whose' introducing the clause's subject, if there is one."""
    for index in range(len(tokens) - 1, max(-1, len(tokens) - 6), -1):
        word = tokens[index].group().lower()
        if word in ("who", "whose"):
            return index
        if (
            word == "that"
            and index
            and _is_role_before_that(tokens[index - 1].group().lower())
            and not _opens_a_clause(tokens, index + 1)
        ):
            # 'the dev that made this query'; not 'people that had not updated', nor 'we
            # warned the DBA that the migration forgot …' (a clause of its own)
            return index
    return None


_CLAUSE_OPENERS = frozenset(
    ("the", "a", "an", "this", "our", "their", "its", "it", "they", "we", "he", "she", "i")
)


def _opens_a_clause(tokens: Tokens, index: int) -> bool:
    return index < len(tokens) and tokens[index].group().lower() in _CLAUSE_OPENERS


def _is_role_before_that(word: str) -> bool:
    return word in ROLE_NOUNS and word not in _ANYONE_AT_ALL


# Nouns for people in general: 'a lot of people that had not updated' tells of many.
_ANYONE_AT_ALL = frozenset(
    ("people", "person", "persons", "humans", "human", "folks", "guys", "ppl", "individuals")
)


def _antecedent_subject(
    text: str, clause_start: int, pronoun: re.Match[str], index: int, people: People, depth: int
) -> Subject | None:
    """ "the operator who ignored ...", "jdoe, whose careless edit caused ...": the subject is
    the noun phrase 'who' stands for."""
    where = pronoun.start()
    if index == 0:
        where = text.rfind(",", 0, clause_start) if clause_start else -1
        if where < 0:
            return None
    return subject_before(text, where, people, antecedent=True, depth=depth + 1)


def _without_on_duty(tokens: Tokens, people: People) -> Tokens:
    """'the engineer on call' is the engineer, and so is 'the engineer involved'."""
    before = _before_on(tokens, _ON_DUTY)
    if before:
        return before
    if len(tokens) > 1 and tokens[-1].group().lower() in _POSTPOSED:
        return tokens[:-1]
    return _without_where_from(tokens, people)


def _without_where_from(tokens: Tokens, people: People) -> Tokens:
    """'the person in charge', 'someone from the network team', 'an engineer on our
    network team', 'Sam from storage', 'the agent handling the ticket': a role, 'someone' or
    a name opening the clause, with a short phrase after it, is the subject."""
    for index in range(len(tokens) - 1, max(0, len(tokens) - 5), -1):
        word = tokens[index].group().lower()
        if word not in _WHERE_FROM and not (word.endswith("ing") and len(word) > 5):
            continue
        if (
            word not in _WHERE_FROM
            and index == len(tokens) - 2
            and tokens[-1].group().lower() in THING_NOUNS
        ):
            return tokens  # 'the crew tracking console': a thing the -ing word modifies
        before = tokens[index - 1].group()
        if (
            before.lower() in HUMAN_PRONOUNS
            or _is_role(before, first=index == 1)
            or _compound_role(tokens[:index])
            or (index < 3 and people.evidence(before) in ("known", "name", "handle"))
        ):
            return tokens[:index]
        return tokens
    return tokens


# Prepositions that tie a person to where they work, not to what they act on.
_WHERE_FROM = frozenset(("in", "from", "on", "of", "at"))


# Words after a noun that leave it the head: 'the individual involved', 'the staff concerned'.
_POSTPOSED = frozenset(("involved", "concerned", "responsible", "affected"))


def _head_subject(tokens: Tokens, people: People, antecedent: bool) -> Subject | None:
    """The subject the clause's last noun phrase names: a pronoun, a role or a person."""
    head = tokens[-1]
    word = head.group()
    lowered = word.lower()
    before = tokens[-2].group().lower() if len(tokens) > 1 else ""
    # 'whoever ran it forgot', 'because whoever ran it forgot', 'At 4pm whoever was on …'
    for token in tokens[:4]:
        if token.group().lower() == "whoever":
            return Subject("pronoun", token.start())
    if lowered in ("anyone", "anybody"):
        return Subject("pronoun", head.start(), generic=True)
    if lowered in HUMAN_PRONOUNS or _CONTRACTED.sub("", lowered) in HUMAN_PRONOUNS:
        return Subject("pronoun", head.start())  # 'she', "she'd made"
    if lowered == "you" and any(token.group()[:1] == "@" for token in tokens[-4:-1]):
        # '@sofia.r you could have paged the DBA': the one addressed, not anyone at all.
        return Subject("pronoun", head.start())
    # A role opening its clause may be capitalised, after a time too: '19:05 Marketing …'.
    opens = all(token.group()[:1].isdigit() for token in tokens[:-1])
    if (
        _is_role(word, first=opens)
        or lowered.endswith("-team")
        or _titled_role(tokens)
        or _compound_role(tokens)
    ):
        return _role_subject(tokens, antecedent)
    owner = _owner_of_work(tokens, people)
    if owner is not None:
        return owner
    # "the Knox service" is no one; in "a typo that Rahul pushed", 'that' starts a clause.
    if before in DETERMINERS and not (before == "that" and _is_name_shaped(word)):
        return None
    return _person_subject(tokens, people)


def _owner_of_work(tokens: Tokens, people: People) -> Subject | None:
    """ "Sergey's review neglected …", "Arjun's regression run skipped …": a person's work as
    the subject is the person at work."""
    head = tokens[-1]
    if len(tokens) < 2 or head.group().lower() not in _WORK_SUBJECTS:
        return None
    if _PASSIVE_AFTER.match(head.string, head.end()):
        return None  # "Priya's change was reviewed and approved": what was done to the work
    for token in reversed(tokens[-4:-1]):
        word = token.group()
        if not word.endswith(("'s", "\u2019s")):
            continue
        owner = word[:-2]
        evidence = people.evidence(owner)
        if evidence in STRONG_EVIDENCE:
            return Subject("person", token.start(), evidence)
        if owner.lower() in ROLE_NOUNS:
            return Subject("role", token.start())
        return None
    return None


_PASSIVE_AFTER = re.compile(r"\s+(?:was|were|is|are|has\s+been|had\s+been|got|been|be)\b", re.I)
# What a person's work is called when it is the subject of what it failed to do.
_WORK_SUBJECTS = word_set(
    """review reviews handover handoff run change deploy deployment rollout script check
    checks testing test tests migration fix patch work runbook plan"""
)


def _person_subject(tokens: Tokens, people: People) -> Subject | None:
    """A person the repository, the config or the first-name list knows, else a guess."""
    head = tokens[-1]
    word = head.group()
    evidence = people.evidence(word)
    if not evidence and len(tokens) > 1 and _is_name_shaped(word):
        # "Ayesha Siddiqui", "Ana Beatriz Costa": the given name tells.
        for given in reversed(tokens[-3:-1]):
            if not _is_name_shaped(given.group()):
                break
            if people.evidence(given.group()) in ("known", "name"):
                return Subject("person", given.start(), people.evidence(given.group()))
    if not evidence and len(tokens) > 1 and _is_name_shaped(word) and _titled(tokens[-2]):
        # "Technician J. Moreau", "Ms. Okoro": a title or an initial marks the name, and
        # a role before it is part of the subject.
        first = (
            tokens[-3]
            if len(tokens) > 2 and _is_role(tokens[-3].group(), first=True)
            else tokens[-2]
        )
        return Subject("person", first.start(), "name")
    if evidence:
        start = head.start()
        # "Alice Smith": start at the first name.
        if (
            len(tokens) > 1
            and tokens[-2].group()[:1].isupper()
            and people.evidence(tokens[-2].group().lower().title())
        ):
            start = tokens[-2].start()
        return Subject("person", start, evidence)
    return _guessed_person(tokens, people)


def _titled(token: re.Match[str]) -> bool:
    """A title or an initial right before a name: 'Mr.', 'Dr', 'J.'."""
    word = token.group()
    follows_dot = token.end() < len(token.string) and token.string[token.end()] == "."
    return bool(_TITLE.fullmatch(word + ("." if follows_dot else ""))) or (
        len(word) == 1 and word.isupper() and follows_dot
    )


def _guessed_person(tokens: Tokens, people: People) -> Subject | None:
    """A word nobody knows that is still shaped like a person's name or handle."""
    head = tokens[-1]
    word = head.group()
    lowered = word.lower()
    if (
        people.is_system(word)
        or lowered in STOPWORDS_UNLESS_KNOWN
        or lowered in SUBJECT_STOPWORDS
        or lowered in THING_NOUNS
        or not word[:1].isalpha()
        or _SYSTEM_SUFFIX.search(lowered)
    ):
        return None
    if word[:1].isupper() and _is_name_shaped(word):
        return Subject("person", head.start(), "capitalised")
    if len(tokens) == 1 and word.islower() and len(word) > 2:
        return Subject("person", head.start(), "lowercase")
    return None


_CONTRACTED = re.compile(r"['\u2019](?:d|ve|s|ll|re|m)$")
# One word ending in what software is called: 'alertmanager', 'Gatekeeper', 'kube-proxy'.
_SYSTEM_SUFFIX = re.compile(
    r"\w{3}-?(?:manager|controller|operator|scheduler|server|proxy|bot|agent|worker|daemon"
    r"|watcher|keeper|router|balancer|exporter|collector)$"
)


def _is_role(word: str, *, first: bool) -> bool:
    """'engineer', 'DBA', 'Engineers' opening a clause; not 'Teams' the product."""
    if word.lower().replace("\u2019", "'") not in ROLE_NOUNS:
        return False
    # 'SREs', 'DBAs': an acronym's plural is the role too.
    return word.islower() or word.isupper() or word[:-1].isupper() or first


def _compound_role(tokens: Tokens) -> bool:
    """'the support agent', 'a staff member': a noun that is a person only after these
    words ('the monitoring agent' and 'an etcd member' are software)."""
    if len(tokens) < 2:
        return False
    qualifiers = PERSON_AFTER.get(tokens[-1].group().lower())
    return qualifiers is not None and tokens[-2].group().lower() in qualifiers


def _head_of(tokens: Tokens) -> bool:
    """'the Head of Payments Technology': 'Head of' and a name in capitals to the end."""
    words = [token.group() for token in tokens[-5:]]
    for index in range(len(words) - 2):
        if words[index] == "Head" and words[index + 1] == "of":
            return all(word[:1].isupper() for word in words[index + 2 :])
    return False


def _titled_role(tokens: Tokens) -> bool:
    """'the Change Manager', 'our Integration Lead', 'the Head of Payments Technology': a
    role written as a title."""
    if _head_of(tokens):
        return True
    word = tokens[-1].group()
    if len(tokens) < 2 or not word.istitle() or word.lower() not in ROLE_NOUNS:
        return False
    if word.lower() in ("teams", "team"):
        return False  # 'Microsoft Teams' is a product
    before = tokens[-2].group()
    return before.lower() in DETERMINERS or (before.istitle() and len(tokens) > 2)


def is_adverb(word: str) -> bool:
    """'also', 'clearly', 'evidently': a word a subject search looks past."""
    lowered = word.lower()
    return lowered in ADVERBS or (word.islower() and lowered.endswith("ly") and len(word) > 4)


def _is_name_shaped(word: str) -> bool:
    """Capitalised, then lowercase letters (Oluwaseun, O'Brien, Lucía): not ACME or API."""
    return bool(re.fullmatch(r"[A-Z][a-z\u00e0-\u024f]+(?:['\u2019-][A-Za-z][a-z]+)?", word))


def _role_subject(tokens: Tokens, antecedent: bool) -> Subject | None:
    """'the on-call engineer', 'our DBA', 'Engineers', 'the payments team'.

    A role after a verb or a preposition is its object ("appointing an incident manager"),
    unless it is the antecedent of 'who' ("talk to the operator who ignored ...").
    """
    if (
        len(tokens) > 1
        and tokens[-2].group().lower() in NOT_ROLE_BEFORE
        and tokens[-1].group().lower() not in _PEOPLE_OF_A_THING
    ):
        return None  # 'the service operator' is software; 'the service owner' is a person
    index = _determiner_index(tokens)
    word = tokens[index].group().lower()
    generic = word in ("any", "every", "no")
    if index > 0 and not antecedent:
        before = tokens[index - 1].group().lower()
        if before == "of" and index > 1 and tokens[index - 2].group().lower() in _PORTIONS:
            # "some of our newer maintainers", "one of the reviewers": people of the role.
            return Subject("role", tokens[index - 2].start(), generic=generic)
        if before in PREPOSITIONS and index > 1:
            return _owner_subject(tokens[: index - 1], antecedent)
        if (before.endswith("ing") and before not in _ING_NOUNS) or before in PREPOSITIONS:
            return None
        if before in _ING_NOUNS:
            return Subject("role", tokens[index - 1].start(), generic=generic)
    return Subject("role", tokens[index].start(), generic=generic)


# Nouns in -ing that name what a team does, not a verb taking the role as its object:
# 'marketing ops neglected', 'billing engineers' (but 'appointing engineers').
_ING_NOUNS = word_set(
    """marketing billing engineering networking pricing accounting ticketing hosting
    publishing trading banking staffing recruiting"""
)


_PORTIONS = frozenset(("some", "many", "most", "several", "one", "two", "few", "half", "both"))


def _determiner_index(tokens: Tokens) -> int:
    """Where the role's noun phrase starts: its determiner close before it, else its noun."""
    for candidate in range(len(tokens) - 2, max(-1, len(tokens) - 6), -1):
        if tokens[candidate].group().lower() in DETERMINERS:
            return candidate
    return len(tokens) - 1


def _owner_subject(owner: Tokens, antecedent: bool) -> Subject | None:
    """ "someone on the data team", "an engineer from the payments team": the one who
    belongs to the role is the subject."""
    if owner[-1].group().lower() in HUMAN_PRONOUNS:
        return Subject("pronoun", owner[-1].start())
    if _is_role(owner[-1].group(), first=len(owner) == 1):
        return _role_subject(owner, antecedent)
    return None


def person_after(
    text: str, start: int, people: People, *, nested: bool = False
) -> tuple[int, int] | None:
    """The (start, end) of a person or role named right at start ('by Alice', 'by the DBA')."""
    tokens = list(TOKEN.finditer(text, start, min(len(text), start + 60)))
    if not tokens or text[start : tokens[0].start()].strip():
        return None
    first = tokens[0].group()
    following = tokens[1].group().lower() if len(tokens) > 1 else ""
    if following in ("error", "errors", "mistake", "mistakes", "factor", "factors"):
        return None  # "caused by human error" is PM404's
    if first.lower() in ("him", "her", "me", "us", "someone", "somebody"):
        return tokens[0].start(), tokens[0].end()
    if (
        not nested
        and first.lower() == "the"
        and len(tokens) > 3
        and tokens[1].group().lower() in _WORK_OF
        and tokens[2].group().lower() == "of"
    ):
        # 'caused by the work of Ms. Sato' (once: 'the work of the work of …' is no one)
        return person_after(text, tokens[3].start(), people, nested=True)
    if first.lower() in DETERMINERS:
        for token in tokens[1:5]:
            if token.group().lower() in ROLE_NOUNS:
                return tokens[0].start(), token.end()
        titled = _titled_name(tokens)
        return None if titled is None else (tokens[0].start(), titled)
    if first.lower() in ROLE_NOUNS:
        return tokens[0].start(), _titled_role_end(tokens)
    bare = POSSESSIVE_END.sub("", first)
    if people.is_system(bare):
        return None
    evidence = people.evidence(bare)
    if evidence:
        return tokens[0].start(), _name_end(tokens)
    titled = _titled_name(tokens)
    if titled is not None:
        return tokens[0].start(), titled
    who = _NAME_THEN_WHO.match(text, tokens[0].start(), min(len(text), start + 60))
    if who is not None:
        return tokens[0].start(), who.end("name")  # 'Siosaia Taufa, who altered …'
    return None


# A name no list knows, that 'who' goes on to tell of: a person (a system is 'which').
_NAME_THEN_WHO = re.compile(
    r"(?P<name>[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2})(?:\s*,)?\s+who\b"
)


# What someone did, named before their name: 'the work of Ms. Sato', 'the actions of X'.
_WORK_OF = frozenset(("work", "action", "actions", "operation", "operations", "change", "changes"))
POSSESSIVE_END = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
# What marks the next word as someone's name: 'Mr. Okafor', 'Dr Ana Souza', 'J. Park',
# 'Herr Vogel', 'our engineer Tomasz'.
_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Mx|Dr|Herr|Frau|Sr|Sra)\.?|[A-Z]\.", re.ASCII)
_NAME = re.compile(r"[A-Z][a-z\u00e0-\u024f]+(?:['\u2019-][A-Za-z][a-z]+)?(?:'s|\u2019s)?")
_INTRODUCING = frozenset(("engineer", "colleague", "teammate", "developer", "admin", "sre", "dba"))
_INTRODUCED_BY = frozenset(("our", "the", "my"))
_INITIAL = re.compile(r"[A-Z]\.?")


def _titled_name(tokens: Tokens) -> int | None:
    """Where a name that its title, initials or an introducing noun mark as a person's ends."""
    first = tokens[0].group()
    if len(tokens) < 2:
        return None
    following = tokens[1].group()
    initial = len(first) == 1 and first.isupper() and tokens[0].end() < len(tokens[0].string)
    if initial and tokens[0].string[tokens[0].end()] != ".":
        initial = False
    if (
        _TITLE.fullmatch(first)
        or initial
        or (
            first.lower() in _INTRODUCED_BY
            and following.lower() in _INTRODUCING
            and len(tokens) > 2
        )
    ):
        rest = tokens[2:] if first.lower() in _INTRODUCED_BY else tokens[1:]
        # 'Mr. J. Whitfield': initials between the title and the name.
        while len(rest) > 1 and _INITIAL.fullmatch(rest[0].group()):
            rest = rest[1:]
        if not rest or not _NAME.fullmatch(rest[0].group()):
            return None
        # 'Ms. Liu Yang': the names that follow the first, up to three in all.
        end = rest[0].end()
        for token in rest[1:3]:
            if token.start() != end + 1 or not _NAME.fullmatch(token.group()):
                break
            end = token.end()
        return end
    return None


def _titled_role_end(tokens: Tokens) -> int:
    """Where a role written as a title ends, with the name after it: 'Shift Lead Hartmann'."""
    end = tokens[0].end()
    if not tokens[0].group()[:1].isupper():
        return end
    for token in tokens[1:3]:
        if not (token.group()[:1].isupper() and token.start() == end + 1):
            break
        end = token.end()
    return end


def _name_end(tokens: Tokens) -> int:
    """Where the name the tokens start with ends: 'Alice Smith' and 'Ana Beatriz Costa' are
    one name each."""
    end = tokens[0].end()
    for token in tokens[1:3]:
        if not (token.group()[:1].isupper() and token.start() == end + 1):
            break
        end = token.end()
    return end


_CONJUNCTIONS = frozenset(("and", "but", "or", "so", "then", "yet", "nor", "also", "just"))
_ASIDE_HEAD = re.compile(r"([A-Z][\w-]*)\s*,[^,]{1,80},\s*$")


def thing_subject(text: str, end: int, people: People) -> bool:
    """Whether the clause ending at end has a subject that is a thing (a system, a setting,
    a process), not a person: 'the replica', 'our overcommit', 'Alice, our alert-routing
    service,'. A clause with no subject ('Should have checked') is not about a thing."""
    if subject_before(text, end, people) is not None:
        return False
    _, tokens = tokens_before(text, end)
    while tokens and is_adverb(tokens[-1].group()):
        tokens.pop()
    if tokens:
        last = tokens[-1].group()
        return last[:1].isalnum() and last.lower() not in _CONJUNCTIONS
    aside = _ASIDE_HEAD.search(text, max(0, end - 160), end)
    return aside is not None and people.is_system(aside.group(1))
