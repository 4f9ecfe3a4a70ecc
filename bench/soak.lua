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

-- rotation.lua sits beside this script.
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
require("rotation").install(paths, function(status)
  -- /lettings/9999/ is the one path that must answer 404; nothing else may fail.
  return status >= 500 or (status >= 400 and status ~= 404)
end, function(summary, latency, unexpected)
  io.write(string.format("soak: paths=%d requests=%d unexpected_status=%d p99_ms=%.2f\n", #paths,
    summary.requests, unexpected, latency:percentile(99) / 1000))
end)
