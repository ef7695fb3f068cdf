"""Related incidents: the earlier post-mortems most like a given one, and why.

An earlier incident scores by what the two post-mortems say (BM25 over the stemmed words
of title, summary, root cause and lessons; 1.0 when it says all the other does), plus
LINK_WEIGHT when one names the other in `related` or `repeat_of`, SERVICE_WEIGHT for a
shared service and TAG_WEIGHT for a shared root-cause tag (the repeat definition's ignored
tags never count). Only incidents dated before the one asked about (or the same day with a
lower id) are suggested: a post-mortem links what came before it.

A security incident not cleared for publication is never suggested, and gets no
suggestions: its words stay out of every other post-mortem's list.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from postmortem_repo.model.incident import Incident
from postmortem_repo.model.wording import Wording, stem, words

# A post-mortem that says fewer different words than this (a stub) is compared by its
# links, services and tags alone: a word or two in common says nothing.
MIN_WORDS = 5
LINK_WEIGHT = 1.0
SERVICE_WEIGHT = 0.5
TAG_WEIGHT = 0.1
_K1, _B = 1.2, 0.75  # BM25's usual term-frequency saturation and length normalisation
_K3 = 8.0  # how far the query's own repetitions of a word count (BM25's query-side k3)
# With index_words, candidates share one of the asker's _RARE_WORDS rarest words, each in
# at most _RARE_SHARE of the post-mortems (or _RARE_AT_LEAST); other words still count in
# the score of the candidates found.
_RARE_WORDS = 12
_RARE_SHARE = 0.01
_RARE_AT_LEAST = 20


@dataclass(frozen=True, slots=True)
class Suggestion:
    incident: Incident
    score: float
    wording: float  # the text similarity alone, 0..1
    reason: str


def linked(incident: Incident, other: Incident) -> str | None:
    """How incident names other ('repeat_of' or 'related'), else None."""
    if incident.repeat_of == other.id:
        return "repeat_of"
    return "related" if other.id in incident.related else None


class RelatedIndex:
    """The repository's incidents, ready to be compared. Build it once; ask many times.
    wordings: what each incident's post-mortem says, by its relpath (repo/wordings.py)."""

    def __init__(
        self,
        incidents: Iterable[Incident],
        wordings: dict[str, Wording],
        *,
        ignore_tags: Sequence[str] = (),
    ) -> None:
        everything = list(incidents)
        self.incidents = [incident for incident in everything if not incident.redacted]
        # Uncleared security incidents: known to exist, never compared.
        self.withheld = frozenset(incident.id for incident in everything if incident.redacted)
        self.ignore_tags = frozenset(ignore_tags)
        self.wordings = wordings
        self.document_frequency: Counter[str] = Counter()
        for incident in self.incidents:
            self.document_frequency.update(self.terms(incident).keys())
        lengths = [sum(self.terms(incident).values()) for incident in self.incidents]
        self.average_length = (sum(lengths) / len(lengths) if lengths else 0.0) or 1.0
        self._postings: dict[str, list[int]] | None = None

    def wording(self, incident: Incident) -> Wording:
        return self.wordings.get(incident.relpath) or _NOTHING

    def terms(self, incident: Incident) -> dict[str, int]:
        return self.wording(incident).terms

    def by_id(self, incident_id: str) -> Incident | None:
        return next((found for found in self.incidents if found.id == incident_id), None)

    def index_words(self) -> None:
        """Find candidates through their rarest shared words from now on, instead of trying
        every earlier incident: worth it when many incidents are asked about (a check of the
        whole repository). An incident that shares none of them scores low on wording."""
        cap = max(_RARE_AT_LEAST, int(len(self.incidents) * _RARE_SHARE))
        postings: dict[str, list[int]] = {}
        for position, incident in enumerate(self.incidents):
            for term in self.terms(incident):
                if self.document_frequency[term] <= cap:
                    postings.setdefault(term, []).append(position)
        self._postings = postings

    def suggest(self, target: Incident, top: int = 5) -> list[Suggestion]:
        """The `top` earlier incidents most like target, best first."""
        if target.redacted or top < 1:
            return []
        asked = self.terms(target)
        idf = {term: self._idf(term) for term in asked}
        full = self._bm25(asked, asked, idf) if len(asked) >= MIN_WORDS else 0.0
        found = []
        for other in self._candidates(target):
            if other.sort_key >= target.sort_key or other.id == target.id:
                continue
            alike = self._bm25(asked, self.terms(other), idf)
            wording = min(1.0, alike / full) if full else 0.0
            score = wording + self._bonus(target, other)
            if score > 0:
                found.append((score, wording, other))
        found.sort(key=lambda item: (-item[0], -item[2].date.toordinal(), item[2].id))
        return [
            Suggestion(other, round(score, 3), round(wording, 3), self.reason(target, other, idf))
            for score, wording, other in found[:top]
        ]

    def _candidates(self, target: Incident) -> Iterable[Incident]:
        if self._postings is None:
            return self.incidents
        rare = sorted(
            (term for term in self.terms(target) if term in self._postings),
            key=lambda term: (self.document_frequency[term], term),
        )[:_RARE_WORDS]
        positions = {spot for term in rare for spot in self._postings[term]}
        linked_ids = {target.repeat_of, *target.related}
        positions.update(
            spot for spot, other in enumerate(self.incidents) if other.id in linked_ids
        )
        return [self.incidents[spot] for spot in sorted(positions)]

    def _idf(self, term: str) -> float:
        count = len(self.incidents)
        frequency = self.document_frequency.get(term, 0)
        return math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))

    def _bm25(self, query: dict[str, int], terms: dict[str, int], idf: dict[str, float]) -> float:
        norm = _K1 * (1 - _B + _B * sum(terms.values()) / self.average_length)
        total = 0.0
        for term in query.keys() & terms.keys():
            frequency, asked = terms[term], query[term]
            weight = idf[term] * asked * (_K3 + 1) / (asked + _K3)
            total += weight * frequency * (_K1 + 1) / (frequency + norm)
        return total

    def _bonus(self, target: Incident, other: Incident) -> float:
        bonus = LINK_WEIGHT if linked(target, other) or linked(other, target) else 0.0
        if set(target.services) & set(other.services):
            bonus += SERVICE_WEIGHT
        if self._shared_tags(target, other):
            bonus += TAG_WEIGHT
        return bonus

    def _shared_tags(self, target: Incident, other: Incident) -> list[str]:
        return sorted((set(target.tags) & set(other.tags)) - self.ignore_tags)

    def reason(self, target: Incident, other: Incident, idf: dict[str, float]) -> str:
        """One line: the links, shared services and tags, and the words both share."""
        parts = []
        if how := linked(target, other):
            parts.append(f"named in its {how}")
        elif how := linked(other, target):
            parts.append(f"names this one in its {how}")
        if services := sorted(set(target.services) & set(other.services)):
            parts.append(f"same service {', '.join(services)}")
        if tags := self._shared_tags(target, other):
            parts.append(f"shared tag {', '.join(tags)}")
        parts.append(shared_words(target, self.wording(target), self.wording(other), idf))
        return "; ".join(part for part in parts if part)


_NOTHING = Wording({}, ())


def shared_words(target: Incident, mine: Wording, theirs: Wording, idf: dict[str, float]) -> str:
    """What the wording shares: a phrase both root causes use, else the rarest words both
    post-mortems use, as target's post-mortem writes them."""
    phrase = _shared_phrase(mine.cause_words, theirs.cause_words, idf)
    if phrase:
        return f"'{phrase}' in both root causes"
    shared = sorted(
        mine.terms.keys() & theirs.terms.keys(), key=lambda term: (-idf.get(term, 0.0), term)
    )
    spelled = _spellings(target, mine)
    named = [spelled[term] for term in shared if term in spelled][:3]
    return f"both mention {', '.join(repr(word) for word in named)}" if named else ""


def _shared_phrase(mine: Sequence[str], theirs: Sequence[str], idf: dict[str, float]) -> str:
    """The rarest pair of adjacent root-cause words both use, as mine writes it."""
    their_pairs = {(stem(a), stem(b)) for a, b in itertools.pairwise(theirs)}
    best, best_weight = "", 0.0
    for first, second in itertools.pairwise(mine):
        pair = (stem(first), stem(second))
        if pair in their_pairs and pair[0] != pair[1]:
            weight = idf.get(pair[0], 0.0) + idf.get(pair[1], 0.0)
            if weight > best_weight:
                best, best_weight = f"{first} {second}", weight
    return best


def _spellings(incident: Incident, wording: Wording) -> dict[str, str]:
    """stem → the first way the title or the root cause writes it."""
    spelled: dict[str, str] = {}
    for word in (*words(incident.title), *wording.cause_words):
        spelled.setdefault(stem(word), word)
    return spelled
