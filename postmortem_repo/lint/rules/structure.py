"""PM3xx: structure — sections, subsections and tables as the sections schema describes."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import lru_cache

from postmortem_repo.core import fixes
from postmortem_repo.core.findings import Diagnostic, Severity
from postmortem_repo.core.fixes import Edit, Fix, replace_line
from postmortem_repo.core.markup import blank_code_spans
from postmortem_repo.lint.context import RuleContext
from postmortem_repo.lint.rules import document_rule
from postmortem_repo.lint.skeleton import repository_template, section_skeleton
from postmortem_repo.model.document import Document, MatchedSection, tables_within
from postmortem_repo.model.outline import Heading, Section
from postmortem_repo.model.sections import SectionSpec, heading_key, normalise_heading
from postmortem_repo.model.template import normalised_line, placeholders_in, template_text


def _title(section: Section) -> str:
    return "#" * section.heading.level + " " + section.heading.text


def _spec_title(spec: SectionSpec, level: int) -> str:
    return "#" * level + " " + spec.name


Group = tuple[Section | None, list[MatchedSection], tuple[SectionSpec, ...], int]


def _groups(doc: Document) -> Iterator[Group]:
    """(parent, present sections, expected specs, level) for the body and each section."""
    yield None, doc.sections, doc.spec.sections, doc.spec.section_level
    for matched in doc.sections:
        if matched.spec is not None and matched.spec.subsections:
            yield (
                matched.section,
                doc.subsections(matched),
                matched.spec.subsections,
                doc.spec.subsection_level,
            )


def _first_occurrences(present: list[MatchedSection]) -> list[MatchedSection]:
    seen: set[int] = set()
    firsts = []
    for matched in present:
        if matched.order is not None and matched.order not in seen:
            seen.add(matched.order)
            firsts.append(matched)
    return firsts


@document_rule("PM301", "section-missing", Severity.ERROR)
def section_missing(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A required section or subsection is missing, or its heading is at the wrong level.

    The template's sections are what reviewers, readers and pmrepo's other checks rely on:
    a post-mortem without a Timeline or Action Items has skipped the most important parts.
    A heading one level too deep or too high (`#### User Impact` under `## Impact`) hides
    its content from those checks, whether the section is required or optional.

    Bad: no `## Root Cause Analysis` section; `#### User Impact` for `### User Impact`.
    Good: `## Root Cause Analysis` with `### Proximate Cause`, `### Root Cause` and
    `### Contributing Factors`.

    Fix: safe and unsafe. Safe when a heading already names the section (or one of its
    aliases) at another level (`# Stats` for `## Stats`, `#### User Impact` inside
    `## Impact`): it is written at the template's level, and nothing is added beside it.
    Unsafe when a heading of a near spelling is probably the section: it is renamed; and
    when the section is not there at all: it is added, empty, as the repository's
    TEMPLATE.md (or the config's `template`) writes it, placeholders included, so that
    PM307 still asks for its content.
    """
    for parent, present, specs, level in _groups(doc):
        found = {matched.order for matched in present if matched.order is not None}
        for order, spec in enumerate(specs):
            if order in found:
                continue
            wanted = _spec_title(spec, level)
            after = [m for m in present if m.order is not None and m.order > order]
            stand_in = _stand_in(doc, spec, level, present, parent)
            if stand_in is not None and heading_key(stand_in.text) in _names(spec):
                yield _wrong_level(doc, stand_in, level)
                continue
            if not spec.required:
                continue
            if stand_in is not None:
                yield Diagnostic(
                    stand_in.line,
                    1,
                    f"missing required section '{wanted}': is '{'#' * stand_in.level} "
                    f"{stand_in.text}' meant to be it? make it '{wanted}'",
                    fix=_heading_fix(doc, stand_in, wanted, safe=False),
                )
                continue
            skeleton = section_skeleton(_template_of(ctx), spec, level, doc.spec.subsection_level)
            if after:
                where = f"add it before '{_title(after[0].section)}'"
                line = after[0].section.heading.line
                insert = Edit(line, 1, line, 1, skeleton + "\n\n")
            else:
                if parent is not None:
                    where, line = f"add it at the end of '{_title(parent)}'", parent.end_line
                else:
                    where, line = "add it at the end", doc.last_line
                end = len(doc.lines[line - 1]) + 1
                insert = Edit(line, end, line, end, "\n\n" + skeleton)
            # A file without front matter is no post-mortem yet: nothing to add sections to.
            fix = fixes.unsafe(f"Add '{wanted}' from the template", insert) if doc.data else None
            if parent is not None:
                message = f"section '{_title(parent)}' is missing its subsection '{wanted}'"
            else:
                message = f"missing required section '{wanted}'"
            message += f": {where}"
            yield Diagnostic(line, 1, message, fix=fix)


def _wrong_level(doc: Document, heading: Heading, level: int) -> Diagnostic:
    """A section's own heading at another level ('#### User Impact' for '### User Impact'):
    its content is there, only the level is wrong. A qualifier ('Timeline (times in BST)')
    is the author's: kept."""
    written = f"{'#' * heading.level} {heading.text}"
    wanted = f"{'#' * level} {heading.text}"
    return Diagnostic(
        heading.line,
        1,
        f"heading '{written}' is at the wrong level: make it '{wanted}'",
        fix=_heading_fix(doc, heading, wanted, safe=True),
    )


_ATX_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]+.*)?")


def _heading_fix(doc: Document, heading: Heading, wanted: str, *, safe: bool) -> Fix | None:
    """Write the heading as wanted ('## Incident Metrics'): safe when the heading already
    names the section (at another level, or by an alias), unsafe when it is a guess from a
    near spelling."""
    line = doc.lines[heading.line - 1]
    if not _ATX_HEADING.fullmatch(line):
        return None  # an underlined heading: a person rewrites it
    title = f"Write '{wanted}'"
    edit = replace_line(heading.line, line, wanted)
    return fixes.safe(title, edit) if safe else fixes.unsafe(title, edit)


def _template_of(ctx: RuleContext) -> str:
    """The text of the repository's template: the config's `template`, else TEMPLATE.md
    at the root, else none ('')."""
    if ctx.config.template is not None:
        return ctx.config.template.text
    if ctx.root is None:
        return ""
    return repository_template(ctx.root / "TEMPLATE.md")


def _names(spec: SectionSpec) -> list[str]:
    return [normalise_heading(name) for name in spec.names()]


def _stand_in(
    doc: Document,
    spec: SectionSpec,
    level: int,
    present: list[MatchedSection],
    parent: Section | None = None,
) -> Heading | None:
    """A heading that is probably the missing section: its name at a level
    above ('# Stats' for '## Stats') or below ('#### User Impact' in '## Impact'), or an
    unknown heading at its level close to its name ('## Atendees', '## Contributing
    Factors (findings)')."""
    names = _names(spec)
    subsections = _subsection_names(doc)
    for heading in doc.headings:
        # A heading one or more levels up; a deeper one only inside the section it belongs
        # to, or when no section of the schema has a subsection of that name ('### Root
        # Cause' is one in its own right).
        text = heading_key(heading.text)
        inside = parent is not None and parent.heading.line < heading.line <= parent.end_line
        if heading.level == level or text not in names:
            continue
        if heading.level < level or inside or text not in subsections:
            return heading
    for matched in present:
        text = normalise_heading(matched.section.heading.text)
        if matched.spec is None and (
            difflib.get_close_matches(text, names, n=1, cutoff=0.75)
            or any(text.startswith(name + " ") for name in names)
        ):
            return matched.section.heading
    return None


def _subsection_names(doc: Document) -> frozenset[str]:
    return frozenset(
        normalise_heading(name)
        for section in doc.spec.sections
        for sub in section.subsections
        for name in sub.names()
    )


def _stand_in_lines(doc: Document) -> set[int]:
    """Lines of the headings PM301 reports as stand-ins for missing required sections."""
    lines = set()
    for parent, present, specs, level in _groups(doc):
        found = {matched.order for matched in present if matched.order is not None}
        for order, spec in enumerate(specs):
            if spec.required and order not in found:
                stand_in = _stand_in(doc, spec, level, present, parent)
                if stand_in is not None:
                    lines.add(stand_in.line)
    return lines


def _longest_increasing(orders: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of orders."""
    best = [1] * len(orders)
    previous = [-1] * len(orders)
    for i in range(len(orders)):
        for j in range(i):
            if orders[j] < orders[i] and best[j] + 1 > best[i]:
                best[i], previous[i] = best[j] + 1, j
    keep: set[int] = set()
    index = max(range(len(orders)), key=lambda k: best[k], default=-1)
    while index >= 0:
        keep.add(index)
        index = previous[index]
    return keep


@document_rule("PM302", "section-order", Severity.ERROR)
def section_order(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A section or subsection is out of the template's order.

    Every post-mortem reads the same way (summary, metrics, impact, timeline, analysis,
    lessons, actions), so a reader finds the timeline without searching. pmrepo flags the
    fewest sections that need moving.

    Bad: `## Action Items` before `## Root Cause Analysis`.
    Good: `## Root Cause Analysis`, then `## Lessons Learned`, then `## Action Items`.
    A sections schema with `"ordered": false` accepts any order.
    """
    if not doc.spec.ordered:
        return
    for _parent, present, _specs, _level in _groups(doc):
        firsts = _first_occurrences(present)
        orders = [matched.order for matched in firsts if matched.order is not None]
        keep = _longest_increasing(orders)
        anchors = [firsts[i] for i in sorted(keep)]
        for index, matched in enumerate(firsts):
            if index in keep or matched.order is None:
                continue
            order = matched.order
            later = [a for a in anchors if a.order is not None and a.order > order]
            if later:
                where = f"move it before '{_title(later[0].section)}'"
            else:
                where = f"move it after '{_title(anchors[-1].section)}'"
            yield Diagnostic(
                matched.section.heading.line,
                1,
                f"section '{_title(matched.section)}' is out of order: {where}",
            )


@document_rule("PM303", "section-duplicate", Severity.ERROR)
def section_duplicate(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A section or subsection appears more than once.

    Bad: two `## Timeline` sections (one per day of a long incident).
    Good: one `## Timeline` table, with full timestamps when the incident spans days.
    """
    for _parent, present, _specs, _level in _groups(doc):
        first_line: dict[int, int] = {}
        for matched in present:
            if matched.order is None:
                continue
            if matched.order in first_line:
                yield Diagnostic(
                    matched.section.heading.line,
                    1,
                    f"section '{_title(matched.section)}' appears again (first on line "
                    f"{first_line[matched.order]}): merge the two",
                )
            else:
                first_line[matched.order] = matched.section.heading.line


@document_rule("PM304", "section-empty", Severity.ERROR)
def section_empty(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A section or subsection has a heading but no content.

    An empty heading looks finished in review but says nothing; write what is known, or
    "None." where there is genuinely nothing (for example, no related incidents).

    Bad: `## Where We Got Lucky` followed directly by the next heading.
    Good: `## Where We Got Lucky` followed by at least one sentence or list item.
    """
    for _parent, present, _specs, _level in _groups(doc):
        for matched in present:
            if not matched.section.has_content:
                yield Diagnostic(
                    matched.section.heading.line,
                    1,
                    f"section '{_title(matched.section)}' is empty: write its content "
                    "(or 'None.' when there is nothing to say)",
                )


def _table_sections(doc: Document) -> Iterator[tuple[MatchedSection, SectionSpec]]:
    for candidate in doc.all_sections():
        if candidate.spec is not None and candidate.spec.table is not None:
            yield candidate, candidate.spec


@document_rule("PM305", "table-missing", Severity.ERROR)
def table_missing(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A section that needs a table has none.

    The Incident Metrics, Timeline and Action Items tables are data: pmrepo checks the
    metrics against the timestamps, the timeline's order, and tracks every action item.

    Bad: `## Action Items` followed by a bullet list.
    Good: `## Action Items` followed by `| # | Action | Owner | Priority | Due | Status |`.
    """
    for matched, spec in _table_sections(doc):
        assert spec.table is not None
        if spec.table.required and not tables_within(matched.section):
            yield Diagnostic(
                matched.section.heading.line,
                1,
                f"section '{_title(matched.section)}' has no table: add one with the "
                f"columns {spec.table.header}",
            )


@document_rule("PM306", "table-columns", Severity.ERROR)
def table_columns(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A table lacks expected columns, or a row has the wrong number of cells.

    pmrepo reads these tables by column name; a missing column, or a row where an
    unescaped `|` split a cell, makes the row unreadable to every later check.

    Bad: `| # | Action | Owner | Due | Status |` (no Priority); a row with five cells under
    a six-column header.
    Good: `| # | Action | Owner | Priority | Due | Status |`, with `\\|` for a literal pipe.
    """
    for matched, spec in _table_sections(doc):
        assert spec.table is not None
        tables = tables_within(matched.section)
        if not tables:
            continue
        table = tables[0]
        missing = [
            column.name
            for column in spec.table.columns
            if not any(column.matches(header) for header in table.header)
        ]
        if missing:
            names = ", ".join(f"'{name}'" for name in missing)
            yield Diagnostic(
                table.line,
                1,
                f"the '{_title(matched.section)}' table lacks the column(s) {names}: "
                f"use the header {spec.table.header}",
            )
        for row in table.bad_rows:
            yield Diagnostic(
                row.line,
                1,
                f"this row has {len(row.cells)} cells but the header has {len(table.header)}: "
                "add the missing cells, or write a literal '|' inside a cell as '\\|'",
            )


def _checked_lines(doc: Document) -> Iterator[tuple[int, str]]:
    """(line number, text) of every line outside code blocks, with inline code blanked."""
    in_code: set[int] = set()
    stack = [doc.outline]
    while stack:
        section = stack.pop()
        stack.extend(section.children)
        for block in section.blocks:
            if block.kind == "block_code":
                in_code.update(range(block.line, block.end_line + 1))
    for number, text in enumerate(doc.lines, start=1):
        if number not in in_code:
            yield number, blank_code_spans(text)


def _blanked_text(doc: Document) -> str:
    """The document with inline code blanked as _checked_lines blanks it: every line
    _checked_lines gives is one of its lines (code blocks are kept, which only adds)."""
    if "`" not in doc.text:
        return doc.text
    lines = list(doc.lines)
    for index, text in enumerate(lines):
        lines[index] = blank_code_spans(text)
    return "\n".join(lines)


def _line_local(pattern: re.Pattern[str]) -> bool:
    """Whether a match of pattern in one line is a match in any text that holds the line
    as one of its lines: true without anchors (word boundaries aside: a line's ends read as
    non-word characters either way), lookarounds, atomic groups and possessive repeats.
    Read from the pattern's source, and cautious: what it cannot tell is not line-local
    (that only costs the search of every line)."""
    return _source_line_local(pattern.pattern)


@lru_cache(maxsize=64)
def _source_line_local(source: str) -> bool:
    in_class, index = False, 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            if not in_class and source[index + 1 : index + 2] in ("A", "Z"):
                return False  # the text's start or end
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += 2 if source[index + 1 : index + 2] in ("]", "^") else 1
            # '[]...]' and '[^]...]' hold a literal ']' first
            if source[index - 1] == "^" and source[index : index + 1] == "]":
                index += 1
            continue
        elif char in "^$" or source.startswith(_NOT_LOCAL_OPENINGS, index):
            return False
        elif char in "*+?}" and source[index + 1 : index + 2] == "+":
            return False  # a possessive repeat
        index += 1
    return True


# Lookarounds and atomic groups: they look beyond what they match.
_NOT_LOCAL_OPENINGS = ("(?=", "(?!", "(?<=", "(?<!", "(?>")


@document_rule("PM307", "placeholder-left", Severity.ERROR)
def placeholder_left(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A template placeholder is still in a post-mortem that is no longer a DRAFT.

    Placeholders (the sections schema lists them: `[Description]`, `[HH:MM:SS]`, `[Name]`,
    ...) are fine while writing; once a post-mortem is IN REVIEW or PUBLISHED they read as
    unfinished work.

    The sign-off comes after the review: while a post-mortem is IN REVIEW, replace the
    Sign-off table's placeholder rows with the line `Pending review.` (nothing to fill in
    yet), and put the table back with names and dates once reviewers sign off; PM702 asks
    for it when the status becomes PUBLISHED.

    Bad: `| 1 | Add query timeout | [Name] | P0 | 2024-01-22 | OPEN |` in a PUBLISHED file.
    Good: `| 1 | Add query timeout | sre-team | P0 | 2024-01-22 | OPEN |`.

    Fix: safe, for the Sign-off of a post-mortem IN REVIEW whose rows hold nothing but
    placeholders: the table becomes the line `Pending review.`. Every other placeholder
    needs its author.
    """
    if doc.status == "DRAFT" or not doc.spec.placeholders:
        return
    placeholders = doc.spec.placeholders
    if all(_line_local(pattern) for pattern in placeholders):
        # Most post-mortems hold no placeholder: one search of the whole text says so
        # faster than one per line.
        blanked = _blanked_text(doc)
        if not any(pattern.search(blanked) for pattern in placeholders):
            return
    status = f"status {doc.status}" if doc.status else "no DRAFT status"
    pending = _sign_off_lines(doc) if doc.status == "IN REVIEW" else range(0)
    pending_fix = _pending_review_fix(doc, pending)
    for number, text in _checked_lines(doc):
        for pattern in doc.spec.placeholders:
            for match in pattern.finditer(text):
                found = match.group(0)
                if number in pending:
                    yield Diagnostic(
                        number,
                        match.start() + 1,
                        f"template placeholder '{found}' left in the Sign-off of a post-mortem "
                        "IN REVIEW: until the reviewers sign off, replace the table's "
                        "placeholder rows with the line 'Pending review.'",
                        "the sign-off is filled in after the review; PM702 asks for a name and "
                        "a date once the status is PUBLISHED",
                        fix=pending_fix,
                    )
                    continue
                yield Diagnostic(
                    number,
                    match.start() + 1,
                    f"template placeholder '{found}' left in a post-mortem with "
                    f"{status}: fill it in (placeholders are fine only in a DRAFT)",
                )


def _pending_review_fix(doc: Document, lines: range) -> Fix | None:
    """The sign-off table replaced by 'Pending review.', when it is one table whose rows
    (after the role) hold nothing but placeholders."""
    rows = [number for number in lines if doc.lines[number - 1].lstrip().startswith("|")]
    if len(rows) < 3 or rows != list(range(rows[0], rows[-1] + 1)):
        return None
    for number in rows[2:]:
        cells = doc.lines[number - 1].strip().strip("|").split("|")[1:]
        for pattern in doc.spec.placeholders:
            cells = [pattern.sub("", cell) for cell in cells]
        if any(cell.strip() for cell in cells):
            return None  # a name or a date is written: the author's
    last = doc.lines[rows[-1] - 1]
    edit = Edit(rows[0], 1, rows[-1], len(last) + 1, "Pending review.")
    return fixes.safe("Write 'Pending review.' until the reviewers sign off", edit)


def _sign_off_lines(doc: Document) -> range:
    """The lines of the section that holds the sign-off table (empty: there is none)."""
    found = doc.spec.table_for_view("sign_off")
    for matched in doc.all_sections():
        if found is not None and matched.spec is found[0]:
            return range(matched.section.heading.line, matched.section.end_line + 1)
    return range(0)


@document_rule("PM308", "section-unknown", Severity.WARNING)
def section_unknown(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A section heading is not one of the template's sections (often a typo).

    With `"other_sections": "allowed"` in the sections schema, only a heading close to one
    of the schema's sections (a likely typo) is reported.

    Bad: `## Root Cause Analyis`, `## Notes`.
    Good: `## Root Cause Analysis`; extra material goes under `## Appendix`, or into your own
    sections schema.

    Fix: unsafe: a heading of a near spelling is renamed to the section it is closest to.
    """
    level = doc.spec.section_level
    names = {spec.name.casefold(): _spec_title(spec, level) for spec in doc.spec.sections}
    stand_ins = _stand_in_lines(doc)
    for matched in doc.sections:
        if matched.spec is not None or matched.section.heading.line in stand_ins:
            continue  # known, or reported by PM301 as the missing section it stands in for
        title = _title(matched.section)
        heading = normalise_heading(matched.section.heading.text)
        close = difflib.get_close_matches(heading, list(names), n=1, cutoff=0.75)
        if not close and doc.spec.other_sections_allowed:
            continue
        yield Diagnostic(
            matched.section.heading.line,
            1,
            f"unknown section '{title}'; did you mean '{names[close[0]]}'?"
            if close
            else f"unknown section '{title}': use one of the template's sections"
            + (", or put extra material under the Appendix" if "appendix" in names else ""),
            fix=_heading_fix(doc, matched.section.heading, names[close[0]], safe=False)
            if close
            else None,
        )


@document_rule("PM309", "template-text-left", Severity.ERROR)
def template_text_left(doc: Document, ctx: RuleContext) -> Iterator[Diagnostic]:
    """A placeholder, instruction or example line of the repository's template is left in.

    The template is the config's `template`. What is reported: one of its placeholders, or
    a line of its instructions or example text kept as it is.

    Placeholders are `[…]` spans, ALL-CAPS runs of two words or more (`ISSUE NAME`) and
    letters written three times (`XXX`) in the template. Instructions are the template's
    lines in italics, quoted or in comments; example text is its other lines of six words
    or more. Short lines a post-mortem keeps because they are true ('All times in UTC.')
    are not reported. Files with no front matter are checked too; only a DRAFT is not.

    Bad: `# ISSUE NAME` as the title; `_Give a summary of what caused the incident._` kept.
    Good: `# Okta account password compromise`; the summary itself.
    """
    template = ctx.config.template
    if template is None or doc.status == "DRAFT":
        return
    text = template_text(template.text)
    if not text.placeholders and not text.lines:
        return
    for number, line in _checked_lines(doc):
        for column, placeholder in placeholders_in(line, text):
            yield Diagnostic(
                number,
                column,
                f"placeholder '{placeholder}' of the template ({template.relpath}) left in: "
                "write what it stands for",
            )
        if not line.lstrip().startswith("#") and normalised_line(line) in text.lines:
            yield Diagnostic(
                number,
                1,
                f"a line of the template ({template.relpath}) kept as it is: replace it "
                "with this incident's own text, or delete it",
            )
