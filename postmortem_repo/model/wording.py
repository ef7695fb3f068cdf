"""What a post-mortem says, as words to compare with other post-mortems: the stemmed
words of its title, summary, root cause and lessons (with how often each occurs), and the
words of its root cause in order, to name what two root causes share.

The stemmer is small on purpose: it folds the endings English post-mortems use
(exhausted, exhaustion, exhausts → exhaust; certificates → certificat) and nothing else.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from postmortem_repo.core.markup import without_comments
from postmortem_repo.model.sections import normalise_heading

if TYPE_CHECKING:
    from postmortem_repo.model.document import Document
    from postmortem_repo.model.outline import Section

# The sections whose words are compared, by what their heading says ('Executive
# Summary', 'Root Cause Analysis', 'Contributing Factors', 'Lessons Learned').
SUMMARY_HEADINGS = ("summary",)
CAUSE_HEADINGS = ("cause", "contributing factor")
LESSON_HEADINGS = ("lesson",)
# Bumped whenever what words() keeps changes: wordings stored by an earlier one are read again.
WORDS_VERSION = 2
CAUSE_WORDS_KEPT = 200  # enough for any root cause section; bounds what is stored
TITLE_WEIGHT = 2  # a title says in a few words what the post-mortem is about

_STOP_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves
    one two three four five first second new via per within without however due still
    every also etc
    post mortem mortems postmortem postmortems
    aren couldn didn doesn don hadn hasn haven isn shouldn wasn weren won wouldn
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

# Words every post-mortem uses whatever failed: dates and times, and the template's and
# the process's words. Two post-mortems that share them share no subject matter, so they
# are not compared at all. Compared by their stems ('minutes' also leaves out 'minute'), so
# a word whose stem a technical word has is not here: root (root certificate), status
# (status code), metric, action (GitHub Actions), priority (priority classes).
_NOT_SUBJECT_TEXT = """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday mon tue tues wed thu thur thurs fri sat sun today yesterday
    tomorrow tonight morning afternoon evening night midnight noon weekend daily weekly
    monthly hourly annual quarter year month week day hour minute second min mins sec secs
    ms utc gmt bst cet cest est edt pst pdt cst cdt ist jst aest am pm st nd rd th
    incident inc sev sev0 sev1 sev2 sev3 sev4 p0 p1 p2 p3 summary executive timeline impact
    mttd mttr cause contributing factor proximate lesson learned learn went well poorly
    lucky item owner due appendix reviewer author analysis whys
"""
# The words of telling a story, and the everyday words of failures ('remained', 'twice',
# 'errors'): they count in how alike two post-mortems are worded, and are never named as
# what two post-mortems share. Compared by their stems too ('remains' is one), so a word
# whose stem a technical word has is not here: report (reporting), work (worker), run
# (runner), call, apply, split, value.
_NARRATIVE_TEXT = """
    customer team people engineer responder outage issue problem error failure failed fail
    already amount attempt aware bad good better worse certain clearly confirm confirmed
    completed complete create created happen happened ignore intended known lack lacked
    look looking lot low high make made meant mean million thousand hundred moved named
    note permanently prevent previous previously received remain remained removed replaced
    risk sent single situation specific specifics success successful successfully
    suggested time twice used using wrong grew long longer missing took take taken start
    started began ended stopped noticed saw seen found find result resulted eventually
    immediately quickly slowly later earlier soon around approximately roughly several
    many multiple various number total across back next last following followed initial
    initially existing able unable need needed require required ensure allow allowed help
    helped possible likely expected unexpected actually correctly properly fully
    partially completely assign assigned way case thing something anything nothing
    everything improve us re pre open added showed fix focus individual official ran
    investigation escalation documentation detection succeeded since unnoticed pass revisit
    moment never keep held put get current catch caught part communication send increase old
    see
"""
_WORD = re.compile(r"[a-z][a-z0-9]*")
# Links, host names and versions (example.com, v5.12.0) say nothing about the failure.
_URL = re.compile(r"https?://\S+|[a-z0-9_-]+(?:\.[a-z0-9_-]+)+")
# Incident and ticket ids (INC-2024-0015, PAY-12, PM2021-006) and timestamps
# (2024-01-15T14:32:00Z): what they name is not what failed.
_IDS_AND_TIMES = re.compile(
    r"\b[A-Z][A-Z0-9]*(?:-[0-9]+)+\b|\b[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z?"
)
# The template's phrases whose words alone may be subject matter (a root certificate,
# GitHub Actions).
_TEMPLATE_PHRASES = re.compile(r"\b(?:root[\s-]+caus\w*|action[\s-]+items?)\b", re.IGNORECASE)

# (ending, replacement), longest first; a stem keeps at least three letters.
_ENDINGS = (
    ("ational", "ate"),
    ("ization", "ize"),
    ("fulness", "ful"),
    ("ousness", "ous"),
    ("iveness", "ive"),
    ("ations", "ate"),
    ("ation", "ate"),
    ("ements", ""),
    ("ement", ""),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ings", ""),
    ("ing", ""),
    ("ions", ""),
    ("ion", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("edly", ""),
    ("ers", ""),
    ("er", ""),
    ("ed", ""),
    ("ly", ""),
    ("sses", "ss"),
    ("shes", "sh"),
    ("ches", "ch"),
    ("xes", "x"),
    ("s", ""),
)
_DOUBLED = re.compile(r"([b-df-hj-np-tv-z])\1$")


@lru_cache(maxsize=65536)  # a repository has some thousands of different words
def stem(word: str) -> str:
    """The word without its inflection: 'exhausted' and 'exhaustion' both give 'exhaust'."""
    if len(word) <= 3 or word.endswith("ss"):
        return word
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)] + replacement
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if _DOUBLED.search(word) and not word.endswith(("ll", "ss", "zz")):
        word = word[:-1]
    return word


_NOT_SUBJECT = frozenset(stem(word) for word in _NOT_SUBJECT_TEXT.split())
_NARRATIVE = frozenset(stem(word) for word in _NARRATIVE_TEXT.split())


def is_subject(word: str) -> bool:
    """Whether a content word (one words() keeps) can say what two post-mortems share: not
    a word of telling a story ('remained', 'twice')."""
    return stem(word) not in _NARRATIVE


def words(text: str) -> list[str]:
    """The content words of a text, lowercase, in order (stop words, links, ids, dates and
    words that are no subject matter left out)."""
    text = _TEMPLATE_PHRASES.sub(" ", _IDS_AND_TIMES.sub(" ", text))
    text = _URL.sub(" ", text.casefold())
    return [
        word
        for word in _WORD.findall(text)
        if len(word) > 1 and word not in STOP_WORDS and stem(word) not in _NOT_SUBJECT
    ]


class Wording(NamedTuple):
    terms: dict[str, int]  # stem → how often it occurs (the title counts twice)
    cause_words: tuple[str, ...]  # the root cause's content words, in order


def wording_of(doc: Document, title: str) -> Wording:
    """The words of a post-mortem's title, summary, root cause and lessons."""
    summary, cause, lessons = (_text_under(doc, wanted) for wanted in _HEADING_GROUPS)
    cause_words = words(cause)
    everything = words(title) * TITLE_WEIGHT + words(summary) + cause_words + words(lessons)
    terms = Counter(stem(word) for word in everything)
    return Wording(dict(sorted(terms.items())), tuple(cause_words[:CAUSE_WORDS_KEPT]))


_HEADING_GROUPS = (SUMMARY_HEADINGS, CAUSE_HEADINGS, LESSON_HEADINGS)


def _text_under(doc: Document, wanted: tuple[str, ...]) -> str:
    """The text of the sections (at the section level) whose heading names one of wanted,
    their subsections included."""
    parts = []
    for matched in doc.sections:
        heading = normalise_heading(matched.section.heading.text)
        if any(word in heading for word in wanted):
            parts.append(_section_text(doc, matched.section))
    return without_comments("\n".join(parts))


def _section_text(doc: Document, section: Section) -> str:
    """The section's lines after its heading; its subsections' headings left out (they
    are the template's words, 'Proximate Cause', not the post-mortem's)."""
    lines = doc.lines[section.heading.line : section.end_line]
    return "\n".join(line for line in lines if not line.lstrip().startswith("#"))
