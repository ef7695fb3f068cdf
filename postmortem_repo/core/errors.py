"""The exceptions pmrepo turns into exit code 2 at the command-line boundary."""

from __future__ import annotations


class PmrepoError(Exception):
    """A usage, config or I/O problem: reported as 'pmrepo: error: ...', exit 2."""


class ConfigError(PmrepoError):
    """The configuration (or a schema it names) is invalid."""
