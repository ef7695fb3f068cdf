"""What the site shows, and where each page is: the published incidents and patterns, the
links between them both ways, and what it withholds.

An uncleared security incident is withheld whole: no page, no row, no link, and its id,
title and path are taken out of every page that would name them. A DRAFT is shown only
when asked (--include-drafts); it is counted in the charts then too, and otherwise taken
out like a withheld incident (a pattern file or a post-mortem may name it).

A site of several teams' repositories (options.teams) reads incidents whose ids and paths
carry their team ("payments/INC-2024-0015", "payments/2024/Q1/…"): two teams' same id
gets two pages, and a team's pattern gathers that team's incidents. Hiding is per team: a
withheld incident's team-qualified id and path and its title are taken out of every page;
its bare id and path (as its own team's post-mortems name it) out of its team's pages and
the pages of all teams, but never out of what names a shown incident (another team's
INC-2024-0002 keeps its id, path and page)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from postmortem_repo.core.errors import PmrepoError
from postmortem_repo.model.incident import Incident
from postmortem_repo.render.excerpts import Excerpts
from postmortem_repo.render.patterns import Pattern
from postmortem_repo.render.teams import SEPARATOR, team_of
from postmortem_repo.repo.repeats import Repeat

WITHHELD_TEXT = "[withheld]"
# A withheld title shorter than this is a word other pages may use: ids and paths are
# always taken out, such a title is not.
_SHORTEST_TITLE_SCRUBBED = 8
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class SiteOptions:
    today: dt.date
    include_drafts: bool = False
    teams: tuple[str, ...] = ()  # the teams of a site of several repositories, in order


def is_draft(incident: Incident) -> bool:
    return incident.draft


def counted_incidents(incidents: list[Incident], include_drafts: bool) -> list[Incident]:
    """The incidents the site's and the review deck's numbers count: DRAFTs only when asked;
    a withheld incident without its action items, which are withheld with it (so every
    count of action items is of the items a reader can see)."""
    return [
        replace(incident, action_items=()) if incident.redacted else incident
        for incident in incidents
        if include_drafts or not is_draft(incident)
    ]


def file_name(identifier: str) -> str:
    return _UNSAFE_IN_FILE_NAME.sub("-", identifier) + ".html"


def incident_page(incident_id: str) -> str:
    return "incidents/" + file_name(incident_id)


def pattern_page(pattern_id: str) -> str:
    return "patterns/" + file_name(pattern_id)


class Catalogue:
    def __init__(
        self,
        incidents: list[Incident],
        repeats: dict[str, Repeat],
        patterns: list[Pattern],
        options: SiteOptions,
    ) -> None:
        self.options = options
        # Oldest first, as the repository loads them.
        self.counted = counted_incidents(incidents, options.include_drafts)
        shown = [incident for incident in self.counted if not incident.redacted]
        self.withheld = [incident for incident in incidents if incident.redacted]
        shown_ids = {incident.id for incident in shown}
        # Withheld incidents and the DRAFTs left out: no page names them.
        unseen = [incident for incident in incidents if incident.id not in shown_ids]
        self._hiding = _Hiding(unseen, shown, teams=bool(options.teams))
        if options.teams:  # a team's words on the pages of every team's, scrubbed as its own
            own = {incident.id: self._own_words(incident) for incident in shown}
            self.counted = [own.get(incident.id, incident) for incident in self.counted]
            shown = [own[incident.id] for incident in shown]
        self.shown = shown
        self.repeats = repeats
        self.by_id = {incident.id: incident for incident in self.shown}
        self.patterns = sorted(patterns, key=lambda pattern: pattern.number)
        self._pages = {incident.relpath: incident_page(incident.id) for incident in self.shown}
        self._pages.update({p.relpath: pattern_page(p.id) for p in self.patterns})
        _no_page_twice(self.shown, self.patterns)
        self._related_from: dict[str, set[str]] = defaultdict(set)
        self._repeated_by: dict[str, set[str]] = defaultdict(set)
        for incident in self.shown:
            for other in incident.related:
                self._related_from[other].add(incident.id)
            repeat = repeats.get(incident.id)
            if repeat is not None:
                self._repeated_by[repeat.earlier].add(incident.id)

    def page_of(self, relpath: str) -> str | None:
        """The site page of a repository file (a post-mortem or a pattern), if it has one."""
        return self._pages.get(relpath)

    def related(self, incident: Incident) -> list[Incident]:
        """Incidents it names as related and those that name it, both shown."""
        ids = set(incident.related) | self._related_from.get(incident.id, set())
        return self._shown_sorted(ids - {incident.id})

    def repeat_of(self, incident: Incident) -> tuple[Incident, str] | None:
        repeat = self.repeats.get(incident.id)
        if repeat is None or repeat.earlier not in self.by_id:
            return None
        return self.by_id[repeat.earlier], repeat.reason

    def repeated_by(self, incident: Incident) -> list[Incident]:
        return self._shown_sorted(self._repeated_by.get(incident.id, set()))

    def team(self, incident: Incident) -> str | None:
        """The incident's team on a site of several teams (else None)."""
        return team_of(incident.id) if self.options.teams else None

    def team_of_pattern(self, pattern: Pattern) -> str | None:
        """The pattern's team on a site of several teams (else None)."""
        return team_of(pattern.id) if self.options.teams else None

    def patterns_of(self, incident: Incident) -> list[Pattern]:
        return [pattern for pattern in self.patterns if self._gathers(pattern, incident)]

    def members(self, pattern: Pattern) -> list[Incident]:
        return [incident for incident in self.shown if self._gathers(pattern, incident)]

    def _gathers(self, pattern: Pattern, incident: Incident) -> bool:
        same_team = not self.options.teams or team_of(pattern.id) == team_of(incident.id)
        return same_team and pattern.matches(incident)

    def _shown_sorted(self, ids: set[str]) -> list[Incident]:
        return sorted((self.by_id[i] for i in ids if i in self.by_id), key=lambda i: i.sort_key)

    def scrub(self, text: str, team: str | None = None) -> str:
        """text with the id, path and title of every incident not shown taken out: of a page
        of that team's (an incident's, a pattern's), or of one of every team's (None)."""
        return self._hiding.scrub(text, team)

    def scrub_excerpts(self, excerpts: Excerpts, team: str | None) -> Excerpts:
        """A team's post-mortem's excerpts, for the pages of every team's (home, list)."""
        if team is None:  # the pages they go on are scrubbed alike
            return excerpts
        summary, impact, cause, *lessons = (
            self.scrub(text, team)
            for text in (excerpts.summary, excerpts.impact, excerpts.root_cause, *excerpts.lessons)
        )
        return Excerpts(summary, impact, cause, tuple(lessons))

    def _own_words(self, incident: Incident) -> Incident:
        """The incident with its title and action items scrubbed as its team's page is."""
        team = team_of(incident.id)
        items = tuple(
            replace(
                item,
                action=self.scrub(item.action, team),
                owner=self.scrub(item.owner, team),
                due=self.scrub(item.due, team),
                status=self.scrub(item.status, team),
            )
            for item in incident.action_items
        )
        return replace(incident, title=self.scrub(incident.title, team), action_items=items)


def _no_page_twice(incidents: list[Incident], patterns: list[Pattern]) -> None:
    """A PmrepoError when two incidents (or patterns) would share a page: ids that differ
    only in characters a file name cannot hold."""
    seen: dict[str, str] = {}
    named = [(incident_page(i.id), i.id) for i in incidents]
    named += [(pattern_page(p.id), p.id) for p in patterns]
    for page, identifier in named:
        if page in seen and seen[page] != identifier:
            raise PmrepoError(
                f"{identifier} and {seen[page]} would both be the page {page}; nothing was written"
            )
        seen[page] = identifier


class _Hiding:
    """What is taken out of the pages: the words that name an incident not shown, and the
    words naming a shown incident that hold one of them (kept as they are)."""

    def __init__(self, unseen: list[Incident], shown: list[Incident], *, teams: bool) -> None:
        everywhere: set[str] = set()
        bare: dict[str, set[str]] = defaultdict(set)  # team → how its own files name them
        for incident in unseen:
            everywhere.update(_names(incident))
            if teams:
                bare[team_of(incident.id)].update(_names(incident, bare=True))
        hidden = _pattern(everywhere.union(*bare.values()))
        self._keep = {word for word in _forms(_shown_names(shown)) if _holds(hidden, word)}
        self._everywhere = _pattern(everywhere | self._keep)
        self._by_team = {
            team: _pattern(everywhere | words | self._keep) for team, words in bare.items()
        }

    def scrub(self, text: str, team: str | None) -> str:
        """text of a page of team's (None: of every team's, or of the one repository)."""
        pattern = self._everywhere if team is None else self._by_team.get(team, self._everywhere)
        return pattern.sub(self._replacement, text) if pattern is not None else text

    def _replacement(self, match: re.Match[str]) -> str:
        return match[0] if match[0].casefold() in self._keep else WITHHELD_TEXT


def _names(incident: Incident, *, bare: bool = False) -> set[str]:
    """The id, path, file name and (a long enough) title of an incident; bare: the id and
    path without their team."""
    if bare:
        return {part.split(SEPARATOR, 1)[-1] for part in (incident.id, incident.relpath)}
    names = {incident.id, incident.relpath, incident.relpath.rsplit("/", 1)[-1]}
    if len(incident.title.strip()) >= _SHORTEST_TITLE_SCRUBBED:
        names.add(incident.title.strip())
    return names


def _shown_names(shown: list[Incident]) -> set[str]:
    """What names a shown incident on a page: its id, path, title and page."""
    names: set[str] = set()
    for incident in shown:
        names |= _names(incident) | {incident_page(incident.id)}
    return names


def _forms(words: set[str]) -> set[str]:
    """The words as compared: casefolded, as written and HTML-escaped."""
    return {form.casefold() for word in words if word for form in (word, html.escape(word))}


def _holds(pattern: re.Pattern[str] | None, word: str) -> bool:
    return pattern is not None and pattern.search(word) is not None


def _pattern(words: set[str]) -> re.Pattern[str] | None:
    forms = _forms(words)
    return re.compile(_trie_pattern(forms), re.IGNORECASE) if forms else None


_Trie = dict[str, "_Trie"]  # a character → what may follow it; "" marks a word's end


def _trie_pattern(words: set[str]) -> str:
    """One regex for the words, their shared beginnings written once: a plain alternation of
    a thousand withheld ids and paths was tried word by word at every character of every
    page. At any place the longest word matches, so a path is taken out whole rather than
    around its id."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: _Trie) -> str:
    ends_here = "" in node
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:  # a longer word first (greedy), else end here
        return "(?:" + body + ")?"
    return body
