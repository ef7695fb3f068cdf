"""pmrepo: a git-native linter and indexer for incident post-mortem repositories."""

from __future__ import annotations

# The one home of the version: the package metadata takes it from here (pyproject.toml),
# and `pmrepo --version` reads the metadata of what is installed.
__version__ = "0.2.0"
