"""The project's errors; every user-facing failure is one of these.

KGError                 base class; the CLI exits 1 on it
├── InputError          an input file or folder cannot be read or understood
├── RegistryError       a registry or pattern data file is malformed
├── QueryError          a SPARQL query is malformed or names an unknown saved query (exit 2)
└── ValidationError     a graph does not conform to the contract
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of all errors raised by aichip-kg."""

    exit_code = 1


class InputError(KGError):
    """An input file or folder cannot be read or understood."""


class RegistryError(KGError):
    """A registry or pattern data file is malformed; the message names the file and line."""


class QueryError(KGError):
    """A SPARQL query is malformed or a saved question is unknown."""

    exit_code = 2


class ValidationError(KGError):
    """A graph does not conform to the contract."""
