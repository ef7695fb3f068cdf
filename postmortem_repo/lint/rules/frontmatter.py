"""PM2xx: front matter — present, valid YAML, a mapping, and valid against the schema."""

from __future__ import annotations

from collections.abc import Iterator

from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.lint.context import RuleContext
from postmortem_repo.lint.rules import document_rule
from postmortem_repo.model.document import Document


def _problems(doc: Document, *kinds: str) -> Iterator[Diagnostic]:
    for problem in doc.front_matter.problems:
        if problem.kind in kinds:
            yield Diagnostic(problem.line, problem.column, problem.message)


@document_rule("PM201", "frontmatter-missing", Severity.ERROR)
def frontmatter_missing(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A post-mortem has no YAML front matter.

    The front matter is the machine-readable record (id, severity, timestamps, status) that
    every index, report and policy check reads.

    Bad: a file that starts with `# Payment API outage`.
    Good: a file that starts with `---`, `id: INC-2024-0001`, `title: ...`, ..., `---`.
    With `front_matter: optional` in the config, a file without front matter is fine.
    """
    if ctx.config.front_matter_required:
        yield from _problems(doc, "missing")


@document_rule("PM202", "frontmatter-unclosed", Severity.ERROR)
def frontmatter_unclosed(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The front matter is opened with `---` but never closed.

    Without the closing line the whole document would be read as YAML.

    Bad: `---`, `id: INC-2024-0001`, then straight into `# Title`.
    Good: the same with a `---` line after the last key.
    """
    yield from _problems(doc, "unclosed")


@document_rule("PM203", "frontmatter-syntax", Severity.ERROR)
def frontmatter_syntax(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The front matter is not valid YAML (reported at the YAML error's line and column).

    Bad: `title: Payment API: latency` (an unquoted second colon), or a tab for indentation.
    Good: `title: "Payment API: latency"`.
    """
    yield from _problems(doc, "syntax", "unsupported")


@document_rule("PM204", "frontmatter-not-mapping", Severity.ERROR)
def frontmatter_not_mapping(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The front matter is a list or a single value instead of `key: value` lines.

    Bad: `- id: INC-2024-0001` (a list item).
    Good: `id: INC-2024-0001`.
    """
    yield from _problems(doc, "not_mapping")


@document_rule("PM205", "frontmatter-schema", Severity.ERROR)
def frontmatter_schema(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A front-matter value breaks the schema (one finding per problem, at its key's line).

    The schema (schemas/postmortem.frontmatter.schema.json, or the team's own) lists the
    required keys, their formats and enums; requirements tighten with status: a post-mortem
    IN REVIEW or PUBLISHED needs reviewers, timestamps and root-cause tags.

    Bad: `severity: high`, `started_at: TBD`, `status: PUBLISHED` without `reviewers`.
    Good: `severity: SEV2`, `started_at: 2024-01-15T14:23:00Z`, `reviewers: [Bob Johnson]`.

    Fix: safe, for a value a machine can rewrite without judgement: an enum value in
    another case or with other separators (`sev2` → `SEV2`, `in_review` → `IN REVIEW`), a
    timestamp with its zone in another format (`2024-01-15 14:23 UTC` →
    `2024-01-15T14:23:00Z`), a date in an unambiguous other form (`2024/01/15`,
    `Jan 15, 2024` → `2024-01-15`). Other values (`01/02/2024`) need a person.
    """
    for issue in ctx.schema_issues(doc):
        if issue.kind == "invalid":
            yield Diagnostic(issue.line, issue.column, issue.message, fix=issue.fix)


@document_rule("PM206", "frontmatter-unknown-key", Severity.WARNING)
def frontmatter_unknown_key(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The front matter has a key the schema does not know (often a typo).

    Bad: `severty: SEV2`.
    Good: `severity: SEV2` (or add the key to your own front-matter schema).
    """
    for issue in ctx.schema_issues(doc):
        if issue.kind == "unknown_key":
            yield Diagnostic(issue.line, issue.column, issue.message)


@document_rule("PM207", "frontmatter-duplicate-key", Severity.ERROR)
def frontmatter_duplicate_key(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A front-matter key appears twice; YAML silently keeps only the last value.

    Bad: `severity: SEV1` on line 3 and `severity: SEV3` on line 9.
    Good: one `severity:` line.
    """
    yield from _problems(doc, "duplicate_key")


@document_rule("PM208", "frontmatter-too-complex", Severity.ERROR)
def frontmatter_too_complex(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """The front matter is too large, expands to too many values or nests too deeply.

    The limit is 64 KB unless `limits.max_front_matter_kb` says otherwise. A few lines of
    YAML aliases can expand to billions of values; pmrepo stops early rather than run out
    of memory.

    Bad: `a: &a [x, x]`, `b: &b [*a, *a]`, ... nested ten times.
    Good: plain keys and lists.
    """
    yield from _problems(doc, "too_complex")
