"""Related incidents: the earlier post-mortems most like a given one, and why.

An earlier incident scores by what the two post-mortems say (BM25 over the stemmed words
of title, summary, root cause and lessons; 1.0 when it says all the other does), plus
LINK_WEIGHT when one names the other in `related` or `repeat_of`, SERVICE_WEIGHT for a
shared service and TAG_WEIGHT for a shared root-cause tag (the repeat definition's ignored
tags never count). Only incidents dated before the one asked about (or the same day with a
lower id) are suggested: a post-mortem links what came before it.

A security incident not cleared for publication is never suggested, and gets no
suggestions: its words stay out of every other post-mortem's list.

The index works on Profiles (what ranking needs of an incident, repo/corpus.py keeps them)
and an inverted index of their words: asked about one incident, it adds up the weights of
the words that incident uses, a list per word, instead of comparing it with every other.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postmortem_repo.model.wording import Wording, is_subject, stem, words

if TYPE_CHECKING:
    from postmortem_repo.model.incident import Incident

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
class Profile:
    """What ranking needs of one incident (its words are kept beside it, in the index)."""

    id: str
    relpath: str
    title: str
    date: dt.date
    severity: str
    status: str
    redacted: bool  # a security incident not cleared for publication
    services: tuple[str, ...]
    tags: tuple[str, ...]
    related: tuple[str, ...]
    repeat_of: str | None
    team: str = ""  # the team whose repository holds it, when several are compared

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        return self.date, self.id

    @property
    def name(self) -> str:
        """How a link from another team names it: `payments/INC-2024-0015`."""
        return f"{self.team}/{self.id}" if self.team else self.id


def profile_of(incident: Incident) -> Profile:
    return Profile(
        incident.id,
        incident.relpath,
        incident.title,
        incident.date,
        incident.severity,
        incident.status,
        incident.redacted,
        incident.services,
        incident.tags,
        incident.related,
        incident.repeat_of,
    )


@dataclass(frozen=True, slots=True)
class Suggestion:
    incident: Profile
    # Exact: a threshold is compared with the score itself; output rounds it.
    score: float
    wording: float  # the text similarity alone, 0..1
    reason: str


def linked(incident: Profile, other: Profile) -> str | None:
    """How incident names other ('repeat_of' or 'related'), else None. An incident of the
    same team is named by its id (or team/id), one of another team by team/id."""
    if other.team == incident.team:
        if incident.repeat_of == other.id:
            return "repeat_of"
        if other.id in incident.related:
            return "related"
        if not other.team:
            return None
    name = other.name
    if incident.repeat_of == name:
        return "repeat_of"
    return "related" if name in incident.related else None


# term → (positions of the compared profiles that use it, ascending; how often each does)
Postings = dict[str, tuple["array[int]", "array[int]"]]


def postings_of(terms: Sequence[dict[str, int]]) -> Postings:
    """The inverted index of the terms of each compared profile, by position."""
    found: dict[str, tuple[array[int], array[int]]] = {}
    for position, counts in enumerate(terms):
        for term, count in counts.items():
            lists = found.get(term)
            if lists is None:
                lists = found[term] = (array("I"), array("I"))
            lists[0].append(position)
            lists[1].append(count)
    return found


class RelatedIndex:
    """The repository's incidents, ready to be compared. Build it once; ask many times.

    profiles: every incident, oldest first (as sort_key orders them); wording(position):
    the wording of profiles[position]; postings: the inverted index of the terms of the
    profiles that are compared (the others withheld), and lengths their term counts,
    both by position among those (postings_of makes them)."""

    def __init__(
        self,
        profiles: Sequence[Profile],
        wording: Callable[[int], Wording],
        postings: Callable[[str], tuple[array[int], array[int]] | None],
        lengths: Sequence[int],
        *,
        ignore_tags: Sequence[str] = (),
        prepare: Callable[[], None] | None = None,
    ) -> None:
        """prepare: makes every wording ready, for index_words (many to compare)."""
        self._prepare = prepare
        self.profiles = list(profiles)
        self.incidents = [profile for profile in profiles if not profile.redacted]
        # Uncleared security incidents: known to exist, never compared.
        self.withheld = frozenset(profile.name for profile in profiles if profile.redacted)
        self._wording_at = [
            position for position, profile in enumerate(profiles) if not profile.redacted
        ]
        self._wording = wording
        self._postings = postings
        self._keys = [incident.sort_key for incident in self.incidents]
        self._position = {id(incident): spot for spot, incident in enumerate(self.incidents)}
        self.ignore_tags = frozenset(ignore_tags)
        self.average_length = (sum(lengths) / len(lengths) if lengths else 0.0) or 1.0
        self._norms = [_K1 * (1 - _B + _B * length / self.average_length) for length in lengths]
        self._rare: dict[str, list[int]] | None = None
        self._relpaths: dict[tuple[str, str], Profile] | None = None

    def wording(self, incident: Profile) -> Wording:
        spot = self._position.get(id(incident))
        return self._wording(self._wording_at[spot]) if spot is not None else NOTHING

    def terms(self, incident: Profile) -> dict[str, int]:
        return self.wording(incident).terms

    def by_id(self, incident_id: str) -> Profile | None:
        return next((found for found in self.incidents if found.id == incident_id), None)

    def named(self, name: str) -> list[Profile]:
        """The compared incidents `INC-…` names (one per team that has the id), or the one
        `team/INC-…` does."""
        return [found for found in self.incidents if name in (found.id, found.name)]

    def by_relpath(self, relpath: str, team: str = "") -> Profile | None:
        if self._relpaths is None:
            self._relpaths = {(p.team, p.relpath): p for p in self.incidents}
        return self._relpaths.get((team, relpath))

    def _frequency(self, term: str) -> int:
        found = self._postings(term)
        return len(found[0]) if found else 0

    def index_words(self) -> None:
        """Find candidates through their rarest shared words from now on, instead of trying
        every earlier incident: worth it when many incidents are asked about (a check of the
        whole repository). An incident that shares none of them scores low on wording."""
        self._rare = {}
        if self._prepare is not None:
            self._prepare()

    def suggest(self, target: Profile, top: int = 5) -> list[Suggestion]:
        """The `top` earlier incidents most like target, best first."""
        if target.redacted or top < 1 or id(target) not in self._position:
            return []
        asked = self.terms(target)
        idf = {term: self._idf(term) for term in asked}
        full = self._bm25(asked, asked, idf) if len(asked) >= MIN_WORDS else 0.0
        earlier = bisect.bisect_left(self._keys, target.sort_key)
        if self._rare is None:
            alike = self._alike(asked, idf, earlier) if full else {}
            candidates = sorted(alike.keys() | self._bonused(target, earlier))
        else:
            candidates = self._rare_candidates(target, earlier)
            alike = {
                spot: self._bm25(asked, self.terms(self.incidents[spot]), idf, spot)
                for spot in candidates
            }
        found = []
        for spot in candidates:
            other = self.incidents[spot]
            if other.id == target.id and other.team == target.team:
                continue
            wording = min(1.0, alike.get(spot, 0.0) / full) if full else 0.0
            score = wording + self._bonus(target, other)
            if score > 0:
                found.append((score, wording, other))
        found.sort(key=lambda item: (-item[0], -item[2].date.toordinal(), item[2].id))
        return [
            Suggestion(other, score, wording, self.reason(target, other, idf))
            for score, wording, other in found[:top]
        ]

    def _alike(
        self, asked: dict[str, int], idf: dict[str, float], earlier: int
    ) -> dict[int, float]:
        """position → the BM25 score of each earlier profile that shares a word with asked."""
        totals = [0.0] * earlier
        norms = self._norms
        saturation = _K1 + 1
        for term in sorted(asked):
            found = self._postings(term)
            if found is None:
                continue
            positions, counts = found
            end = bisect.bisect_left(positions, earlier)
            weight = idf[term] * asked[term] * (_K3 + 1) / (asked[term] + _K3)
            for spot, frequency in zip(positions[:end], counts[:end], strict=True):
                totals[spot] += weight * frequency * saturation / (frequency + norms[spot])
        return {spot: total for spot, total in enumerate(totals) if total}

    def _bonused(self, target: Profile, earlier: int) -> set[int]:
        """The earlier profiles that share a service or a counted tag with target, or that
        it names or that name it."""
        services = set(target.services)
        tags = set(target.tags) - self.ignore_tags
        return {
            spot
            for spot, other in enumerate(self.incidents[:earlier])
            if not services.isdisjoint(other.services)
            or not tags.isdisjoint(other.tags)
            or linked(target, other)
            or linked(other, target)
        }

    def _rare_candidates(self, target: Profile, earlier: int) -> list[int]:
        assert self._rare is not None
        cap = max(_RARE_AT_LEAST, int(len(self.incidents) * _RARE_SHARE))
        rare = sorted(
            (term for term in self.terms(target) if 0 < self._frequency(term) <= cap),
            key=lambda term: (self._frequency(term), term),
        )[:_RARE_WORDS]
        positions: set[int] = set()
        for term in rare:
            found = self._postings(term)
            assert found is not None  # a term of a compared profile has its list
            positions.update(found[0])
        # What it names: in its own repository by id, another team's as team/INC-….
        positions.update(spot for spot, other in enumerate(self.incidents) if linked(target, other))
        return sorted(spot for spot in positions if spot < earlier)

    def _idf(self, term: str) -> float:
        count = len(self.incidents)
        frequency = self._frequency(term)
        return math.log(1 + (count - frequency + 0.5) / (frequency + 0.5))

    def _bm25(
        self,
        query: dict[str, int],
        terms: dict[str, int],
        idf: dict[str, float],
        spot: int | None = None,
    ) -> float:
        """terms: those of the profile at spot (None: of the query itself)."""
        if spot is None:
            norm = _K1 * (1 - _B + _B * sum(terms.values()) / self.average_length)
        else:
            norm = self._norms[spot]
        total = 0.0
        for term in sorted(query.keys() & terms.keys()):
            frequency, asked = terms[term], query[term]
            weight = idf[term] * asked * (_K3 + 1) / (asked + _K3)
            total += weight * frequency * (_K1 + 1) / (frequency + norm)
        return total

    def _bonus(self, target: Profile, other: Profile) -> float:
        bonus = LINK_WEIGHT if linked(target, other) or linked(other, target) else 0.0
        if set(target.services) & set(other.services):
            bonus += SERVICE_WEIGHT
        if self._shared_tags(target, other):
            bonus += TAG_WEIGHT
        return bonus

    def _shared_tags(self, target: Profile, other: Profile) -> list[str]:
        return sorted((set(target.tags) & set(other.tags)) - self.ignore_tags)

    def reason(self, target: Profile, other: Profile, idf: dict[str, float]) -> str:
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


NOTHING = Wording({}, ())


def shared_words(target: Profile, mine: Wording, theirs: Wording, idf: dict[str, float]) -> str:
    """What the wording shares: a phrase both root causes use, else the rarest words both
    post-mortems use, as target's post-mortem writes them; only words of subject matter
    (is_subject), never those of telling a story."""
    phrase = _shared_phrase(mine.cause_words, theirs.cause_words, idf)
    if phrase:
        return f"'{phrase}' in both root causes"
    shared = sorted(
        mine.terms.keys() & theirs.terms.keys(), key=lambda term: (-idf.get(term, 0.0), term)
    )
    spelled = _spellings(target, mine)
    named = [spelled[term] for term in shared if term in spelled and is_subject(spelled[term])]
    named = named[:3]
    return f"both mention {', '.join(repr(word) for word in named)}" if named else ""


def _shared_phrase(mine: Sequence[str], theirs: Sequence[str], idf: dict[str, float]) -> str:
    """The rarest pair of adjacent root-cause words both use, as mine writes it."""
    their_pairs = {(stem(a), stem(b)) for a, b in itertools.pairwise(theirs)}
    best, best_weight = "", 0.0
    for first, second in itertools.pairwise(mine):
        pair = (stem(first), stem(second))
        if pair in their_pairs and pair[0] != pair[1] and is_subject(first) and is_subject(second):
            weight = idf.get(pair[0], 0.0) + idf.get(pair[1], 0.0)
            if weight > best_weight:
                best, best_weight = f"{first} {second}", weight
    return best


def _spellings(incident: Profile, wording: Wording) -> dict[str, str]:
    """stem → the first way the title or the root cause writes it."""
    spelled: dict[str, str] = {}
    for word in (*words(incident.title), *wording.cause_words):
        spelled.setdefault(stem(word), word)
    return spelled
