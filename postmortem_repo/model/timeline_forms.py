"""Which timeline forms a repository's reports write, for `init --from-existing` to put in
the sections schema it proposes (`timeline_forms`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from postmortem_repo.model.document import Document, guessed_column_key
from postmortem_repo.model.timeline import FORMS, read_timeline

TIMELINE_NAMES = ("Timeline",)
MAIN_SHARE = 1 / 3  # of a report's entries, for a form to count as one it writes


def forms_used(doc: Document, names: tuple[str, ...] = TIMELINE_NAMES) -> Counter[str]:
    """How many of the report's timeline entries each form holds, read in every form
    (from the section the sections schema names, else a heading naming the timeline)."""
    section = doc.timeline_section or doc.named_timeline_section(names)
    timeline = read_timeline(section, doc.lines, FORMS, guessed_column_key)
    return Counter(row.form for row in timeline.rows)


def propose_forms(reports: Iterable[Counter[str]]) -> list[str]:
    """The forms the reports write, the most written first: each form that holds at least
    a third of some report's entries (a stray line of another form does not count). Empty
    when no report has a timeline pmrepo can read."""
    writers: Counter[str] = Counter()
    for counts in reports:
        total = sum(counts.values())
        writers.update(form for form, count in counts.items() if count >= total * MAIN_SHARE)
    return [form for form, _ in sorted(writers.items(), key=lambda item: (-item[1], item[0]))]
