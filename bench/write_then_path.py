"""Times a REST shortest path on a running eventgraph, repeated and right after each write.

Each write is a SPARQL `INSERT DATA` of one relation from an entity of the generator's facts
(`hub` or `ordinary`) to a new entity, in its own graph; the path is the facts' 4-hop one.
A traversal after a write must not pay for the whole graph again (see BENCHMARKS.md).

    python3 bench/write_then_path.py http://127.0.0.1:7878 FACTS.json ordinary TOKEN
"""
import json
import statistics
import sys
import time
import urllib.request
import uuid

base, facts, writer, token = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3], sys.argv[4]
tail = lambda iri: iri.rsplit("/", 1)[1]
path = f"{base}/api/v1/paths?from={tail(facts['path']['from'])}&to={tail(facts['path']['to'])}"
subject = facts[writer]["iri"]


def timed_path():
    start = time.perf_counter()
    urllib.request.urlopen(path).read()
    return (time.perf_counter() - start) * 1e3


def write_one_relation():
    body = (f"INSERT DATA {{ GRAPH <urn:bench:writes> {{ <{subject}> "
            f"<https://w3id.org/eventgraph/ontology#contactsVia> "
            f"<https://w3id.org/eventgraph/id/{uuid.uuid4()}> }} }}")
    request = urllib.request.Request(f"{base}/sparql", data=body.encode(), headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"})
    urllib.request.urlopen(request).read()


for _ in range(5):
    timed_path()
repeated = [timed_path() for _ in range(40)]
after = []
for _ in range(40):
    write_one_relation()
    after.append(timed_path())
print(f"path repeated: median {statistics.median(repeated):.2f} ms; after each write "
      f"({writer}): median {statistics.median(after):.2f} ms "
      f"[{min(after):.2f}-{max(after):.2f}]")
