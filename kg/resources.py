"""Where the data files live: `ontology/` in a checkout, `kg/_ontology/` in an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def ontology_dir() -> Path:
    """The folder holding the ontology, SHACL shapes, registry tables and pattern files."""
    for candidate in (_HERE / "_ontology", _HERE.parent / "ontology"):
        if (candidate / "aichip.ttl").exists():
            return candidate
    raise FileNotFoundError(f"aichip-kg: no ontology folder beside {_HERE}; reinstall the package")
