-- wrk script: cycle through a list of GET requests and print the summary as one JSON line.
-- Usage: wrk -t1 -c8 -d10s -s bench/mix.lua http://127.0.0.1:PORT -- requests.tsv [bust]
-- requests.tsv: one request per line, "<path and query string>\t<Accept header>".
-- No response() hook on purpose: defining one makes wrk hand every body to Lua, which slows the client.

local requests = {}
local bust = {}  -- per request: its path, when a cache-busting comment may be appended
local next_index = 0
local counter = 0

function init(args)
  -- args[2] == "bust": make every SPARQL GET unique (a trailing "#<n>" comment line in the query), so a
  -- response cache in front of the server cannot answer it; the query itself is unchanged.
  local busting = args[2] == "bust"
  for line in io.lines(args[1]) do
    local path, accept = line:match("^([^\t]*)\t(.*)$")
    if path then
      table.insert(requests, wrk.format("GET", path, { ["Accept"] = accept }))
      table.insert(bust, (busting and path:find("[?&]query=")) and { path, accept } or false)
    end
  end
  if #requests == 0 then
    error("no requests in " .. args[1])
  end
end

function request()
  next_index = next_index % #requests + 1
  local busted = bust[next_index]
  if busted then
    counter = counter + 1
    return wrk.format("GET", busted[1] .. "%0A%23" .. counter, { ["Accept"] = busted[2] })
  end
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
