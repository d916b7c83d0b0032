-- wrk script for the benchmark harness: every request is a GET of the URL given on the
-- command line, with the Accept header from $BENCH_ACCEPT; at the end one line, prefixed
-- with WRKJSON, gives the request count, the errors and the latency percentiles (µs).
wrk.method = "GET"
wrk.headers["Accept"] = os.getenv("BENCH_ACCEPT") or "application/json"

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%.1f,"p95":%.1f,"p99":%.1f,"mean":%.1f,"min":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.min, latency.max))
end
