-- wrk script for bench/load.py: GETs the URL given on the command line with the Accept header
-- from $BENCH_ACCEPT, counts the answers by status, and prints at the end one line, prefixed
-- with WRKJSON: requests, rate, errors, statuses and latency percentiles (µs).
wrk.method = "GET"
wrk.headers["Accept"] = os.getenv("BENCH_ACCEPT") or "application/json"

local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function()
  statuses = {}
end

response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, n in pairs(s) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"rate":%.1f,"statuses":{%s},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%.1f,"p99":%.1f,"max":%d}}\n',
    summary.requests, summary.requests / (summary.duration / 1e6), table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
