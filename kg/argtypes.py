"""How the `kg` command line reads its option values: each parser turns text into a value or raises
argparse.ArgumentTypeError with a message that says what to give instead (exit 2)."""

from __future__ import annotations

import argparse
from datetime import date, datetime


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


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, not {text!r}")
    return value


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            f"expected a TCP port from 0 to 65535 (0 picks a free one), not {text!r}"
        )
    return value
