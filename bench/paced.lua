-- wrk script for bench/tracing.sh: each connection waits 2 ms before its next request, so the
-- load stays well below what the server can answer.
function delay()
  return 2
end
