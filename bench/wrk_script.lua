-- The wrk script of bench/run.py.
--
-- Given a file of access tokens after `--`, each request carries the next token in turn, so
-- the API sees many clients, each well within its per-account budget, instead of one client
-- far over it. Without one, every request is the same (headers from wrk's --header).
--
-- After wrk's summary it prints one line that bench/tools.py reads: the counts, the errors and
-- the whole latency histogram (microseconds, count), so the percentiles of several rounds can
-- be computed over all their requests rather than averaged.

local tokens = {}
local turn = 0

init = function(args)
  if args[1] then
    for line in io.lines(args[1]) do
      tokens[#tokens + 1] = "Bearer " .. line
    end
    request = function()
      turn = turn % #tokens + 1
      return wrk.format(nil, nil, { ["Authorization"] = tokens[turn] })
    end
  end
end

done = function(summary, latency, requests)
  local buckets = {}
  for i = 1, #latency do
    local value, count = latency(i)
    buckets[#buckets + 1] = string.format("[%d,%d]", value, count)
  end
  local errors = summary.errors
  io.write(string.format(
    'bench-report {"requests":%d,"duration_us":%d,"errors":{"connect":%d,"read":%d,'
      .. '"write":%d,"status":%d,"timeout":%d},"latency":[%s]}\n',
    summary.requests, summary.duration, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, table.concat(buckets, ",")
  ))
end
