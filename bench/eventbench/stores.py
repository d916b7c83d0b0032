"""The stores under test: eventgraph, Oxigraph server and Virtuoso, each loaded from the same
N-Quads file into a directory of its own and served on 127.0.0.1 only.

Each store knows how to bulk-load the file (timed by the caller), start its server, say when it
answers, report its resident memory and disk use, and stop. Nothing here measures queries.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def disk_bytes(path: Path) -> int:
    """The bytes of every file under `path`."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def rss_bytes(pid: int) -> int:
    """The resident set size of process `pid`, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def wait_until(ready, what: str, timeout: float, process: subprocess.Popen | None = None):
    """Polls `ready()` until it is true; fails after `timeout` s or if `process` exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before it was ready")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout:.0f} s")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return 200 <= response.status < 300
    except urllib.error.URLError:
        return False


@dataclass
class Store:
    """One store: where its files live, its server process and its port."""

    name: str
    directory: Path
    log: Path
    port: int = 0
    process: subprocess.Popen | None = None
    facts: dict = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    def reset(self):
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True)

    def spawn(self, command: list[str], cwd: Path | None = None) -> subprocess.Popen:
        log = open(self.log, "ab")
        return subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
        )

    def stop(self):
        """Stops the server: SIGTERM, then SIGKILL after 60 s."""
        if self.process is None or self.process.poll() is not None:
            self.process = None
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def load_with(self, command: list) -> float:
        """Empties the store's directory and runs its loader `command` on it; returns the
        seconds the load took."""
        self.reset()
        started = time.monotonic()
        with open(self.log, "ab") as log:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=log)
        return time.monotonic() - started

    def rss(self) -> int:
        return rss_bytes(self.process.pid) if self.process else 0

    def disk(self) -> int:
        return disk_bytes(self.directory)


class Eventgraph(Store):
    """eventgraph on its embedded Oxigraph (RocksDB) store, loaded with `eventgraph load`."""

    def __init__(self, binary: Path, work: Path):
        super().__init__("eventgraph", work / "eventgraph-data", work / "eventgraph.log")
        self.binary = binary

    def load(self, data: Path) -> float:
        return self.load_with([self.binary, "--no-seed", "--data-dir", self.directory, "load", data])

    def start(self) -> float:
        """Starts the server; returns the seconds until it answered (read models built)."""
        self.port = free_port()
        started = time.monotonic()
        self.process = self.spawn([
            str(self.binary), "--no-seed", "--data-dir", str(self.directory), "--log", "warn",
            "serve", "--bind", f"127.0.0.1:{self.port}",
            "--query-timeout", "600", "--max-query-timeout", "600",
        ])
        wait_until(lambda: http_ok(f"{self.base}/api/v1/stats"), "eventgraph", 900, self.process)
        return time.monotonic() - started


class Oxigraph(Store):
    """Oxigraph server 0.5.13 (PyPI `oxigraph`), loaded with `oxigraph load`, serving the
    union of the named graphs as its default graph, as eventgraph does.

    It runs without a time limit: with `--timeout-s`, 0.5.13 starts a thread per query that
    sleeps for the whole limit, and under wrk those threads pile up until the server dies
    ("failed to set up alternative stack guard page", then connection refused)."""

    def __init__(self, binary: Path, work: Path):
        super().__init__("oxigraph", work / "oxigraph-data", work / "oxigraph.log")
        self.binary = binary

    def load(self, data: Path) -> float:
        return self.load_with([self.binary, "load", "--location", self.directory, "--file", data])

    def start(self) -> float:
        self.port = free_port()
        started = time.monotonic()
        self.process = self.spawn([
            str(self.binary), "serve", "--location", str(self.directory),
            "--bind", f"127.0.0.1:{self.port}", "--union-default-graph",
        ])
        ask = f"{self.sparql}?query=" + urllib.parse.quote("ASK {}")
        wait_until(lambda: http_ok(ask), "oxigraph", 300, self.process)
        return time.monotonic() - started


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {data_dir}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxMemPoolSize = 200000000
MaxQueryMem = 2G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
; About 2.6 GB of buffers (8 KB each), the size Virtuoso's own guide gives for 4 GB of RAM.
NumberOfBuffers = 340000
MaxDirtyBuffers = 250000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 20
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[VDB]
ArrayOptimization = 0
NumArrayParameters = 10
VDBDisconnectTimeout = 1000
KeepConnectionOnFixedThread = 0

[Replication]
ServerName = eventgraph-bench
ServerEnable = 1
QueueMax = 50000

[SPARQL]
; The default, 10,000, cuts results silently.
ResultSetMaxRows = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
DeferInferenceRulesInit = 0
"""


class Virtuoso(Store):
    """OpenLink Virtuoso (Debian's virtuoso-opensource), with a private ini on loopback ports,
    loaded with `ld_dir` + `rdf_loader_run()` + `checkpoint`. Its default graph is the union of
    every graph, as eventgraph's; its server must be running to load."""

    def __init__(self, binary: Path, isql: Path, work: Path):
        super().__init__("virtuoso", work / "virtuoso-data", work / "virtuoso.log")
        self.binary, self.isql = binary, isql
        self.sql_port = 0
        # The directory of the file to load: Virtuoso reads only from its DirsAllowed.
        self.data_dir = work

    def isql_exec(self, statements: str):
        """Runs SQL through isql; isql exits 0 even on errors, so its output is read."""
        result = subprocess.run(
            [self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
            capture_output=True, text=True, timeout=7200,
        )
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql failed on {statements!r}: {result.stdout}{result.stderr}")
        return result.stdout

    def start(self) -> float:
        self.port, self.sql_port = free_port(), free_port()
        ini = self.directory / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(
            dir=self.directory, sql_port=self.sql_port, http_port=self.port,
            data_dir=self.data_dir,
        ))
        started = time.monotonic()
        self.process = self.spawn([str(self.binary), "-f", "-c", str(ini)], cwd=self.directory)
        ask = f"{self.sparql}?query=" + urllib.parse.quote("ASK {}")
        wait_until(lambda: http_ok(ask), "virtuoso", 300, self.process)
        return time.monotonic() - started

    def load(self, data: Path) -> float:
        """Loads `data` into a new database; returns the seconds of `ld_dir` to the end of the
        checkpoint (the server's start is not counted). The server stays up afterwards."""
        self.stop()
        self.reset()
        self.data_dir = data.parent
        self.start()
        started = time.monotonic()
        self.isql_exec(
            f"ld_dir('{data.parent}', '{data.name}', 'urn:eventgraph:bench:default');"
            " rdf_loader_run(); checkpoint;"
        )
        errors = self.isql_exec("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;")
        if "0 Rows" not in errors:
            raise RuntimeError(f"virtuoso reported load errors: {errors}")
        return time.monotonic() - started
