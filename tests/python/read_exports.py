"""Read eventgraph exports with the readers their users use, and summarise what they read.

Usage: read_exports.py FORMAT FILE [FORMAT FILE ...]

For each file, prints one JSON line: {"format", "nodes": {id: label}, "edges": [[source,
target, predicate], ...]} as the reader saw them. The test suite compares these with an
independent expectation (the REST API, the projection's stats, SPARQL). Readers:
networkx's read_graphml, read_gexf and node_link_graph (D3), Python's csv module, and rdflib
for JSON-LD, Turtle (Graph), TriG and N-Quads (Dataset).
"""

import csv
import json
import sys

import networkx as nx
import rdflib
from rdflib.namespace import RDF, RDFS

EG = "https://w3id.org/eventgraph/ontology#"
STATEMENT = rdflib.URIRef(EG + "Statement")


def from_networkx(graph):
    nodes = {str(n): data.get("label") for n, data in graph.nodes(data=True)}
    edges = [[str(s), str(t), data.get("predicate")] for s, t, data in graph.edges(data=True)]
    return nodes, edges


def read_graphml(path):
    return from_networkx(nx.read_graphml(path))


def read_gexf(path):
    graph = nx.read_gexf(path)
    assert graph.graph.get("mode") == "dynamic", graph.graph
    return from_networkx(graph)


def read_d3(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    graph = nx.node_link_graph(data, edges="links")
    return from_networkx(graph)


def read_csv_nodes(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {row["Id"]: row["Label"] for row in rows}, []


def read_csv_edges(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {}, [[row["Source"], row["Target"], row["Predicate"]] for row in rows]


def label_rank(literal):
    """The projection's preference: @en, then @en-*, then a plain string."""
    language = literal.language
    if language == "en":
        return (0, str(literal))
    if language and language.startswith("en-"):
        return (1, str(literal))
    if language is None and literal.datatype in (None, rdflib.XSD.string):
        return (2, str(literal))
    return None


def from_rdf(triples):
    """Nodes are the described subjects that are not statements; edges the other triples
    between two IRIs whose subject is a node."""
    triples = set(triples)
    statements = {s for s, p, o in triples if p == RDF.type and o == STATEMENT}
    described = {
        s
        for s, p, o in triples
        if (p == RDF.type or p == RDFS.label) and s not in statements
    }
    labels = {}
    for s, p, o in triples:
        if p == RDFS.label and s in described and isinstance(o, rdflib.Literal):
            rank = label_rank(o)
            if rank is not None and (s not in labels or rank < labels[s]):
                labels[s] = rank
    nodes = {str(s): (labels[s][1] if s in labels else None) for s in described}
    edges = [
        [str(s), str(o), str(p)]
        for s, p, o in triples
        if s in described and p != RDF.type and isinstance(o, rdflib.URIRef)
    ]
    return nodes, edges


def read_graph(path, rdf_format):
    graph = rdflib.Graph()
    graph.parse(path, format=rdf_format)
    return from_rdf(graph)


def read_dataset(path, rdf_format):
    dataset = rdflib.Dataset()
    dataset.parse(path, format=rdf_format)
    graphs = {str(c) for s, p, o, c in dataset.quads((None, None, None, None))}
    assert any(g.startswith("https://w3id.org/eventgraph/") for g in graphs), graphs
    return from_rdf((s, p, o) for s, p, o, c in dataset.quads((None, None, None, None)))


READERS = {
    "graphml": read_graphml,
    "gexf": read_gexf,
    "d3": read_d3,
    "csv-nodes": read_csv_nodes,
    "csv-edges": read_csv_edges,
    "jsonld": lambda path: read_graph(path, "json-ld"),
    "turtle": lambda path: read_graph(path, "turtle"),
    "trig": lambda path: read_dataset(path, "trig"),
    "nquads": lambda path: read_dataset(path, "nquads"),
}


def main(arguments):
    for format_name, path in zip(arguments[::2], arguments[1::2]):
        nodes, edges = READERS[format_name](path)
        print(json.dumps({"format": format_name, "nodes": nodes, "edges": edges}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
