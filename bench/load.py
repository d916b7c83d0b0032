"""Reads and writes mixed at saturation on a running eventgraph, with expensive work flooding it.

Three loads at once for DURATION seconds, on 127.0.0.1:

- cheap lookups: `wrk -t1 -c2` on the REST relations of the facts' ordinary actor (a page
  of 50 with their statements), whose p99 must stay under 10 ms;
- expensive work: `wrk -t1 -c16` on the top-20 actors aggregate (SPARQL, `timeout=5`), more
  than the server's permits, so that the excess is answered `503 server-busy`;
- writes: one client streaming SPARQL `INSERT DATA` of one relation each, every one of which
  must be acknowledged, into the graph `urn:bench:load` (dropped at the end, so that runs do not
  pile relations onto the entity looked up).

The server's resident memory (`/proc/PID/status`) is sampled every second. Then:

    python3 bench/load.py http://127.0.0.1:7878 PID FACTS.json TOKEN [DURATION [WRITES_PER_S]]

WRITES_PER_S paces the write client (by default it writes as fast as the server acknowledges).
"""
import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eventbench.workload import PREFIXES, workload  # noqa: E402

base, pid, facts, token = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3])), sys.argv[4]
duration = int(sys.argv[5]) if len(sys.argv) > 5 else 30
write_rate = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
script = str(Path(__file__).resolve().parent / "wrk" / "status.lua")
ordinary = facts["ordinary"]["iri"].rsplit("/", 1)[1]
cheap = f"{base}/api/v1/entities/{ordinary}/relations?limit=50"
top = next(q for q in workload(facts, None)[0] if q.name == "top_actors")
expensive = f"{base}/sparql?timeout=5&query=" + urllib.parse.quote(PREFIXES + top.sparql)


def rss_kb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run_wrk(url, connections, out):
    result = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", script,
         url], capture_output=True, text=True, timeout=duration + 120,
        env={"BENCH_ACCEPT": "application/json", "PATH": "/usr/bin:/bin"})
    for line in result.stdout.splitlines():
        if line.startswith("WRKJSON "):
            out.update(json.loads(line[len("WRKJSON "):]))
            return
    out["error"] = result.stdout + result.stderr


writes = {"acknowledged": 0, "failed": 0, "latencies": []}


def write_stream(stop):
    subject = facts["ordinary"]["iri"]
    started_at, sent = time.perf_counter(), 0
    while not stop.is_set():
        if write_rate > 0:
            ahead = started_at + sent / write_rate - time.perf_counter()
            if ahead > 0:
                time.sleep(ahead)
        sent += 1
        body = (f"INSERT DATA {{ GRAPH <urn:bench:load> {{ <{subject}> "
                f"<https://w3id.org/eventgraph/ontology#contactsVia> "
                f"<https://w3id.org/eventgraph/id/{uuid.uuid4()}> }} }}")
        request = urllib.request.Request(f"{base}/sparql", data=body.encode(), headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"})
        started = time.perf_counter()
        try:
            urllib.request.urlopen(request, timeout=30).read()
            writes["acknowledged"] += 1
            writes["latencies"].append((time.perf_counter() - started) * 1e3)
        except (urllib.error.URLError, OSError):
            writes["failed"] += 1


rss = [rss_kb()]
cheap_out, expensive_out = {}, {}
stop = threading.Event()
threads = [threading.Thread(target=run_wrk, args=(cheap, 2, cheap_out)),
           threading.Thread(target=run_wrk, args=(expensive, 16, expensive_out)),
           threading.Thread(target=write_stream, args=(stop,))]
for t in threads:
    t.start()
end = time.time() + duration
while time.time() < end:
    time.sleep(1)
    rss.append(rss_kb())
stop.set()
for t in threads:
    t.join()
rss.append(rss_kb())
# The run's writes go: the next run looks the same entity up with the same relations.
urllib.request.urlopen(urllib.request.Request(f"{base}/sparql", data=b"DROP SILENT GRAPH <urn:bench:load>",
                       headers={"Content-Type": "application/sparql-update",
                                "Authorization": f"Bearer {token}"}), timeout=120).read()
lat = sorted(writes["latencies"]) or [0]
report = {
    "duration_s": duration,
    "write_rate_asked": write_rate or "unpaced",
    "cheap_lookups": {k: cheap_out.get(k) for k in ("requests", "rate", "latency_us", "statuses")},
    "expensive": {k: expensive_out.get(k) for k in ("requests", "statuses")},
    "writes": {"acknowledged": writes["acknowledged"], "failed": writes["failed"],
               "p50_ms": round(lat[len(lat) // 2], 2), "p99_ms": round(lat[int(len(lat) * 0.99)], 2)},
    "rss_mb": {"start": rss[0] // 1024, "max": max(rss) // 1024, "end": rss[-1] // 1024},
}
print(json.dumps(report, indent=1))
