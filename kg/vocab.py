"""The project's vocabularies: the ontology (`chip:`) and the entity namespace (`kg:`).

`CHIP` is a `DefinedNamespace`, so a misspelt term raises instead of minting a new IRI.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace


class CHIP(DefinedNamespace):
    """Classes, properties and modalities of the AI-chip ontology (`ontology/aichip.ttl`)."""

    _NS = Namespace("https://w3id.org/aichip-kg/ontology#")
    _fail = True

    # classes
    Organization: URIRef
    Company: URIRef
    Person: URIRef
    Chip: URIRef
    Product: URIRef
    Document: URIRef
    Claim: URIRef
    Modality: URIRef
    # relations between entities
    develops: URIRef
    fabricates: URIRef
    fabricatesFor: URIRef
    partnersWith: URIRef
    dependsOn: URIRef
    customerOf: URIRef
    uses: URIRef
    competesWith: URIRef
    acquires: URIRef
    investsIn: URIRef
    ceoOf: URIRef
    chairOf: URIRef
    worksFor: URIRef
    # entity and claim attributes
    mentionedIn: URIRef
    evidence: URIRef
    charStart: URIRef
    charEnd: URIRef
    confidence: URIRef
    modality: URIRef
    extractedBy: URIRef
    # modalities
    Asserted: URIRef
    Planned: URIRef
    Expected: URIRef
    Reported: URIRef
    Negated: URIRef


KG = Namespace("https://w3id.org/aichip-kg/id/")
WD = Namespace("http://www.wikidata.org/entity/")
BACKGROUND = KG["graph/background"]
"""Named graph holding registry facts (background knowledge), never extracted claims."""

RELATIONS: tuple[str, ...] = (
    "develops",
    "fabricates",
    "fabricatesFor",
    "partnersWith",
    "dependsOn",
    "customerOf",
    "uses",
    "competesWith",
    "acquires",
    "investsIn",
    "ceoOf",
    "chairOf",
    "worksFor",
)
"""Local names of every entity-to-entity relation the extractor may assert."""

SYMMETRIC: frozenset[str] = frozenset({"partnersWith", "competesWith"})
MODALITIES: tuple[str, ...] = ("Asserted", "Planned", "Expected", "Reported", "Negated")
ENTITY_CLASSES: tuple[str, ...] = ("Organization", "Company", "Person", "Chip", "Product")
