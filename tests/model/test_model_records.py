"""The records: one ekg:Record each, conforming to the shapes alone and together, readable as plain
schema.org without reasoning, with background facts kept in the reference record."""

from __future__ import annotations

import re
import subprocess
import sys

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from model_support import DOC, EVENT, ROOT, copy_graph
from model_support import (  # noqa: F401  (the fixtures these tests use, and what they depend on)
    _reuse_parsed_sparql, ontology, record_files, records, shapes, source_text, union, workshop,
)

EKG = "https://w3id.org/eventkg/ontology#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"


def S(local: str) -> URIRef:
    return URIRef(SCHEMA + local)


def K(local: str) -> URIRef:
    return URIRef(EKG + local)


def ID(path: str) -> URIRef:
    return URIRef("https://w3id.org/eventkg/id/" + path)


@pytest.mark.parametrize("name", ["aichr-tip-workshop-2018.ttl", "reference.ttl", "topics.ttl"])
def test_each_record_file_declares_exactly_one_record(records, name):
    g = records[name]
    recs = list(g.subjects(RDF.type, K("Record")))
    assert len(recs) == 1
    rec = recs[0]
    assert str(rec) == "https://w3id.org/eventkg/record/" + name.removesuffix(".ttl")
    assert g.value(rec, DCTERMS.title).language == "en"
    assert g.value(rec, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert list(g.objects(rec, PROV.wasDerivedFrom))
    assert g.value(rec, DCTERMS.modified).datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")


def test_records_conform_together(union, shapes):
    conforms, _, text = pyshacl.validate(union, shacl_graph=shapes, inference="none")
    assert conforms, text


@pytest.mark.parametrize("name", ["aichr-tip-workshop-2018.ttl", "reference.ttl", "topics.ttl"])
def test_each_record_conforms_on_its_own(records, ontology, shapes, name):
    """A record can be validated, replaced or removed alone: it types and names what it points to."""
    conforms, _, text = pyshacl.validate(copy_graph(ontology, records[name]), shacl_graph=shapes,
                                         inference="none")
    assert conforms, text


def test_records_conform_with_rdfs_inference(union, shapes):
    conforms, _, text = pyshacl.validate(union, shacl_graph=shapes, inference="rdfs")
    assert conforms, text


def test_plain_schema_org_reading_without_reasoning(union, source_text):
    """What a search engine reads from the published data, with no inference at all."""
    g = union
    assert (EVENT, RDF.type, S("Event")) in g
    name = g.value(EVENT, S("name"))
    assert str(name) in source_text and source_text[source_text.index(str(name)) - 1] == "“"
    assert g.value(EVENT, S("startDate")) == Literal("2018-06-21", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    assert g.value(EVENT, S("endDate")) == Literal("2018-06-22", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    place = g.value(EVENT, S("location"))
    assert (place, RDF.type, S("Place")) in g and str(g.value(place, S("name"))) == "Hanoi"
    country = g.value(place, S("containedInPlace"))
    assert (country, RDF.type, S("Country")) in g and str(g.value(country, S("name"))) == "Viet Nam"
    organiser = g.value(EVENT, S("organizer"))
    assert (organiser, RDF.type, S("Organization")) in g and str(g.value(organiser, S("name"))) == "AICHR-Viet Nam"
    sponsors = set(g.objects(EVENT, S("sponsor")))
    assert len(sponsors) == 5 and all((s, RDF.type, S("Organization")) in g for s in sponsors)
    topics = set(g.objects(EVENT, S("about")))
    assert ID("topic/trafficking-in-persons") in topics and len(topics) == 13
    performer = g.value(EVENT, S("performer"))
    assert (performer, RDF.type, S("Person")) in g and str(g.value(performer, S("name"))) == "Pham Sanh Chau"
    assert g.value(EVENT, S("subjectOf")) == DOC and (DOC, RDF.type, S("CreativeWork")) in g


def test_supporters_are_exactly_the_support_list(workshop, source_text):
    """Five supporters, split from the text itself: semicolons, and the comma before each 'the'."""
    tail = source_text[source_text.index("with support from ") + len("with support from "):].rstrip(".")
    items = [re.sub(r"^(and\s+)?the\s+", "", x.strip()) for x in re.split(r";|,\s+(?=the\s)", tail)]
    assert len(items) == 5
    names = set()
    for s in workshop.objects(EVENT, S("sponsor")):
        names |= {str(n) for n in workshop.objects(s, S("name"))} | {str(n) for n in workshop.objects(s, S("alternateName"))}
    for item in items:
        assert item in names, item
    assert len(set(workshop.objects(EVENT, S("sponsor")))) == len(items)


def test_sponsor_ambiguity_is_recorded_with_the_whole_list(workshop, source_text):
    interp = ID("interpretation/aichr-tip-workshop-2018/supporters")
    assert (interp, RDF.type, K("Interpretation")) in workshop
    quotes = {str(workshop.value(sel, URIRef(OA + "exact")))
              for ev in workshop.objects(interp, K("evidence"))
              for sel in workshop.objects(ev, URIRef(OA + "hasSelector"))
              if workshop.value(sel, URIRef(OA + "exact")) is not None}
    assert any(q.startswith("with support from") and q.endswith("the Embassy of Turkey in Hanoi") for q in quotes)
    interpreted = {workshop.value(a, RDF.object) for a in workshop.subjects(K("interpretation"), interp)
                   if workshop.value(a, RDF.predicate) == S("sponsor")}
    assert interpreted == {ID("org/aichr"), ID("org/asean-us-partnership-good-governance")}


def test_year_inference_cites_the_dates_and_the_dateline(workshop, source_text):
    for p in ("startDate", "endDate"):
        a = next(a for a in workshop.subjects(RDF.predicate, S(p)) if workshop.value(a, RDF.subject) == EVENT)
        assert workshop.value(a, K("basis")) == ID("basis/inferred")
        assert "dateline" in str(workshop.value(a, K("inferenceNote")))
        quotes = {str(workshop.value(sel, URIRef(OA + "exact"))) for ev in workshop.objects(a, K("evidence"))
                  for sel in workshop.objects(ev, URIRef(OA + "hasSelector"))} - {"None"}
        assert {"21-22 June", "HANOI, 26 June 2018"} <= quotes
    # The year comes from the dateline, the days from the sentence.
    year = re.match(r"[A-Z]+, (\d+) (\w+) (\d{4})", source_text).group(3)
    days = re.search(r"on (\d+)-(\d+) June", source_text).groups()
    assert str(workshop.value(EVENT, S("startDate"))) == f"{year}-06-{int(days[0]):02d}"
    assert str(workshop.value(EVENT, S("endDate"))) == f"{year}-06-{int(days[1]):02d}"


def test_participation_covers_every_category_and_role(workshop, source_text):
    roles = {}
    for p in workshop.subjects(RDF.type, K("Participation")):
        roles.setdefault(str(workshop.value(p, K("role"))).rsplit("/", 1)[1], set()).add(workshop.value(p, K("agent")))
    assert set(roles) == {"convener", "organiser", "supporter", "speaker", "resource-person", "participant"}
    listed = source_text[source_text.index("representatives from ") + len("representatives from "):]
    listed = listed[:listed.index(".")]
    items = [re.sub(r"^(and\s+)?(the\s+)?", "", x.strip()) for x in listed.split(",")]
    assert len(items) == 9
    names = {str(n) for a in roles["participant"] for p in (S("name"), S("alternateName"))
             for n in workshop.objects(a, p)}
    names |= {re.sub(r"^the\s+", "", n) for n in names}
    for item in items:
        assert item in names, item
    groups = {a for a in roles["participant"] if (a, RDF.type, K("Group")) in workshop}
    assert len(groups) == 8  # seven unnamed categories and the participants as a whole
    assert all(workshop.value(g, K("memberClass")) is not None for g in groups)
    assert not any(list(workshop.objects(g, URIRef("http://xmlns.com/foaf/0.1/member"))) for g in groups)


def test_speaker_post_and_ministry(union):
    g = union
    person = ID("person/pham-sanh-chau")
    assert str(g.value(person, S("honorificPrefix"))) == "Ambassador"
    post = g.value(person, URIRef(ORG + "holds"))
    assert (post, RDF.type, URIRef(ORG + "Post")) in g and g.value(post, URIRef(ORG + "heldBy")) == person
    assert str(g.value(g.value(post, URIRef(ORG + "postIn")), S("name"))) == "Ministry of Foreign Affairs of Viet Nam"
    aichr_vn = ID("org/aichr-viet-nam")
    assert (aichr_vn, RDF.type, URIRef(ORG + "Post")) in g and g.value(aichr_vn, URIRef(ORG + "postIn")) == ID("org/aichr")


def test_statements_are_indirect_speech_attributed_and_reported(workshop):
    statements = set(workshop.subjects(RDF.type, K("ReportedStatement")))
    assert len(statements) == 10
    acts = {}
    for s in statements:
        assert workshop.value(s, K("accordingTo")) == DOC
        assert workshop.value(s, K("isDirectQuote")) == Literal(False)
        assert list(workshop.objects(s, PROV.wasAttributedTo))
        acts.setdefault(str(workshop.value(s, K("speechAct"))).rsplit("/", 1)[1], []).append(s)
    assert {k: len(v) for k, v in acts.items()} == {"highlight": 3, "call-on": 1, "underline": 3, "discuss": 3}
    call = acts["call-on"][0]
    assert set(workshop.objects(call, K("refersTo"))) == {ID("framework/asean-community"),
                                                           ID("framework/un-2030-agenda-sdgs")}
    assert workshop.value(call, K("madeDuring")) == ID("event/aichr-tip-workshop-2018/opening-remarks")


def test_target_groups_and_topics(union):
    assert set(union.objects(EVENT, K("targetGroup"))) == {ID("population/women"), ID("population/children")}
    for topic in union.objects(EVENT, S("about")):
        broader = set(union.transitive_objects(topic, SKOS.broader))
        assert ID("topic/trafficking-in-persons") in broader or topic == ID("topic/trafficking-in-persons")


def test_reference_record_never_cites_a_press_release(records):
    ref = records["reference.ttl"]
    assert not list(ref.subjects(RDF.type, K("Evidence")))
    assert not list(ref.objects(None, K("evidence")))
    assert DOC not in set(ref.objects()) | set(ref.subjects())
    for a in ref.subjects(RDF.type, K("Assertion")):
        source = ref.value(a, PROV.wasDerivedFrom)
        assert (source, RDF.type, K("ReferenceSource")) in ref
        assert ref.value(a, K("basis")) == ID("basis/reference")
    # Background facts live there and nowhere else.
    hanoi_in = (ID("place/hanoi"), S("containedInPlace"), ID("place/viet-nam"))
    aichr_in = (ID("org/aichr"), URIRef(ORG + "subOrganizationOf"), ID("org/asean"))
    assert hanoi_in in ref and aichr_in in ref
    assert hanoi_in not in records["aichr-tip-workshop-2018.ttl"] and aichr_in not in records["aichr-tip-workshop-2018.ttl"]


def test_publisher_is_not_invented(workshop):
    for p in ("publisher", "author", "creator"):
        assert workshop.value(DOC, S(p)) is None


@pytest.mark.parametrize("script", ["tools/build_records.py", "tools/build_examples.py"])
def test_generated_files_are_up_to_date(script):
    run = subprocess.run([sys.executable, str(ROOT / script), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
