-- The load run's request mix for Debian's wrk (a load generator nobody here wrote), against `qcdc serve` or the
-- host of `qcdc-bench load --wrk`. The mix file is written by that run (one request a line: API key, path, and
-- "csv" for Accept: text/csv, else "json"; tab-separated), in the order LoadRun's clients ask: per principal a first page of
-- findings, up to four pages by cursor, its compliance table and a district's, and every tenth round a district's CSV.
-- Each wrk thread walks the whole list from its own offset, round after round.
--
--   wrk -t2 -c50 -d60s --latency -s tests/QcdcCompliance.Benchmarks/wrk/mix.lua http://127.0.0.1:PORT -- MIX-FILE
--
-- done() prints one line for the run to read: requests, latency percentiles in ms, non-2xx answers and socket errors.

local threads = {}
local counter = 0 -- threads set up so far (main state only)

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local file = args[1] or os.getenv("QCDC_WRK_MIX")
  assert(file, "give the mix file after --, or in QCDC_WRK_MIX")
  requests = {}
  for line in io.lines(file) do
    local key, path, kind = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    if key then
      local headers = { ["X-Api-Key"] = key, ["Accept"] = kind == "csv" and "text/csv" or "application/json" }
      table.insert(requests, wrk.format("GET", path, headers))
    end
  end
  assert(#requests > 0, "no request in " .. file)
  -- Threads start apart, so that they do not ask the same principal at once.
  position = (((id or 1) - 1) * 997) % #requests
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("qcdc-wrk requests=%d seconds=%.3f p50=%.1f p90=%.1f p99=%.1f max=%.1f mean=%.1f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000, e.status, e.connect, e.read, e.write, e.timeout))
end
