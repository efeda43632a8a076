-- wrk script for tests/bench/tickets.sh: one scenario per run, set through the environment.
--   BENCH_TOKEN   access token (Authorization: Bearer …)
--   BENCH_METHOD  GET (default) or POST
--   BENCH_PATHS   request paths separated by '|'; each connection rotates through them
--   BENCH_BODY    JSON body for POST; every '#' becomes a request counter
--   BENCH_NUMBERS file of case numbers, one a line: every '#' in a path becomes one of them. Each
--                 thread takes its own share in turn (thread i: i, i + threads, …), so an action
--                 never hits the same case twice; BENCH_NUMBERS_WRAP=1 cycles through them (reads).
-- done() prints one machine-readable line (latencies in microseconds) that tickets.sh parses.

local token = os.getenv("BENCH_TOKEN") or ""
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^|]+") do
  paths[#paths + 1] = p
end

local numbers = {}
local numbers_file = os.getenv("BENCH_NUMBERS")
if numbers_file and numbers_file ~= "" then
  for line in io.lines(numbers_file) do
    numbers[#numbers + 1] = line
  end
end
local wrap = os.getenv("BENCH_NUMBERS_WRAP") == "1"
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")

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

local thread_count = 0
function setup(thread)
  thread:set("offset", math.random(0, 1000))
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

function request()
  counter = counter + 1
  local path = paths[((counter + (offset or 0)) % #paths) + 1]
  if #numbers > 0 then
    -- 0-based position of this request among the thread's share of the numbers.
    local i = (tid or 0) + (counter - 1) * threads
    if wrap then
      i = ((offset or 0) + i) % #numbers
    end
    -- Past the end: an unknown number, which answers 404 and counts as an error (ran out of cases).
    path = string.gsub(path, "#", numbers[i + 1] or "0")
  end
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
