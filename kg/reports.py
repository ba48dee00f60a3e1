"""What a build or an ingest did, for the command line and for notebooks (`kg.pipeline` makes them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .ingest import Skipped


@dataclass
class Report:
    """What a build did, for the command line and for notebooks."""

    documents: int = 0
    characters: int = 0
    entities: int = 0
    relations: int = 0
    claims: int = 0
    quantities: int = 0
    seconds: float = 0.0
    languages: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    """Characters each document's reader left out (markup, code, navigation), by source name."""
    skipped: list[Skipped] = field(default_factory=list)
    """Inputs a batch could not read, with the reason."""
    encodings: dict[str, str] = field(default_factory=dict)
    """The codec of each document that was not plain UTF-8, by source name."""

    def summary(self, output: str | Path | None = None) -> str:
        langs = ", ".join(f"{n} {lang}" for lang, n in sorted(self.languages.items()))
        where = f" -> {output}" if output else ""
        line = (
            f"{self.documents} documents ({langs}), {self.characters:,} characters: {self.entities} entities, "
            f"{self.relations} relations, {self.claims} claims, {self.quantities} quantities "
            f"in {self.seconds:.2f} s{where}"
        )
        if self.dropped:
            line += (
                f"; left out {sum(self.dropped.values()):,} characters of markup, code or navigation "
                f"in {len(self.dropped)} documents"
            )
        if self.skipped:
            line += f"; skipped {len(self.skipped)} inputs"
        return line

    def notes(self) -> list[str]:
        """One line per document read in another encoding, per document the reader cut and per
        input skipped, for the command line."""
        read_as = [f"{source}: read as {codec}" for source, codec in self.encodings.items()]
        lines = [
            f"{source}: left out {n:,} characters (markup, code or navigation)"
            for source, n in self.dropped.items()
        ]
        return read_as + lines + [f"skipped {s.path}: {s.reason}" for s in self.skipped]


@dataclass
class IngestReport:
    """What `ingest` did to a store."""

    read: int = 0
    added: int = 0
    skipped: int = 0
    replaced: int = 0
    claims: int = 0
    seconds: float = 0.0
    quads: int = 0
    problems: dict[str, list[str]] = field(default_factory=dict)
    unreadable: list[Skipped] = field(default_factory=list)  # inputs that could not be read at all

    def summary(self, store: str | Path) -> str:
        invalid = f"; {len(self.problems)} with contract problems" if self.problems else ""
        invalid += f"; {len(self.unreadable)} inputs could not be read" if self.unreadable else ""
        return (
            f"{self.read} documents read: {self.added} added ({self.replaced} replacing an older version), "
            f"{self.skipped} skipped as already stored; {self.claims} claims in {self.seconds:.2f} s{invalid}"
            f" -> {store} ({self.quads:,} quads)"
        )
