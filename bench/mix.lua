-- wrk script: cycle through a list of GET requests and print the summary as one JSON line.
-- Usage: wrk -t1 -c8 -d10s -s bench/mix.lua http://127.0.0.1:PORT -- requests.tsv
-- requests.tsv: one request per line, "<path and query string>\t<Accept header>".
-- No response() hook on purpose: defining one makes wrk hand every body to Lua, which slows the client.

local requests = {}
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    local path, accept = line:match("^([^\t]*)\t(.*)$")
    if path then
      table.insert(requests, wrk.format("GET", path, { ["Accept"] = accept }))
    end
  end
  if #requests == 0 then
    error("no requests in " .. args[1])
  end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, '
      .. '"timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
