"""The named queries: headers the package can parse, valid SPARQL on rdflib and Oxigraph, the same answers
on both, and answers that agree with the source text."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from model_support import ONTOLOGY, ONTOLOGY_IRI, QUERIES, RECORDS
from model_support import (  # noqa: F401  (the fixtures these tests use, and what they depend on)
    _reuse_parsed_sparql, ontology, record_files, records, shapes, source_text, union, workshop,
)

ID = "https://w3id.org/eventkg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"id": ID, "schema": "https://schema.org/", "ekg": "https://w3id.org/eventkg/ontology#"}
HEADER = re.compile(r"\A# title: (?P<title>.+)\n# description: (?P<description>.+)\n(?P<params>(?:# param: .+\n)*)")
PARAM = re.compile(r"# param: (?P<name>[A-Za-z_]\w*) (?P<type>iri|string|date|integer) (?P<description>.+)")
DEFAULT = re.compile(r"\(default: ([^)]+)\)")
QUERY_FILES = sorted(QUERIES.glob("*.rq"))
# rdflib's Dataset warns about its own deprecated internals on every quad lookup.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")


def parse_header(path: Path) -> tuple[str, str, list[dict]]:
    text = path.read_text(encoding="utf-8")
    m = HEADER.match(text)
    assert m, f"{path.name}: header must start with '# title:', '# description:' and '# param:' lines"
    params = []
    for line in m.group("params").splitlines():
        p = PARAM.fullmatch(line)
        assert p, f"{path.name}: bad param line {line!r}"
        d = DEFAULT.search(p.group("description"))
        params.append({**p.groupdict(), "default": d.group(1) if d else None})
    return m.group("title"), m.group("description"), params


def term(value: str, kind: str):
    """(rdflib term, pyoxigraph term) for a parameter value written as in the headers."""
    if kind == "iri":
        prefix, local = value.split(":", 1)
        iri = PREFIXES[prefix] + local if prefix in PREFIXES else value
        return URIRef(iri), ox.NamedNode(iri)
    if kind == "date":
        return Literal(value, datatype=URIRef(XSD + "date")), ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    if kind == "integer":
        return Literal(int(value)), ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    return Literal(value), ox.Literal(value)


@pytest.fixture(scope="module")
def oxstore() -> ox.Store:
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(ONTOLOGY_IRI)))
    for f in sorted(RECORDS.glob("*.ttl")):
        store.load(path=str(f), format=ox.RdfFormat.TURTLE,
                   to_graph=ox.NamedNode("https://w3id.org/eventkg/record/" + f.stem))
    return store


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.graph(ONTOLOGY_IRI).parse(ONTOLOGY, format="turtle")
    for f in sorted(RECORDS.glob("*.ttl")):
        ds.graph(URIRef("https://w3id.org/eventkg/record/" + f.stem)).parse(f, format="turtle")
    return ds


def _plain(v) -> str | None:
    if v is None:
        return None
    return v.value if isinstance(v, (ox.NamedNode, ox.Literal, ox.BlankNode)) else str(v)


def run_ox(store, name: str, **overrides) -> list[dict]:
    path = QUERIES / f"{name}.rq"
    _, _, params = parse_header(path)
    subs = {}
    for p in params:
        value = overrides.get(p["name"], p["default"])
        if value is not None:
            subs[ox.Variable(p["name"])] = term(value, p["type"])[1]
    res = store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True, substitutions=subs)
    names = [v.value for v in res.variables]
    return [{n: _plain(row[n]) for n in names} for row in res]


def run_rdflib(ds, name: str, **overrides) -> list[dict]:
    path = QUERIES / f"{name}.rq"
    _, _, params = parse_header(path)
    bindings = {p["name"]: term(overrides.get(p["name"], p["default"]), p["type"])[0]
                for p in params if overrides.get(p["name"], p["default"]) is not None}
    res = ds.query(path.read_text(encoding="utf-8"), initBindings=bindings)
    return [{str(v): _plain(row[v]) for v in res.vars} for row in res]


# -- the files ------------------------------------------------------------------------------------

def test_at_least_fifteen_named_queries():
    assert len(QUERY_FILES) >= 15
    for p in QUERY_FILES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p.stem), f"{p.name}: kebab-case name"


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_query_header_and_syntax(path, oxstore):
    title, description, params = parse_header(path)
    text = path.read_text(encoding="utf-8")
    assert "PREFIX" in text and "GRAPH" not in text.replace("GRAPH ?record", "")
    prepareQuery(text)  # rdflib parses it
    projection = text[text.index("SELECT"):text.index("WHERE")]
    for p in params:
        assert f"?{p['name']}" in text[text.index("WHERE"):], f"{path.name}: ?{p['name']} is not used"
        # Oxigraph binds a parameter by substitution only if it is projected.
        assert f"?{p['name']}" in projection, f"{path.name}: ?{p['name']} must be in the SELECT list"
        assert p["default"] is not None, f"{path.name}: ?{p['name']} has no default"


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_query_gives_the_same_answers_on_oxigraph_and_rdflib(path, oxstore, dataset):
    def norm(rows):
        out = set()
        for r in rows:
            out.add(tuple(sorted((k, " ".join(sorted(re.split(r"; | ", v))) if v else v) for k, v in r.items())))
        return out
    ox_rows, rdf_rows = run_ox(oxstore, path.stem), run_rdflib(dataset, path.stem)
    assert ox_rows, f"{path.stem}: no answer with the default parameters"
    assert norm(ox_rows) == norm(rdf_rows)


# -- the answers, checked against the source text ---------------------------------------------------

def support_list(text: str) -> list[str]:
    tail = text[text.index("with support from ") + len("with support from "):].rstrip(".")
    return [re.sub(r"^(and\s+)?the\s+", "", x.strip()) for x in re.split(r";|,\s+(?=the\s)", tail)]


def test_event_organisers(oxstore, source_text):
    rows = run_ox(oxstore, "event-organisers")
    by_role = {}
    for r in rows:
        by_role.setdefault(r["role"], set()).add(r["name"])
    organiser = re.search(r"organised by ([\w-]+(?: [A-Z][\w-]*)*)", source_text).group(1)
    assert by_role["organiser"] == {organiser} == {"AICHR-Viet Nam"}
    convener = re.search(r"- The (.+?) \(AICHR\) convened", source_text).group(1)
    assert by_role["convener"] == {convener}
    supporters = support_list(source_text)
    assert len(by_role["supporter"]) == len(supporters) == 5
    for s in supporters:
        assert s in by_role["supporter"] or (s == "AICHR" and convener in by_role["supporter"])
    assert {r["basis"] for r in rows if r["role"] == "supporter"} == {"stated", "interpreted"}


def test_event_when_where(oxstore, source_text):
    [row] = run_ox(oxstore, "event-when-where")
    year = re.match(r"HANOI, \d+ June (\d{4})", source_text).group(1)
    first, last = re.search(r"on (\d+)-(\d+) June", source_text).groups()
    assert row["startDate"] == f"{year}-06-{int(first):02d}" and row["endDate"] == f"{year}-06-{int(last):02d}"
    words = {"one": 1, "two": 2, "three": 3}
    stated = words[re.search(r"the (\w+)-day workshop", source_text).group(1)]
    assert int(row["days"]) == stated == int(last) - int(first) + 1
    assert row["duration"] == f"P{stated}D"
    assert f"in {row['placeName']} on" in source_text
    assert row["countryName"] == "Viet Nam" and row["countryName"] in source_text


def test_participant_categories_in_text_order(oxstore, source_text):
    rows = run_ox(oxstore, "participant-categories")
    listed = source_text[source_text.index("representatives from ") + len("representatives from "):]
    items = [re.sub(r"^(and\s+)?(the\s+)?", "", x.strip()) for x in listed[:listed.index(".")].split(",")]
    categories = [r for r in rows if r["capacity"] == "representatives"]
    assert len(categories) == len(items) == 9
    assert [int(r["position"]) for r in categories] == sorted(int(r["position"]) for r in categories)
    for item, row in zip(items, categories):
        assert row["name"] in (item, "ASEAN Intergovernmental Commission on Human Rights" if item == "AICHR" else None)
        assert source_text[int(row["position"]):].removeprefix("the ").startswith(item)
    named = {r["name"] for r in categories if r["kind"] == "named body"}
    assert named == {"ASEAN Intergovernmental Commission on Human Rights", "ASEAN Secretariat"}


def test_opening_remarks(oxstore, source_text):
    [row] = run_ox(oxstore, "opening-remarks")
    m = re.search(r"(\w+) ((?:[A-Z]\w+ ){2}[A-Z]\w+), (.+?), highlighted in his opening remarks", source_text)
    assert (row["honorific"], row["name"], row["jobTitle"]) == m.groups()
    assert row["name"] == "Pham Sanh Chau"
    assert row["organisationName"] == "Ministry of Foreign Affairs of Viet Nam" and row["organisationName"] in source_text


def test_calls_to_action(oxstore, source_text):
    rows = run_ox(oxstore, "calls-to-action")
    assert {r["speakerName"] for r in rows} == {"Pham Sanh Chau"}
    assert {r["addresseeName"] for r in rows} == {"States"}
    content = rows[0]["content"]
    assert f"called on States {content}." in source_text
    frameworks = {r["frameworkName"] for r in rows}
    assert frameworks == {"ASEAN Community", "UN 2030 Agenda on Sustainable Development Goals"}
    assert all(f in content for f in frameworks)


@pytest.mark.parametrize("topic,expected", [
    ("id:topic/trafficking-in-persons", 13),
    ("id:topic/root-causes-of-tip", 1),
    ("id:topic/human-rights", 1),
    ("id:topic/no-such-topic", 0),
])
def test_events_by_topic_includes_narrower_topics(oxstore, topic, expected):
    rows = run_ox(oxstore, "events-by-topic", topic=topic)
    assert len(rows) == expected
    assert {r["name"] for r in rows} <= {"Regional Workshop on Prevention Strategies to combat Trafficking in Persons "
                                         "(TIP), Especially Women and Children: Enhancing Access to Information and "
                                         "Community-based Protection System"}


def test_fact_evidence_for_the_start_date(oxstore, source_text):
    rows = run_ox(oxstore, "fact-evidence")
    assert {r["object"] for r in rows} == {"2018-06-21"} and {r["basis"] for r in rows} == {"inferred"}
    assert {r["exact"] for r in rows} == {"21-22 June", "HANOI, 26 June 2018"}
    for r in rows:
        assert source_text[int(r["start"]):int(r["end"])] == r["exact"]
    rows = run_ox(oxstore, "fact-evidence", predicate="schema:organizer")
    assert [source_text[int(r["start"]):int(r["end"])] for r in rows] == ["The workshop was organised by AICHR-Viet Nam"]


def test_facts_lacking_evidence(oxstore):
    rows = run_ox(oxstore, "facts-lacking-evidence")
    statuses = {}
    for r in rows:
        statuses.setdefault(r["status"], []).append(r)
    assert "no evidence" not in statuses
    # the dates (year from the dateline), the opening remarks' name (ours) and their tie to the workshop (the
    # sentence does not name it), and a statement read from "an avenue for participants to discuss": each
    # inferred fact says how
    assert {r["predicate"].rsplit("/", 1)[1] for r in statuses["inferred"]} == \
        {"startDate", "endDate", "name", "subEvent", "superEvent", "performer", "ontology#ReportedStatement"}
    assert all(r["explanation"] for r in statuses["inferred"])
    interpreted = {(r["predicate"].rsplit("/", 1)[1].split("#")[-1], r["object"].rsplit("/", 1)[1]) for r in statuses["interpreted"]}
    assert ("sponsor", "aichr") in interpreted and ("sponsor", "asean-us-partnership-good-governance") in interpreted
    assert ("postIn", "ministry-of-foreign-affairs-viet-nam") in interpreted
    assert all(r["explanation"] for r in statuses["reference"])


def test_facts_lacking_evidence_finds_an_unevidenced_fact(oxstore):
    store = ox.Store()
    for q in oxstore:
        store.add(q)
    store.add(ox.Quad(ox.NamedNode(ID + "org/aichr"), ox.NamedNode("https://schema.org/alternateName"),
                      ox.Literal("The Commission", language="en"),
                      ox.NamedNode("https://w3id.org/eventkg/record/aichr-tip-workshop-2018")))
    rows = [r for r in run_ox(store, "facts-lacking-evidence") if r["status"] == "no evidence"]
    assert [(r["subject"], r["object"]) for r in rows] == [(ID + "org/aichr", "The Commission")]


@pytest.mark.parametrize("country,expected", [("id:place/viet-nam", 1), ("id:place/elsewhere", 0)])
def test_events_in_country(oxstore, country, expected):
    rows = run_ox(oxstore, "events-in-country", country=country)
    assert len(rows) == expected
    assert all(r["placeName"] == "Hanoi" for r in rows)


def test_event_topics(oxstore):
    rows = run_ox(oxstore, "event-topics")
    assert len({r["topic"] for r in rows}) == len(rows) == 13   # one row a topic, with several broader ones too
    [hrba] = [r for r in rows if r["topic"] == ID + "topic/human-rights-based-approach"]
    assert len(hrba["broaderTopics"].split()) == 2 and len(hrba["broaderLabels"].split("; ")) == 2
    assert sum(1 for r in rows if int(r["statements"]) > 0) >= 10


def test_target_groups(oxstore, source_text):
    rows = run_ox(oxstore, "target-groups")
    assert {r["label"] for r in rows} == {"women", "children"}
    for r in rows:
        assert r["exact"] in source_text and r["label"].capitalize() in r["exact"]


def test_statements_by_speaker(oxstore, source_text):
    rows = run_ox(oxstore, "statements-by-speaker")
    assert [r["act"] for r in rows] == ["highlighted", "called on"]
    assert [int(r["start"]) for r in rows] == sorted(int(r["start"]) for r in rows)
    for r in rows:
        assert source_text[int(r["start"]):].startswith(r["content"])
        assert r["isDirectQuote"] == "false"
    groups = run_ox(oxstore, "statements-by-speaker", speaker="id:group/aichr-tip-workshop-2018/resource-persons")
    assert [r["act"] for r in groups] == ["highlighted", "highlighted", "underlined", "underlined", "underlined"]


def test_supporter_evidence(oxstore, source_text):
    rows = run_ox(oxstore, "supporter-evidence")
    assert len({r["supporter"] for r in rows}) == 5
    for r in rows:
        assert source_text[int(r["start"]):int(r["end"])] == r["exact"]
    whole = [r for r in rows if r["exact"].startswith("with support from")]
    assert len(whole) == 5 and whole[0]["exact"] == "with support from " + source_text.split("with support from ")[1].rstrip(".")
    assert {r["name"] for r in rows if r["basis"] == "interpreted"} == {
        "ASEAN Intergovernmental Commission on Human Rights",
        "ASEAN-U.S. Partnership for Good Governance, Equitable and Sustainable Development and Security"}


def test_source_documents(oxstore, source_text):
    [row] = run_ox(oxstore, "source-documents")
    place, day, month, year = re.match(r"([A-Z]+), (\d+) (\w+) (\d{4})", source_text).groups()
    assert row["date"] == f"{year}-06-{int(day):02d}" and month == "June"
    assert row["placeName"].upper() == place
    assert int(row["length"]) == len(source_text)


def test_sub_events(oxstore):
    [row] = run_ox(oxstore, "sub-events")
    assert row["performerName"] == "Pham Sanh Chau" and "opening remarks" in row["name"]


def test_records(oxstore, records):
    rows = {r["record"].rsplit("/", 1)[1]: r for r in run_ox(oxstore, "records")}
    assert set(rows) == {"aichr-tip-workshop-2018", "reference", "topics"}
    for name, g in records.items():
        assert int(rows[name.removesuffix(".ttl")]["triples"]) == len(g)


def test_agent_involvement(oxstore):
    rows = run_ox(oxstore, "agent-involvement")
    assert {r["role"] for r in rows} == {"convener", "participant", "supporter"}
    assert {r["partOf"] for r in rows} == {None}   # the workshop itself is no part of another event


def test_agent_involvement_names_the_event_a_part_belongs_to(oxstore, source_text):
    """The speaker of the opening remarks took part in the workshop: the row says which event they are part of."""
    [row] = run_ox(oxstore, "agent-involvement", agent="id:person/pham-sanh-chau")
    assert row["role"] == "speaker" and "opening remarks" in row["eventName"]
    assert row["partOf"] == ID + "event/aichr-tip-workshop-2018"
    assert row["partOfName"].split(" (TIP)")[0] in source_text


def test_interpretations(oxstore, source_text):
    rows = run_ox(oxstore, "interpretations")
    assert len({r["interpretation"] for r in rows}) == 3
    assert all(r["exact"] in source_text for r in rows)


def test_statements_at_event(oxstore, source_text):
    rows = run_ox(oxstore, "statements-at-event")
    assert len(rows) == 10
    assert [int(r["position"]) for r in rows] == sorted(int(r["position"]) for r in rows)
    for r in rows:
        assert source_text[int(r["position"]):].startswith(r["content"])
    assert {r["act"] for r in rows} == {"highlighted", "called on", "underlined", "discussed"}


def test_policy_frameworks(oxstore, source_text):
    rows = run_ox(oxstore, "policy-frameworks")
    assert {r["name"] for r in rows} == {"ASEAN Community", "UN 2030 Agenda on Sustainable Development Goals"}
    assert all(r["name"] in source_text for r in rows)


def test_event_initiative(oxstore, source_text):
    rows = run_ox(oxstore, "event-initiative")
    assert {r["name"] for r in rows} == {"AICHR’s continued effort to promote a comprehensive regional approach to combat TIP"}
    assert all(r["name"] in source_text for r in rows)
    assert {r["agentName"] for r in rows} == {"ASEAN Intergovernmental Commission on Human Rights"}


# The workshop ran on 21 and 22 June 2018: a window that holds either day finds it.
@pytest.mark.parametrize("start,end,expected", [("2018-01-01", "2018-12-31", 1), ("2018-06-22", "2018-12-31", 1),
                                                ("2018-06-23", "2018-12-31", 0), ("2018-01-01", "2018-06-21", 1),
                                                ("2018-01-01", "2018-06-20", 0), ("2019-01-01", "2019-12-31", 0)])
def test_events_between(oxstore, start, end, expected):
    assert len(run_ox(oxstore, "events-between", **{"from": start, "to": end})) == expected


def test_events_between_compares_date_times_by_their_day():
    """A start given as an xsd:dateTime (the shapes allow it) is compared by its day, not dropped."""
    store = ox.Store()
    store.load(b"""@prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <https://example.org/e> a schema:Event ; schema:name "E" ;
            schema:startDate "2020-03-01T09:00:00+07:00"^^xsd:dateTime .
        <https://example.org/f> a schema:Event ; schema:name "F" ; schema:startDate "2020-02-27"^^xsd:date ;
            schema:endDate "2020-03-02T10:00:00"^^xsd:dateTime .""", format=ox.RdfFormat.TURTLE)

    def names(start: str, end: str) -> list[str]:
        return sorted(r["name"] for r in run_ox(store, "events-between", **{"from": start, "to": end}))

    assert names("2020-03-01", "2020-03-01") == ["E", "F"]
    assert names("2020-03-02", "2020-12-31") == ["F"]   # F ends on the 2nd, as a date-time
    assert names("2020-03-03", "2020-12-31") == [] and names("2020-01-01", "2020-02-26") == []


def test_find_by_name(oxstore):
    rows = run_ox(oxstore, "find-by-name")
    assert rows and all("asean" in r["matchedNames"].lower() for r in rows)
    assert not run_ox(oxstore, "find-by-name", text="no such name")


@pytest.mark.parametrize("acronym,thing", [("ASEAN", "org/asean"), ("AICHR", "org/aichr")])
def test_find_by_name_finds_a_body_by_its_acronym(oxstore, source_text, acronym, thing):
    """The release names ASEAN and the AICHR by their acronyms; the graph holds them as alternate names."""
    assert acronym in source_text
    rows = {r["thing"]: r for r in run_ox(oxstore, "find-by-name", text=acronym)}
    assert rows[ID + thing]["matchedNames"] == acronym and acronym not in rows[ID + thing]["name"]
