"""No docstring or comment in kg/ names an API that does not exist (`kg.x.y`, `KnowledgeGraph.m`)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import kg
from kg.graph import KnowledgeGraph

PACKAGE = Path(kg.__file__).parent
NAMED = re.compile(r"(?<![\w/.-])(kg(?:\.[A-Za-z_]\w*)+)")
METHOD = re.compile(r"\bKnowledgeGraph\.([A-Za-z_]\w*)")


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            if not hasattr(target, attr):
                return False
            target = getattr(target, attr)
        return True
    return False


def _mentions(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.append((f"{path.relative_to(PACKAGE.parent)}", match[1]))
    return found


@pytest.mark.parametrize(("where", "dotted"), sorted(set(_mentions(NAMED))))
def test_docstrings_name_only_existing_apis(where: str, dotted: str) -> None:
    assert _resolves(dotted), f"{where} names {dotted}, which does not exist"


@pytest.mark.parametrize(("where", "method"), sorted(set(_mentions(METHOD))))
def test_docstrings_name_only_existing_methods(where: str, method: str) -> None:
    assert hasattr(KnowledgeGraph, method), f"{where} names KnowledgeGraph.{method}, which does not exist"


def test_docstrings_find_the_names_they_check() -> None:
    assert ("kg/graph.py", "kg.load") in _mentions(NAMED)
    assert not _resolves("kg.saved_queries")
