"""Drives a running eventgraph server with the SPARQL clients people use from Python.

Usage: sparql_clients.py BASE_URL WRITE_TOKEN

SPARQLWrapper reads every result format it parses (SELECT and ASK in JSON,
XML, CSV, TSV; CONSTRUCT and DESCRIBE in Turtle, RDF/XML, JSON-LD, N-Triples),
and rdflib's SPARQLUpdateStore queries and updates through the SPARQL 1.1
Protocol with the bearer token. The server must hold the seed graph and accept
writes with WRITE_TOKEN. Prints one line per check; exit status 0 when all pass.
"""

import csv
import io
import sys
import traceback

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

EG = "https://w3id.org/eventgraph/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
CONTACT_VIA = f"""
PREFIX eg: <{EG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?via WHERE {{
  ?statement rdf:predicate eg:contactsVia ; eg:intermediary/rdfs:label ?via .
}} ORDER BY ?via
"""
EXPECTED_VIA = ["Government of Qatar", "Qatar"]
HAMAS = "https://w3id.org/eventgraph/id/90f69150-64ee-5592-bdfe-864c942656df"


def wrapper(base, fmt, query, method=None):
    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method:
        client.setMethod(method)
    return client.query().convert()


def select_json(base):
    rows = wrapper(base, JSON, CONTACT_VIA)["results"]["bindings"]
    assert [r["via"]["value"] for r in rows] == EXPECTED_VIA, rows


def select_json_by_post(base):
    rows = wrapper(base, JSON, CONTACT_VIA, POST)["results"]["bindings"]
    assert [r["via"]["value"] for r in rows] == EXPECTED_VIA, rows


def select_xml(base):
    document = wrapper(base, XML, CONTACT_VIA)
    values = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert values == EXPECTED_VIA, values


def select_csv(base):
    text = wrapper(base, CSV, CONTACT_VIA).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["via"]] + [[v] for v in EXPECTED_VIA], rows


def select_tsv(base):
    text = wrapper(base, TSV, CONTACT_VIA).decode("utf-8")
    rows = [line.split("\t") for line in text.splitlines()]
    assert rows == [["?via"]] + [[f'"{v}"@en'] for v in EXPECTED_VIA], rows


def ask_json(base):
    assert wrapper(base, JSON, f"ASK {{ <{HAMAS}> <{RDFS_LABEL}> ?l }}")["boolean"] is True


def ask_xml(base):
    document = wrapper(base, XML, f"ASK {{ <{HAMAS}> <{RDFS_LABEL}> 'nobody' }}")
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "false"


def describe_graph(base, fmt):
    graph = wrapper(base, fmt, f"DESCRIBE <{HAMAS}>")
    if not isinstance(graph, Graph):  # SPARQLWrapper leaves some formats as bytes
        parsed = Graph()
        parsed.parse(data=graph, format={TURTLE: "turtle", N3: "n3", JSONLD: "json-ld"}.get(fmt, "xml"))
        graph = parsed
    labels = {str(o) for o in graph.objects(URIRef(HAMAS), URIRef(RDFS_LABEL))}
    assert labels == {"Hamas"}, labels


def construct_turtle(base):
    describe_graph(base, TURTLE)


def construct_rdfxml(base):
    describe_graph(base, RDFXML)


def construct_jsonld(base):
    describe_graph(base, JSONLD)


def construct_n3(base):
    describe_graph(base, N3)


def rdflib_update_store(base, token):
    store = SPARQLUpdateStore(
        query_endpoint=f"{base}/sparql",
        update_endpoint=f"{base}/sparql",
        headers={"Authorization": f"Bearer {token}"},
    )
    graph_iri = URIRef("https://example.org/graphs/rdflib")
    graph = Graph(store, identifier=graph_iri)
    subject = URIRef("https://example.org/rdflib-client")
    graph.add((subject, URIRef(RDFS_LABEL), Literal("written by rdflib")))
    labels = [str(row[0]) for row in graph.query(f"SELECT ?l WHERE {{ <{subject}> <{RDFS_LABEL}> ?l }}")]
    assert labels == ["written by rdflib"], labels
    assert (subject, URIRef(RDFS_LABEL), Literal("written by rdflib")) in graph
    graph.remove((subject, None, None))
    assert len(list(graph.triples((subject, None, None)))) == 0
    store.close()


def rdflib_update_store_without_token_is_refused(base, _token):
    store = SPARQLUpdateStore(query_endpoint=f"{base}/sparql", update_endpoint=f"{base}/sparql")
    graph = Graph(store, identifier=URIRef("https://example.org/graphs/rdflib"))
    try:
        graph.add((URIRef("https://example.org/x"), URIRef(RDFS_LABEL), Literal("x")))
    except Exception as error:  # urllib raises HTTPError 401
        assert "401" in str(error), error
    else:
        raise AssertionError("an update without the token must be refused")


READ_CHECKS = [
    select_json, select_json_by_post, select_xml, select_csv, select_tsv, ask_json, ask_xml,
    construct_turtle, construct_rdfxml, construct_jsonld, construct_n3,
]
WRITE_CHECKS = [rdflib_update_store, rdflib_update_store_without_token_is_refused]


def main(base, token):
    passed, failed = 0, 0
    for check in READ_CHECKS + WRITE_CHECKS:
        try:
            if check in WRITE_CHECKS:
                check(base, token)
            else:
                check(base)
            print(f"ok      {check.__name__}")
            passed += 1
        except Exception:
            print(f"FAILED  {check.__name__}\n{traceback.format_exc()}")
            failed += 1
    print(f"python clients: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
