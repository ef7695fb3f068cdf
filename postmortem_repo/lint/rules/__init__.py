"""The rule registry: every rule has a code, a name, a default severity and a doc.

Rule modules register themselves with the decorators below and are imported by name at the
bottom of this module, so the registry is complete as soon as the package is imported.
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from postmortem_repo.core.findings import Diagnostic, Severity

if TYPE_CHECKING:
    from postmortem_repo.lint.context import RepoIndex, RuleContext
    from postmortem_repo.model.document import Document

DocumentCheck = Callable[["Document", "RuleContext"], Iterable[Diagnostic]]
RepoCheck = Callable[["RepoIndex", "RuleContext"], Iterable[tuple[str, Diagnostic]]]
# Given a file's directives that hid nothing (Suppressions.unused: line, column, codes,
# whether an enable) and the codes of the rules that ran.
Unused = list[tuple[int, int, tuple[str, ...], bool]]
SuppressionsCheck = Callable[[Unused, list[str]], Iterable[Diagnostic]]

# PM1xx-PM7xx check post-mortems; PM9xx are pmrepo's own findings about its directives.
_CODE = re.compile(r"^PM[1-79]\d\d$")
_NAME = re.compile(r"^[a-z]+(?:-[a-z0-9]+)*$")


# What a rule may need besides its document. The engine keys stored results by what the
# enabled rules need, and reads only that:
#   repo_people       the people the repository's front matter names (RuleContext.repo_people)
#   repo_ids          every incident id of the repository (RuleContext.repo_ids)
#   git_first_commit  when git first saw a file without a published_at
#   incidents         (repository rules) every checked file's Incident, in RepoIndex.parsed
NEEDS = frozenset({"repo_people", "repo_ids", "team_ids", "git_first_commit", "incidents"})


class Rule(NamedTuple):
    code: str
    name: str
    severity: Severity
    doc: str
    scope: str  # "file" (reading the file), "document", "repo" or "suppressions"
    check_document: DocumentCheck | None = None
    check_repo: RepoCheck | None = None
    needs: frozenset[str] = frozenset()
    # For a file rule: the kind of LoadFailure it reports (see model.document.read_text).
    load_failure: str | None = None
    check_suppressions: SuppressionsCheck | None = None
    # A rule that is off by default runs only when a selector names it (see
    # selects_off_rule): ALL leaves it off.
    default_enabled: bool = True

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""

    @property
    def fix(self) -> str:
        """What `check --fix` can do for the rule's findings, from its doc's 'Fix:' line:
        'safe', 'unsafe', 'safe, unsafe' (some of each) or 'none'."""
        found = _FIX_LINE.search(self.doc)
        return found["kinds"].replace(" and ", ", ") if found else "none"


# A rule doc's paragraph on fixes starts "Fix: safe", "Fix: unsafe", "Fix: safe and
# unsafe" or "Fix: none", then says when and how.
_FIX_LINE = re.compile(r"^Fix: (?P<kinds>safe and unsafe|safe|unsafe|none)\b", re.MULTILINE)

REGISTRY: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}


def _register(rule: Rule) -> None:
    if not _CODE.match(rule.code) or not _NAME.match(rule.name):
        raise ValueError(f"invalid rule code or name: {rule.code} {rule.name}")
    if rule.code in REGISTRY or rule.name in _BY_NAME:
        raise ValueError(f"rule registered twice: {rule.code} {rule.name}")
    if not rule.doc.strip():
        raise ValueError(f"rule {rule.code} has no doc")
    if "\nFix:" in rule.doc and not _FIX_LINE.search(rule.doc):
        raise ValueError(f"rule {rule.code}: its 'Fix:' line names no kind of fix")
    if not rule.needs <= NEEDS:
        raise ValueError(f"rule {rule.code} needs what no rule can have: {rule.needs - NEEDS}")
    REGISTRY[rule.code] = rule
    _BY_NAME[rule.name] = rule


def document_rule(
    code: str, name: str, severity: Severity, *, needs: frozenset[str] = frozenset()
) -> Callable[[DocumentCheck], DocumentCheck]:
    def wrap(check: DocumentCheck) -> DocumentCheck:
        doc = inspect.getdoc(check) or ""
        _register(Rule(code, name, severity, doc, "document", check, needs=needs))
        return check

    return wrap


def repo_rule(
    code: str, name: str, severity: Severity, *, needs: frozenset[str] = frozenset()
) -> Callable[[RepoCheck], RepoCheck]:
    def wrap(check: RepoCheck) -> RepoCheck:
        doc = inspect.getdoc(check) or ""
        _register(Rule(code, name, severity, doc, "repo", None, check, needs=needs))
        return check

    return wrap


def file_rule(code: str, name: str, severity: Severity, doc: str, *, load_failure: str) -> None:
    """A rule the engine applies itself, when a file cannot be read as text: it reports
    the LoadFailure of that kind."""
    rule = Rule(code, name, severity, inspect.cleandoc(doc), "file", load_failure=load_failure)
    _register(rule)


def suppressions_rule(
    code: str, name: str, severity: Severity
) -> Callable[[SuppressionsCheck], SuppressionsCheck]:
    """A rule the engine applies where it applies suppressions, to judge the directives by
    what they hid. Off by default."""

    def wrap(check: SuppressionsCheck) -> SuppressionsCheck:
        doc = inspect.getdoc(check) or ""
        rule = Rule(
            code,
            name,
            severity,
            doc,
            "suppressions",
            check_suppressions=check,
            default_enabled=False,
        )
        _register(rule)
        return check

    return wrap


def get(code_or_name: str) -> Rule:
    rule = REGISTRY.get(code_or_name.upper()) or _BY_NAME.get(code_or_name.lower())
    if rule is None:
        raise KeyError(f"no such rule: {code_or_name}")
    return rule


def all_rules() -> list[Rule]:
    return [REGISTRY[code] for code in sorted(REGISTRY)]


def matches(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest prefix that covers code (ALL covers everything), or -1."""
    best = -1
    for prefix in prefixes:
        if prefix == "ALL":
            best = max(best, 0)
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


# A selector turns on a rule that is off by default when it names the rule's family at
# least ("PM9", "PM90", "PM903", or the rule's name): ALL and "PM" leave it off.
_FAMILY_PREFIX = len("PM9")


def selects_off_rule(matched: int) -> bool:
    """Whether a selector that covers a code with a prefix of this length (matches())
    turns on a rule that is off by default."""
    return matched >= _FAMILY_PREFIX


def known_prefix(prefix: str) -> bool:
    return prefix == "ALL" or any(code.startswith(prefix) for code in REGISTRY)


def nearest_rule(text: str) -> str | None:
    """The rule code or name closest to a selector that stands for none (a typo); a code
    only of the same length ('PM4O2'), as a shorter one is a prefix, not a typo."""
    word = text.strip().lower()
    spellings = {name: name for name in _BY_NAME} | {
        code.lower(): code for code in REGISTRY if len(code) == len(word)
    }
    near = difflib.get_close_matches(word, list(spellings), n=1)
    return spellings[near[0]] if near else None


def unknown_selector(text: str) -> str:
    """What to say of a selector that stands for no rule."""
    near = nearest_rule(text)
    guess = f"; did you mean '{near}'?" if near else ""
    return f"unknown rule code or name '{text.strip()}'{guess} (see 'pmrepo rules')"


def resolve_selector(text: str) -> str:
    """The code prefix a user's selector stands for: a code (`PM401`), a prefix (`PM4`),
    `ALL`, or a rule's name (`blame-judgement` → `PM402`). Raises KeyError naming the text
    when it stands for no rule."""
    candidate = text.strip()
    if known_prefix(candidate.upper()):
        return candidate.upper()
    rule = _BY_NAME.get(candidate.lower())
    if rule is None:
        raise KeyError(candidate)
    return rule.code


from postmortem_repo.lint.rules import (  # noqa: E402, F401
    actions,
    blameless,
    directives,
    frontmatter,
    layout,
    process,
    related,
    structure,
    timeline,
)
