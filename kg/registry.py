"""The reference registry: market entities and all their names, read from `ontology/registry/*.tsv`.

The tables are the knowledge; this module only reads, checks and indexes them. Facts the registry
knows (a chip's developer, a person's employer) are background: they go to the BACKGROUND named
graph and never pose as extracted claims.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Literal, URIRef

from .diskcache import cached, content_key
from .errors import RegistryError
from .resources import ontology_dir
from .text import language_of_name, name_key
from .vocab import BACKGROUND, CHIP, KG, WD

_ROLE_PROPERTY = {"ceo": "ceoOf", "chair": "chairOf", "rotating-chair": "chairOf"}

# table name -> (header, default class)
TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "organizations": (("id", "class", "name", "zh", "aliases", "wikidata", "parent"), ""),
    "chips": (("id", "name", "zh", "aliases", "wikidata", "developer", "family", "kind"), "Chip"),
    "products": (("id", "class", "name", "zh", "aliases", "wikidata", "developer"), "Product"),
    "people": (("id", "name", "zh", "aliases", "wikidata", "org", "role"), "Person"),
}
CLASSES = frozenset({"Organization", "Company", "Person", "Chip", "Product"})


@dataclass(frozen=True)
class Name:
    """One name of an entity with its language tag (`en`, `zh`, `zh-Hant`)."""

    text: str
    lang: str


@dataclass(frozen=True)
class Entity:
    """A reference entity: its id (the IRI's local name), class, names and background facts."""

    id: str
    cls: str
    name: str
    names: tuple[Name, ...]
    wikidata: str = ""
    developers: tuple[str, ...] = ()
    parent: str = ""
    family: str = ""
    kind: str = ""
    org: str = ""
    role: str = ""

    @property
    def iri(self) -> URIRef:
        return KG[self.id]

    def label(self, lang: str) -> str:
        """The entity's name in `lang` (first one listed), else its canonical name."""
        for name in self.names:
            if name.lang == lang:
                return name.text
        return self.name


@dataclass(eq=False)
class Registry:
    """All reference entities, indexed by id and by every name's key."""

    entities: dict[str, Entity] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities.values())

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def lookup(self, name: str) -> Entity | None:
        """The entity a name refers to (spacing, width and case folded), or None."""
        entity_id = self.by_key.get(name_key(name))
        return self.entities.get(entity_id) if entity_id else None

    def developers_of(self, entity_id: str) -> tuple[str, ...]:
        """Background developers of a chip or product, falling back to its family's."""
        entity = self.entities.get(entity_id)
        while entity is not None:
            if entity.developers:
                return entity.developers
            entity = self.entities.get(entity.family) if entity.family else None
        return ()

    def background_facts(self, entity: Entity) -> Iterator[tuple[str, str, str]]:
        """(subject id, property, object id) facts the registry knows about one entity."""
        for developer in entity.developers:
            yield developer, "develops", entity.id
        if entity.org:
            yield entity.id, _ROLE_PROPERTY.get(entity.role, "worksFor"), entity.org

    def counts(self) -> dict[str, Counter[str]]:
        """Entities by class and names by language."""
        classes: Counter[str] = Counter(e.cls for e in self)
        langs: Counter[str] = Counter(n.lang for e in self for n in e.names)
        return {"class": classes, "language": langs}

    def stats_table(self) -> str:
        counts = self.counts()
        organizations = counts["class"]["Company"] + counts["class"]["Organization"]
        lines = [f"{'entities':<22}{len(self):>6}", f"{'organizations (all)':<22}{organizations:>6}"]
        lines += [f"  {cls:<20}{n:>6}" for cls, n in sorted(counts["class"].items())]
        lines.append(f"{'names':<22}{sum(counts['language'].values()):>6}")
        lines += [f"  @{lang:<19}{n:>6}" for lang, n in sorted(counts["language"].items())]
        lines.append(f"{'with Wikidata':<22}{sum(1 for e in self if e.wikidata):>6}")
        return "\n".join(lines)

    def describe(self, dataset: Dataset, entity: Entity) -> None:
        """Add the entity's type, labels and Wikidata link to the dataset's default graph."""
        graph = dataset.default_graph
        graph.add((entity.iri, RDF.type, CHIP[entity.cls]))
        graph.add((entity.iri, SKOS.prefLabel, Literal(entity.name, lang="en")))
        # rdfs:label marks the canonical name per language (台积电, not the also-used 台积)
        for lang in ("en", "zh"):
            if any(n.lang == lang for n in entity.names):
                graph.add((entity.iri, RDFS.label, Literal(entity.label(lang), lang=lang)))
        for name in entity.names:
            if name.text != entity.name:
                graph.add((entity.iri, SKOS.altLabel, Literal(name.text, lang=name.lang)))
        if entity.wikidata:
            graph.add((entity.iri, OWL.sameAs, WD[entity.wikidata]))

    def add_background(self, dataset: Dataset, entity: Entity, among: set[str] | None = None) -> None:
        """Add what the registry knows about the entity to the BACKGROUND named graph.

        With `among`, only facts whose both ends are in it (the entities a graph mentions).
        """
        background = dataset.graph(BACKGROUND)
        scope = among if among is not None else self.entities
        for s, p, o in self.background_facts(entity):
            if s in scope and o in scope:
                background.add((KG[s], CHIP[p], KG[o]))

    def to_dataset(self) -> Dataset:
        """The whole registry as RDF: entities in the default graph, facts in BACKGROUND."""
        dataset = Dataset()
        for entity in self:
            self.describe(dataset, entity)
            self.add_background(dataset, entity)
        return dataset


def _names(path: Path, line: int, row: dict[str, str]) -> tuple[Name, ...]:
    names = [Name(row["name"], language_of_name(row["name"]))]
    if row.get("zh"):
        names.append(Name(row["zh"], "zh"))
    for alias in filter(None, (a.strip() for a in row.get("aliases", "").split("|"))):
        text, _, tag = alias.partition("@")
        if not text:
            raise RegistryError(f"{path}:{line}: empty alias in {alias!r}")
        names.append(Name(text.strip(), tag.strip() or language_of_name(text)))
    unique: dict[tuple[str, str], Name] = {}
    for name in names:
        unique.setdefault((name.text, name.lang), name)
    return tuple(unique.values())


def _read_table(path: Path, header: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [
                (n, text) for n, text in enumerate(handle, 1) if text.strip() and not text.startswith("#")
            ]
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise RegistryError(f"{path}:{line}: not UTF-8 (byte {exc.start}); save the table as UTF-8") from exc
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read it: {exc.strerror}") from exc
    if not lines:
        return
    first_line, first = lines[0]
    found = tuple(first.rstrip("\r\n").split("\t"))
    if found != header:
        raise RegistryError(
            f"{path}:{first_line}: header should be {' '.join(header)!r}, found {' '.join(found)!r}"
        )
    for number, text in lines[1:]:
        cells = next(csv.reader([text.rstrip("\r\n")], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(cells) > len(header):
            raise RegistryError(f"{path}:{number}: {len(cells)} columns, the header has {len(header)}")
        cells += [""] * (len(header) - len(cells))
        yield number, {k: v.strip() for k, v in zip(header, cells, strict=True)}


def _entity(table: str, default_cls: str, path: Path, line: int, row: dict[str, str]) -> Entity:
    cls = row.get("class") or default_cls
    if cls not in CLASSES:
        raise RegistryError(f"{path}:{line}: class {cls!r} is not one of {', '.join(sorted(CLASSES))}")
    if not row["id"] or not row["name"]:
        raise RegistryError(f"{path}:{line}: every row needs an id and an English name")
    wikidata = row.get("wikidata", "")
    if wikidata and not (wikidata.startswith("Q") and wikidata[1:].isdigit()):
        raise RegistryError(f"{path}:{line}: Wikidata id {wikidata!r} should look like Q12345")
    developers = tuple(filter(None, row.get("developer", "").split("|")))
    return Entity(
        id=row["id"],
        cls=cls,
        name=row["name"],
        names=_names(path, line, row),
        wikidata=wikidata,
        developers=developers,
        parent=row.get("parent", ""),
        family=row.get("family", ""),
        kind=row.get("kind", ""),
        org=row.get("org", ""),
        role=row.get("role", ""),
    )


def read_registry(folder: Path) -> Registry:
    """Read and check every table in `folder`; raises RegistryError naming the file and line."""
    registry = Registry()
    where: dict[str, str] = {}
    for table, (header, default_cls) in TABLES.items():
        path = folder / f"{table}.tsv"
        if not path.exists():
            continue
        for line, row in _read_table(path, header):
            entity = _entity(table, default_cls, path, line, row)
            if entity.id in registry.entities:
                raise RegistryError(
                    f"{path}:{line}: id {entity.id!r} is used twice (first at {where[entity.id]})"
                )
            registry.entities[entity.id] = entity
            where[entity.id] = f"{path.name}:{line}"
    ambiguous_path = folder / "ambiguous.tsv"
    if ambiguous_path.exists():
        for line, row in _read_table(ambiguous_path, ("alias", "ids", "preferred")):
            if not (row["alias"] and row["ids"] and row["preferred"]):
                raise RegistryError(
                    f"{ambiguous_path}:{line}: every row needs an alias, ids and the preferred id"
                )
            registry.ambiguous[name_key(row["alias"])] = (row["preferred"], *row["ids"].split("|"))
    for entity in registry:
        for name in entity.names:
            key = name_key(name.text)
            other = registry.by_key.setdefault(key, entity.id)
            if other != entity.id and key not in registry.ambiguous:
                raise RegistryError(
                    f"{folder}: the name {name.text!r} belongs to both {other!r} ({where[other]}) and "
                    f"{entity.id!r} ({where[entity.id]}); keep one, or declare it in ambiguous.tsv"
                )
    for key, (preferred, *_ids) in registry.ambiguous.items():
        registry.by_key[key] = preferred
    _check_references(registry, where)
    return registry


def _check_references(registry: Registry, where: dict[str, str]) -> None:
    for entity in registry:
        refs = [*entity.developers, entity.parent, entity.family, entity.org]
        for ref in filter(None, refs):
            if ref not in registry.entities:
                raise RegistryError(f"{where[entity.id]}: {entity.id!r} refers to unknown id {ref!r}")


def load_registry(folder: str | None = None) -> Registry:
    """The registry shipped with the package (or read from `folder`), read once per process: the
    same object for `load_registry()`, `load_registry(None)` and `load_registry("")`, so that the
    tables built from it (tries, jieba's tokenizer) are built once."""
    return _load_registry(folder or "")


@cache
def _load_registry(folder: str) -> Registry:
    """Read and checked once, then kept in `$KG_CACHE_DIR` (`kg.diskcache`), keyed by the tables'
    bytes, this module's and `kg.text`'s code and the interpreter: a start reads it back in a third
    of the time. A registry with an error is never stored: each run reads it and raises."""
    path = Path(folder) if folder else ontology_dir() / "registry"
    files = [path / f"{table}.tsv" for table in (*TABLES, "ambiguous")]
    try:
        parts = [f"{f.name}:{f.exists()}".encode() + (f.read_bytes() if f.exists() else b"") for f in files]
        code = [
            Path(module.__file__ or "").read_bytes()
            for module in (sys.modules[__name__], sys.modules[name_key.__module__])
        ]
    except OSError:
        return read_registry(path)  # it names the table that cannot be read
    key = content_key("registry", [sys.version, *parts, *code])
    return _from_data(cached(key, lambda: _to_data(read_registry(path)), _is_data))


_ENTITY_FIELDS = tuple(f.name for f in fields(Entity))


def _to_data(registry: Registry) -> tuple[list[tuple[Any, ...]], dict[str, str], dict[str, tuple[str, ...]]]:
    """A registry as marshal-able data: each entity a tuple of its fields, its names (text, lang) pairs."""
    rows = [
        tuple(
            tuple((n.text, n.lang) for n in entity.names) if name == "names" else getattr(entity, name)
            for name in _ENTITY_FIELDS
        )
        for entity in registry
    ]
    return rows, registry.by_key, registry.ambiguous


def _is_data(value: Any) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 3
        and isinstance(value[0], list)
        and all(isinstance(row, tuple) and len(row) == len(_ENTITY_FIELDS) for row in value[0])
        and isinstance(value[1], dict)
        and isinstance(value[2], dict)
    )


def _from_data(value: tuple[list[tuple[Any, ...]], dict[str, str], dict[str, tuple[str, ...]]]) -> Registry:
    rows, by_key, ambiguous = value
    at = _ENTITY_FIELDS.index("names")
    registry = Registry(by_key=by_key, ambiguous=ambiguous)
    for row in rows:
        values = list(row)
        values[at] = tuple(Name(name, lang) for name, lang in row[at])
        entity = Entity(*values)
        registry.entities[entity.id] = entity
    return registry
