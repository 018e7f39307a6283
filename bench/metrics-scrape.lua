-- wrk script for bench/metrics-scrape.
--   BENCH_MODE=ingest: every request posts a batch of BENCH_BATCH email events with ids unique to
--     the run, thread and request, spread over the last hour, BENCH_CAMPAIGNS campaigns and every
--     event kind (about 90% delivered, 2% hard and 2% soft bounces, 1% complaints, 5% deferred).
--   BENCH_MODE=scrape: GET /q/metrics.
-- Either way done() prints one "wrk:" line on stderr with requests, errors (non-2xx included) and
-- latency percentiles.
local mode = os.getenv("BENCH_MODE") or "scrape"
local token = os.getenv("BENCH_TOKEN")
local batch = tonumber(os.getenv("BENCH_BATCH") or "1000")
local campaigns = tonumber(os.getenv("BENCH_CAMPAIGNS") or "5")
local thread_id = 0
local counter = 0
local prefix
local stamps = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

function init(args)
  if mode ~= "ingest" then
    return
  end
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  math.randomseed(os.time() + id)
  prefix = "b" .. tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9)) .. "-" .. tostring(id)
  -- os.date per event would cost more than the rest of the body: 600 stamps, 6 s apart, last hour.
  local now = os.time()
  for i = 1, 600 do
    stamps[i] = os.date("!%Y-%m-%dT%H:%M:%SZ", now - 6 * i)
  end
end

local function kind(n)
  local k = n % 100
  if k < 2 then
    return '"bounced","bounceType":"hard"'
  elseif k < 4 then
    return '"bounced","bounceType":"soft"'
  elseif k < 5 then
    return '"complained"'
  elseif k < 10 then
    return '"deferred"'
  end
  return '"delivered"'
end

function request()
  if mode ~= "ingest" then
    return wrk.format("GET", "/q/metrics")
  end
  counter = counter + 1
  local parts = {}
  for i = 1, batch do
    local n = counter * batch + i
    parts[i] = '{"providerEventId":"' .. prefix .. "-" .. counter .. "-" .. i
      .. '","messageId":"m' .. n .. '","event":' .. kind(n)
      .. ',"campaign":"campaign-' .. (math.floor(n / 100) % campaigns)
      .. '","occurredAt":"' .. stamps[(n * 7) % 600 + 1] .. '"}'
  end
  return wrk.format(nil, "/api/v1/email-events", nil, '{"events":[' .. table.concat(parts, ",") .. "]}")
end

function done(summary, latency, requests)
  io.stderr:write(string.format("wrk: requests=%d errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
