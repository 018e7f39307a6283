-- wrk script for bench/budget-gate: every connection alternates between reserving 0.01 USD and
-- committing a reservation granted earlier on its thread, so commits per second = pairs per second.
local thread_id = 0
local counter = 0
local granted = {}
local token = os.getenv("BENCH_TOKEN")

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local id = table.remove(granted)
  if id then
    return wrk.format("POST", "/api/v1/reservations/" .. id .. "/commit", nil, '{"actualUsd":0.009}')
  end
  counter = counter + 1
  -- wrk.format uses the headers given instead of wrk.headers, so pass them all.
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-" .. id_prefix() .. "-" .. counter,
  }
  return wrk.format("POST", "/api/v1/reservations", headers,
    '{"category":"bench","operation":"bench","estimateUsd":0.01,"ttlSeconds":60}')
end

function id_prefix()
  if not prefix then
    prefix = tostring(id) .. "-" .. tostring(os.time()) .. "-" .. tostring(math.random(1, 1e9))
  end
  return prefix
end

function response(status, headers, body)
  local id = body:match('"reservationId":"([^"]+)","granted":true')
  if id then
    table.insert(granted, id)
  end
end

function done(summary, latency, requests)
  io.stderr:write(string.format("wrk: requests=%d errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
