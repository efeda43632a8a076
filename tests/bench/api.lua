-- wrk script for tests/bench/tickets.sh: one scenario per run, set through the environment.
--   BENCH_TOKEN   access token (Authorization: Bearer …)
--   BENCH_METHOD  GET (default) or POST
--   BENCH_PATHS   request paths separated by '|'; each connection rotates through them
--   BENCH_BODY    JSON body for POST; every '#' becomes a request counter
-- done() prints one machine-readable line (latencies in microseconds) that tickets.sh parses.

local token = os.getenv("BENCH_TOKEN") or ""
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^|]+") do
  paths[#paths + 1] = p
end

local counter = 0
local headers = {
  ["Authorization"] = "Bearer " .. token,
  ["Accept"] = "application/json",
  -- What a browser sends: the API compresses its answers.
  ["Accept-Encoding"] = "gzip",
}
if body then
  headers["Content-Type"] = "application/json"
end

function setup(thread)
  thread:set("offset", math.random(0, 1000))
end

function request()
  counter = counter + 1
  local path = paths[((counter + (offset or 0)) % #paths) + 1]
  local b = nil
  if body then
    b = string.gsub(body, "#", tostring(counter))
  end
  return wrk.format(method, path, headers, b)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d socket_errors=%d status_errors=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
