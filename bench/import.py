"""The GDELT importer's rate against `eventgraph load` of the N-Quads it produces.

Writes N GDELT 2.0 events (61 fields, tab-separated, as published) and three mentions of each
from a pool of outlets, with actors from a pool of 2,000 names (some the seed's), then:

1. `eventgraph import --format gdelt-events` and `--format gdelt-mentions` into a fresh data
   directory (seeded), timed end to end (process start to exit, the commit included);
2. `eventgraph dump --format nquads` of that store: the N-Quads the import produced (plus the
   seed's few thousand quads);
3. `eventgraph --no-seed load` of that dump into another fresh data directory, timed the same way.

The target (issue 16) is an import at least half as fast as the load: import time <= 2 x
load time. Run with a release binary:

    python3 bench/import.py target/release/eventgraph [N=100000] [WORKDIR]
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

binary = sys.argv[1]
events = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
work = Path(sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix="eventgraph-import-bench-"))
work.mkdir(parents=True, exist_ok=True)

SEEDED = [("UNITED STATES", "USA"), ("QATAR", "QAT"), ("ISRAEL", "ISR"), ("HAMAS", "PSEREB"), ("RUSSIA", "RUS")]
ACTORS = SEEDED + [(f"ACTOR {n}", f"A{n:04d}") for n in range(2_000)]
CODES = ["010", "036", "042", "043", "0211", "051", "112", "120", "130", "141", "173", "190", "193", "195"]
PLACES = [("Israel", "31.5", "34.75", "1"), ("Gaza Strip", "31.4167", "34.3333", "4")] + [
    (f"Town {n}, Region {n % 40}, Country {n % 9}", f"{(n % 170) - 85}.25", f"{(n % 340) - 170}.5", "4") for n in range(3_000)
]


def event_row(i):
    name1, code1 = ACTORS[(i * 7) % len(ACTORS)]
    name2, code2 = ACTORS[(i * 13 + 1) % len(ACTORS)]
    code = CODES[i % len(CODES)]
    place, lat, long, kind = PLACES[(i * 11) % len(PLACES)]
    day = 1 + i % 28
    row = [""] * 61
    row[0] = str(1_000_000_000 + i)
    row[1], row[2], row[3], row[4] = f"202310{day:02}", "202310", "2023", "2023.8000"
    row[5], row[6], row[7] = code1, name1, code1[:3]
    row[15], row[16], row[17] = code2, name2, code2[:3]
    row[25], row[26], row[27], row[28] = "1", code, code[:3], code[:2]
    row[29] = "1" if code < "06" else "4"
    row[30], row[31], row[32], row[33], row[34] = "-2.5", "6", "3", "6", "-4.7142857"
    row[51], row[52], row[56], row[57] = kind, place, lat, long
    row[59] = f"202310{day:02}151500"
    row[60] = f"https://news{i % 500}.example.com/{i}"
    return "\t".join(row) + "\n"


def mention_rows(i):
    for k in range(3):
        outlet = f"outlet{(i + k * 37) % 800}.example.org"
        yield "\t".join([
            str(1_000_000_000 + i), "20231001151500", "20231001160000", "1", outlet,
            f"https://{outlet}/{i}/{k}", str(k + 1), "120", "-1", "150", "1", "80", "2400", "-3.2", "", "",
        ]) + "\n"


events_file = work / "bench.export.CSV"
mentions_file = work / "bench.mentions.CSV"
with open(events_file, "w") as out:
    for i in range(events):
        out.write(event_row(i))
with open(mentions_file, "w") as out:
    for i in range(events):
        out.writelines(mention_rows(i))


def run(*args):
    started = time.monotonic()
    subprocess.run([binary, *args], check=True, env={**os.environ, "EVENTGRAPH_LOG": "warn"},
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - started


imported, loaded = work / "imported", work / "loaded"
t_events = run("--data-dir", str(imported), "import", "--format", "gdelt-events", str(events_file))
t_mentions = run("--data-dir", str(imported), "import", "--format", "gdelt-mentions", str(mentions_file))
dump = work / "imported.nq"
with open(dump, "w") as out:
    subprocess.run([binary, "--data-dir", str(imported), "dump", "--format", "nquads"], check=True, stdout=out,
                   env={**os.environ, "EVENTGRAPH_LOG": "warn"})
quads = sum(1 for _ in open(dump))
t_load = run("--data-dir", str(loaded), "--no-seed", "load", str(dump))
t_import = t_events + t_mentions
print(f"{events} events, {3 * events} mentions: {quads} quads "
      f"({events_file.stat().st_size / 1e6:.1f} MB + {mentions_file.stat().st_size / 1e6:.1f} MB of TSV, "
      f"{dump.stat().st_size / 1e6:.0f} MB of N-Quads)")
print(f"import: events {t_events:.1f} s + mentions {t_mentions:.1f} s = {t_import:.1f} s ({quads / t_import:,.0f} quads/s)")
print(f"load of its N-Quads: {t_load:.1f} s ({quads / t_load:,.0f} quads/s)")
print(f"import/load time: {t_import / t_load:.2f} (target: <= 2.00)")
