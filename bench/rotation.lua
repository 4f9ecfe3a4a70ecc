-- What the wrk scripts share: each connection asks for `paths` in turn from a random start, counts the
-- answers `unwanted(status)` rejects, and done() hands the sum over all threads to `report`.
-- wrk runs a script once per thread and once more for setup() and done(), so this defines wrk's globals
-- in each of those Lua states.
local rotation = {}

function rotation.install(paths, unwanted, report)
  local threads = {}

  function setup(thread)
    table.insert(threads, thread)
  end

  function init(args)
    next_index = math.random(#paths)
    unwanted_answers = 0
  end

  function request()
    local entry = paths[next_index]
    next_index = next_index % #paths + 1
    return wrk.format("GET", entry.path, entry.headers)
  end

  function response(status, headers, body)
    if unwanted(status) then
      unwanted_answers = unwanted_answers + 1
    end
  end

  function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do
      total = total + thread:get("unwanted_answers")
    end
    report(summary, latency, total)
  end
end

return rotation
