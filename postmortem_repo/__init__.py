"""pmrepo: a git-native linter and indexer for incident post-mortem repositories."""

from __future__ import annotations

__version__ = "0.1.0"
