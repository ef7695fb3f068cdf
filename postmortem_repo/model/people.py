"""Who is a person: names and handles the repository and the config know, plus a first-name
fallback, minus the systems that look like names (Jenkins, Knox, a listed service)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string, for long vocabularies."""
    return frozenset(text.split())


# Parts of a handle or of an owner string that name a role or a team, not a person:
# `oncall-alice` is alice, `sre-team` and `deploy-bot` are nobody.
ROLE_PARTS = word_set(
    """oncall on call sre sres team squad guild group eng engineering ops devops dev devs
    platform infra bot bots svc service ci cd deploy release admin admins root lead manager
    pay payments api app web db dba security sec data core support it help desk the of and
    primary secondary backup shadow ic comms"""
)

# Capitalised names that are also common English words: only a person when the repository
# or the config knows them, or when the verb is one only people do (Will forgot ...).
WORD_NAMES = word_set(
    """Will Mark Grant Bill Rose Ray Dawn Joy Penny Holly Ruby Lily Jay Dean Long Can Ping
    Max Jan Rob Sue Jack Frank Pat Drew Chase Hunter Summer August June May Sky Don Al Art
    Gene Guy Nick Hope Faith Grace Rich Rusty Page Wade Miles Carter Mason Bishop Cliff
    Ford Gale Heath Stone Wolf Norm Amber Crystal Iris Violet Ivy Jasmine Willow Lance
    Marshal Sterling Skip Buck Cash Cole"""
)

# Software and services with personal names, and everyday capitalised words that start
# sentences: never a person on their own.
SYSTEM_NAMES = word_set(
    """jenkins cassandra kafka hermes apollo athena aurora ruby julia luigi celery sentry
    consul nomad vault atlas zeus ada crystal elixir django flask oracle redis postgres
    postgresql mysql mongo mongodb kibana grafana prometheus loki thanos argo helm envoy
    kong caddy ceph rook velero istio linkerd calico cilium spark flink airflow hive
    zookeeper etcd nginx haproxy traefik okta datadog splunk pagerduty opsgenie slack jira
    github gitlab terraform ansible puppet chef salt spinnaker flux keda karpenter vitess
    presto trino lambda dynamo aws gcp azure kubernetes k8s docker linux windows chrome
    safari android ios siri alexa cortana watson heroku netlify vercel fastly akamai
    cloudflare stripe twilio sendgrid mailgun zendesk intercom sonar harbor nexus artemis
    rabbit rabbitmq minio citus patroni pgbouncer memcached varnish squid bind coredns"""
)

SUBJECT_STOPWORDS = word_set(
    """it this that these those there then thus also everyone everybody nobody nothing
    something anything somebody none each both all which who what when where why how here
    however meanwhile later finally first second third next after before during since
    because while although though if unless until so but and or nor yet monitoring
    alerting nothing customers users clients traffic"""
)

# What a post-mortem's sentences are about besides people: capitalised at the start of a
# sentence ('Alert should have fired at 80%'), such a word is a thing, not a name.
THING_NOUNS = word_set(
    """alert alerts alarm alarms runbook runbooks playbook impact dashboard dashboards
    monitor monitors pipeline pipelines deploy deploys deployment deployments config configs
    configuration test tests testing check checks threshold thresholds rollout rollouts
    canary release releases process review reviews job jobs script scripts service services
    cluster clusters database databases cache caches queue queues replica replicas backup
    backups failover rollback rollbacks retry retries timeout timeouts limit limits quota
    quotas capacity load latency traffic tooling tool tools automation documentation docs
    doc policy procedure procedures checklist migration migrations schema index change
    changes patch upgrade update updates build builds image images cert certs certificate
    certificates key keys secret secrets token tokens disk disks node nodes pod pods host
    hosts server servers network dns proxy gateway api app application feature flag flags
    escalation paging pager page logging logs log metrics metric tracing detection
    recovery mitigation restore restores staging production prod environment region zone
    storage memory cpu version versions ticket tickets system systems machine machines
    monitoring alerting scheduler cron console consoles screen screens portal tracker"""
)

# Grammar words that are never the subject of a clause either, unless the repository knows
# someone by that name. They are kept out of SUBJECT_STOPWORDS because People.evidence
# reads that list before it looks a name up, and some of them are names people carry
# ("Minh Do", "An Nguyen", "Tran To"): with them in it, "Do forgot to rotate the key"
# would no longer name a known Do. A subject search reads this set only after the person
# lookup found no one.
STOPWORDS_UNLESS_KNOWN = word_set(
    """they them it's was were is are be been being has had have do does did not no the a
    an of to in on at for with by from as"""
)

_SPLIT_PEOPLE = re.compile(r"\s*(?:[,;/&+]|\band\b)\s*")


def without_brackets(value: str, openings: str = "([") -> str:
    """value with each (...) and [...] made a space, as
    re.sub(r"\\([^)]*\\)|\\[[^\\]]*\\]", " ", value), which reads the rest of the value
    from every opening that is never closed; openings="(" only the first alternative."""
    if not any(char in value for char in openings):
        return value
    parts: list[str] = []
    last = 0
    # The next of each opening and closing at or after where the search is.
    found = {char: value.find(char) for char in "()[]"}
    position = 0
    while True:
        for char in openings:
            if 0 <= found[char] < position:
                found[char] = value.find(char, position)
        next_openings = [found[char] for char in openings if found[char] >= 0]
        if not next_openings:
            break
        opening = min(next_openings)
        closer = ")" if value[opening] == "(" else "]"
        if 0 <= found[closer] <= opening:
            found[closer] = value.find(closer, opening + 1)
        if found[closer] < 0:
            # Never closed: nor is any later opening of this kind.
            found[value[opening]] = -1
            continue
        parts.append(value[last:opening])
        parts.append(" ")
        last = position = found[closer] + 1
    parts.append(value[last:])
    return "".join(parts)


_HANDLE_PARTS = re.compile(r"[-_.]+")
# A family name with a Japanese honorific is a person's.
_HONORIFIC_SUFFIX = re.compile(r"[A-Z][a-z]+-(?:san|sama|kun|chan|sensei)(?:'s|\u2019s)?")


@cache
def first_names() -> frozenset[str]:
    text = (Path(__file__).resolve().parent / "data" / "first_names.txt").read_text("utf-8")
    words = (
        word for line in text.splitlines() if not line.startswith("#") for word in line.split()
    )
    return frozenset(words)


@cache
def first_names_lowered() -> frozenset[str]:
    """The given names pmrepo knows, in lowercase (as sentences' word sets hold them)."""
    return frozenset(name.lower() for name in first_names())


# What People.evidence says of a word that is surely someone's name or handle (a name in the
# first-name list that is also an everyday word, 'word-name', or a word only shaped like a
# name is not).
STRONG_EVIDENCE = frozenset(("known", "handle", "name"))


@dataclass
class People:
    """The people and systems one check knows about; `add_*` accept any owner-like string."""

    names: set[str] = field(default_factory=set)  # capitalised given and family names
    handles: set[str] = field(default_factory=set)  # lowercase handles and their name parts
    systems: set[str] = field(default_factory=set)  # lowercase words that are never people
    # What this one adds to: a document's people over the repository's, which are many and
    # the same for every document, so they are looked up, never copied.
    base: People | None = field(default=None, repr=False, compare=False)

    def copy(self) -> People:
        """A People that knows everything this one does, and keeps what is added to it."""
        return People(base=self)

    def add_people(self, values: Iterable[object]) -> None:
        for value in values:
            if isinstance(value, str) and value:
                names, handles, systems = _parse_people(value)
                self.names.update(names)
                self.handles.update(handles)
                self.systems.update(systems)

    def add_systems(self, values: Iterable[object]) -> None:
        for value in values:
            if isinstance(value, str):
                self.systems.add(value.strip().lower())
                self.systems.update(p for p in _HANDLE_PARTS.split(value.lower()) if len(p) > 2)

    def is_system(self, token: str) -> bool:
        lowered = token.lstrip("@").lower()
        return lowered in SYSTEM_NAMES or self._has("systems", lowered)

    def knows(self, token: str) -> bool:
        """A name or handle the repository or the config has seen for a person."""
        if self.is_system(token):
            return False
        bare = token.lstrip("@")
        return self._has("names", bare) or self._has("handles", bare.lower())

    def _has(self, kind: str, value: str) -> bool:
        layer: People | None = self
        while layer is not None:
            if value in getattr(layer, kind):
                return True
            layer = layer.base
        return False

    def evidence(self, token: str) -> str:
        """'known', 'handle', 'name' (first-name list), 'word-name' or '' for not a person."""
        if not token or self.is_system(token) or token.lower() in SUBJECT_STOPWORDS:
            return ""
        if self.knows(token):
            return "known"
        if token.startswith("@") and len(token) > 2:
            return "handle"
        if _DOTTED_INITIALS.fullmatch(token):
            return "name"  # 'R.K.', 'J.M.': a person's initials
        if _HONORIFIC_SUFFIX.fullmatch(token):
            return "name"  # 'Tanaka-san', 'Sato-san's'
        if _HANDLE_PARTS.search(token) and _names_a_part(token):
            if _SOFTWARE_PART.search(token):
                return ""  # 'Carl-bot', 'anna-svc': named like a person, made of code
            return "handle"  # 'mateo.r', 'xX_Kenji_Xx', 'j-okafor
        if token in first_names() or (not token.isascii() and _unaccented(token) in first_names()):
            return "word-name" if token in WORD_NAMES else "name"
        if token.islower() and len(token) > 2:
            # 'raj had replayed', 'tom was panicking': a given name typed in a hurry.
            named = token.capitalize()
            if named in first_names() and named not in WORD_NAMES:
                return "name"
        return ""


# The last part of a handle that names a program rather than its owner.
_SOFTWARE_PART = re.compile(
    r"[-_.](?:bot|svc|service|job|worker|daemon|proxy|server|api|app|cron|agent)$", re.IGNORECASE
)
_DOTTED_INITIALS = re.compile(r"[A-Z]\.[A-Z](?:\.[A-Z])?\.?")


def _unaccented(word: str) -> str:
    """'Martín' as 'Martin', 'Inês' as 'Ines': a given name written with accents the list
    has without them."""
    return "".join(
        char for char in unicodedata.normalize("NFKD", word) if not unicodedata.combining(char)
    )


def _names_a_part(token: str) -> bool:
    """Whether a handle-shaped token holds a given name as one of its parts."""
    names = first_names()
    return any(
        len(part) > 2 and part.capitalize() in names and part.capitalize() not in WORD_NAMES
        for part in _HANDLE_PARTS.split(token)
    )


Parsed = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=4096)
def _parse_people(value: str) -> Parsed:
    """(names, handles, systems) in one owner-like string; owners repeat across files."""
    names: list[str] = []
    handles: list[str] = []
    systems: list[str] = []
    # Only the words of each part count: with every run of spaces made one, the separator
    # regex no longer reads a long run again from each of its spaces.
    for part in _SPLIT_PEOPLE.split(" ".join(without_brackets(value).split())):
        words = part.split()
        if len(words) > 1:
            # "Alice Smith" is a person; "Pay SRE Team" is not.
            if not any(word.lower() in ROLE_PARTS for word in words):
                names.extend(word for word in words if word[:1].isupper())
            continue
        if not words:
            continue
        handle = words[0].lstrip("@").lower()
        parts = [piece for piece in _HANDLE_PARTS.split(handle) if piece]
        # A timeline's actor 'Alert' or 'Monitoring' is a thing, as 'deploy-bot' is.
        personal = [
            piece
            for piece in parts
            if piece not in ROLE_PARTS and piece not in THING_NOUNS and not piece.isdigit()
        ]
        if not personal:
            systems.append(handle)
            continue
        handles.append(handle)
        handles.extend(piece for piece in personal if len(piece) > 1)
        if words[0][:1].isupper():
            names.append(words[0])
    return tuple(names), tuple(handles), tuple(systems)


# Nouns that make what they describe a system: "Alice, our alert-routing service",
# "Heimdall (the auth proxy)", "the Jarvis bot".
SYSTEM_NOUNS = (
    r"service|services|bot|proxy|operator|daemon|controller|scheduler|job|cron|tool|system"
    r"|pipeline|cluster|agent|worker|server|gateway|api|queue|database|db|cache|balancer"
    r"|router|app|application|platform|library|script|sidecar|plugin|runner|monitor|broker"
    r"|store|index|microservice|backend|frontend|component|function|lambda|pod|node|host"
    r"|notifier|alerter|integration|webhook|hook|assistant|pager|relay|robot|orchestrator"
    r"|inventory|scanner|checker|validator|gate|linter|tracker|engine|console|portal"
)
# "the service owner", "the platform lead": a system noun that describes a person.
_PERSON_AFTER_SYSTEM = (
    r"(?!\s+(?:owner|owners|lead|leads|manager|managers|team|engineer|engineers|on-?call"
    r"|expert|admin|admins|maintainer|maintainers|author|authors|person|people)\b)"
)
# Names given to a system in other ways: "the rollout controller, which we call Marvin",
# "(pricey = our LaunchDarkly notifier)", "Marvin is the moderation bot", "Marvin is not a
# person", "the failover tool, Orca,", "the certificate inventory (Keyfactor)", "deploy bot
# Maggie", "Barnaby (release bot)". Each pattern begins with a word or a character that is
# rare in prose, and the name or the system noun on the other side is looked for from
# there: patterns that began with any name or any system noun were tried at every word.
_SYSTEM_NOUN = re.compile(r"\b(?:" + SYSTEM_NOUNS + r")\s*$", re.IGNORECASE)
_NAME_BEFORE = re.compile(r"(?<![\w@.-])([A-Za-z][\w.-]*\w)\s*$")
_CALLED = re.compile(
    r"\b(?:which\s+we\s+call|we\s+call|called|named|known\s+as|nicknamed|aka)\s+"
    r"(?P<name>[A-Za-z][\w.-]*\w)"
)
_A_SYSTEM = (
    r"(?:our|the|a|an)\s+(?:(?!(?:of|for|on|in|at|with|to|who|that|the|a|an|our|their)\b)[\w/>\u2192.-]+\s+){0,5}?(?:"
    + SYSTEM_NOUNS
    + r")\b"
    + _PERSON_AFTER_SYSTEM
)
_EQUALS_A_SYSTEM = re.compile(r"=\s*" + _A_SYSTEM)
_IS_A_SYSTEM = re.compile(r"\b(?:is|was)\s+" + _A_SYSTEM)
_NOT_A_PERSON = re.compile(r"\bis\s+not\s+a\s+(?:person|human)\b")
_BESIDE_A_SYSTEM = re.compile(r"(?:,\s*|\(\s*)(?P<name>[A-Z][a-z][\w-]*)\s*[,)]")
_BOT_NAMED = re.compile(r"\b(?:bot|robot|assistant)\s+(?P<name>[A-Z][a-z][\w-]*)\b")
_TAGGED_A_SYSTEM = re.compile(r"\(\s*(?:[\w/-]+\s+){0,3}?(?:" + SYSTEM_NOUNS + r")\s*\)")
_TAGGED_NAME = re.compile(r"(?<![\w@.-])([A-Z][a-z][\w-]*)\s+$")
_INTRODUCED_AS_SYSTEM = re.compile(
    # Every alternative begins with a capital, 't' or 'o': the regex skips other places fast.
    r"(?=[A-Zto])(?:\b(?P<name>[A-Z][\w-]*)(?:,\s*|\s+\(\s*|\s+[-\u2013\u2014]\s+)(?:our|the|a|an|which\s+is)\s+"
    r"(?:[\w/'\u2019-]+\s+){0,4}?(?:" + SYSTEM_NOUNS + r")\b"
    r"|\b(?:the|our)\s+(?P<named>[A-Z][\w-]*)\s+(?:" + SYSTEM_NOUNS + r")\b)"
)


def systems_introduced(text: str) -> set[str]:
    """Names that the text introduces as systems, lowercased."""
    found = {
        (match.group("name") or match.group("named")).lower()
        for match in _INTRODUCED_AS_SYSTEM.finditer(text)
    }
    lowered = text.lower()
    names: list[str] = []
    names += _bots_named(text, lowered)
    if "call" in lowered or "named" in lowered or "known as" in lowered or "aka" in lowered:
        for match in _CALLED.finditer(text):
            if _SYSTEM_NOUN_WITHIN.search(text, max(0, match.start() - 40), match.start()):
                names.append(match.group("name"))
    # "pricey = our notifier" may name a system in lowercase; "X is the bot" names one only
    # with a capital (not "this is the api").
    for pattern, capital in (
        (_EQUALS_A_SYSTEM, False),
        (_IS_A_SYSTEM, True),
        (_NOT_A_PERSON, True),
    ):
        if pattern is _EQUALS_A_SYSTEM and "=" not in text:
            continue
        if pattern is _NOT_A_PERSON and not ("not a person" in lowered or "not a human" in lowered):
            continue
        for match in pattern.finditer(text):
            before = _NAME_BEFORE.search(text, max(0, match.start() - 60), match.start())
            if before and (before.group(1)[0].isupper() or not capital):
                names.append(before.group(1))
    if "," in text or "(" in text:
        for match in _BESIDE_A_SYSTEM.finditer(text):
            if _SYSTEM_NOUN.search(text, max(0, match.start() - 30), match.start()):
                names.append(match.group("name"))
    for match in _TAGGED_A_SYSTEM.finditer(text):
        tagged = _TAGGED_NAME.search(text, max(0, match.start() - 40), match.start())
        if tagged:
            names.append(tagged.group(1))
    found.update(
        name.lower()
        for name in names
        if name.lower() not in SUBJECT_STOPWORDS and name.lower() not in _PRONOUNS
    )
    return found


def _bots_named(text: str, lowered: str) -> list[str]:
    """'deploy bot Maggie', 'assistant Ada': looked for only where a 'bot ' or an
    'assistant ' is (a pattern that begins with either was tried at every word)."""
    names = []
    for anchor in ("bot ", "assistant "):
        at = lowered.find(anchor)
        while at >= 0:
            start = at - 2 if lowered.startswith("ro", at - 2) else at
            match = _BOT_NAMED.match(text, start)
            if match:
                names.append(match.group("name"))
            at = lowered.find(anchor, at + len(anchor))
    return names


# A system noun shortly before "which we call X", "known as X".
_SYSTEM_NOUN_WITHIN = re.compile(r"\b(?:" + SYSTEM_NOUNS + r")\b[^.\n]*$", re.IGNORECASE)
_PRONOUNS = word_set("i we you he she they him her them me us who one someone")


# What only people do in a post-mortem's record: "Zoltan joined the bridge", "Ilse said".
_ACTS_AS_PERSON = re.compile(
    r"(?<![\w@/.-])(?P<name>[A-Z][a-z\u00e0-\u024f]+(?:[-'\u2019][A-Z]?[a-z]+)?)"
    r"(?:\s+[A-Z][a-z\u00e0-\u024f]+)?\s+"
    r"(?:said|says|asked|asks|joined|replied|confirmed|acknowledged|acked|messaged|posted"
    r"|wrote|agreed|suggested|volunteered|took\s+over|handed\s+over|was\s+paged|got\s+paged"
    r"|woke\s+up|logged\s+in|dialled|dialed|called|pinged|shared\s+(?:a|the|her|his|their))\b"
)


def names_acting_as_people(text: str) -> set[str]:
    """Capitalised names the text shows doing what only people do."""
    return {match.group("name") for match in _ACTS_AS_PERSON.finditer(text)}
