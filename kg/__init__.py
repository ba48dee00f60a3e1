"""aichip-kg: Chinese and English AI-chip market news in, a queryable knowledge graph out.

>>> import kg
>>> graph = kg.extract("seeds/")                     # doctest: +SKIP
>>> graph.query("chips-by-company", company="NVIDIA")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError, KGError, QueryError, RegistryError, ValidationError

if TYPE_CHECKING:
    from .graph import KnowledgeGraph, extract, load

__all__ = [
    "InputError",
    "KGError",
    "KnowledgeGraph",
    "QueryError",
    "RegistryError",
    "ValidationError",
    "__version__",
    "extract",
    "load",
]


def __getattr__(name: str) -> Any:
    """`kg.KnowledgeGraph`, `kg.extract`, `kg.load` load pandas and Oxigraph only when first used,
    so that `kg --help` and the NLP stages start fast."""
    if name in ("KnowledgeGraph", "extract", "load"):
        from . import graph

        return getattr(graph, name)
    if name == "__version__":  # importlib.metadata costs ~0.1 s at every start: only when asked
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("aichip-kg")
        except PackageNotFoundError:  # running from a checkout that was never installed
            return "0.0.0"
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
