"""PM9xx: pmrepo's own findings about its suppression directives."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.lint.context import RuleContext
from postmortem_repo.lint.rules import (
    Unused,
    document_rule,
    matches,
    nearest_rule,
    resolve_selector,
    suppressions_rule,
)
from postmortem_repo.model.directives import Directive
from postmortem_repo.model.document import Document


@document_rule("PM901", "directive-unknown-rule", Severity.ERROR)
def directive_unknown_rule(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A suppression directive names a rule code or name that pmrepo does not have.

    A directive takes rule codes (`PM605`), code prefixes (`PM6`) and rule names
    (`action-vague`). A typo suppresses nothing, so the finding it was meant for stays;
    pmrepo says which word it does not know rather than ignoring it.

    Bad: `<!-- pmrepo-disable-next-line PM650 -->`
    Good: `<!-- pmrepo-disable-next-line PM605 -->`
    """
    for directive in doc.directives.found:
        for selector, column in _selectors(doc, directive):
            try:
                resolve_selector(selector)
            except KeyError:
                yield Diagnostic(
                    directive.line,
                    column,
                    f"'{selector}' in this pmrepo-{directive.action} directive is no rule "
                    "code, prefix or name: it suppresses nothing",
                    _guess(selector),
                )


def _guess(selector: str) -> str:
    near = nearest_rule(selector)
    return f"did you mean '{near}'?" if near else "see 'pmrepo rules'"


def _selectors(doc: Document, directive: Directive) -> Iterator[tuple[str, int]]:
    """Each selector of a directive with its 1-based column in the line."""
    text = doc.lines[directive.line - 1]
    position = text.find(directive.action, directive.column - 1) + len(directive.action)
    for selector in directive.selectors:
        position = text.find(selector, position)
        yield selector, position + 1
        position += len(selector)


@document_rule("PM902", "directive-malformed", Severity.ERROR)
def directive_malformed(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A line mentions a pmrepo directive in a form pmrepo does not read.

    In Markdown a directive is an HTML comment, alone on its line (`disable-next-line`,
    `disable`, `enable`, `disable-file`) or, for `disable-line`, at the very end of the
    line it applies to; in the front matter it is a YAML comment placed the same way.
    Any other form would suppress nothing while looking as if it did.

    Bad: `| 2 | Improve testing | sre | P1 | 2024-02-01 | OPEN | # pmrepo-disable-line PM605`
    Good: `| 2 | Improve testing | sre | P1 | ... | OPEN | <!-- pmrepo-disable-line PM605 -->`
    """
    for malformed in doc.directives.malformed:
        yield Diagnostic(
            malformed.line, malformed.column, f"not read as a directive: {malformed.reason}"
        )


@suppressions_rule("PM903", "directive-unused", Severity.WARNING)
def directive_unused(unused: Unused, ran: list[str]) -> Iterator[Diagnostic]:
    """A suppression directive suppresses nothing (off by default: select PM903 to run it).

    A directive that no longer matches a finding (the text was fixed, or the rule was
    turned off) hides the next real finding there. PM903 reports each directive, and each
    code of a directive, that suppressed no finding in the check; a code of a rule the
    check did not run suppressed nothing either, and is reported as such. `select: ALL`
    and `--select ALL` leave it off; its code, a prefix with its family digit (`PM9`,
    `PM90`) or its name turn it on: `pmrepo check --select ALL,PM903`. An inline
    directive does not suppress PM903 itself: use `ignore` or `per_file_ignores`.

    Bad: `<!-- pmrepo-disable-next-line PM605 -->` above a row that is not vague.
    Good: the directive removed, or kept above the row that needs it.
    """
    for line, column, codes, enable in unused:
        if enable:
            message = "this pmrepo-enable closes no pmrepo-disable above it"
        elif codes == ("ALL",):
            message = "this directive suppresses no finding"
        else:
            named = ", ".join(
                code
                if any(matches(ran_code, [code]) >= 0 for ran_code in ran)
                else f"{code} (not run in this check)"
                for code in codes
            )
            message = f"this directive suppresses no finding of {named}"
        yield Diagnostic(line, column, f"{message}: remove it")
