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
    QuantityClaim: URIRef
    Quantity: URIRef
    Comparator: URIRef
    ModalityDetail: URIRef
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
    modalityDetail: URIRef
    reportedBy: URIRef
    pointInTime: URIRef
    startTime: URIRef
    endTime: URIRef
    timeExpression: URIRef
    # quantities
    hasQuantity: URIRef
    marketShare: URIRef
    unitCount: URIRef
    headcount: URIRef
    amount: URIRef
    processNode: URIRef
    memoryCapacity: URIRef
    bandwidth: URIRef
    value: URIRef
    unit: URIRef
    comparator: URIRef
    countOf: URIRef
    memoryType: URIRef
    nodeName: URIRef
    # modalities and their finer readings
    Asserted: URIRef
    Planned: URIRef
    Expected: URIRef
    Reported: URIRef
    Negated: URIRef
    Rumoured: URIRef
    Denied: URIRef
    Cancelled: URIRef
    Hypothetical: URIRef
    Former: URIRef
    # comparators
    Exactly: URIRef
    AtLeast: URIRef
    AtMost: URIRef
    MoreThan: URIRef
    LessThan: URIRef
    Approximately: URIRef


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
MODALITY_DETAILS: tuple[str, ...] = ("Rumoured", "Denied", "Cancelled", "Hypothetical", "Former")
QUANTITIES: tuple[str, ...] = (
    "marketShare",
    "unitCount",
    "headcount",
    "amount",
    "processNode",
    "memoryCapacity",
    "bandwidth",
)
"""Local names of the quantity properties (sub-properties of `chip:hasQuantity`)."""
COMPARATORS: tuple[str, ...] = ("Exactly", "AtLeast", "AtMost", "MoreThan", "LessThan", "Approximately")
TIME_ROLES: dict[str, str] = {"point": "pointInTime", "since": "startTime", "until": "endTime"}
"""A time's role in its sentence -> the claim property that holds it."""
ENTITY_CLASSES: tuple[str, ...] = ("Organization", "Company", "Person", "Chip", "Product")


XSD_INTEGERS = frozenset(
    "http://www.w3.org/2001/XMLSchema#" + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
"""The XSD datatypes of integers, as plain strings, so that rdflib's and pyoxigraph's terms are typed by one rule."""
