"""How one request is measured: its answer checked once, then its latency by wrk (closed loop,
one connection) or, for requests slower than wrk's duration allows, by timing a few in turn on
one kept-alive connection; and throughput by wrk with several connections.

wrk is a C load generator (Debian's `wrk`); its Lua script (`bench/wrk/query.lua`) prints the
percentiles as one JSON line. Python's own timing is used only where a request takes longer
than a tenth of a second, where its overhead (tens of µs) is far below the noise.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

WRK_SCRIPT = Path(__file__).resolve().parent.parent / "wrk" / "query.lua"

# Requests slower than this (in seconds, at the probe) are timed in Python, not by wrk.
SLOW = 0.1


@dataclass
class Answer:
    """What one request answered: its status, its size and a short summary to compare stores."""

    status: int
    seconds: float
    bytes: int
    summary: str


def get(url: str, accept: str, timeout: float = 3600) -> tuple[int, bytes, float]:
    """One GET on a new connection; returns status, body and seconds."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    target = parts.path + ("?" + parts.query if parts.query else "")
    started = time.perf_counter()
    connection.request("GET", target, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    seconds = time.perf_counter() - started
    connection.close()
    return response.status, body, seconds


def summarize(body: bytes, accept: str) -> str:
    """A store-independent summary of an answer: the boolean of an ASK, the row count of a
    SELECT (and the value of a single COUNT), or for REST answers the counts of their lists."""
    try:
        document = json.loads(body)
    except ValueError:
        return f"{len(body)} bytes, not JSON"
    if "sparql-results" in accept:
        if "boolean" in document:
            return f"ask={str(document['boolean']).lower()}"
        rows = document.get("results", {}).get("bindings", [])
        if len(rows) == 1 and len(rows[0]) == 1:
            (value,) = rows[0].values()
            return f"rows=1 value={value.get('value')}"
        return f"rows={len(rows)}"
    if isinstance(document, dict):
        counts = [f"{k}={len(v)}" for k, v in document.items() if isinstance(v, list)]
        for key in ("total", "truncated"):
            if key in document and not isinstance(document[key], (list, dict)):
                counts.append(f"{key}={document[key]}")
        return " ".join(counts) or "object"
    if isinstance(document, list):
        return f"items={len(document)}"
    return "value"


def probe(url: str, accept: str) -> Answer:
    """One request, to warm caches, check the status and summarize the answer."""
    status, body, seconds = get(url, accept)
    summary = summarize(body, accept) if status == 200 else body[:300].decode(errors="replace")
    return Answer(status, seconds, len(body), summary)


def wrk(url: str, accept: str, threads: int, connections: int, seconds: float) -> dict:
    """Runs wrk against `url`; returns its JSON summary (latencies in µs)."""
    # wrk takes whole seconds.
    seconds = max(1, round(seconds))
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "120s",
         "-s", str(WRK_SCRIPT), url],
        capture_output=True, text=True, env={**os.environ, "BENCH_ACCEPT": accept},
        timeout=seconds + 300,
    )
    for line in result.stdout.splitlines():
        if line.startswith("WRKJSON "):
            summary = json.loads(line[len("WRKJSON "):])
            summary["rate"] = summary["requests"] / (summary["duration_us"] / 1e6)
            return summary
    raise RuntimeError(f"wrk printed no summary for {url[:80]}: {result.stdout}{result.stderr}")


def latency(url: str, accept: str, slow: bool, seconds: float, samples: int) -> dict:
    """The latency of `url` in ms: median and p95, and how many requests were timed.

    Fast requests: wrk, one connection, for `seconds`. Slow ones: `samples` requests in turn.
    """
    if not slow:
        summary = wrk(url, accept, threads=1, connections=1, seconds=seconds)
        errors = sum(summary["errors"].values())
        return {
            "p50_ms": summary["latency_us"]["p50"] / 1000,
            "p95_ms": summary["latency_us"]["p95"] / 1000,
            "requests": summary["requests"],
            "errors": errors,
            "method": "wrk -t1 -c1",
        }
    times, errors = [], 0
    for _ in range(samples):
        status, _, took = get(url, accept)
        errors += status != 200
        times.append(took * 1000)
    times.sort()
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "requests": len(times),
        "errors": errors,
        "method": f"{samples} in turn",
    }


def throughput(url: str, accept: str, seconds: float, connections: int = 4) -> dict:
    """Requests per second and p99 under `connections` concurrent closed-loop clients."""
    summary = wrk(url, accept, threads=2, connections=connections, seconds=seconds)
    return {
        "rate": summary["rate"],
        "p50_ms": summary["latency_us"]["p50"] / 1000,
        "p99_ms": summary["latency_us"]["p99"] / 1000,
        "errors": sum(summary["errors"].values()),
        "method": f"wrk -t2 -c{connections} -d{max(1, round(seconds))}s",
    }
