"""The config's part of every stored result's key: each field counts, so a change to any
setting is never answered with results computed under the old one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from postmortem_repo.core.findings import Severity
from postmortem_repo.model.layout import make_layout
from postmortem_repo.repo.config import BlamelessConfig, Config, TemplateFile
from postmortem_repo.store.keys import describe


def test_every_field_of_the_config_is_named_in_its_key() -> None:
    fields = {field.name for field in dataclasses.fields(Config)}
    assert set(Config.CACHE_KEY_FIELDS) == fields


def _changed(config: Config, name: str) -> Config:
    other = {
        "source": Path("/elsewhere/.pmrepo.yaml"),
        "root": Path("/elsewhere"),
        "select": ("PM4",),
        "ignore": ("PM402",),
        "fixable": ("PM2",),
        "unfixable": ("PM705",),
        "severity": {"PM308": Severity.ERROR},
        "exclude": (*config.exclude, "drafts/**"),
        "per_file_ignores": (("2023/**", ("PM3",)),),
        "layout": make_layout("{year}/PM{year}-{seq}-{slug}.md", "PM{year}-{seq}", "test"),
        "max_file_kb": config.max_file_kb + 1,
        "max_front_matter_kb": config.max_front_matter_kb + 1,
        "front_matter_required": not config.front_matter_required,
        "people": ("Alice Example",),
        "not_people": ("Jenkins",),
        "blameless": BlamelessConfig(allow=("should have",)),
        "index_per_year": not config.index_per_year,
        "timeline_slack_before": config.timeline_slack_before + 1,
        "timeline_slack_after": config.timeline_slack_after + 1,
        "timeline_zone": dt.timezone(dt.timedelta(hours=-8)),
        "due_windows": {**config.due_windows, "P0": "3d"},
        "repeat_window_days": config.repeat_window_days + 1,
        "repeat_ignore_tags": (),
        "related_threshold": config.related_threshold + 0.1,
        "related_org": Path("org.yaml"),
        "frontmatter_schema": {**config.frontmatter_schema, "title": "another schema"},
        "sections": dataclasses.replace(config.sections, sections=config.sections.sections[:-1]),
        "template": TemplateFile("template.md", "# Title\n"),
    }
    return dataclasses.replace(config, **{name: other[name]})


@pytest.mark.parametrize("name", Config.CACHE_KEY_FIELDS)
def test_a_change_to_any_field_changes_the_key(name: str) -> None:
    config = Config()
    assert Config().cache_key() == config.cache_key()
    assert _changed(config, name).cache_key() != config.cache_key()


def test_a_setting_its_class_leaves_out_of_repr_still_counts() -> None:
    @dataclasses.dataclass
    class Hidden:
        shown: int = 1
        kept_quiet: str = dataclasses.field(default="a", repr=False)

    assert repr(Hidden(kept_quiet="a")) == repr(Hidden(kept_quiet="b"))
    assert describe(Hidden(kept_quiet="a")) != describe(Hidden(kept_quiet="b"))
