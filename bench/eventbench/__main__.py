"""The side-by-side benchmark: `python3 -m eventbench` (from `bench/`; `bench/run` sets it up).

For each size: generate the graph with `eventgraph gen` (kept in the cache directory between
runs), bulk-load the same N-Quads file into every store, start every server on 127.0.0.1,
check that they give the same answers, then measure in one interleaved run: every workload item
on every store, run after run, the order of the stores turning each run; then throughput. The
figures go to `bench/results/<size>.json` and `.md`. Every server started is stopped, also on
failure.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

from . import measure, report
from .stores import Eventgraph, Oxigraph, Virtuoso
from .workload import THROUGHPUT, workload

SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def arguments():
    parser = argparse.ArgumentParser(prog="eventbench", description=__doc__)
    parser.add_argument("--sizes", default="100k,1m", help="comma-separated: 100k, 1m, 10m")
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs of the queries")
    parser.add_argument("--load-runs", type=int, default=1, help="loads of each store")
    parser.add_argument("--seconds", type=int, default=2, help="wrk seconds per latency figure")
    parser.add_argument("--samples", type=int, default=5, help="timed requests of a slow query")
    parser.add_argument("--throughput-seconds", type=int, default=5)
    parser.add_argument("--throughput-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--stores", default="eventgraph,oxigraph,virtuoso")
    parser.add_argument("--lean", default="fields=id",
                        help="query string of the lean neighbourhood shape ('' for none)")
    parser.add_argument("--eventgraph", type=Path, required=True)
    parser.add_argument("--oxigraph", type=Path)
    parser.add_argument("--virtuoso", type=Path)
    parser.add_argument("--isql", type=Path)
    parser.add_argument("--work", type=Path, required=True, help="data and store directories")
    parser.add_argument("--out", type=Path, required=True, help="where results are written")
    parser.add_argument("--reuse", action="store_true",
                        help="serve the stores an earlier run of this size loaded, without "
                             "loading again (their load times are then not measured)")
    parser.add_argument("--check", action="store_true",
                        help="fail unless eventgraph answers every request with 200 and gives "
                             "Oxigraph's answers (for CI, with short runs)")
    return parser.parse_args()


def disagreements(results: dict) -> list[str]:
    """What makes a check fail: a request eventgraph did not answer, or a SPARQL answer that
    differs from Oxigraph's."""
    found = []
    for name, answers in results["answers"].items():
        ours = answers.get("eventgraph")
        if ours is None or ours["status"] != 200:
            found.append(f"{name}: eventgraph answered {ours and ours['status']}: "
                         f"{ours and ours['summary']}")
        elif "oxigraph" in answers and ours["summary"] != answers["oxigraph"]["summary"]:
            found.append(f"{name}: eventgraph found {ours['summary']!r}, "
                         f"oxigraph {answers['oxigraph']['summary']!r}")
    return found


def generate(options, size: str) -> tuple[Path, dict]:
    """The N-Quads file and facts of `size`, generated once per seed and kept."""
    data = options.work / f"news-{size}-seed{options.seed}.nq"
    facts = data.with_suffix(".facts.json")
    if not (data.exists() and facts.exists()):
        started = time.monotonic()
        subprocess.run([
            options.eventgraph, "gen", "--triples", str(SIZES[size]), "--seed", str(options.seed),
            "-o", data, "--facts", facts,
        ], check=True)
        print(f"generated {data.name} in {time.monotonic() - started:.1f} s", flush=True)
    return data, json.loads(facts.read_text())


def stores(options):
    chosen = options.stores.split(",")
    work = options.work
    made = []
    if "eventgraph" in chosen:
        made.append(Eventgraph(options.eventgraph, work))
    if "oxigraph" in chosen:
        made.append(Oxigraph(options.oxigraph, work))
    if "virtuoso" in chosen:
        made.append(Virtuoso(options.virtuoso, options.isql, work))
    return made


def rotate(items: list, by: int) -> list:
    by %= len(items)
    return items[by:] + items[:by]


def run_size(options, size: str) -> dict:
    data, facts = generate(options, size)
    triples = facts["triples"]
    every = stores(options)
    results = {"size": size, "facts": facts, "file_bytes": data.stat().st_size, "load": {},
               "start": {}, "latency": {}, "throughput": {}, "answers": {}}
    try:
        # Bulk loads, interleaved when repeated; each leaves its store loaded.
        loaded = options.reuse and all(
            (s.directory / "loaded-from").exists()
            and (s.directory / "loaded-from").read_text() == data.name for s in every)
        for run in range(0 if loaded else options.load_runs):
            for store in rotate(every, run):
                store.stop()
                seconds = store.load(data)
                results["load"].setdefault(store.name, []).append(seconds)
                (store.directory / "loaded-from").write_text(data.name)
                print(f"[{size}] {store.name} loaded {triples:,} triples in {seconds:.1f} s",
                      flush=True)
        for store in every:
            if store.process is None:
                results["start"][store.name] = store.start()
            results["load"].setdefault(store.name + ":disk", store.disk())
        sparql, rest = workload(facts, options.lean or None)
        items = [(q, s) for q in sparql for s in every] + [
            (q, s) for q in rest for s in every if s.name == "eventgraph"]
        # Every answer once: warms caches, checks the status, and says what each store found.
        slow = {}
        for query, store in items:
            answer = measure.probe(query.url(store), query.accept)
            results["answers"].setdefault(query.name, {})[store.name] = answer.__dict__
            slow[query.name] = slow.get(query.name, False) or answer.seconds > measure.SLOW
            print(f"[{size}] {query.name:<26} {store.name:<10} {answer.status} "
                  f"{answer.seconds * 1000:9.2f} ms  {answer.summary[:80]}", flush=True)
        for store in every:
            results["load"][store.name + ":rss"] = store.rss()
        # Latency: run after run, every item, the stores' order turning.
        for run in range(options.runs):
            for query in sparql + rest:
                runners = [s for s in every if query.rest is None or s.name == "eventgraph"]
                for store in rotate(runners, run):
                    if results["answers"][query.name][store.name]["status"] != 200:
                        continue
                    figure = measure.latency(query.url(store), query.accept, slow[query.name],
                                             options.seconds, options.samples)
                    results["latency"].setdefault(query.name, {}).setdefault(
                        store.name, []).append(figure)
            print(f"[{size}] latency run {run + 1}/{options.runs} done", flush=True)
        # Throughput under four connections.
        by_name = {q.name: q for q in sparql + rest}
        for run in range(options.throughput_runs):
            for name in THROUGHPUT:
                query = by_name[name]
                runners = [s for s in every if query.rest is None or s.name == "eventgraph"]
                for store in rotate(runners, run):
                    if results["answers"][name][store.name]["status"] != 200:
                        continue
                    figure = measure.throughput(query.url(store), query.accept,
                                                options.throughput_seconds)
                    results["throughput"].setdefault(name, {}).setdefault(
                        store.name, []).append(figure)
        for store in every:
            results["load"][store.name + ":rss_after"] = store.rss()
    finally:
        for store in every:
            store.stop()
    results["questions"] = {q.name: q.question for q in sparql + rest}
    return results


def machine() -> dict:
    def version(command):
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=30)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "not found"
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    return {"cpu": cpu, "cores": len([l for l in Path("/proc/cpuinfo").read_text().splitlines()
                                      if l.startswith("processor")]),
            "kernel": platform.release(), "python": platform.python_version(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main():
    options = arguments()
    options.work.mkdir(parents=True, exist_ok=True)
    options.out.mkdir(parents=True, exist_ok=True)
    info = machine()
    info["versions"] = {}
    info["versions"]["eventgraph"] = subprocess.run(
        [options.eventgraph, "--version"], capture_output=True, text=True).stdout.strip()
    if options.oxigraph:
        info["versions"]["oxigraph"] = subprocess.run(
            [options.oxigraph, "--version"], capture_output=True, text=True).stdout.strip()
    if options.virtuoso:
        probe = subprocess.run([options.virtuoso, "--help"], capture_output=True, text=True)
        line = next((l for l in (probe.stdout + probe.stderr).splitlines() if "Version" in l), "")
        info["versions"]["virtuoso"] = line.strip()
    info["versions"]["wrk"] = subprocess.run(
        ["wrk", "--version"], capture_output=True, text=True).stdout.strip().splitlines()[0]
    for size in options.sizes.split(","):
        if size not in SIZES:
            sys.exit(f"unknown size {size!r}: use {', '.join(SIZES)}")
        results = run_size(options, size)
        results["machine"] = info
        results["options"] = {k: str(v) for k, v in vars(options).items()}
        (options.out / f"{size}.json").write_text(json.dumps(results, indent=1))
        (options.out / f"{size}.md").write_text(report.markdown(results))
        print(report.markdown(results), flush=True)
        if options.check:
            wrong = disagreements(results)
            if wrong:
                sys.exit("benchmark check failed:\n" + "\n".join(wrong))
            print(f"benchmark check passed at {size}", flush=True)


if __name__ == "__main__":
    main()
