"""The workload: the SPARQL queries typical of the service, sent as the same text to every
store, and eventgraph's REST equivalents of the traversals, each with the question it answers.

The entities they ask about come from the generator's facts file (`eventgraph gen --facts`):
a hub, an ordinary actor of about fifty relations, a label, an actor's events in a date window,
and two entities a few hops apart. "Relations" are the direct triples whose predicate is one
the generator links entities with; the property paths walk those predicates both ways, which
is what eventgraph's projection walks.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

EG = "https://w3id.org/eventgraph/ontology#"
SPARQL_JSON = "application/sparql-results+json"
JSON = "application/json"

PREFIXES = (
    f"PREFIX eg: <{EG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
)


@dataclass(frozen=True)
class Query:
    """One workload item: `sparql` is sent to every store, `rest` (a path) to eventgraph."""

    name: str
    question: str
    sparql: str | None = None
    rest: str | None = None

    def url(self, store) -> str:
        if self.rest is not None:
            return store.base + self.rest
        return store.sparql + "?query=" + urllib.parse.quote(PREFIXES + self.sparql)

    @property
    def accept(self) -> str:
        return JSON if self.rest is not None else SPARQL_JSON


def uuid_of(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def relations_query(entity: str, predicates: str, tail: str = "") -> str:
    return (
        "SELECT ?direction ?p ?other WHERE { "
        f"{{ VALUES ?p {{ {predicates} }} <{entity}> ?p ?other BIND(\"out\" AS ?direction) }} "
        f"UNION {{ VALUES ?p {{ {predicates} }} ?other ?p <{entity}> BIND(\"in\" AS ?direction) }} "
        f"}} {tail}"
    )


def workload(facts: dict, lean_neighborhood: str | None) -> tuple[list[Query], list[Query]]:
    """The SPARQL queries and the REST requests for the graph the facts describe.

    `lean_neighborhood` is the query string of the lean shape of a neighbourhood, if any.
    """
    predicates = " ".join(f"<{p}>" for p in facts["relation_predicates"])
    step = "|".join([f"<{p}>" for p in facts["relation_predicates"]]
                    + [f"^<{p}>" for p in facts["relation_predicates"]])
    hub, ordinary = facts["hub"]["iri"], facts["ordinary"]["iri"]
    label = facts["label_lookup"]["label"].replace("\\", "\\\\").replace('"', '\\"')
    actor = facts["actor_events"]
    path = facts["path"]
    sparql = [
        Query("ask", "ASK {} (the endpoint's floor)", "ASK {}"),
        Query("relations_ordinary",
              f"relations of an ordinary entity ({facts['ordinary']['relations']} relations)",
              relations_query(ordinary, predicates)),
        Query("relations_hub_page", "first 100 relations of the hub",
              relations_query(hub, predicates, "LIMIT 100")),
        Query("relations_hub_count",
              f"number of relations of the hub ({facts['hub']['relations']})",
              relations_query(hub, predicates).replace(
                  "SELECT ?direction ?p ?other", "SELECT (COUNT(*) AS ?n)", 1)),
        Query("label_lookup", "exact label lookup",
              f'SELECT ?e WHERE {{ ?e rdfs:label "{label}"@en }}'),
        Query("actor_events",
              f"events of an actor from {actor['from']} to {actor['to']}, ordered by date",
              "SELECT ?event ?date WHERE { "
              f"{{ ?event eg:agent|eg:participant|eg:target|eg:counterpart <{actor['iri']}> }} "
              f"UNION {{ <{actor['iri']}> eg:launched|eg:announced|eg:participatedIn ?event }} "
              "?event eg:date ?date "
              f"FILTER(?date >= \"{actor['from']}\"^^xsd:date && ?date <= \"{actor['to']}\"^^xsd:date) "
              "} ORDER BY ?date ?event"),
        Query("top_actors", "top 20 actors by event count",
              "SELECT ?actor (COUNT(DISTINCT ?event) AS ?events) WHERE { "
              "?event eg:agent|eg:participant ?actor } "
              "GROUP BY ?actor ORDER BY DESC(?events) ?actor LIMIT 20"),
        Query("two_hop", "nodes within 2 hops of the ordinary entity (property path)",
              f"SELECT DISTINCT ?node WHERE {{ {{ <{ordinary}> {step} ?node }} UNION "
              f"{{ <{ordinary}> ({step})/({step}) ?node }} }}"),
        Query("path_exists",
              f"is there a path between two entities {path['length']} hops apart "
              "(property path, existence only)",
              f"ASK {{ <{path['from']}> ({step})+ <{path['to']}> }}"),
    ]
    neighborhood = f"/api/v1/entities/{uuid_of(ordinary)}/neighborhood?depth=2&max_nodes=100000"
    paths = f"/api/v1/paths?from={uuid_of(path['from'])}&to={uuid_of(path['to'])}"
    rest = [
        Query("rest_relations_ordinary", "REST relations of the ordinary entity, with statements",
              rest=f"/api/v1/entities/{uuid_of(ordinary)}/relations"),
        Query("rest_relations_hub_page", "REST first page of the hub's relations",
              rest=f"/api/v1/entities/{uuid_of(hub)}/relations"),
        Query("rest_two_hop", "REST 2-hop neighbourhood of the ordinary entity, full shape",
              rest=neighborhood),
        Query("rest_shortest_path", "REST shortest path with its steps and statements",
              rest=paths),
        Query("rest_five_paths", "REST 5 shortest paths with their steps", rest=paths + "&k=5"),
    ]
    if lean_neighborhood:
        rest.insert(3, Query("rest_two_hop_lean",
                             f"REST 2-hop neighbourhood, lean shape ({lean_neighborhood})",
                             rest=neighborhood + "&" + lean_neighborhood))
    return sparql, rest


# Which REST request answers the question of which SPARQL query, for the ratio tables.
REST_VERSUS_SPARQL = [
    ("rest_relations_ordinary", "relations_ordinary"),
    ("rest_two_hop", "two_hop"),
    ("rest_two_hop_lean", "two_hop"),
    ("rest_shortest_path", "path_exists"),
    ("rest_five_paths", "path_exists"),
]

# What throughput is measured on: (name, query name).
THROUGHPUT = ["ask", "relations_ordinary", "rest_relations_ordinary"]
