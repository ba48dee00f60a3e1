"""Inference rules (`[[inference]]` in the relation pattern file): what two relations imply together
(fabricates + develops -> fabricatesFor), applied by the resolver to each document's claims."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .datafiles import load_toml, require, table_line
from .errors import RegistryError
from .resources import ontology_dir


@dataclass(frozen=True)
class Rule:
    premises: tuple[tuple[str, str, str], ...]
    conclusion: tuple[str, str, str]
    scope: str  # "sentence" or "document"
    background: bool  # may the registry supply the second premise?
    factor: float
    id: str


@cache
def load_rules(path: str = "") -> tuple[Rule, ...]:
    """Inference rules from the `[[inference]]` tables of the relation pattern file."""
    file = Path(path) if path else ontology_dir() / "patterns" / "relations.toml"
    data = load_toml(file)
    rules = []
    for number, raw in enumerate(require(data, "inference", list, file) if "inference" in data else [], 1):
        try:
            if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
                raise ValueError("it needs an id = '...'")
            premises = tuple(tuple(p.split()) for p in raw["if"])
            conclusion = tuple(raw["then"].split())
            if len(conclusion) != 3 or any(len(p) != 3 for p in premises) or len(premises) != 2:
                raise ValueError("a rule has two premises and one conclusion, each 'a relation b'")
            rule = Rule(
                premises,
                conclusion,
                str(raw.get("scope", "sentence")),
                bool(raw.get("background", False)),
                float(raw.get("confidence_factor", 0.9)),
                raw["id"],
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            what = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            name = raw.get("id", f"number {number}") if isinstance(raw, dict) else f"number {number}"
            raise RegistryError(
                f"{file}:{table_line(file, 'inference', number)}: inference rule {name}: {what}"
            ) from exc
        rules.append(rule)
    return tuple(rules)
