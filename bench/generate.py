"""A seeded generator of synthetic event records shaped like the ones in data/records/.

Each synthetic record is one named graph declared by an ``ekg:Record`` node, like
data/records/aichr-tip-workshop-2018.ttl in small: a press release (``ekg:PressRelease`` with its full
text), the meeting it reports (convener, organiser, supporters, speakers, place, dates, topics), one
``ekg:Participation`` per agent, event and role, groups of unnamed participants, reported statements, an
interpretation where the list of supporters is ambiguous, and for every plain fact an ``ekg:Assertion``
whose evidence is a Web Annotation ``oa:SpecificResource`` with a ``oa:TextQuoteSelector`` and a
``oa:TextPositionSelector`` that really select the quote in the text. The organisations, people, posts,
places and topics that the meetings point to live in one reference record (like data/records/reference.ttl,
every fact derived from a reference source), so a new record refers to things already in the store without
repeating them. Roles, speech acts and evidence bases are the ontology's own concepts.

The same seed and size give the same bytes. Usage::

    python bench/generate.py                       # 10k, 100k and 1m into bench/out/
    python bench/generate.py --size 100k --seed 7 --out /tmp/b

For each size it writes ``OUT/SIZE/``:

- ``data.trig`` and ``data.nq``: the reference record and the event records, one named graph each;
- ``batch/*.ttl``: 100 new records (one Turtle file each, like data/records/), not in the data, that point
  into it; a few carry a defect on purpose (listed in ``params.json``, kinds in ``DEFECTS``) so that
  validating the batch has results to compare;
- ``params.json``: what was made, and values for the named queries' parameters that exist in the data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

BASE = "https://w3id.org/eventkg/"
ID = BASE + "id/"
EKG = BASE + "ontology#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
WD = "http://www.wikidata.org/entity/"

PREFIXES = [("ekg", EKG), ("record", BASE + "record/"), ("schema", SCHEMA), ("org", ORG), ("prov", PROV),
            ("oa", OA), ("skos", SKOS), ("foaf", FOAF), ("dcterms", DCTERMS), ("owl", OWL), ("rdf", RDF),
            ("rdfs", RDFS), ("xsd", XSD), ("wd", WD)]

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
BATCH = 100
# Defects given on purpose to a few records of the batch. Each is found only with the right part of the
# graph around the record: the types of agents and topics in the store, the ontology, or the whole-graph
# checks; so comparing context validation with full validation tests that context.
DEFECTS = ("organizer-is-a-person", "end-before-start", "evidence-without-selector", "unknown-role",
           "quote-not-in-text", "fact-without-evidence", "missing-topic")
MODIFIED = "2026-11-27"


def iri(value: str) -> str:
    return f"<{value}>"


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(text: str, lang: str | None = None, dt: str | None = None) -> str:
    if lang:
        return f'"{_esc(text)}"@{lang}'
    if dt:
        return f'"{_esc(text)}"^^<{dt}>'
    return f'"{_esc(text)}"'


def en(text: str) -> str:
    return lit(text, "en")


def date(d: str) -> str:
    return lit(d, dt=XSD + "date")


def nni(n: int) -> str:
    return lit(str(n), dt=XSD + "integer")


def sid(kind: str, slug: str) -> str:
    return iri(f"{ID}{kind}/{slug}")


def _n(ns: str, *names: str) -> dict[str, str]:
    return {n: iri(ns + n) for n in names}


A = iri(RDF + "type")
E = _n(EKG, "OpeningRemarks", "EventPart", "Initiative", "PolicyFramework", "PopulationGroup", "partOfInitiative",
       "targetGroup", "addressee", "refersTo", "Record", "PressRelease", "SourceDocument", "ReferenceSource", "Meeting", "Workshop", "Group",
       "Participation", "ReportedStatement", "Evidence", "Assertion", "Interpretation", "fullText", "convener",
       "memberClass", "agent", "inEvent", "role", "capacity", "accordingTo", "madeDuring", "speechAct",
       "reportedContent", "isDirectQuote", "evidence", "basis", "inferenceNote", "locator", "interpretation",
       "chosenReading", "alternativeReading", "rationale")
S = _n(SCHEMA, "Event", "EducationEvent", "Article", "CreativeWork", "Organization", "GovernmentOrganization",
       "Person", "Place", "City", "Country", "name", "alternateName", "startDate", "endDate", "location",
       "organizer", "sponsor", "performer", "about", "subjectOf", "dateCreated", "locationCreated",
       "inLanguage", "subEvent", "superEvent", "containedInPlace", "parentOrganization", "honorificPrefix", "jobTitle", "sameAs")
O = _n(ORG, "Organization", "Post", "postIn", "heldBy", "holds", "subOrganizationOf")
W = _n(OA, "SpecificResource", "TextQuoteSelector", "TextPositionSelector", "hasSource", "hasSelector", "exact",
       "prefix", "suffix", "start", "end")
PV = _n(PROV, "Entity", "wasDerivedFrom", "wasAttributedTo", "wasAssociatedWith")
K = _n(SKOS, "Concept", "ConceptScheme", "prefLabel", "inScheme", "broader", "topConceptOf", "hasTopConcept")
D = _n(DCTERMS, "title", "description", "license", "modified")
R = _n(RDF, "Statement", "subject", "predicate", "object")
LABEL = iri(RDFS + "label")
FOAF_PERSON, FOAF_GROUP = iri(FOAF + "Person"), iri(FOAF + "Group")
XSD_FALSE = lit("false", dt=XSD + "boolean")
CC_BY = iri("https://creativecommons.org/licenses/by/4.0/")
BASIS = {b: sid("basis", b) for b in ("stated", "inferred", "interpreted", "reference")}
ROLE = {r: sid("role", r) for r in ("convener", "organiser", "supporter", "speaker", "resource-person",
                                     "participant")}
SPEECH = {s: sid("speech-act", s) for s in ("highlight", "call-on", "underline", "discuss")}

# -- words the synthetic texts are made of -------------------------------------------------------------------
_ORG_KINDS = ["Commission", "Council", "Secretariat", "Ministry", "Agency", "Centre", "Network", "Forum",
              "Institute", "Foundation", "Office", "Committee"]
_ORG_TOPICS = ["Human Rights", "Migration", "Women and Children", "Labour", "Public Health", "Education",
               "Justice", "Environment", "Disaster Management", "Social Welfare", "Youth", "Trade"]
_CITIES = ["Hanoi", "Jakarta", "Bangkok", "Manila", "Kuala Lumpur", "Singapore", "Phnom Penh", "Vientiane",
           "Yangon", "Bandar Seri Begawan", "Da Nang", "Cebu", "Chiang Mai", "Surabaya", "Penang", "Siem Reap",
           "Luang Prabang", "Mandalay", "Yogyakarta", "Ho Chi Minh City", "Davao", "Denpasar", "Ipoh", "Hue"]
_COUNTRIES = ["Viet Nam", "Indonesia", "Thailand", "Philippines", "Malaysia", "Singapore", "Cambodia",
              "Lao PDR", "Myanmar", "Brunei Darussalam", "Australia", "Japan", "Republic of Korea", "Turkey",
              "New Zealand", "Canada", "Norway", "Germany", "United States", "India"]
_GIVEN = ["Anh", "Budi", "Chai", "Dewi", "Emilio", "Farah", "Hoa", "Indra", "Jasmine", "Kiet", "Lina", "Maria",
          "Minh", "Oscar", "Putri", "Quynh", "Rizal", "Siti", "Thanh", "Umar", "Vanna", "Wira", "Yuki", "Zainal"]
_FAMILY = ["Pham", "Santos", "Wijaya", "Tan", "Lim", "Sok", "Phommachanh", "Aung", "Reyes", "Rahman",
           "Tran", "Suharto", "Chan", "Ong", "Abdullah", "Kyaw", "Bautista", "Le", "Ng", "Hassan"]
_HONORIFICS = ["Ambassador", "Dr.", "Ms.", "Mr.", "Professor", "H.E."]
_POSTS = ["Assistant Minister", "Director-General", "Representative", "Deputy Secretary-General",
          "Permanent Secretary", "Executive Director", "Chair", "Senior Officer", "Head of Unit", "Adviser"]
_TOPICS = ["human rights", "trafficking in persons", "labour migration", "child protection", "gender equality",
           "community-based protection", "root causes", "access to information", "rule of law",
           "disability rights", "climate resilience", "statelessness", "business and human rights",
           "right to education", "right to health", "freedom of expression", "elderly persons",
           "victim support", "data protection", "regional cooperation", "capacity building", "legal frameworks",
           "prevention strategies", "online exploitation", "forced labour", "refugee protection",
           "peace and security", "civil society engagement", "disaster risk reduction", "youth participation"]
_TOP_TOPICS = 5
_EVENT_KINDS = ["Regional Workshop", "Consultation", "Dialogue", "Training Workshop", "Forum", "Seminar",
                "Roundtable", "Symposium", "Expert Meeting", "Policy Dialogue"]
_GROUPS = [("relevant UN agencies", ORG + "Organization"), ("regional experts", SCHEMA + "Person"),
           ("civil society organisations", ORG + "Organization"), ("line ministries", SCHEMA + "GovernmentOrganization"),
           ("international organisations", ORG + "Organization"), ("sectoral bodies", ORG + "Organization")]
_POPULATIONS = ["women", "children", "migrant workers", "persons with disabilities", "older persons", "youth"]
_FRAMEWORKS = ["ASEAN Community Vision 2025", "UN 2030 Agenda on Sustainable Development Goals",
               "ASEAN Convention against Trafficking in Persons", "Regional Plan of Action"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_SAYS = [("highlight", "highlighted"), ("call-on", "called on States"), ("underline", "underlined"),
         ("discuss", "discussed")]
_ACTIONS = ["the need to strengthen cooperation on", "the importance of mobilising resources against",
            "the momentum achieved on", "good practices on", "better data on", "public awareness of"]


@dataclass
class Record:
    """One record: its IRI, slug and triples (terms in N-Triples syntax)."""

    iri: str
    slug: str
    triples: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, s: str, p: str, o: str | list[str]) -> None:
        for x in (o if isinstance(o, list) else [o]):
            self.triples.append((s, p, x))


@dataclass
class Reference:
    orgs: list[tuple[str, str]]                   # (iri, name)
    persons: list[tuple[str, str, str, str, str]]  # (iri, name, honorific, job title, post iri)
    places: list[tuple[str, str]]
    topics: list[tuple[str, str]]
    populations: list[tuple[str, str]]
    frameworks: list[tuple[str, str]]
    states: str
    record: Record


class _Text:
    """A press release built piece by piece, remembering where each quote sits."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def put(self, text: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start, self.length

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _join(items: list[str], sep: str = ", ", last: str = " and ") -> str:
    return items[0] if len(items) == 1 else sep.join(items[:-1]) + last + items[-1]


class Generator:
    """Synthetic records; the same seed gives the same records, whatever is asked in which order."""

    def __init__(self, seed: int = 0, n_records: int = 100) -> None:
        self.seed = seed
        self.n_records = n_records
        self.ref = self._reference(random.Random(f"{seed}/reference"), n_records)

    # -- reference data -------------------------------------------------------------------------------------
    def _reference(self, rng: random.Random, n: int) -> Reference:
        rec = Record(f"{BASE}record/synthetic-reference", "synthetic-reference")
        r = iri(rec.iri)
        sources = {k: sid("source", f"synthetic-{k}") for k in ("gazetteer", "register", "directory")}
        rec.add(r, A, E["Record"])
        rec.add(r, D["title"], en("Synthetic reference data: places, organisations, people and topics"))
        rec.add(r, D["license"], CC_BY)
        rec.add(r, PV["wasDerivedFrom"], list(sources.values()))
        rec.add(r, D["modified"], date(MODIFIED))
        for k, src in sources.items():
            rec.add(src, A, [E["ReferenceSource"], S["CreativeWork"], PV["Entity"]])
            rec.add(src, D["title"], en(f"Synthetic {k} of the benchmark"))

        def fact(s: str, p: str, o: str, source: str, locator: str) -> None:
            rec.add(s, p, o)
            digest = hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest()[:12]
            a = sid("assertion", f"synthetic-reference/{digest}")
            rec.add(a, A, [E["Assertion"], R["Statement"]])
            rec.add(a, R["subject"], s)
            rec.add(a, R["predicate"], p)
            rec.add(a, R["object"], o)
            rec.add(a, E["basis"], BASIS["reference"])
            rec.add(a, PV["wasDerivedFrom"], source)
            rec.add(a, E["locator"], lit(locator))

        gaz, reg, dirs = sources["gazetteer"], sources["register"], sources["directory"]
        countries = []
        for i, name in enumerate(_COUNTRIES):
            c = sid("place", f"country-{i:02d}")
            rec.add(c, A, [S["Country"], S["Place"]])
            fact(c, S["name"], en(name), gaz, f"country {i}")
            countries.append(c)
        places = []
        for i, name in enumerate(_CITIES):
            pl = sid("place", f"city-{i:02d}")
            rec.add(pl, A, [S["City"], S["Place"]])
            fact(pl, S["name"], en(name), gaz, f"city {i}")
            fact(pl, S["containedInPlace"], countries[i % 10], gaz, f"city {i} country")
            places.append((pl, name))
        orgs = []
        for i in range(max(12, n // 10)):
            name = f"{rng.choice(_COUNTRIES[:14])} {rng.choice(_ORG_KINDS)} on {rng.choice(_ORG_TOPICS)} {i}"
            o = sid("org", f"o{i:05d}")
            types = [S["Organization"], O["Organization"]] + ([S["GovernmentOrganization"]] if i % 3 == 0 else [])
            rec.add(o, A, types)
            fact(o, S["name"], en(name), reg, f"entry {i}")
            fact(o, S["alternateName"], en("".join(w[0] for w in name.split() if w[0].isupper()) + str(i)), reg,
                 f"entry {i} short name")
            if i >= 4:
                parent = orgs[rng.randrange(4)][0]
                fact(o, O["subOrganizationOf"], parent, reg, f"entry {i} parent")
            orgs.append((o, name))
        persons = []
        for i in range(max(20, n // 2)):
            name = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)} {i}"
            hon, title = rng.choice(_HONORIFICS), rng.choice(_POSTS)
            org, oname = orgs[rng.randrange(len(orgs))]
            p, post = sid("person", f"h{i:05d}"), sid("post", f"h{i:05d}")
            job = f"{title}, {oname}"
            rec.add(p, A, [S["Person"], FOAF_PERSON])
            fact(p, S["name"], en(name), dirs, f"person {i}")
            fact(p, S["honorificPrefix"], en(hon), dirs, f"person {i} honorific")
            fact(p, S["jobTitle"], en(job), dirs, f"person {i} title")
            fact(p, O["holds"], post, dirs, f"person {i} post")
            rec.add(post, A, O["Post"])
            rec.add(post, LABEL, en(job))
            fact(post, O["heldBy"], p, dirs, f"post {i} holder")
            fact(post, O["postIn"], org, dirs, f"post {i} organisation")
            persons.append((p, name, hon, job, post))
        scheme = sid("scheme", "synthetic-topics")
        rec.add(scheme, A, K["ConceptScheme"])
        rec.add(scheme, K["prefLabel"], en("synthetic topics"))
        topics = []
        for i, label in enumerate(_TOPICS):
            t = sid("topic", "synthetic-" + label.replace(" ", "-"))
            rec.add(t, A, K["Concept"])
            rec.add(t, K["prefLabel"], en(label))
            rec.add(t, K["inScheme"], scheme)
            if i < _TOP_TOPICS:
                rec.add(t, K["topConceptOf"], scheme)
                rec.add(scheme, K["hasTopConcept"], t)
            else:
                rec.add(t, K["broader"], topics[i % _TOP_TOPICS][0])
            topics.append((t, label))
        pscheme = sid("scheme", "synthetic-population-groups")
        rec.add(pscheme, A, K["ConceptScheme"])
        rec.add(pscheme, K["prefLabel"], en("synthetic population groups"))
        populations = []
        for label in _POPULATIONS:
            g = sid("population", "synthetic-" + label.replace(" ", "-"))
            rec.add(g, A, [E["PopulationGroup"], K["Concept"]])
            rec.add(g, K["prefLabel"], en(label))
            rec.add(g, K["inScheme"], pscheme)
            rec.add(g, K["topConceptOf"], pscheme)
            rec.add(pscheme, K["hasTopConcept"], g)
            populations.append((g, label))
        frameworks = []
        for k, name in enumerate(_FRAMEWORKS):
            fw = sid("framework", f"synthetic-{k}")
            rec.add(fw, A, E["PolicyFramework"])
            fact(fw, S["name"], en(name), reg, f"framework {k}")
            frameworks.append((fw, name))
        states = sid("group", "synthetic-states")
        rec.add(states, A, [E["Group"], FOAF_GROUP])
        rec.add(states, E["memberClass"], S["GovernmentOrganization"])
        fact(states, S["name"], en("States"), reg, "states")
        return Reference(orgs, persons, places, topics, populations, frameworks, states, rec)

    # -- one event record -----------------------------------------------------------------------------------
    def record(self, i: int, defect: str | None = None) -> tuple[Record, str]:
        """Record number ``i`` (with ``defect``, one of DEFECTS) and the text of its press release."""
        rng = random.Random(f"{self.seed}/record/{i}")
        ref = self.ref
        slug = f"synthetic-{i:06d}"
        rec = Record(f"{BASE}record/{slug}", slug)
        ev, doc = sid("event", slug), sid("document", slug)
        year, month, day, length = 2010 + rng.randrange(15), rng.randrange(12), 1 + rng.randrange(24), 1 + rng.randrange(3)
        start = f"{year}-{month + 1:02d}-{day:02d}"
        end = f"{year}-{month + 1:02d}-{day + length - 1:02d}"
        pday = min(day + length + rng.randrange(4), 28)
        published = f"{year}-{month + 1:02d}-{pday:02d}"
        place, place_name = ref.places[rng.randrange(len(ref.places))]
        convener, organiser = rng.sample(ref.orgs, 2)
        sponsors = rng.sample(ref.orgs, 1 + rng.randrange(4))
        topics = rng.sample(ref.topics, 2 + rng.randrange(3))
        speakers = rng.sample(ref.persons, 1 + rng.randrange(3))
        groups = rng.sample(_GROUPS, 1 + rng.randrange(3))
        kind = rng.choice(_EVENT_KINDS)
        ev_name = f"{kind} on {topics[0][1].capitalize()} {i}"

        # the press release, quote by quote
        tx = _Text()
        q: dict[str, tuple[int, int]] = {}
        q["dateline"] = tx.put(f"{place_name.upper()}, {pday} {_MONTHS[month]} {year}")
        tx.put("- The ")
        q["convener"] = tx.put(convener[1])
        tx.put(" convened the “")
        q["name"] = tx.put(ev_name)
        tx.put("” in ")
        q["place"] = tx.put(place_name)
        tx.put(" on ")
        q["dates"] = tx.put(f"{day}-{day + length - 1} {_MONTHS[month]}" if length > 1 else f"{day} {_MONTHS[month]}")
        tx.put(".\n\nThe meeting discussed ")
        q["topics"] = tx.put(_join([t[1] for t in topics]))
        targets = rng.sample(ref.populations, 2) if i % 2 == 0 else []
        if targets:
            tx.put(", especially for ")
            q["targets"] = tx.put(_join([t[1] for t in targets]))
        initiative = i % 3 == 0
        if initiative:
            tx.put(". It was part of the ")
            q["initiative"] = tx.put(f"{convener[1]}’s continued effort on {topics[-1][1]}")
        tx.put(".\n\nIts participants included representatives from ")
        gq = []
        for k, (gname, _) in enumerate(groups):
            if k:
                tx.put(", ")
            gq.append(tx.put(gname))
        tx.put(" and other relevant stakeholders.\n\n")
        sq = []
        framework = ref.frameworks[i % len(ref.frameworks)]
        for k, (person, pname, hon, job, post) in enumerate(speakers):
            act, verb = _SAYS[(i + k) % len(_SAYS)]
            who = tx.put(f"{hon} {pname}, {job}")
            if k == 0:
                tx.put(", in the ")
                q["remarks"] = tx.put("opening remarks")
            tx.put(f", {verb} ")
            said = tx.put(f"{rng.choice(_ACTIONS)} {rng.choice(topics)[1]}" +
                          (f" towards the {framework[1]}" if act == "call-on" else ""))
            sq.append((who, said, act))
            tx.put(". ")
        tx.put(f"\n\nThe {kind.lower()} was organised by ")
        q["organiser"] = tx.put(organiser[1])
        tx.put(", with support from ")
        sp_list_start = tx.length
        spq = []
        for k, (_, sname) in enumerate(sponsors):
            if k:
                tx.put("; and " if k == len(sponsors) - 1 else "; ")
            spq.append(tx.put(sname))
        q["sponsors"] = (sp_list_start, tx.length)
        tx.put(".")
        text = tx.text

        made: dict[tuple[int, int], str] = {}

        def evidence(span: tuple[int, int]) -> str:
            if span in made:
                return made[span]
            s, e = span
            node_iri = f"{ID}evidence/{slug}/{s}-{e}"
            node, qs, ps = iri(node_iri), iri(node_iri + "/quote"), iri(node_iri + "/position")
            rec.add(node, A, [E["Evidence"], W["SpecificResource"]])
            rec.add(node, W["hasSource"], doc)
            if not (defect == "evidence-without-selector" and not made):
                rec.add(node, W["hasSelector"], [qs, ps])
            exact = text[s:e]
            if defect == "quote-not-in-text" and not made:
                exact = exact[::-1] + " (misquoted)"
            rec.add(qs, A, W["TextQuoteSelector"])
            rec.add(qs, W["exact"], lit(exact))
            if s:
                rec.add(qs, W["prefix"], lit(text[max(0, s - 24):s]))
            if e < len(text):
                rec.add(qs, W["suffix"], lit(text[e:e + 24]))
            rec.add(ps, A, W["TextPositionSelector"])
            rec.add(ps, W["start"], nni(s))
            rec.add(ps, W["end"], nni(e))
            made[span] = node
            return node

        def fact(s: str, p: str, o: str, *spans: tuple[int, int], basis: str = "stated",
                 note: str | None = None, interpretation: str | None = None) -> None:
            rec.add(s, p, o)
            if defect == "fact-without-evidence" and p == S["location"]:
                return
            digest = hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest()[:12]
            a = sid("assertion", f"{slug}/{digest}")
            rec.add(a, A, [E["Assertion"], R["Statement"]])
            rec.add(a, R["subject"], s)
            rec.add(a, R["predicate"], p)
            rec.add(a, R["object"], o)
            rec.add(a, E["basis"], BASIS[basis])
            rec.add(a, E["evidence"], [evidence(sp) for sp in spans])
            if note:
                rec.add(a, E["inferenceNote"], en(note))
            if interpretation:
                rec.add(a, E["interpretation"], interpretation)

        def participation(agent: str, agent_slug: str, role: str, *spans: tuple[int, int], basis: str = "stated",
                          capacity: str | None = None, interpretation: str | None = None,
                          event: str | None = None) -> None:
            part = sid("participation", f"{slug}/{agent_slug}/{role}")
            rec.add(part, A, E["Participation"])
            rec.add(part, E["agent"], agent)
            rec.add(part, E["inEvent"], event or ev)
            rec.add(part, E["role"], sid("role", "keynote-juggler") if defect == "unknown-role" and role == "speaker"
                    else ROLE[role])
            rec.add(part, E["basis"], BASIS[basis])
            rec.add(part, E["evidence"], [evidence(sp) for sp in spans])
            if capacity:
                rec.add(part, E["capacity"], en(capacity))
            if interpretation:
                rec.add(part, E["interpretation"], interpretation)

        r = iri(rec.iri)
        rec.add(r, A, E["Record"])
        rec.add(r, D["title"], en(f"The {ev_name}, {place_name}, {start}"))
        rec.add(r, D["license"], CC_BY)
        rec.add(r, PV["wasDerivedFrom"], doc)
        rec.add(r, D["modified"], date(MODIFIED))

        rec.add(doc, A, [E["PressRelease"], E["SourceDocument"], S["Article"], S["CreativeWork"], PV["Entity"]])
        rec.add(doc, LABEL, en(f"Press release on the {ev_name}, dated {place_name}, {published}"))
        rec.add(doc, S["inLanguage"], lit("en"))
        rec.add(doc, E["fullText"], lit(text))
        fact(doc, S["about"], ev, q["name"])
        fact(doc, S["dateCreated"], date(published), q["dateline"])
        fact(doc, S["locationCreated"], place, q["dateline"])

        rec.add(ev, A, [E["Workshop"], E["Meeting"], S["EducationEvent"], S["Event"]] if "Workshop" in kind
                else [E["Meeting"], S["Event"]])
        rec.add(ev, S["subjectOf"], doc)
        fact(ev, S["name"], en(ev_name), q["name"])
        if defect == "end-before-start":
            start, end = end, f"{year}-{month + 1:02d}-{max(1, day - 1):02d}"
        note = "The sentence gives the days and the month; the year is taken from the dateline."
        fact(ev, S["startDate"], date(start), q["dates"], q["dateline"], basis="inferred", note=note)
        fact(ev, S["endDate"], date(end), q["dates"], q["dateline"], basis="inferred", note=note)
        fact(ev, S["location"], place, q["place"])
        for (g_iri, _) in targets:
            fact(ev, E["targetGroup"], g_iri, q["targets"])
        if initiative:
            ini = sid("initiative", slug)
            rec.add(ini, A, E["Initiative"])
            fact(ini, S["name"], en(text[q["initiative"][0]:q["initiative"][1]]), q["initiative"])
            fact(ini, PV["wasAssociatedWith"], convener[0], q["initiative"])
            fact(ini, S["about"], topics[-1][0], q["initiative"])
            fact(ev, E["partOfInitiative"], ini, q["initiative"])
        remarks = iri(f"{ID}event/{slug}/opening-remarks")
        rec.add(remarks, A, [E["OpeningRemarks"], E["EventPart"], S["Event"]])
        rec.add(remarks, S["subjectOf"], doc)
        fact(remarks, S["name"], en(f"opening remarks of {speakers[0][2]} {speakers[0][1]}"), sq[0][0], q["remarks"])
        fact(remarks, S["superEvent"], ev, q["remarks"])
        fact(ev, S["subEvent"], remarks, q["remarks"])
        fact(remarks, S["performer"], speakers[0][0], sq[0][0], q["remarks"])
        fact(ev, E["convener"], convener[0], q["convener"])
        participation(convener[0], convener[0][-7:-1], "convener", q["convener"])
        organizer = speakers[0][0] if defect == "organizer-is-a-person" else organiser[0]
        fact(ev, S["organizer"], organizer, q["organiser"])
        participation(organizer, organizer[-7:-1], "organiser", q["organiser"])
        interp = None
        if len(sponsors) > 2:
            interp = sid("interpretation", f"{slug}/supporters")
            rec.add(interp, A, [E["Interpretation"], PV["Entity"]])
            rec.add(interp, LABEL, en("How many supporters the support list names"))
            rec.add(interp, E["chosenReading"], en(f"{len(sponsors)} supporters, one per item of the list."))
            rec.add(interp, E["alternativeReading"], en("Fewer supporters, some items naming one body jointly."))
            rec.add(interp, E["rationale"], en("Each item names a distinct body."))
            rec.add(interp, E["evidence"], evidence(q["sponsors"]))
        for (s_iri, _), span in zip(sponsors, spq):
            basis = "interpreted" if interp else "stated"
            fact(ev, S["sponsor"], s_iri, span, q["sponsors"], basis=basis, interpretation=interp)
            participation(s_iri, s_iri[-7:-1], "supporter", span, q["sponsors"], basis=basis, interpretation=interp)
        for (t_iri, _) in topics:
            topic = sid("topic", "synthetic-unheard-of") if defect == "missing-topic" else t_iri
            fact(ev, S["about"], topic, q["topics"])
        for k, ((gname, member), span) in enumerate(zip(groups, gq)):
            g = sid("group", f"{slug}/g{k}")
            rec.add(g, A, [E["Group"], FOAF_GROUP])
            rec.add(g, E["memberClass"], iri(member))
            fact(g, S["name"], en(gname), span)
            participation(g, f"g{k}", "participant", span, capacity="representatives")
        for k, ((person, pname, hon, job, post), (who, said, act)) in enumerate(zip(speakers, sq)):
            fact(ev, S["performer"], person, who)
            participation(person, person[-7:-1], "speaker", who, capacity=job, event=remarks if k == 0 else ev)
            st = sid("statement", f"{slug}/{k}")
            rec.add(st, A, [E["ReportedStatement"], PV["Entity"]])
            rec.add(st, LABEL, en(f"{pname}: {text[said[0]:said[1]]}"))
            rec.add(st, PV["wasAttributedTo"], person)
            rec.add(st, E["speechAct"], SPEECH[act])
            rec.add(st, E["madeDuring"], remarks if k == 0 else ev)
            if act == "call-on":
                rec.add(st, E["addressee"], ref.states)
                rec.add(st, E["refersTo"], framework[0])
            rec.add(st, E["accordingTo"], doc)
            rec.add(st, E["reportedContent"], lit(text[said[0]:said[1]]))
            rec.add(st, E["isDirectQuote"], XSD_FALSE)
            rec.add(st, S["about"], topics[k % len(topics)][0])
            rec.add(st, E["basis"], BASIS["stated"])
            rec.add(st, E["evidence"], [evidence(said), evidence(who)])
        return rec, text

    def records(self, start: int, count: int) -> Iterator[Record]:
        for i in range(start, start + count):
            yield self.record(i)[0]


# -- writing ---------------------------------------------------------------------------------------------------

_SHORT: dict[str, str] = {}


def _short(term: str) -> str:
    out = _SHORT.get(term)
    if out is not None:
        return out
    out = term
    if term[0] == "<":
        v = term[1:-1]
        if v.startswith(ID):
            out = f"<{v[len(ID):]}>"
        else:
            for p, ns in PREFIXES:
                local = v[len(ns):]
                if v.startswith(ns) and local and local[0].isalpha() and local.replace("-", "").replace("_", "").isalnum():
                    out = f"{p}:{local}"
                    break
        _SHORT[term] = out
    elif term.endswith(">") and '"^^<' in term:
        i = term.rfind("^^<")
        out = term[:i + 2] + _short(term[i + 2:])
    return out


def turtle_block(triples: Iterable[tuple[str, str, str]], indent: str = "") -> str:
    """Triples grouped by subject (in first-seen order), as Turtle statements."""
    by_s: dict[str, dict[str, list[str]]] = {}
    for s, p, o in triples:
        by_s.setdefault(s, {}).setdefault(p, []).append(o)
    out = []
    for s, preds in by_s.items():
        parts = []
        for p, objs in sorted(preds.items(), key=lambda kv: kv[0] != A):
            name = "a" if p == A else _short(p)
            parts.append(f"{indent}    {name} " + ", ".join(_short(o) for o in objs))
        out.append(f"{indent}{_short(s)}\n" + " ;\n".join(parts) + " .\n")
    return "\n".join(out)


def header() -> str:
    return f"@base <{ID}> .\n" + "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES) + "\n"


def turtle(rec: Record) -> str:
    return header() + turtle_block(rec.triples)


def write_dataset(recs: Iterable[Record], trig: Path, nq: Path | None) -> int:
    """Write the records as TriG (and N-Quads); returns the number of triples."""
    n = 0
    with open(trig, "w", encoding="utf-8") as ft, open(nq or Path("/dev/null"), "w", encoding="utf-8") as fq:
        ft.write(header())
        for rec in recs:
            g = iri(rec.iri)
            ft.write(f"{_short(g)} {{\n{turtle_block(rec.triples, '    ')}}}\n\n")
            if nq is not None:
                fq.write("".join(f"{s} {p} {o} {g} .\n" for s, p, o in rec.triples))
            n += len(rec.triples)
    return n


def plan(target: int, seed: int = 0) -> int:
    """How many event records make about ``target`` triples, with the reference record."""
    sample = Generator(seed, 200)
    per = sum(len(sample.record(i)[0].triples) for i in range(0, 40_000, 100)) / 400
    n = max(1, round(target / per))
    for _ in range(4):  # the reference data grows with n: settle
        ref = len(Generator(seed, n).ref.record.triples)
        n = max(1, round((target - ref) / per))
    return n


def generate(size: str | int, out: Path, seed: int = 0, batch: int = BATCH,
             defects: tuple[str, ...] = DEFECTS, nquads: bool = True) -> dict[str, object]:
    """Write the dataset, the batch and the parameters for one size; returns a summary."""
    target = SIZES[size] if isinstance(size, str) else int(size)
    t0 = time.perf_counter()
    n = plan(target, seed)
    gen = Generator(seed, n)
    out.mkdir(parents=True, exist_ok=True)
    triples = write_dataset([gen.ref.record, *gen.records(0, n)], out / "data.trig",
                            out / "data.nq" if nquads else None)
    bdir = out / "batch"
    bdir.mkdir(exist_ok=True)
    for old in bdir.glob("*.ttl"):
        old.unlink()
    broken: dict[str, str] = {}
    step = batch // (len(defects) + 1) if defects else 0
    batch_triples = 0
    for k in range(batch):
        d = defects[k // step - 1] if step and k and k % step == 0 and k // step <= len(defects) else None
        rec, _ = gen.record(n + k, d)
        (bdir / f"{rec.slug}.ttl").write_text(turtle(rec), encoding="utf-8")
        batch_triples += len(rec.triples)
        if d:
            broken[rec.iri] = d
    # Values for the named queries' parameters (by parameter name) that exist in the data: an event with
    # every optional part (initiative, target groups, a call on States), its convener and first speaker, a top
    # topic, a country.
    rng = random.Random(f"{seed}/params")
    first = rng.randrange(max(1, n // 6))
    for k in range(max(1, n // 6)):  # the first from there whose statements include a call to act
        sample, _ = gen.record(((first + k) % max(1, n // 6)) * 6)
        if any(o == SPEECH["call-on"] for _, _, o in sample.triples):
            break
    event = f"{ID}event/{sample.slug}"
    params = {
        "event": event,
        "agent": next(o for s_, p, o in sample.triples if p == E["convener"])[1:-1],
        "speaker": next(o for s_, p, o in sample.triples if p == S["performer"])[1:-1],
        "topic": gen.ref.topics[0][0][1:-1],
        "country": f"{ID}place/country-00",
        "subject": event,
        "predicate": SCHEMA + "startDate",
        "text": "Forum",
        "from": "2015-01-01",
        "to": "2015-12-31",
    }
    summary = {"size": size, "seed": seed, "records": n + 1, "triples": triples, "batch_records": batch,
               "batch_triples": batch_triples, "defects": broken, "params": params}
    (out / "params.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return {**summary, "seconds": round(time.perf_counter() - t0, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--size", action="append", help="10k, 100k, 1m or a number of triples (repeatable)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "out")
    args = ap.parse_args(argv)
    for size in args.size or list(SIZES):
        s = generate(size if size in SIZES else int(size), args.out / size, args.seed)
        print(f"{size}: {s['records']} records, {s['triples']} triples; batch of {s['batch_records']} records "
              f"({s['batch_triples']} triples) -> {args.out / size} ({s['seconds']} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
