"""Two eventgraph builds side by side: the harness's SPARQL queries, interleaved.

Serve each build on its own copy of the same store (for example one loaded by
`bench/run`), then:

    python3 bench/ab_builds.py FACTS.json http://127.0.0.1:7991 http://127.0.0.1:7992 [ROUNDS]

Each round times every query on both servers with `wrk -t1 -c1 -d2s` (the order turning
each round) and `ASK {}` throughput with `wrk -t2 -c4 -d3s`; it prints the medians over the
rounds and B ÷ A.
"""
import json
import statistics
import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eventbench.measure import wrk  # noqa: E402
from eventbench.workload import workload  # noqa: E402

QUERIES = {"ask", "relations_ordinary", "relations_hub_page", "relations_hub_count",
           "label_lookup", "actor_events"}

facts = json.load(open(sys.argv[1]))
servers = [SimpleNamespace(base=url, sparql=url + "/sparql") for url in sys.argv[2:4]]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
queries = [q for q in workload(facts, None)[0] if q.name in QUERIES]
ask = next(q for q in queries if q.name == "ask")
latencies = {q.name: ([], []) for q in queries}
throughputs = ([], [])
for r in range(rounds):
    order = [0, 1] if r % 2 == 0 else [1, 0]
    for q in queries:
        for i in order:
            summary = wrk(q.url(servers[i]), q.accept, 1, 1, 2)
            latencies[q.name][i].append(summary["latency_us"]["p50"] / 1e3)
    for i in order:
        throughputs[i].append(wrk(ask.url(servers[i]), ask.accept, 2, 4, 3)["rate"])
for name, (a, b) in latencies.items():
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{name:22s} A {ma:8.3f} ms  B {mb:8.3f} ms  B/A {mb / ma:.3f}")
ta, tb = statistics.median(throughputs[0]), statistics.median(throughputs[1])
print(f"{'ASK {} throughput':22s} A {ta:8.0f}/s   B {tb:8.0f}/s   B/A {tb / ta:.3f}")
