"""How the `kg` command line reads its option values: each parser turns text into a value or raises
argparse.ArgumentTypeError with a message that says what to give instead (exit 2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from typing import TypeVar

N = TypeVar("N", int, float)


def confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number: give a confidence from 0 to 1") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is outside 0..1: give a confidence from 0 to 1")
    return value


def jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number: give a count of processes"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: give 1 process or more")
    return value


def publication_date(text: str) -> date | datetime:
    from .dates import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _checked(text: str, convert: Callable[[str], N], ok: Callable[[N], bool], expected: str) -> N:
    """`text` converted, if it converts and `ok` holds; else a usage error that says what to give."""
    try:
        value: N | None = convert(text)
    except ValueError:
        value = None
    if value is None or not ok(value):
        raise argparse.ArgumentTypeError(f"expected {expected}, not {text!r}")
    return value


def positive_int(text: str) -> int:
    return _checked(text, int, lambda v: v >= 1, "a whole number of at least 1")


def positive_float(text: str) -> float:
    return _checked(text, float, lambda v: v > 0, "a number of seconds above 0")


def port(text: str) -> int:
    return _checked(text, int, lambda v: 0 <= v <= 65535, "a TCP port from 0 to 65535 (0 picks a free one)")
