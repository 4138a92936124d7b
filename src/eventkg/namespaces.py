"""Our namespaces and the one prefix map used everywhere (Turtle output, HTML, queries).

IRI plan (base ``https://w3id.org/eventkg/``, mapped by the server to wherever it runs):

- ``ontology#Term``      terms of the eventkg ontology (the ontology IRI is ``.../ontology``)
- ``shapes#Shape``       SHACL shapes
- ``id/KIND/SLUG``       things the graph mints (events, agents, places, topics, documents, evidence)
- ``record/SLUG``        records: one named graph each, replaced or removed as a unit
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, FOAF

BASE_IRI = "https://w3id.org/eventkg/"

EKG = Namespace(BASE_IRI + "ontology#")
EKGSH = Namespace(BASE_IRI + "shapes#")
ID = Namespace(BASE_IRI + "id/")
RECORD = Namespace(BASE_IRI + "record/")
ONTOLOGY_IRI = BASE_IRI + "ontology"

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "ekg": str(EKG),
    "ekgsh": str(EKGSH),
    "id": str(ID),
    "record": str(RECORD),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "skos": str(SKOS),
    "sem": str(SEM),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "void": str(VOID),
    "dcat": str(DCAT),
    "wd": str(WD),
}

__all__ = [
    "BASE_IRI", "EKG", "EKGSH", "ID", "RECORD", "ONTOLOGY_IRI", "SCHEMA", "ORG", "OA", "SEM",
    "VOID", "DCAT", "WD", "PREFIXES", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SH", "SKOS", "XSD", "FOAF",
]
