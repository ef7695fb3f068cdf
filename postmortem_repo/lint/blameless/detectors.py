"""The hit finders behind the PM4xx rules: hindsight (PM401), a person as the cause (PM402),
judgement words (PM403), "human error" (PM404) and actions aimed at a person (PM405).

Every detector reads masked prose units (see prose.py) in the sentences that hold one of
its trigger words (see sentences.py) and reports hits with offsets. Who a clause is about
is subjects.py's question; the words and phrases are lexicon.py's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import chain
from typing import NamedTuple

from postmortem_repo.lint.blameless.lexicon import (
    ACCESS_LOSS,
    BECAUSE,
    BROKE_AFTER,
    BROKE_JOIN,
    BY_AGENT,
    CAUSAL_ACTION,
    CAUSAL_AFTER,
    CAUSAL_BEFORE,
    CAUSE_LIES_WITH,
    CAUSED_BY,
    CAUSED_WORK_BY,
    CLAUSE_BREAK,
    CONSEQUENCE_BEFORE,
    COPULA_BEFORE,
    CORE_HUMAN,
    COUNTERFACTUAL,
    COURSE,
    CULPRIT_HUNT,
    DETERMINERS,
    DONE_TO_A_PERSON,
    EXHORTATION,
    FAULTY,
    GROUP_NOUNS,
    HAD_INVERTED,
    HUMAN_ERROR,
    HUMAN_ERROR_PHRASE,
    HUMAN_WORK,
    IDENTIFIED_AS,
    IF_HAD,
    IF_ONLY,
    IMPACT_PARTICIPLES,
    INDIVIDUAL,
    IS_THE_CAUSE,
    JUDGED_BY,
    JUDGEMENT,
    JUDGEMENT_PHRASE,
    JUDGEMENT_STATE,
    LUCKY,
    METRIC_AFTER,
    MODAL_CONTRACTED,
    MODAL_HAVE,
    NARRATED_PAST,
    NEGATED_AFTER,
    NEGATED_BEFORE,
    NOT_FOLLOWED,
    OBLIGATION,
    PARTICIPLES,
    PAST_VERB,
    PERSON_NOUN_AFTER,
    PERSON_STATE,
    PERSON_TARGETED,
    PERSON_TARGETED_ANCHORS,
    PERSON_TARGETED_NEGATED,
    POSSESSIVE,
    PREPOSITIONS,
    RAISED_TO_TURN,
    REPORTED_BEFORE,
    RESTRICTED,
    RETRAINING,
    ROLE_ACTION,
    ROLE_NOUNS,
    SANCTION,
    SET_ASIDE,
    SLIP_TYPED,
    TECHNICAL_AFTER,
    THAT_DAMAGED,
    THAT_WAS_WHY,
    TITLES,
    TOKEN,
    WENT_WRONG,
    WITHOUT,
    WORK_NOUNS,
)
from postmortem_repo.lint.blameless.predicates import find_predicates
from postmortem_repo.lint.blameless.prose import ProseUnit
from postmortem_repo.lint.blameless.scan import LazyPattern, Spans, find_in_spans
from postmortem_repo.lint.blameless.sentences import (
    SENTENCE_END,
    reads_as_root_cause,
    words_of,
)
from postmortem_repo.lint.blameless.subjects import (
    POSSESSIVE_END,
    Subject,
    is_adverb,
    person_after,
    subject_before,
    thing_subject,
    tokens_before,
)
from postmortem_repo.model.people import STRONG_EVIDENCE, THING_NOUNS, People, word_set


class Hit(NamedTuple):
    code: str
    start: int
    end: int
    phrase: str
    kind: str  # which hint to give


def _hit(code: str, text: str, start: int, end: int, kind: str) -> Hit:
    phrase = " ".join(text[start:end].split())
    return Hit(code, start, end, phrase, kind)


# --- what several detectors ask ------------------------------------------------------------


def _reported(text: str, start: int) -> bool:
    """Is the phrase at start part of a belief, a hypothesis or a question in its sentence?"""
    before = text[max(0, start - 120) : start]
    for end in SENTENCE_END.finditer(before):
        before = before[end.end() :]
    return bool(REPORTED_BEFORE.search(before)) or _question(text, start)


# How far a detector looks for the start or end of the sentence it reads: a sentence longer
# than this is read as if it began or ended there, so that a hostile paragraph of one
# endless sentence costs time linear in its length, not in its square.
_SENTENCE_REACH = 600


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding offset `at` starts (after the last '. ' before it)."""
    floor = max(0, at - _SENTENCE_REACH)
    found = text.rfind(". ", floor, at)
    return found + 1 if found >= 0 else floor


def raised_to_turn(text: str, hit: Hit) -> bool:
    """Whether the hit's sentence raises blame only to turn it toward the system."""
    start = _sentence_start(text, hit.start)
    return RAISED_TO_TURN.search(text, start, hit.start) is not None


def _sentence_end(text: str, at: int) -> int:
    """Where the sentence that holds `at` ends (at its closing mark)."""
    reach = at + _SENTENCE_REACH
    end = SENTENCE_END.search(text, at, reach)
    return end.start() if end else min(reach, len(text))


def _question(text: str, start: int) -> bool:
    found = SENTENCE_END.search(text, start, start + _SENTENCE_REACH)
    return found is not None and found.group().startswith("?")


def _negated(text: str, start: int, end: int) -> bool:
    """'not careless', 'no human error', 'human error was not a factor'."""
    line_start = max(0, start - 60)
    before = text[line_start:start]
    for brk in CLAUSE_BREAK.finditer(before):
        before = before[brk.end() :]
    return bool(NEGATED_BEFORE.search(before) or NEGATED_AFTER.match(text[end : end + 30]))


# --- PM402: a person as the cause ----------------------------------------------------------


def individual_hits(unit: ProseUnit, people: People, spans: Spans) -> list[Hit]:
    text = unit.text
    hits: list[Hit] = []
    in_rca = reads_as_root_cause(unit)
    for match in find_predicates(text, spans, in_rca):
        subject = subject_before(text, match.start(), people)
        if subject is None or subject.generic or not _counts(subject, match, in_rca):
            continue  # 'no individual is at fault', 'any engineer' is no one in particular
        if _credits(text, match) or _we_did_not_know(text, subject, match):
            continue
        if _ASKED_WHY.search(text, max(0, subject.start - 40), subject.start):
            continue  # 'asking why the duty engineer did not re-enable it led us to …'

        if match.group().lower().endswith("of") and _I_OR_WE.match(text, subject.start):
            continue  # 'we rolled back instead of fixing forward' tells the team's choice
        if match.group("action") and _as_prescribed(text, match.end()):
            continue
        if _DOCS_SAY_SO.match(text, match.end()):
            continue  # "snoozed it, which the runbook describes as normal"
        if subject.kind != "person" and CONSEQUENCE_BEFORE.search(text, 0, subject.start):
            continue  # "no test uses /api, so we didn't catch it": the cause is stated first
        hits.append(_hit(INDIVIDUAL, text, subject.start, match.end(), _kind_of(match)))
    hits.extend(_agent_hits(text, people, in_rca, spans))
    if "without" in text or "contrary" in text:
        hits.extend(_act_before(WITHOUT, text, people, spans))
    hits.extend(_act_before(THAT_DAMAGED, text, people, spans, near=6))
    if "that" in text or "this" in text or "That" in text or "This" in text:
        hits.extend(_said_to_be_why(text, people, spans))
    hits.extend(_broke_after_hits(text, people, spans))
    hits.extend(_culprit_hunts(text, spans))
    for match in find_in_spans(NOT_FOLLOWED, text, spans):
        hits.append(_hit(INDIVIDUAL, text, match.start(), match.end(), "process-passive"))
    return hits


def _said_to_be_why(text: str, people: People, spans: Spans) -> list[Hit]:
    """'Zoë changed the policy, and that is what deleted the logs'; not when what followed
    is the recovery ('and that is what brought the site back')."""
    hits = []
    for match in find_in_spans(THAT_WAS_WHY, text, spans):
        lead = _AND_BEFORE.search(text, max(0, match.start() - 8), match.start())
        hit = _act_at(text, people, lead.start() if lead else match.start(), match.end(), 8)
        if hit is None:
            continue
        if not _credit_follows(text, hit.end):
            hits.append(hit)
    return hits


_AND_BEFORE = re.compile(r"(?:,\s*|\s+)(?:and\s+)?$", re.IGNORECASE)


def _broke_after_hits(text: str, people: People, spans: Spans) -> list[Hit]:
    """'Rohan pushes his config change and every pod starts crash-looping': what broke,
    found first, then the join before it and the act before that."""
    hits = []
    for match in find_in_spans(BROKE_AFTER, text, spans):
        join = BROKE_JOIN.search(text, max(0, match.start() - 80), match.start())
        if join is None:
            continue
        hit = _act_at(text, people, join.start(), match.end(), 8)
        if hit is not None and not _EASED.search(text, hit.start, hit.end):
            hits.append(hit)
    return hits


def _credit_follows(text: str, at: int) -> bool:
    """Whether the rest of the sentence after `at` tells a recovery or a credit: '..., and
    that is what brought the site back', 'Due to Bram the database came back early'."""
    rest = text[at : _sentence_end(text, at)]
    return any(pattern.search(rest) for pattern in (_CREDIT, _RESPONSE, _BACK, _EARLY))


_EARLY = re.compile(r"\b(?:early|in\s+time|quickly)\b", re.IGNORECASE)
# What eases rather than breaks: 'and the errors stopped climbing'.
_EASED = re.compile(r"\b(?:stop\w*|no\s+longer|not|never|less|fewer|recover\w*)\b|n't", re.I)
_BACK = re.compile(r"\b(?:back|restored|saved|worked|helped)\b", re.IGNORECASE)
_WE = re.compile(r"we\b", re.IGNORECASE)


def _we_did_not_know(text: str, subject: Subject, match: re.Match[str]) -> bool:
    """'We didn't know the client had a retry hook', 'we are not aware of any miscompiled
    binary': a team saying what it did not know describes a gap in what it could know,
    told in its own voice; about someone else ('the on-call didn't know') it is blame. So is
    a fact a writer forgot ('I forgot what the quota request was for'); forgetting to act
    ('I forgot to renew it') is an omission."""
    if _WE.match(text, subject.start) is not None and _kind_of(match) == "knowledge":
        return True
    return (
        match.group().lower().endswith("forgot")
        and _I_OR_WE.match(text, subject.start) is not None
        and _WH_WORD.match(text, match.end()) is not None
    )


_WH_WORD = re.compile(r"\s+(?:what|which|how|where|when|whether|who|why)\b", re.IGNORECASE)


_ASKED_WHY = re.compile(r"\bask(?:ed|ing|s)?\s+why\s+$", re.IGNORECASE)
_CREDIT_PARTICLE = re.compile(r"\s+out\b", re.IGNORECASE)


def _credits(text: str, match: re.Match[str]) -> bool:
    """'As Ngozi pointed out in the review': someone credited for a remark, not an action
    that caused anything."""
    return match.group().lower().endswith("pointed") and bool(
        _CREDIT_PARTICLE.match(text, match.end())
    )


# What clears the doer of a neutral action: it was done as a plan, a runbook or a review
# said ('Mateo ran the scale command from the runbook; the runbook said 30').
_PRESCRIBED = re.compile(
    r"[^.;!?]{0,80}?\b(?:exactly\s+as|as\s+(?:written|documented|reviewed|approved|instructed"
    r"|planned|specified|described|requested|agreed)|under\s+the\s+(?:[\w-]+\s+){0,2}(?:policy"
    r"|process|procedure)|(?:from|per|following|according\s+to|in\s+line\s+with"
    r"|matched|using|through|via|because|with|on\s+the\s+basis\s+of|based\s+on)\s+the\s+"
    r"(?:\w+\s+){0,2}(?:information|data|evidence|advice|runbook|playbook"
    r"|procedure|plan|documentation|interface|tool|process|change|script"
    r"|docs|readme|checklist|ticket|toggle|instructions|calendar|schedule))",
    re.IGNORECASE,
)


# What the act was, by the team's own documents ('as the runbook says', 'which the runbook
# describes as normal'): even a blame verb's act is then no fault.
_DOCS_SAY_SO = re.compile(
    r"[^.;!?]{0,80}?\b(?:which|as)\s+the\s+(?:[\w-]+\s+){0,2}?(?:runbook|playbook|procedure"
    r"|plan|docs|documentation|readme|checklist)\s+(?:says|said|describes|described|recommends"
    r"|recommended|prescribes|prescribed|requires|required)",
    re.IGNORECASE,
)
_CLEARED_AFTER = re.compile(
    r"[^.;!?]{0,60}?\b(?:as\s+scheduled|(?:was|were)\s+(?:reviewed|correct|fine|approved"
    r"|ruled\s+out|an?\s+(?:reasonable|understandable|sensible|correct|valid)\b)|passed\s+every\s+check|(?:is|was)\s+fine\b)",
    re.IGNORECASE,
)


# "Paulo ran the script, but the script had the wrong default": after the act, the sentence
# turns to a thing as what went wrong (not to the outage that followed).
_TURNED_TO_A_THING = re.compile(
    r"[^.!?]{0,160}?(?:;|,?\s+but\b|\s+[\u2014\u2013]\s+|,\s+which(?=\s+the\s+[\w-]+\s+"
    r"(?:allowed|permitted|accepted|let)\b))\s*(?:actually,?\s+|in\s+fact,?\s+"
    r"|however,?\s+)?(?:the|a|an|its|this|that|no|nothing)\s+(?!(?:[\w-]+\s+)?(?:outage|incident|impact"
    r"|errors?|site|problem|failure|damage|on-?call|engineers?|operators?|reviewers?|team)\b)",
    re.IGNORECASE,
)


def _as_prescribed(text: str, end: int) -> bool:
    """Whether what follows clears the act: done as prescribed, found correct, or followed
    by what in the system went wrong."""
    if text[end : end + 1] == "." and text[end - 2 : end - 1] == ".":
        end += 1  # 'by M.W. according to the calendar': the initials' last dot ends nothing
    return (
        _PRESCRIBED.match(text, end) is not None
        or _DOCS_SAY_SO.match(text, end) is not None
        or _CLEARED_AFTER.match(text, end) is not None
        or _TURNED_TO_A_THING.match(text, end) is not None
    )


_SOMEONE = re.compile(r"(?:someone|somebody)\b", re.IGNORECASE)


def _counts(subject: Subject, match: re.Match[str], in_rca: bool) -> bool:
    """Whether the predicate blames this subject: the more systems also do what it says,
    the more evidence of a person it takes."""
    if match.group("human"):
        # An unknown word as the subject is a person only for what nothing else does.
        guessed = subject.evidence in ("capitalised", "lowercase")
        return not guessed or bool(CORE_HUMAN.match(match.group()))
    if match.group("action"):
        if subject.kind == "role":
            return bool(ROLE_ACTION.fullmatch(match.group()))
        if subject.kind == "pronoun":
            # 'Someone on the platform team disabled the health check': an unnamed person's
            # act given as the cause.
            return _SOMEONE.match(match.string, subject.start) is not None
        return subject.kind == "person" and subject.evidence not in ("capitalised", "lowercase")
    # Verbs systems also do need real evidence of a person.
    if subject.kind != "person":
        return True
    word_name_ok = in_rca or match.group("process") is not None
    return subject.evidence in STRONG_EVIDENCE or (word_name_ok and subject.evidence == "word-name")


def _kind_of(match: re.Match[str]) -> str:
    """Which hint fits the predicate."""
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


def _agent_hits(text: str, people: People, in_rca: bool, spans: Spans) -> list[Hit]:
    """A person named as the agent of what went wrong: 'was missed by Alice', 'caused by
    the DBA', "Bill's typo", 'a careless edit by Bob'."""
    hits: list[Hit] = []
    has_by = " by " in text or "\nby " in text or " by\n" in text
    if has_by:
        hits.extend(_passive_agent_hits(text, people, in_rca, spans))
    hits.extend(_agents_after(CAUSED_BY, text, people, spans))
    if " by " in text or " of " in text or " from " in text:
        hits.extend(_caused_work_hits(text, people, spans))
    hits.extend(_agents_after(CAUSE_LIES_WITH, text, people, spans))
    if (
        "ecause" in text
        or " due " in text
        or " when " in text
        or " after " in text
        or " the " in text
    ):
        hits.extend(_because_hits(text, people, spans))
    if " who" in text or " on " in text or "'s on" in text or " again" in text or " too" in text:
        hits.extend(
            hit
            for hit in _agents_after(IDENTIFIED_AS, text, people, spans, ended=True)
            if not _FIXING_BEFORE.search(text, max(0, hit.start - 40), hit.start)
        )
    if "'s" in text or "\u2019s" in text or "his " in text or "her " in text:
        hits.extend(_possessive_hits(text, people, in_rca, spans))
    if " of " in text or " from " in text:
        hits.extend(_work_of_hits(text, people, in_rca, spans))
    if has_by or " from " in text:
        hits.extend(_agents_after(JUDGED_BY, text, people, spans))
    hits.extend(_named_as_the_cause(text, people, spans))
    hits.extend(_marked_where_it_went_wrong(text, people, spans))
    hits.extend(_linked_act_hits(text, people, spans))
    return hits


def _linked_act_hits(text: str, people: People, spans: Spans) -> list[Hit]:
    """'Checkout failed for twenty minutes after Ilse flipped the pricing flag': what went
    wrong, a link, then a person and what they did."""
    hits = []
    for link in find_in_spans(_HARM_LINK, text, spans):
        if _HARM.search(text, _clause_start(text, link.start()), link.start()) is None:
            continue  # nothing went wrong before the link (most links): no person to find
        agent = person_after(text, link.end() + 1, people)
        if agent is None or text[agent[0] : agent[1]].lower() in _OBJECT_PRONOUNS:
            continue  # 'from US regions' is a place; 'after us' no subject
        if not _harm_then_link(text, agent[0]):
            continue
        verb = _word_after(text, agent[1])
        while verb is not None and verb.group().lower() in ROLE_NOUNS:
            verb = _word_after(text, verb.end())  # 'the on-call engineer flipped'
        if verb is None:
            continue
        word = verb.group().lower()
        acted = PAST_VERB.fullmatch(word) or _PRESENT.fullmatch(word)
        if not acted or word in RESPONSE_VERBS or word in _NOT_AN_ACT:
            continue
        hits.append(_hit(INDIVIDUAL, text, agent[0], verb.end(), "agent"))
    return hits


def _word_after(text: str, at: int) -> re.Match[str] | None:
    """The word one space after `at`, if one is there."""
    return TOKEN.match(text, at + 1) if text[at : at + 1] == " " else None


_OBJECT_PRONOUNS = frozenset(("us", "me", "him", "her"))
# What a person does after something broke that is no act upon the system.
_NOT_AN_ACT = word_set(
    """joined arrived logged came woke called messaged pinged asked said told noticed saw
    looked checked started began tried went got was were had did joins arrives logs comes
    wakes calls asks says tells notices sees looks checks starts begins tries goes gets has
    does needed needs wanted wants thought thinks knew knows realised realized realises
    realizes left leaves replied replies answered answers posted posts wrote writes opened
    opens closed closes"""
)


# 'fixing them is on us': whose the fix is, not whose the fault was.
_FIXING_BEFORE = re.compile(
    r"\b(?:fix|resolv|prevent|repair|improv|address|own)\w*(?:\s+[\w'-]+){0,3}\s+$", re.IGNORECASE
)


def _marked_where_it_went_wrong(text: str, people: People, spans: Spans) -> list[Hit]:
    """'Yamada-san executed the wrong SQL, and this is the start of the trouble': a
    person's act, opening the sentence, marked as where things went wrong."""
    hits = []
    for match in find_in_spans(WENT_WRONG, text, spans):
        start = _sentence_start(text, match.start())
        words = [
            token
            for token in TOKEN.finditer(text, start, match.start())
            if not token.group()[:1].isdigit()
        ][:3]
        for token in words:
            word = POSSESSIVE_END.sub("", token.group())
            if people.is_system(word):
                break
            if people.evidence(word) or _INITIALS.match(word) or word.lower() in ROLE_NOUNS:
                hits.append(_hit(INDIVIDUAL, text, token.start(), match.end(), "agent"))
                break
    return hits


def _named_as_the_cause(text: str, people: People, spans: Spans) -> list[Hit]:
    """'Anaïs Lefebvre, who approved the change, is the reason it reached production'."""
    hits = []
    for match in find_in_spans(IS_THE_CAUSE, text, spans):
        subject = subject_before(text, match.start(), people)
        if subject is None or subject.generic or subject.kind == "pronoun":
            continue
        rest = text[match.end() : _sentence_end(text, match.end())]
        if _CREDIT.search(rest) or _RESPONSE.search(rest):
            continue  # 'the main reason we recovered', 'the trigger for the rollback'
        hits.append(_hit(INDIVIDUAL, text, subject.start, match.end(), "agent"))
    return hits


_ACT_AFTER = re.compile(
    # what sets the person apart comes first: 'Olamide, who paused', 'Daniel, the on-call,
    # took', 'Kevin on our support team changed'
    r"(?:(?:\s*,\s*|\s+)who\b|\s*,\s*(?:the|our|an?|my)\s+(?:[\w-]+\s+){0,2}?[\w-]+\s*,"
    r"|\s+(?:on|from|in)\s+(?:our|the)\s+(?:[\w-]+\s+){0,2}?team\b|\s+on\s+(?:call|duty|shift))?"
    r"\s+(?:(?:had|has|have|just|then|also|accidentally|mistakenly)\s+)*(?:(?:not|never)\s+)?"
    r"(?:\w+ed\b|"
    + CAUSAL_ACTION
    + r"|ran|put|hit|took|broke|left|forgot|skipped|pushed|shut|cut|let|sent|made|elected"
    r"|opted|bought|chose|gave|wrote)\b",
    re.IGNORECASE,
)


_HUNT_BEFORE = re.compile(
    r"(?:identify|find\s+out|know|establish|determine|ask|tell\s+(?:me|us)"
    r"|figure\s+out|need|pin\s+down|track\s+down|work\s+out|investigat\w+|find|name\s+of)"
    r"(?:\s+\w+){0,3}\s+$"
    # 'asked in #infra who touched it' (but 'asked the contractor who ran it' to …)
    r"|ask(?:ed|s)\s+(?:(?:in|on)\s+[#@]?[\w-]+\s+)?$",
    re.IGNORECASE,
)


# 'Commenters asked who published it; this post-mortem is about why our process let …':
# the hunt reported, then turned to what allowed it.
# ('who approved this and why' asks both).
_TURNED_TO_WHY = re.compile(
    r"[^.!?\n;]{0,160}?(?:;|\bbut\b|\binstead\b)[^.!?\n]{0,120}?\bwhy\b", re.IGNORECASE
)


# Words a question can open with before its 'who': "ok who touched the firewall rules".
_INTERJECTION = r"(?:ok|okay|so|lol|hey|um|well|seriously|honestly|guys|folks|right|and|but)"
_INTERJECTIONS = re.compile(r"\b" + _INTERJECTION + r"\b", re.IGNORECASE)


# What ends the text before a hunt's 'who' when the hunt opens its sentence: nothing, a
# stop or a colon ('Update: who restarted it?'), or one of those and an interjection.
_AFTER_A_STOP = re.compile(r"(?:^|[.!?:\]>\"]\s*)$")
_OPENED_BY_INTERJECTION = re.compile(r"(?:^|[.!?:\]>\"]\s*)" + _INTERJECTION + r"[\s,]+$")


_DISMISSED = re.compile(
    r"[^.;!?]{0,40}?(?:wrong\s+question|not\s+the\s+(?:right\s+)?question|beside\s+the\s+point"
    r"|doesn't\s+matter|does\s+not\s+matter|irrelevant)\b",
    re.IGNORECASE,
)


def _culprit_hunts(text: str, spans: Spans) -> list[Hit]:
    """A search for who did it, not for what allowed it: a question, a 'need to know who',
    or a sentence that starts with 'who' or 'whoever'. 'The engineer who pushed the fix'
    is a relative clause, not a hunt."""
    hits = []
    for match in find_in_spans(CULPRIT_HUNT, text, spans):
        if match.group().split()[-1].lower() in RESPONSE_VERBS:
            continue  # 'who noticed it first', 'which engineer escalated'
        if _DISMISSED.match(text, match.end()):
            continue  # 'who approved it - wrong question': the hunt raised to be set aside
        asks = _question(text, match.end())
        opening = text[_sentence_start(text, match.start()) : match.start()]
        starts = (
            not _INTERJECTIONS.sub("", opening).strip(". \n\t\"'[]<>:@-")
            or _AFTER_A_STOP.search(opening) is not None
            or _OPENED_BY_INTERJECTION.search(opening) is not None
        )
        if (
            match.group().lower().startswith(("need", "know"))
            or match.group().lower().endswith("responsible")
            or asks
            or starts
            or (
                _HUNT_BEFORE.search(text, max(0, match.start() - 100), match.start())
                and not _TURNED_TO_WHY.match(text, match.end())
            )
        ):
            hits.append(_hit(INDIVIDUAL, text, match.start(), match.end(), "agent"))
    return hits


def _because_hits(text: str, people: People, spans: Spans) -> list[Hit]:
    """'Because Amara's batch job flooded it', 'because Mr Adeyemi disabled the hook',
    'because of Tom's delay': a person or their act given as the reason."""
    hits = []
    for match in find_in_spans(BECAUSE, text, spans):
        agent = person_after(text, match.end(), people)
        if agent is None:
            continue
        named = text[agent[0] : agent[1]]
        possessive = named.endswith(("'s", "\u2019s"))
        if text[agent[0] : agent[0] + 3].lower() == "no ":
            continue  # 'due to no second on-call': a role missing, not a person's act
        # What went before or comes after is to their credit: 'recovery was faster because
        # of Arjun', 'resulted from Alice spotting the bad config early'.
        credited = _CREDIT.search(text, _sentence_start(text, match.start()), match.start())
        credit_follows = _credit_follows(text, agent[1])
        nominal = _NOMINAL.match(match.group()) is not None and _one_person(named)
        if nominal and (credited or credit_follows):
            continue
        # 'went down because of Farhan.': the person alone is the reason.
        alone = (
            match.group().lower().startswith(("because of", "due to"))
            and (
                _IDENTIFIED_END.match(text, agent[1]) is not None
                or _AND_THEIR.match(text, agent[1]) is not None
                # 'Due to Bram the invoice database was down': the next clause begins
                or (
                    _CLAUSE_AFTER_NAME.match(text, agent[1]) is not None
                    and not possessive
                    and not credit_follows
                )
            )
            and not credited
        )
        if possessive or alone or _act_after(text, agent[1], nominal=nominal):
            hits.append(_hit(INDIVIDUAL, text, match.start(), agent[1], "agent"))
    return hits


# 'due to Tomás and his undocumented certificate': the person, then what was theirs.
_AND_THEIR = re.compile(r"\s+and\s+(?:his|her|their)\s", re.IGNORECASE)
_CLAUSE_AFTER_NAME = re.compile(r"\s+(?:the|our|we|it|this|all|every)\b", re.IGNORECASE)


# Causes that take a noun phrase: "due to Marta switching the feeder" is an act, as
# "because Marta switched it" is.
_NOMINAL = re.compile(r"because\s+of|due\s+to|owing|trac|c[oa]me|result|stem", re.IGNORECASE)
_GERUND_AFTER = re.compile(r"\s+(?!being\b|having\b)[a-z]+ing\b")


def _one_person(named: str) -> bool:
    """'Marta Ruiz', 'the DBA': one person, not 'people' or 'users' at large ('due to
    people taking time to upgrade' says how many upgraded)."""
    last = named.split()[-1].lower()
    return named[:1].isupper() or not (last.endswith("s") or last in GROUP_NOUNS)


def _act_after(text: str, at: int, *, nominal: bool) -> bool:
    """Whether what follows a person at `at` is an act of theirs, not their noticing or
    answering it ('broke when Ana noticed' tells who saw it)."""
    act = _ACT_AFTER.match(text, at) or (_GERUND_AFTER.match(text, at) if nominal else None)
    return act is not None and act.group().split()[-1].lower() not in RESPONSE_VERBS


# Credit and recovery: what went before "because of Arjun", or after "Priya was the reason".
_CREDIT = re.compile(
    r"\b(?:faster|quicker|sooner|earlier|better|shorter|smaller|saved|recover\w*|helped|thanks"
    r"|caught|avoided|contained|limited|mitigated|resolved)\b",
    re.IGNORECASE,
)
_RESPONSE = re.compile(
    r"\b(?:roll\s*back|rollback|revert\w*|fix\w*|detect\w*|notic\w*|escalat\w*|page\b|paging"
    r"|alert\w*|success\w*|quick\w*|fast)",
    re.IGNORECASE,
)
_CAUSE_SAID = re.compile(
    r"\b(?:caused|triggered|traced|precipitated|initiated|introduced|broke|root[- ]cause"
    r"|(?:the|a)\s+cause|outage|incident|contributing\s+factor)",
    re.IGNORECASE,
)


def _cause_said(text: str, match: re.Match[str]) -> bool:
    """Whether the sentence before a neutral passive ('made by', 'pushed by') says that
    what was made caused the failure: then its agent is named as the cause."""
    sentence_start = _sentence_start(text, match.start())
    return _CAUSE_SAID.search(text, sentence_start, match.start()) is not None


# What people do in answering an incident, never the fault: "was reported by the community
# team", "the cause was established by App Support".
RESPONSE_VERBS = word_set(
    """identified established found determined confirmed reviewed reported diagnosed
    discovered spotted noticed escalated investigated analysed analyzed acknowledged paged
    notified contacted verified detected flagged raised resolved mitigated
    restored fixed explained answered assessed triaged handled coordinated swapped repaired"""
)


def _passive_agent_hits(text: str, people: People, in_rca: bool, spans: Spans) -> list[Hit]:
    """'the alert was ignored by Alice'; a neutral verb ('was deployed by') only in Root
    Cause Analysis."""
    hits = []
    for match in find_in_spans(BY_AGENT, text, spans):
        neutral = match.group("neutral")
        if neutral and neutral.split()[0].lower() in RESPONSE_VERBS:
            continue  # "the cause was established by the support team": the response
        if match.group("verb").lower().startswith(("not", "never")) and not match.group("aux"):
            continue
        hit = _agent_hit(text, match, people)
        if hit is None or ((neutral or match.group("damaging")) and _as_prescribed(text, hit.end)):
            continue
        # In Root Cause Analysis a done act ('was deployed by') is given as the cause,
        # unless the sentence goes on to what in the system let it do harm.
        if neutral and not (
            (in_rca and match.group("aux") and not _turns_to_a_thing(text, hit.end))
            or _cause_said(text, match)
            or _SAID_A_CAUSE_AFTER.match(text, hit.end)
            or _harm_then_link(text, match.start())
            or _harm_follows(text, hit.end)
            or (in_rca and _harm_before(text, match.start()))
        ):
            continue
        hits.append(hit)
    return hits


def _harm_before(text: str, at: int) -> bool:
    """'Why 2: partitions deleted - retention job edited by Zanele': in an answer to why,
    what went wrong told first, then the act."""
    start = _clause_start(text, at)
    told = any(
        not _NAMES_A_THING_TOO.fullmatch(harm.group()) for harm in _HARM.finditer(text, start, at)
    )
    return told and _RECOVERY.search(text, start, at) is None


# Harm words that also name what a change was about ('the proxy timeout change'): told
# before an act, they do not say that something went wrong.
_NAMES_A_THING_TOO = re.compile(
    r"timeouts?|errors?|zero|empty|missing|wrong|5\d\ds?|5xx|spik\w*|down|loss|failures?",
    re.IGNORECASE,
)


# '…, and the test tooling has no mechanism to restore it', '; configuration management was
# not re-applied': after the act, the sentence turns to a thing.
_AND_A_THING = re.compile(
    r"[^.!?]{0,160}?(?:;\s*|,?\s+and\s+)(?P<det>the|a|an|no|nothing|its|our|configuration|config)\s+"
    r"(?!(?:[\w-]+\s+)?(?:outage|incident|impact|errors?|site|problem|failure|damage|on-?call"
    r"|engineers?|operators?|reviewers?|team)\b)",
    re.IGNORECASE,
)


_LACKED = re.compile(
    r"\b(?:no|not|never|nothing|lack\w*|without|missing|allowed|let|permitted|accepted)\b|n't",
    re.IGNORECASE,
)


def _turns_to_a_thing(text: str, at: int) -> bool:
    """Whether, after the act, the sentence turns to a thing that lacked something or did
    not act ('…, and the test tooling has no way to restore it'); not to what was harmed
    ('…, and the orders table was dropped')."""
    end = _sentence_end(text, at)
    turn = _AND_A_THING.match(text, at, end)
    return turn is not None and _LACKED.search(text, turn.start("det"), end) is not None


# What went wrong, as a writer tells it before saying what it followed: 'the records
# database became unavailable following …', 'the login queue explodes right after …'.
_HARM = re.compile(
    r"\b(?:outages?|down|downtime|unavailable|unreachable|inaccessible|offline|fail(?:ed|s|ing"
    r"|ures?)?|broke|broken|crash\w*|corrupt\w*|lost|loss|stopped|explod\w*|5\d\ds?|5xx"
    r"|errors?|degraded|blackhol\w*|mis-?rout\w*|duplicat\w*|double-?charg\w*|disrupt\w*"
    r"|spik\w*|timeouts?|timed\s+out|deleted|wiped|truncated|erased|overwritten|purged|leaked"
    r"|locked\s+out|rejected|stuck"
    r"|back(?:ed)?\s+up|toast|wrong|breach\w*|mis-?priced|overcharg\w*|zero|empty|missing"
    r"|halted|froze|frozen|hung|overloaded|saturated|exhausted|cascad\w*|went\s+dark"
    r"|could\s+not|couldn't|cannot|can't|unable)\b",
    re.IGNORECASE,
)
# What ties what went wrong to what came before it: the act named after these.
_HARM_LINK = LazyPattern(
    # every alternative begins with one of these letters: the regex skips the others at once
    r"(?=[afsbdort])\b(?:after|following|since|from|bc|b/c|because|due\s+to|owing\s+to"
    r"|result(?:ed|ing)\s+from|originat\w+\s+(?:with|from|in)|once|the\s+(?:moment|minute"
    r"|second)|during\s+the\s+period)\b",
    re.IGNORECASE,
    needs=(
        *("after", "following", "since", "from", "bc", "b/c", "because", "due", "owing"),
        *("result", "originat", "once", "moment", "minute", "second", "during"),
    ),
)
# What says it ended rather than began: 'errors stopped after …', 'was back up after …'.
_RECOVERY = re.compile(
    r"\b(?:recover\w*|restor\w*|resolv\w*|fix\w*|mitigat\w*|normal\w*|cleared|subsided"
    r"|no\s+longer|went\s+away|eased|returned\s+to|back\s+(?:online|to)|(?:is|was|were|are|came)"
    r"\s+back|improv\w*|saved|prevent\w*|avoided|helped|limited|reduced|fell|dropped\s+back"
    r"|(?:errors?|alerts?|timeouts?|5xx|5\d\d)\s+(?:stopped|stop|ceased|dropped))\b",
    re.IGNORECASE,
)
_CLAUSE_TURN = re.compile(
    r";|,\s*(?:and|but|so|then|which|while|who)\b|\b(?:until|till)\b", re.IGNORECASE
)
# The act's noun phrase sits right after its link: 'following a maintenance action
# performed by'.
_LINK_REACH = 80


def _harm_then_link(text: str, at: int) -> bool:
    """Whether the clause before `at` tells what went wrong, then a link to what it
    followed or came from, so that the act at `at` is given as where the harm began (not
    where it went on or ended: 'errors persisted after …', 'the outage ended after …')."""
    start = _clause_start(text, at)
    link = None
    for found in _HARM_LINK.finditer(text, max(start, at - _LINK_REACH), at):
        link = found
    if link is None or _CLAUSE_TURN.search(text, link.end(), at):
        return False  # 'after the export, and the export was later paused by …'
    end = _clause_end(text, at)
    return (
        _HARM.search(text, start, link.start()) is not None
        and _RECOVERY.search(text, start, end) is None
        and _WENT_ON.search(text, start, at) is None
    )


# The ends of what came before in the clause: another sentence or a clause after ';'.
_CLAUSE_STOP = re.compile(r"[.!?;](?=\s)|\n")


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding `at` starts: after the last stop, '!', '?', ';' or newline
    (within the sentence's reach)."""
    start = _sentence_start(text, at)
    for mark in _CLAUSE_STOP.finditer(text, start, at):
        start = mark.end()
    return start


def _clause_end(text: str, at: int) -> int:
    mark = _CLAUSE_STOP.search(text, at, min(len(text), at + _SENTENCE_REACH))
    return mark.start() if mark else min(len(text), at + _SENTENCE_REACH)


# What says the trouble went on or ended after the act, not that it began there.
_WENT_ON = re.compile(
    r"\b(?:still|persist\w*|continu\w*|remain\w*|kept|even\s+after|ended|gone|over)\b",
    re.IGNORECASE,
)


# What an act led to, said after it: ', resulting in loss of call routing', '-> 500s'.
_HARM_AFTER = re.compile(
    r"[^.;!?]{0,60}?(?:,\s*|\s+)(?:resulting\s+in|causing|leading\s+to|which\s+(?:caused"
    r"|broke|took|triggered|led\s+to)|\u2192|->)\s",
    re.IGNORECASE,
)
_INCIDENT_START = re.compile(
    r"[^.;!?]{0,60}?[\u2014\u2013-]\s+(?:the\s+)?(?:start|beginning)\s+of\s+(?:the\s+)?"
    r"(?:incident|outage)",
    re.IGNORECASE,
)


def _harm_follows(text: str, at: int) -> bool:
    """Whether what follows `at` in its sentence says that the act led to harm."""
    if _INCIDENT_START.match(text, at):
        return True
    link = _HARM_AFTER.match(text, at)
    if link is None:
        return False
    harm = _HARM.search(text, link.end(), min(len(text), link.end() + 60))
    return harm is not None and _RECOVERY.search(text, link.end(), harm.end()) is None


# "The alert mute, set by Oksana the week before, was a big part of why we were blind":
# what the person made is said, after them, to be the cause.
_SAID_A_CAUSE_AFTER = re.compile(
    r"[^.;:!?]{0,40}?,\s*(?:is|was)\s+(?:the|a|an)\s+(?:(?:real|root|underlying|main|direct|big)\s+)?"
    r"(?:cause|reason|trigger|culprit|part\s+of\s+why)\b",
    re.IGNORECASE,
)


_IDENTIFIED_END = re.compile(r"\s*(?:who\b|[-\u2014\u2013,.!;:]|$|again\b|too\b)")


# Words that make a cause-then-agent phrase something else: credit ("due to the dedicated
# effort of our engineers") or a belief the sentence goes on to correct ("the cause was
# regarded as a mis-operation by the person in charge; however ...").
_NOT_WHOSE_WORK = word_set(
    """effort efforts help dedication work hard quick thinking diligence regarded thought
    assumed believed suspected considered presumed"""
)


def _caused_work_hits(text: str, people: People, spans: Spans) -> list[Hit]:
    """A cause said, then whose work it was: 'halted due to a change pushed by Mateo'."""
    hits = []
    for match in find_in_spans(CAUSED_WORK_BY, text, spans):
        words = match.group().lower().split()
        if words[-2] in RESPONSE_VERBS or not _NOT_WHOSE_WORK.isdisjoint(words):
            continue
        hit = _agent_hit(text, match, people)
        if hit:
            hits.append(hit)
    return hits


def _agents_after(
    pattern: LazyPattern, text: str, people: People, spans: Spans, *, ended: bool = False
) -> list[Hit]:
    """The pattern's matches that a person or a role follows (ended: and nothing more of
    the clause: "this one was Jonas -", "it was Wen who")."""
    hits = []
    for match in find_in_spans(pattern, text, spans):
        hit = _agent_hit(text, match, people)
        if hit and (not ended or _IDENTIFIED_END.match(text, hit.end)):
            hits.append(hit)
    return hits


def _agent_hit(text: str, match: re.Match[str], people: People) -> Hit | None:
    agent = person_after(text, match.end(), people)
    if agent:
        return _hit(INDIVIDUAL, text, match.start(), agent[1], "agent")
    return None


_GENERIC_BEFORE = re.compile(r"\b(?:any|no|every|each)\s+$", re.IGNORECASE)
# "K. Adeyemi's reboot": an initial marks the surname after it as a person's.
_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-Z]\.\s*$")


def _possessive_hits(text: str, people: People, in_rca: bool, spans: Spans) -> list[Hit]:
    """ "Bill's typo", 'her mistake'; 'Bill's change' only in Root Cause Analysis or when
    the sentence says it broke something."""
    hits = []
    for match in find_in_spans(POSSESSIVE, text, spans):
        faulty = not FAULTY.isdisjoint(
            text[match.end("owner") : match.start("noun")].lower().split()
        )
        if match.group("neutral") and not (
            in_rca
            or faulty
            or CAUSAL_AFTER.match(text[match.end() :])
            or _caused_before(text, match)
            or _harm_then_link(text, _name_start(text, match.start()))
            or _harm_follows(text, match.end())
        ):
            continue
        if match.group("neutral") and _as_prescribed(text, match.end()):
            continue  # "Svetlana's firewall change was correct for the ticket she was given"
        owner = POSSESSIVE_END.sub("", match.group("owner"))
        lowered = owner.lower()
        if _GENERIC_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue  # "we do not consider any individual's action a cause"
        if (
            people.evidence(owner)
            or lowered in ROLE_NOUNS
            or lowered in ("his", "her")
            or _given_name_before(text, match.start(), people)
            or _INITIAL_BEFORE.search(text, max(0, match.start() - 6), match.start())
        ):
            start = _name_start(text, match.start())
            hits.append(_hit(INDIVIDUAL, text, start, match.end(), "agent"))
    return hits


# What a person's work brought to light was there before it: 'has revealed that the parser…'.
_REVEALED = re.compile(r"[^.;:!?]{0,60}?\b(?:revealed|exposed|uncovered|surfaced)\b", re.IGNORECASE)


def _work_of_hits(text: str, people: People, in_rca: bool, spans: Spans) -> list[Hit]:
    """'the change of Benoît is the problem', 'the decision of Dr. Hoffmann to skip the load
    test is the origin', 'the PR from Tomasz': whose work, said with 'of' or 'from', given as
    the cause (in Root Cause Analysis, or with the cause said around it)."""
    hits = []
    for start, end in spans:
        for word in (" of ", " from "):
            at = text.find(word, start, end)
            while at >= 0:
                hit = _work_of_hit(text, at, len(word), people, in_rca)
                if hit:
                    hits.append(hit)
                at = text.find(word, at + len(word), end)
    return hits


def _work_of_hit(text: str, at: int, size: int, people: People, in_rca: bool) -> Hit | None:
    """The finding for the ' of ' (or ' from ', of `size`) at `at`, when a work noun is before
    it and a person after: 'the change of Benoît', 'the PR from @mkowalski'."""
    noun_start = text.rfind(" ", 0, at) + 1
    if text[noun_start:at].lower() not in WORK_NOUNS:
        return None  # a set lookup: most ' of 's follow no work noun, and a regex costs more
    agent = person_after(text, at + size, people)
    if agent is None or text[agent[0] : agent[0] + 3].lower() in ("the", "our"):
        return None  # 'the change of the on-call rota' is a thing's
    if _as_prescribed(text, agent[1]) or _REVEALED.match(text, agent[1]):
        return None  # 'the commit of Jean-Baptiste was correct; the problem comes from …'
    caused = CAUSAL_AFTER.match(text[agent[1] :]) or CAUSAL_BEFORE.search(
        text, max(0, noun_start - 40), noun_start
    )
    if not (in_rca or caused):
        return None
    return _hit(INDIVIDUAL, text, noun_start, agent[1], "agent")


def _caused_before(text: str, match: re.Match[str]) -> bool:
    """ "started with Elena's deployment": the person's work is where the trouble began."""
    start = _name_start(text, match.start())
    return CAUSAL_BEFORE.search(text, max(0, start - 40), start) is not None


_NAME_BEFORE = re.compile(r"(?:(?:Mr|Ms|Mrs|Mx|Dr)\.?\s+|[A-Z][\w\u00c0-\u024f'-]*\s+){1,3}$")


def _name_start(text: str, at: int) -> int:
    """Where the name that ends a word before `at` starts: 'Ana Lucía Torres's'."""
    before = _NAME_BEFORE.search(text, max(0, at - 60), at)
    return before.start() if before else at


def _given_name_before(text: str, at: int, people: People) -> bool:
    """Whether a title or a given name some list knows comes right before the family name
    at `at`: "Amira Saleh's change", "Mr. Whitfield's release"."""
    start = _name_start(text, at)
    if start == at:
        return False
    words = text[start:at].split()
    return any(
        word.rstrip(".") in ("Mr", "Ms", "Mrs", "Mx", "Dr")
        or people.evidence(word) in ("known", "name")
        for word in words
    )


_PRESENT = re.compile(r"[a-z]{3,}(?<!ss)(?<!us)(?<!is)s")
_I_OR_WE = re.compile(r"(?:i|we)\b", re.IGNORECASE)


def _act_before(
    pattern: LazyPattern, text: str, people: People, spans: Spans, *, near: int = 0
) -> list[Hit]:
    """'Alice merged the PR without waiting for CI', 'Priya ran the migration that locked
    the table': the verb before 'without' or 'that' carries the subject, a person or a
    role. near: the verb is among the last few words before the match, and 'I' or 'we'
    telling what they did is an account, not blame."""
    hits = []
    for match in find_in_spans(pattern, text, spans):
        hit = _act_at(text, people, match.start(), match.end(), near)
        if hit is not None:
            hits.append(hit)
    return hits


_BY = re.compile(r"\s+by\s+")
_PARTICIPLES_EN = frozenset(("taken", "done", "given", "written", "driven", "chosen", "run"))


def _act_at(text: str, people: People, at: int, end: int, near: int) -> Hit | None:
    """The finding, up to end, for the act of a person or a role in the clause before at
    (see _act_before)."""
    _, tokens = tokens_before(text, at)
    for token in tokens[max(1, len(tokens) - near) if near else 1 :]:
        # A timeline tells acts in the present: 'Hugo deploys the file that takes …'.
        present = near and _PRESENT.fullmatch(token.group())
        by = _BY.match(text, token.end())
        # 'Action taken by R. Makoa without clearance': a participle with its agent
        done_by = by is not None and token.group().lower() in _PARTICIPLES_EN
        if not (PAST_VERB.fullmatch(token.group()) or present or done_by):
            continue
        responded = token.group().lower() in RESPONSE_VERBS  # 'reported by Alice at 14:05'
        agent = person_after(text, by.end(), people) if by and not responded else None
        if agent is not None:
            return _hit(INDIVIDUAL, text, agent[0], end, "process")  # 'deployed by Tomasz …'
        subject = subject_before(text, token.start(), people)
        if near and subject is not None and _I_OR_WE.match(text, subject.start):
            return None
        if subject is not None and (
            subject.kind != "person" or subject.evidence in STRONG_EVIDENCE
        ):
            return _hit(INDIVIDUAL, text, subject.start, end, "process")
        return None
    return None


# --- PM401: hindsight counterfactuals ------------------------------------------------------


def counterfactual_hits(unit: ProseUnit, people: People, spans: Spans) -> list[Hit]:
    # Where We Got Lucky is about how much worse it could have been: what could or would
    # have happened is its subject, but what someone should have done is still hindsight.
    lucky = LUCKY.search(unit.section) is not None
    text = unit.text
    hits = []
    for pattern in (MODAL_HAVE, MODAL_CONTRACTED):
        for match in find_in_spans(pattern, text, spans):
            if lucky and not _hindsight_where_lucky(text, match, people):
                continue
            end = _hindsight_end(text, match, people)
            if end is not None:
                hits.append(_hit(COUNTERFACTUAL, text, match.start(), end, "hindsight"))
    for match in find_in_spans(IF_ONLY, text, spans):
        hits.append(_hit(COUNTERFACTUAL, text, match.start(), match.end(), "if-only"))
    for match in find_in_spans(IF_HAD, text, spans):
        if lucky and (
            _LUCKY_STATE.match(text, match.start("part")) or _NOT_DONE.search(match.group())
        ):
            continue
        if _someone_had(text, match, people):
            hits.append(_hit(COUNTERFACTUAL, text, match.start(), match.end(), "hindsight"))
    for match in find_in_spans(HAD_INVERTED, text, spans):
        end = _had_someone_end(text, match, people)
        if end is not None and not (lucky and _LUCKY_STATE.search(text, match.end(), end)):
            hits.append(_hit(COUNTERFACTUAL, text, match.start("had"), end, "hindsight"))
    if lucky:
        return hits  # a duty someone had, in Where We Got Lucky, is how the luck came in
    for match in find_in_spans(OBLIGATION, text, spans):
        if _someone_was_to(text, match, people):
            hits.append(_hit(COUNTERFACTUAL, text, match.start(), match.end(), "hindsight"))
    return hits


def _hindsight_where_lucky(text: str, match: re.Match[str], people: People) -> bool:
    """Where We Got Lucky tells what could have happened ('we could have lost the ledger');
    what someone should have done, or could have seen, is still hindsight ('the reviewer
    could have spotted the missing index')."""
    modal = match.group("modal").lower()
    if modal.startswith(("should", "ought", "needed")):
        return True
    negated = match.groupdict().get("neg")
    if modal != "could" or negated or match.group("part").lower() not in _COULD_HAVE_ACTED:
        return False  # "couldn't have known", 'could have lost the whole cluster'
    subject = subject_before(text, match.start(), people)
    return _names_someone(subject) and subject is not None and subject.kind != "pronoun"


# What someone could have done to see or stop the trouble in time.
_COULD_HAVE_ACTED = word_set(
    """seen noticed caught spotted checked read looked asked paused stopped avoided prevented
    paged escalated switched rolled reverted called flagged found warned tested verified
    confirmed waited"""
)
# In Where We Got Lucky, a condition on where someone happened to be is luck: 'if Ana had
# not happened to be online', 'had Priya been on leave'.
_LUCKY_STATE = re.compile(r"(?:not|never|been|happened)\b|\w+n't\b", re.IGNORECASE)


_NOT_DONE = re.compile(r"\b(?:not|never)\b|n't|n\u2019t", re.IGNORECASE)
_WORSE = re.compile(r"\b(?:worse|longer|bigger|larger|more|lost|much)\b", re.IGNORECASE)


def _someone_had(text: str, match: re.Match[str], people: People) -> bool:
    """'if the on-call had restarted it', 'had Sarah checked': a person is the one who had."""
    # "if our DBA had bothered to test a restore": what they did not bother to do.
    done = _is_participle(match.group("part")) or match.group("bothered") is not None
    if not done or _reported(text, match.start()):
        return False
    if _NOT_DONE.search(match.group()) and _WORSE.search(
        text, match.end(), _sentence_end(text, match.end())
    ):
        return False  # 'if we had not caught it, it would have been worse' credits the act
    if _ANYONE_WHO.match(match.group("agent")):
        return True  # 'if whoever approved CHG-8812 had actually read the plan'
    subject = subject_before(text, match.end("agent"), people)
    return subject is not None and (subject.kind != "person" or subject.evidence != "lowercase")


_ANYONE_WHO = re.compile(r"(?:whoever|someone|somebody)\b", re.IGNORECASE)
_CLAUSE_MARK = re.compile(r"[,.;:!?()]")
_TITLE_DOT = re.compile(r"\b(?:" + "|".join((*TITLES, "Prof")) + r"|[A-Z])\.")


def _had_someone_end(text: str, match: re.Match[str], people: People) -> int | None:
    """Where 'had Sarah checked' ends, when a person is the one who had: the first
    participle within a few words, its subject the noun phrase between."""
    tokens = list(TOKEN.finditer(text, match.end(), min(len(text), match.end() + 80)))
    for index, token in enumerate(tokens[:7]):
        if _CLAUSE_MARK.search(_TITLE_DOT.sub("", text[match.end() : token.start()])):
            return None  # 'had Mr. Quintero escalated' is one clause: a title's dot ends none
        if index and _is_participle(token.group()):
            subject = subject_before(text, token.start(), people)
            if subject is None or (subject.kind == "person" and subject.evidence == "lowercase"):
                return None
            return token.end()
    return None


# The parts of an organisation a duty can lie with.
_UNITS = frozenset(("section", "unit", "department", "division", "office"))
_DONE_BY = re.compile(r"\s+be\s+\w+\s+by\s+", re.IGNORECASE)
_WHOEVER = re.compile(r"whoever\b", re.IGNORECASE)


def _someone_was_to(text: str, match: re.Match[str], people: People) -> bool:
    """'Anna was supposed to', "it was the platform team's job to": a person, a role or a
    team had the duty; 'the deploy was supposed to finish' is about a system."""
    owner = match.group("owner")
    if owner:
        name = POSSESSIVE_END.sub("", owner).split()[-1]
        return bool(people.evidence(name)) or name.lower() in ROLE_NOUNS
    of_owner = match.group("of_owner")
    if of_owner:  # 'it was the duty of the Network Operations section to …'
        head = POSSESSIVE_END.sub("", of_owner.split()[-1])
        if people.is_system(head):
            return False
        return head.lower() in ROLE_NOUNS or head.lower() in _UNITS or bool(people.evidence(head))
    subject = subject_before(text, match.start(), people)
    if subject is None:
        # 'was supposed to be eyeballed by whoever was on call'
        done_by = _DONE_BY.match(text, match.end())
        return done_by is not None and (
            _WHOEVER.match(text, done_by.end()) is not None
            or person_after(text, done_by.end(), people) is not None
        )
    if match.group().lower().startswith(("needed", "had")) and _I_OR_WE.match(text, subject.start):
        return False  # 'we had to restart the pods twice, not once' tells what it took
    return subject.kind != "person" or subject.evidence != "lowercase"


def _hindsight_end(text: str, match: re.Match[str], people: People) -> int | None:
    """Where the hindsight a modal phrase states ends, or None if it states none."""
    part = match.group("part").lower()
    # 'could have just asked' judges what was done, as 'should have asked' does.
    judges_past = match.group("modal").lower().startswith(("should", "ought", "needed")) or (
        _JUST.search(text, match.start("part") - 8, match.start("part")) is not None
    )
    if not _is_completed(text, match, part, judges_past):
        return None
    if judges_past and _about_a_thing(text, match, part, people):
        return None
    # "would/could have" is analysis unless a person is the one who would have.
    if not judges_past and not _someone_would_have(text, match, part, people):
        return None
    if _reported(text, match.start()):
        return None
    end = match.end()
    if part == "been":
        # Quote "should have been addressed", not just "should have been".
        following = re.match(r"[ \t]+[A-Za-z][\w-]*", text[end : end + 40])
        end += following.end() if following else 0
    return end


def _about_a_thing(text: str, match: re.Match[str], part: str, people: People) -> bool:
    """'the replica should have failed over', 'our overcommit should've been 2x': what a
    system was to do or be. A passive about a thing ('the alert should have been
    acknowledged') still hides the person who was to act, so it stays hindsight."""
    if _ITSELF.match(text, match.end()):
        return True  # 'Automod should have rate-limited itself': only a thing is 'itself'
    if _tool_named(text, match.start(), people):
        return True
    if not thing_subject(text, match.start(), people):
        return False
    if part != "been":
        return True
    following = re.match(r"\s+([A-Za-z][\w-]*)", text[match.end() :])
    if following is None or not _is_participle(following.group(1)):
        return True
    # ... unless the sentence names the system that was to do it ('should've been pinned
    # by the lockfile'), says what in it failed ('…, but the suite is optional'), or the
    # act is one a system does ('should have been versioned').
    end = match.end() + following.end()
    by_thing = _BY_A_THING.match(text, end)
    if by_thing and person_after(text, by_thing.end(), people) is None:
        return True
    return _TURNED_TO_A_THING.match(text, end) is not None or (
        following.group(1).lower() in _DONE_BY_SYSTEMS
    )


_ITSELF = re.compile(r"(?:\s+[\w-]+){0,3}?\s+itself\b", re.IGNORECASE)


_JUST = re.compile(r"\b(?:just|simply)\s+$", re.IGNORECASE)


def _tool_named(text: str, end: int, people: People) -> bool:
    """'cert-manager should have renewed it': a lowercase word joined by a hyphen, with no
    given name among its parts (those are handles), names a tool."""
    subject = subject_before(text, end, people)
    if subject is None or subject.evidence != "lowercase":
        return False
    word = TOKEN.match(text, subject.start)
    return word is not None and "-" in word.group()


_BY_A_THING = re.compile(
    r"[^.;!?,]{0,40}?\bby\s+(?!(?:e-?mail|phone|sms|text|slack|hand|default|design|mistake"
    r"|accident|then|now|noon|midnight|\d)\b)"
)
_DONE_BY_SYSTEMS = word_set("automated versioned pinned excluded isolated tracked promoted cached")


def _is_completed(text: str, match: re.Match[str], part: str, judges_past: bool) -> bool:
    """Whether the modal is followed by a participle: 'should have checked', 'could have
    been caught'; "should have been <anything>" judges the past."""
    if part != "been":
        return _is_participle(part)
    following = re.match(r"\s+([A-Za-z][\w-]*)", text[match.end() :])
    if following is not None and following.group(1).lower() == "automatically":
        return False  # what a system was to do: "should have been automatically corrected"
    if judges_past:
        return True
    return following is not None and _is_participle(following.group(1))


_EXPECTING = word_set("expected liked preferred wanted hoped thought imagined guessed assumed")


_IF_CLAUSE = re.compile(
    # the agent begins with what a space is not: a run of spaces is read once, not per split
    r"\b(?:if|had)\s+(?P<agent>[^\s,;:.!?][^,;:.!?]{0,59}?)\s*(?:\bhad\b|'d\b|\u2019d\b|(?=\s[\w-]+ed\b))",
    re.IGNORECASE,
)


def _conditioned_on_a_thing(text: str, end: int, people: People) -> bool:
    """Whether the sentence before end makes what follows the consequence of a condition
    on a thing: then 'would have' states impact, not what someone would have done."""
    sentence_start = _sentence_start(text, end)
    for condition in _IF_CLAUSE.finditer(text, sentence_start, end):
        if condition.group("agent").lower().endswith("been"):
            continue  # 'had the rollout been paused': a passive hides who was to pause it
        if subject_before(text, condition.end("agent"), people) is None:
            return True
    return False


def _someone_would_have(text: str, match: re.Match[str], part: str, people: People) -> bool:
    """'Zainab would have seen it' is hindsight about a person; 'we would have lost the
    evening peak' is impact."""
    if part in _EXPECTING:
        return False  # what the writer expected or wished: "one we would have expected"
    if _conditioned_on_a_thing(text, match.start(), people):
        return False  # "if the retry library had jitter, we wouldn't have overloaded it"
    subject = subject_before(text, match.start(), people)
    if subject is None or not _names_someone(subject):
        return False
    return not (subject.kind == "pronoun" and part in IMPACT_PARTICIPLES)


def _is_participle(word: str) -> bool:
    lowered = re.sub(r"^re-?(?=[a-z]{3})", "", word.lower())
    return lowered in PARTICIPLES or (len(lowered) > 3 and lowered.endswith(("ed", "en")))


def _names_someone(subject: Subject | None) -> bool:
    """A subject that stands for particular people (not 'any engineer', not a guess)."""
    if subject is None or subject.generic:
        return False
    return subject.kind != "person" or subject.evidence in ("known", "handle", "name", "word-name")


# --- PM403: judgement words ----------------------------------------------------------------


def judgement_hits(unit: ProseUnit, people: People, spans: Spans) -> list[Hit]:
    text = unit.text
    hits = []
    for match in _judgement_matches(text, spans):
        word = match.group().lower()
        if TECHNICAL_AFTER.match(text[match.end() :]) and not word.startswith("laziness"):
            continue
        if word in _DESCRIBE_SOFTWARE_TOO and not _about_people(text, match, people):
            continue
        if word in ("lazily", "hastily") and not _done_lazily(text, match, people):
            continue  # "the gateway opens connections lazily"
        if _SAID_OF_SYSTEMS_TOO.match(word) and not _said_of_someone(text, match, people):
            continue  # 'the database was overwhelmed', 'pods not ready', 'the process panicked'
        if word.startswith(("nobody", "no one", "noone", "anyone", "anybody")):
            continue
        if _KNOWING.match(word) and not _someone_in(text, match, people):
            continue  # "our monitoring's awareness of partial failures was low"
        # 'did not disable it despite being aware': the 'not' is the act judged, not a denial
        if (
            "bother" not in word
            and not word.startswith("despite")
            and _negated(text, match.start(), match.end())
        ):
            continue
        hits.append(_hit(JUDGEMENT, text, match.start(), match.end(), "judgement"))
    hits.extend(_person_state_hits(text, people, spans))
    return hits


_KNOWING = re.compile(
    r"(?:knowledge|skills?|competence|expertise|awareness|consciousness|attention|diligence)\b"
)


def _someone_in(text: str, match: re.Match[str], people: People) -> bool:
    """Whether the sentence of the match names a role or a person."""
    start, end = _sentence_start(text, match.start()), _sentence_end(text, match.end())
    return any(
        POSSESSIVE_END.sub("", token.group()).lower() in ROLE_NOUNS
        or people.evidence(token.group()) in STRONG_EVIDENCE
        for token in TOKEN.finditer(text, start, end)
    )


# Judgements that are also states of systems: said of a person only when one is the subject.
_SAID_OF_SYSTEMS_TOO = re.compile(r"overwhelmed|panic|not\s+(?:yet\s+|really\s+)?ready|lost")


def _said_of_someone(text: str, match: re.Match[str], people: People) -> bool:
    copula = re.search(
        r"(?:\b(?:was|were|is|are|got|seemed|became)\s+(?:\w+ly\s+)?)$", text[: match.start()]
    )
    end = copula.start() if copula else match.start()
    subject = subject_before(text, end, people)
    return subject is not None and (subject.kind != "person" or subject.evidence != "lowercase")


def _judgement_matches(text: str, spans: Spans) -> list[re.Match[str]]:
    found = list(find_in_spans(JUDGEMENT_PHRASE, text, spans))
    found += find_in_spans(JUDGEMENT_STATE, text, spans)
    return sorted(found, key=lambda match: match.start())


# Between a subject and what is said of it: 'Ravi was clearly', 'the crew are honestly
# pretty', 'Kenji is still'.
_LINKING = re.compile(
    r"(?:\b(?:is|are|was|were|be|been|being|seems?|seemed|looks?|looked|got|gets|became"
    r"|has|have|had|just|still|pretty|really|honestly|so|too|very|quite|kinda|a\s+bit|\w+ly)"
    r"\s+)+$",
    re.IGNORECASE,
)


def _person_state_hits(text: str, people: People, spans: Spans) -> list[Hit]:
    """A state of mind or of skill said of a person or a role."""
    hits = []
    for match in find_in_spans(PERSON_STATE, text, spans):
        if _negated(text, match.start(), match.end()) or _reported(text, match.start()):
            continue
        if _described_is_someone(text, match, people):
            hits.append(_hit(JUDGEMENT, text, match.start(), match.end(), "judgement"))
    return hits


def _tells_knowing(state: str) -> bool:
    lowered = state.lower()
    return "idea" in lowered or "know " in lowered


# An initial before a surname follows no word ('region A. Then …' ends a sentence).
_NAME_INITIAL = r"(?<![\w.])(?<!\w\s)[A-Z]\.\s+$"
_INITIAL_BEFORE_NAME = re.compile(_NAME_INITIAL)
_TITLE_BEFORE = re.compile(r"\b(?:" + "|".join(TITLES) + r")\.?\s+$|" + _NAME_INITIAL)
_OWNER_BEFORE = re.compile(r"\b([\w@.-]+)(?:'s|\u2019s)\s+$")


def _described_is_someone(text: str, match: re.Match[str], people: People) -> bool:
    """Whether the one the state is said of is a person or a role: the subject before it,
    or who follows 'of' / 'on the part of' in a noun phrase."""
    start = _sentence_start(text, match.start())
    linking = _LINKING.search(text, start, match.start())
    end = linking.start() if linking else match.start()
    owner = _OWNER_BEFORE.search(text, start, match.start())
    if owner and (
        people.evidence(owner.group(1))
        or owner.group(1).lower() in ROLE_NOUNS
        or _TITLE_BEFORE.search(text, max(0, owner.start() - 5), owner.start())
    ):
        return True  # "the responding engineer's unfamiliarity", "Mr. Farahani's limited …"
    subject = subject_before(text, end, people) or _apposed_to(text, end, people)
    if subject is not None:
        # 'we had no idea the cache was shared', 'I don't know how those manifests get rolled
        # out': what the writers did not or do not know, told in their own voice
        first_person = _I_OR_WE.match(text, subject.start) is not None
        return not subject.generic and not (first_person and _tells_knowing(match.group()))
    after = re.match(
        r"\s+(?:of|on\s+the\s+part\s+of|(?:shown\s+)?by|among|from|in|within|with)\s+",
        text[match.end() :],
    )
    if after is None:
        return False
    start = match.end() + after.end()
    # Within five words, a role that ends its phrase ('… in the team'): 'the on-call
    # rotation' is a thing.
    following = [token.group().lower() for token in TOKEN.finditer(text, start, start + 100)]
    return any(
        word in ROLE_NOUNS
        and (
            index == len(following) - 1
            or following[index + 1] in _PHRASE_END
            or following[index + 1].endswith("ed")  # 'junior staff assigned to releases'
        )
        for index, word in enumerate(following[:5])
    )


def _apposed_to(text: str, end: int, people: People) -> Subject | None:
    """'S. Gallagher, evidently unfamiliar with the procedure,': a state set beside a name
    or a role, after a comma, is said of them."""
    clause_start, tokens = tokens_before(text, end)
    if not all(is_adverb(token.group()) for token in tokens):
        return None
    if clause_start and text[clause_start - 1] == ",":
        return subject_before(text, clause_start - 1, people)
    return None


_PHRASE_END = PREPOSITIONS | word_set(
    "and or but was were is are had has did who meant during after before while until when since as"
)


_PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|is|are)\s+\w+(?:\s+(?:out|up|in|off|down|through))?\s+$", re.IGNORECASE
)


def _done_lazily(text: str, match: re.Match[str], people: People) -> bool:
    """'Kim lazily approved it', 'the thresholds were set lazily' judge people; 'the
    gateway opens connections lazily' describes software."""
    if _PASSIVE_BEFORE.search(text, max(0, match.start() - 40), match.start()):
        return True
    return _names_someone(subject_before(text, match.start(), people))


_DESCRIBE_SOFTWARE_TOO = frozenset(
    ("lazy", "to blame", "at fault", "unreliable", "unreliability", "hasty", "impatient")
)


def _about_people(text: str, match: re.Match[str], people: People) -> bool:
    """For words that describe software too (lazy, at fault, to blame): who is described?"""
    if PERSON_NOUN_AFTER.match(text, match.end()):
        return True  # "a lazy reviewer"
    copula = COPULA_BEFORE.search(text, max(0, match.start() - 60), match.start())
    if copula is None:
        # a note's fragment: 'reviewer lazy on small diffs'
        _, tokens = tokens_before(text, match.start())
        return bool(tokens) and tokens[-1].group().lower() in ROLE_NOUNS
    _, tokens = tokens_before(text, copula.start())
    if tokens and re.fullmatch(HUMAN_WORK, tokens[-1].group(), re.IGNORECASE):
        return True  # "the review was lazy"
    subject = subject_before(text, copula.start(), people)
    return subject is not None and subject.evidence not in ("capitalised", "lowercase")


# --- PM404: "human error" as a cause -------------------------------------------------------


def human_error_hits(unit: ProseUnit, people: People, spans: Spans) -> list[Hit]:
    text = unit.text
    hits = []
    for match in chain(
        find_in_spans(HUMAN_ERROR_PHRASE, text, spans), find_in_spans(SLIP_TYPED, text, spans)
    ):
        if METRIC_AFTER.match(text[match.end() :]) or _negated(text, match.start(), match.end()):
            continue
        if _reported(text, match.start()):
            continue
        if _TYPED.match(match.group()) and _TURNED_TO_A_THING.match(text, match.end()):
            continue  # "I typed prod where I meant prd-test; the tool accepted both"
        hits.append(_hit(HUMAN_ERROR, text, match.start(), match.end(), "human-error"))
    return hits


# A slip told as what someone typed, which the sentence may go on to lay at a tool's door.
_TYPED = re.compile(r"typed|keyed|keys\b", re.IGNORECASE)


# --- PM405: actions aimed at a person ------------------------------------------------------

# Pronouns that stand for a person, never for a system.
_PERSONAL = frozenset(
    {"he", "she", "him", "his", "her", "hers", "i", "i'm", "i'll", "i've", "me", "my", "myself"}
    | {"whoever"}
)
# Roles that name people beyond ROLE_NOUNS, in the titles action items give them.
_ROLE_TITLES = frozenset({"supervisor", "supervisors", "designer", "designers", "personnel"})
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Mx|Dr)\.?$")
_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}[A-Z]?\.?$")
# After an action item's owner: "Marcus to obtain …", "Ines — restricted …", "@kaito loses …".
_OWNER_AFTER = re.compile(
    r"\s*(?:(?:to|will|must|has|have|is|are|shall|gets?|loses?|does|off|pairs?)\b|[:\u2014\u2013-])"
)


def targeted_action_hits(unit: ProseUnit, people: People, spans: Spans) -> list[Hit]:
    """Sanctions, retraining and supervision of a person, and asking people to try harder:
    each leaves the system as it was. One finding per sentence."""
    text = unit.text
    hits = []
    for start, end in spans:
        found = sorted(_targeted_in_sentence(text, start, end, people))
        if found:
            hits.append(_joined(text, found))
    return hits


def _targeted_in_sentence(
    text: str, start: int, end: int, people: People
) -> Iterator[tuple[int, int, str]]:
    who: str | None = None
    roles: list[tuple[int, int]] | None = None
    words = words_of(text[start:end])
    for pattern in (SANCTION, ACCESS_LOSS, RETRAINING, COURSE):
        if PERSON_TARGETED_ANCHORS[pattern].isdisjoint(words):
            continue
        for match in pattern.finditer(text, start, end):
            if _set_aside(text, start, match.start()):
                continue
            before = max(start, match.start() - 30)
            if PERSON_TARGETED_NEGATED.search(text, before, match.start()):
                continue
            if pattern is ACCESS_LOSS and NARRATED_PAST.search(text, before, match.start()):
                continue
            if who is None:
                who = _who(text[start:end], people) or _subject_of(text, match.start(), people)
            if who == "role" and _APPROVAL.search(match.group()):
                # 'need a security lead's sign-off': the role may be the one who approves
                if roles is None:
                    roles = _role_spans(text, start, end)
                if not any(a < match.start() or b > match.end() for a, b in roles):
                    continue
            if who == "individual" or (
                who == "role" and (pattern is not COURSE or _TAKEN_AGAIN.match(match.group()))
            ):
                yield match.start(), match.end(), "person"
    yield from _restricted(text, start, end, words, people)
    if PERSON_TARGETED_ANCHORS[EXHORTATION].isdisjoint(words):
        return
    for match in EXHORTATION.finditer(text, start, end):
        if _set_aside(text, start, match.start()) or _reported(text, match.start()):
            continue
        if _BY_A_TOOL.search(text, max(start, match.start() - 40), match.start()):
            continue  # 'a Slack bot that reminds the on-call', 'a calendar reminder to take'
        yield match.start(), match.end(), "try-harder"


# A course taken again is remedial, whoever takes it: 'the agent involved will redo the
# escalation training module' (training for a role, once, changes how all of it works).
_TAKEN_AGAIN = re.compile(r"(?:redo|re-do|repeat|retake|re-take)\w*\b", re.IGNORECASE)


def _role_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where the sentence text[start:end] names a role."""
    return [
        (token.start(), token.end())
        for token in TOKEN.finditer(text, start, end)
        if POSSESSIVE_END.sub("", token.group()).lower() in ROLE_NOUNS
        or token.group().lower() in _ROLE_TITLES
    ]


def _set_aside(text: str, start: int, at: int) -> bool:
    """Whether the words before `at` (in its sentence, within reach) set a sanction aside."""
    return SET_ASIDE.search(text, max(start, at - _CLAUSE_REACH), at) is not None


# How far back a sanction's setting-aside is looked for.
_CLAUSE_REACH = 200
# What reminds people when an action item adds automation.
_BY_A_TOOL = re.compile(
    r"\b(?:bot|hook|alert|calendar|job|script|cron|automation|workflow|tool|banner)s?\b",
    re.IGNORECASE,
)


def _restricted(
    text: str, start: int, end: int, words: frozenset[str], people: People
) -> Iterator[tuple[int, int, str]]:
    """A person's own work held back or watched: what only a person can be made to do."""
    for pattern in (RESTRICTED, DONE_TO_A_PERSON):
        if PERSON_TARGETED_ANCHORS[pattern].isdisjoint(words):
            continue
        for match in pattern.finditer(text, start, end):
            if _set_aside(text, start, match.start()):
                continue
            if pattern is RESTRICTED and not _someone_restricted(text, start, match, people):
                continue
            yield match.start(), match.end(), "person"


_OWNER_TO = re.compile(r"\s+to\s+$", re.IGNORECASE)
_APPROVAL = re.compile(r"sign|approv|attest|past\s+me|by\s+me", re.IGNORECASE)


def _someone_restricted(text: str, start: int, match: re.Match[str], people: People) -> bool:
    """Whether a person's work is what is held back: 'Aditi get sign-off', "Oksana's PRs
    … need a second approval". A role's work held back until it earns it again is too;
    a role that needs approval is a control on everyone in it."""
    at = match.start()
    # Whose work it is is told in the restriction's own clause ('every deploy of João's
    # team needs …'), not in one before it ('Following Grace's review, every deploy …').
    reach = max(start, at - _CLAUSE_REACH)
    clause = max(reach, text.rfind(",", reach, at) + 1)
    for owned in _OWNED.finditer(text, clause, at):
        owner = owned.group(1) or owned.group(2)
        if people.evidence(owner) or owner.lower() in ("his", "her"):
            return True  # "Oksana's PRs need …", "every deploy of João's team needs …"
    # 'Aditi to get sign-off …': an action item's owner, then 'to' and the action.
    owner_to = _OWNER_TO.search(text, max(start, at - 4), at)
    subject = subject_before(text, owner_to.start() if owner_to else at, people)
    if subject is None or subject.generic:
        subject = _role_within(text, clause, at, people)
        if subject is None:
            return False
    if subject.kind != "role" or not _APPROVAL.search(match.group()):
        return True
    # A role that needs approval is a control on everyone in it, unless it is held back for
    # a while, as a sanction is: 'the data team need sign-off for the next 30 days'.
    return _FOR_A_WHILE.search(text, match.end(), _sentence_end(text, match.end())) is not None


# Whose something is: "Oksana's", "his".
_OWNED = re.compile(r"(?<![\w.@-])(@?[^\W\d_][\w.-]{0,60})['\u2019]s\b|\b(his|her)\s", re.I)


def _role_within(text: str, start: int, at: int, people: People) -> Subject | None:
    """A role or team the words before `at` are about ('all changes by the data team
    need …'), as a subject."""
    for token in TOKEN.finditer(text, start, at):
        if token.group().lower() in ROLE_NOUNS and not people.is_system(token.group()):
            return Subject("role", token.start())
    return None


# For a while, then back to normal: what a sanction lasts.
_FOR_A_WHILE = re.compile(
    r"\b(?:for\s+(?:the\s+)?(?:next\s+)?(?:\d+|one|two|three|four|five|six|a\s+few|a\s+couple\s+of)"
    r"\s*(?:d|days?|wks?|weeks?|months?|quarters?|sprints?|releases?|deploys?)\b"
    r"|for\s+the\s+next\s+(?:week|month|quarter|sprint|release)|until\s+further\s+notice"
    r"|for\s+(?:the\s+)?(?:rest\s+of\s+the\s+)?(?:quarter|month|year))",
    re.IGNORECASE,
)


def _subject_of(text: str, at: int, people: People) -> str:
    """'individual' when the phrase at `at` has a name as its subject ('Paulo is not to
    touch …'), even one no list knows."""
    subject = subject_before(text, at, people)
    if subject is not None and subject.kind == "person" and subject.evidence != "lowercase":
        return "individual"
    return ""


def _joined(text: str, found: list[tuple[int, int, str]]) -> Hit:
    """The first phrase, running on through those that follow it within a word or two:
    'Remind all engineers to be more careful' is one phrase."""
    first_start, end, kind = found[0]
    for start, following_end, _ in found[1:]:
        if start - end > 4:
            break
        end = max(end, following_end)
    return _hit(PERSON_TARGETED, text, first_start, end, kind)


def _who(sentence: str, people: People) -> str:
    """'individual' when a sentence names a person (a name, a handle, initials, a personal
    pronoun, an action item's owner written first: "Marcus to obtain …"), 'role' when it
    names a role ('the DBA', 'night staff'), else ''."""
    tokens = list(TOKEN.finditer(sentence))
    role = False
    for index, token in enumerate(tokens):
        word = POSSESSIVE_END.sub("", token.group())
        lowered = word.lower()
        if people.is_system(word):
            continue
        if lowered in _PERSONAL or _HONORIFIC.match(word) or _INITIALS.match(word):
            return "individual"
        if people.evidence(word) or (index < 2 and _owner_first(sentence, tokens, index, people)):
            return "individual"
        if index + 1 < len(tokens) and _initial_of(sentence, token, tokens[index + 1]):
            return "individual"  # 'M. Okonkwo's authority'
        role = role or lowered in ROLE_NOUNS or lowered in _ROLE_TITLES
        # 'the checker involved', 'the individuals concerned'
        role = role or (
            lowered in _POSTPOSED
            and index > 0
            and tokens[index - 1].group().islower()
            and tokens[index - 1].group() not in THING_NOUNS
        )
    return "role" if role else ""


_POSTPOSED = frozenset(("involved", "concerned"))


def _initial_of(sentence: str, token: re.Match[str], following: re.Match[str]) -> bool:
    """A capital and a dot before a capitalised word: an initial and a surname."""
    return (
        len(token.group()) == 1
        and following.group()[:1].isupper()
        and _INITIAL_BEFORE_NAME.search(sentence, token.start(), following.start()) is not None
    )


def _owner_first(sentence: str, tokens: list[re.Match[str]], index: int, people: People) -> bool:
    """An action item that begins with its owner: "Ines — restricted …", "raj does …",
    "revoke sam's rights"."""
    token = tokens[index]
    word = POSSESSIVE_END.sub("", token.group())
    if token.group() != word and people.evidence(word.capitalize()):
        return True  # "sam's"
    named = word[:1].isupper() or people.evidence(word.capitalize()) == "name"
    if not named or word.lower() in DETERMINERS:
        return False
    return bool(_OWNER_AFTER.match(sentence, token.end()))


DETECTORS: dict[str, Callable[[ProseUnit, People, Spans], list[Hit]]] = {
    COUNTERFACTUAL: counterfactual_hits,
    INDIVIDUAL: individual_hits,
    JUDGEMENT: judgement_hits,
    HUMAN_ERROR: human_error_hits,
    PERSON_TARGETED: targeted_action_hits,
}


def detect(code: str, unit: ProseUnit, spans: Spans, people: People) -> list[Hit]:
    """A detector's hits over the sentences that hold one of its trigger words."""
    return DETECTORS[code](unit, people, spans) if spans else []
