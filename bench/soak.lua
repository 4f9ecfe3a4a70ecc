-- Cycles through every page of the site: the public pages, a static file and, with the
-- session cookie in OCL_SESSION, the admin. Counts answers that are not 2xx/3xx per thread.
local session = os.getenv("OCL_SESSION") or ""

local public_paths = {
  "/", "/lettings/", "/lettings/1/", "/lettings/3/", "/profiles/", "/profiles/HeadlinesGazer/",
  "/profiles/4meRomance/", "/static/css/site.css", "/lettings/9999/",
}
local admin_paths = {
  "/admin/", "/admin/lettings/address/", "/admin/lettings/letting/", "/admin/profiles/profile/",
  "/admin/auth/user/", "/admin/auth/group/", "/admin/lettings/letting/1/change/",
  "/admin/lettings/address/?q=Road", "/admin/auth/user/1/history/",
}

local paths = {}
for _, path in ipairs(public_paths) do table.insert(paths, { path = path, headers = {} }) end
if session ~= "" then
  for _, path in ipairs(admin_paths) do
    table.insert(paths, { path = path, headers = { ["Cookie"] = "sessionid=" .. session } })
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  next_index = math.random(#paths)
  unexpected = 0
end

function request()
  local entry = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", entry.path, entry.headers)
end

function response(status, headers, body)
  -- /lettings/9999/ is the one path that must answer 404; nothing else may fail.
  if status >= 500 or (status >= 400 and status ~= 404) then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total_unexpected = 0
  for _, thread in ipairs(threads) do
    total_unexpected = total_unexpected + thread:get("unexpected")
  end
  io.write(string.format("soak: paths=%d requests=%d unexpected_status=%d p99_ms=%.2f\n", #paths,
    summary.requests, total_unexpected, latency:percentile(99) / 1000))
end
