-- Steady load (each connection about 150 requests a second) through the platform's proxy during a deploy: public pages, a static file and, with
-- the session cookie in OCL_SESSION, admin pages, under the public host name in OCL_HOST. Every
-- answer must be 2xx: done() prints the requests and how many were not.
local session = os.getenv("OCL_SESSION") or ""
local host = os.getenv("OCL_HOST") or "localhost"

local paths = {}
for _, path in ipairs({ "/", "/lettings/", "/lettings/1/", "/profiles/", "/profiles/HeadlinesGazer/",
  "/static/css/site.css" }) do
  table.insert(paths, { path = path, headers = { ["Host"] = host } })
end
if session ~= "" then
  for _, path in ipairs({ "/admin/", "/admin/lettings/address/" }) do
    table.insert(paths, { path = path, headers = { ["Host"] = host, ["Cookie"] = "sessionid=" .. session } })
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  next_index = math.random(#paths)
  not_2xx = 0
end

-- Each connection waits a little between requests: a steady stream of traffic that leaves the
-- machine's cores to the builds and deploys under way.
function delay()
  return 5
end

function request()
  local entry = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", entry.path, entry.headers)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    not_2xx = not_2xx + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not_2xx")
  end
  local errors = summary.errors
  io.write(string.format("load: requests=%d not_2xx=%d socket_errors=%d p99_ms=%.1f\n", summary.requests, total,
    errors.connect + errors.read + errors.write + errors.timeout, latency:percentile(99) / 1000))
end
