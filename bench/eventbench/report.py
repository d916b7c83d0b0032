"""The results of one size as Markdown tables: loads, latencies, throughput, and REST against
the property paths, each figure the median over the runs with its min and max, and each
comparison a ratio eventgraph ÷ peer."""

from __future__ import annotations

import statistics

from .workload import REST_VERSUS_SPARQL, THROUGHPUT

PEERS = ["oxigraph", "virtuoso"]


def spread(values: list[float], unit: str = "", digits: int = 2) -> str:
    """`median [min–max]`."""
    if not values:
        return "–"
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:.{digits}f}{unit}"
    return f"{middle:.{digits}f}{unit} [{min(values):.{digits}f}–{max(values):.{digits}f}]"


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def ratio(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None or theirs == 0:
        return "–"
    return f"{ours / theirs:.2f}×"


def megabytes(n: int | None) -> str:
    return "–" if not n else f"{n / 1e6:,.0f} MB"


def markdown(results: dict) -> str:
    facts = results["facts"]
    stores = [s for s in ["eventgraph", *PEERS] if s + ":disk" in results["load"]]
    peers = [p for p in PEERS if p in stores]
    lines = [
        f"## {results['size']}: {facts['triples']:,} triples "
        f"({facts['entities']:,} entities, {facts['edges']:,} relations, "
        f"hub of {facts['hub']['relations']:,} relations), "
        f"{results['file_bytes'] / 1e6:,.0f} MB of N-Quads",
        "",
        "### Bulk load",
        "",
        "| store | load time (s) | triples/s | disk | memory after start | memory at the end |"
        " start (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    load = results["load"]
    for store in stores:
        times = load.get(store, [])
        rate = f"{facts['triples'] / median(times):,.0f}" if times else "(loaded earlier)"
        start = results["start"].get(store)
        lines.append(
            f"| {store} | {spread(times, digits=1)} | {rate} | "
            f"{megabytes(load.get(store + ':disk'))} | {megabytes(load.get(store + ':rss'))} | "
            f"{megabytes(load.get(store + ':rss_after'))} | "
            f"{'–' if start is None else f'{start:.1f}'} |")
    if peers and "eventgraph" in load:
        lines.append("")
        lines.append("Load time " + ", ".join(
            f"eventgraph ÷ {peer}: {ratio(median(load['eventgraph']), median(load[peer]))}"
            for peer in peers) + ". Virtuoso's time runs from `ld_dir` to the end of its "
            "checkpoint, with its server up; its start is not counted.")
    lines += ["", "### SPARQL latency (ms, median of the runs' medians [min–max]; p95 median)",
              ""]
    header = "| query | " + " | ".join(f"{s} p50" for s in stores) + " | " + " | ".join(
        f"eventgraph ÷ {p}" for p in peers) + " | " + " | ".join(f"{s} p95" for s in stores) + " | answers |"
    lines += [header, "|" + "---|" * (2 * len(stores) + len(peers) + 2)]
    latency = results["latency"]
    for name, question in results["questions"].items():
        if name.startswith("rest_"):
            continue
        cells, p50 = [], {}
        for store in stores:
            runs = latency.get(name, {}).get(store, [])
            p50[store] = median([r["p50_ms"] for r in runs])
            status = results["answers"][name][store]["status"]
            cells.append(spread([r["p50_ms"] for r in runs]) if runs else f"failed ({status})")
        ratios = [ratio(p50["eventgraph"], p50.get(p)) for p in peers]
        p95 = [spread([r["p95_ms"] for r in latency.get(name, {}).get(s, [])]).split(" ")[0]
               for s in stores]
        answers = {results["answers"][name][s]["summary"] for s in stores
                   if results["answers"][name][s]["status"] == 200}
        agree = "same" if len(answers) == 1 else "; ".join(
            f"{s}: {results['answers'][name][s]['summary'][:60]}" for s in stores)
        lines.append(f"| {question} | " + " | ".join(cells) + " | " + " | ".join(ratios)
                     + " | " + " | ".join(p95) + f" | {agree} |")
    lines += ["", "### REST traversal against the same question as a SPARQL property path",
              "", "The p50 repeats one request, whose statements the read cache then holds; "
              "the first request is the one before it, on a cold cache.",
              "", "| REST request | eventgraph REST p50 (ms) | its first request (ms) | answer | "
              + " | ".join(f"SPARQL on {s}, p50 (ms)" for s in stores) + " | "
              + " | ".join(f"REST speed-up over {s}" for s in stores) + " |",
              "|" + "---|" * (3 + 2 * len(stores) + 1)]
    for rest, sparql in REST_VERSUS_SPARQL:
        runs = latency.get(rest, {}).get("eventgraph", [])
        if not runs:
            continue
        ours = median([r["p50_ms"] for r in runs])
        theirs = {s: median([r["p50_ms"] for r in latency.get(sparql, {}).get(s, [])])
                  for s in stores}
        cells = [spread([r["p50_ms"] for r in latency.get(sparql, {}).get(s, [])])
                 if theirs[s] is not None else "failed" for s in stores]
        speedups = ["–" if theirs[s] is None else
                    f"{theirs[s] / ours:,.{1 if theirs[s] / ours < 10 else 0}f}×" for s in stores]
        first = results["answers"][rest]["eventgraph"]["seconds"] * 1000
        lines.append(f"| {results['questions'][rest]} | {spread([r['p50_ms'] for r in runs])} | "
                     f"{first:.2f} | "
                     f"{results['answers'][rest]['eventgraph']['summary'][:50]}, "
                     f"{results['answers'][rest]['eventgraph']['bytes'] / 1e3:,.0f} kB | "
                     + " | ".join(cells) + " | " + " | ".join(speedups) + " |")
    lines += ["", "### Throughput (wrk -t2 -c4, requests/s, median [min–max]; p99 ms)", "",
              "| workload | " + " | ".join(f"{s} req/s" for s in stores) + " | "
              + " | ".join(f"eventgraph ÷ {p}" for p in peers) + " | "
              + " | ".join(f"{s} p99" for s in stores) + " |",
              "|" + "---|" * (1 + 2 * len(stores) + len(peers))]
    for name in THROUGHPUT:
        figures = results["throughput"].get(name, {})
        if not figures:
            continue
        rates = {s: median([r["rate"] for r in figures.get(s, [])]) for s in stores}
        cells = [spread([r["rate"] for r in figures.get(s, [])], digits=0)
                 if figures.get(s) else "–" for s in stores]
        ratios = [ratio(rates["eventgraph"], rates.get(p)) for p in peers]
        p99 = [spread([r["p99_ms"] for r in figures.get(s, [])]).split(" ")[0] for s in stores]
        lines.append(f"| {results['questions'][name]} | " + " | ".join(cells) + " | "
                     + " | ".join(ratios) + " | " + " | ".join(p99) + " |")
    lines.append("")
    return "\n".join(lines)
