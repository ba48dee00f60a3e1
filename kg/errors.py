"""The project's errors; every user-facing failure is one of these.

KGError                 base class; the CLI exits 1 on it
├── InputError          an input file or folder cannot be read or understood
├── OutputError         an output file cannot be written (permissions, a folder, disk full)
├── RegistryError       a registry or pattern data file is malformed
├── QueryError          a SPARQL query is malformed or names an unknown saved query (exit 2)
├── UsageError          the command line asks for something that cannot be done (exit 2)
└── ValidationError     a graph does not conform to the contract
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of all errors raised by aichip-kg."""

    exit_code = 1


class InputError(KGError):
    """An input file or folder cannot be read or understood."""


class OutputError(KGError):
    """An output file cannot be written; the message names the path and the reason."""


class UsageError(KGError):
    """The command asks for something impossible, such as writing over its own input."""

    exit_code = 2


class RegistryError(KGError):
    """A registry or pattern data file is malformed; the message names the file and line."""


class QueryError(KGError):
    """A SPARQL query is malformed or a saved question is unknown."""

    exit_code = 2


class ValidationError(KGError):
    """A graph does not conform to the contract."""
