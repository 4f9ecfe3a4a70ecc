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

-- Each connection waits a little between requests: a steady stream of traffic that leaves the
-- machine's cores to the builds and deploys under way.
function delay()
  return 5
end

-- The wrk scripts' shared rotation is bench/rotation.lua.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../../../../bench/?.lua;" .. package.path
require("rotation").install(paths, function(status)
  return status < 200 or status > 299
end, function(summary, latency, not_2xx)
  local errors = summary.errors
  io.write(string.format("load: requests=%d not_2xx=%d socket_errors=%d p99_ms=%.1f\n", summary.requests, not_2xx,
    errors.connect + errors.read + errors.write + errors.timeout, latency:percentile(99) / 1000))
end)
