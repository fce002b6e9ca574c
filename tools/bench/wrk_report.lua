-- What the wrk scripts of tools/bench share: wrk's threads as set up, and in done() the per-thread
-- counters summed over them, the latency line and the parseable RESULT line. Loaded by each script from its own
-- folder:
--   local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_report.lua")
-- The RESULT line is read by key (lib.sh's field), never by position:
--   RESULT rps=... ok=... ok_rps=... non2xx=... errors=... p50_ms=... p90_ms=... p99_ms=... max_ms=... duration_s=...
--          [the script's own key=value pairs] statuses=...

local M = {}

-- wrk's threads, numbered from 1 as they are set up (each sees its own number as the global
-- thread_id); a script takes them with `setup = report.setup` and reads them in done().
M.threads = {}

function M.setup(thread)
   M.threads[#M.threads + 1] = thread
   thread:set("thread_id", #M.threads)
end

-- Microseconds as milliseconds with two decimals.
function M.ms(us) return string.format("%.2f", us / 1000) end

-- The named counters of every thread summed (t[name]), and the answers by HTTP status of the
-- threads' "statuses" tables as sorted "status:count" strings (t.codes).
function M.totals(threads, names)
   local t, by_status = {}, {}
   for _, name in ipairs(names) do t[name] = 0 end
   for _, thread in ipairs(threads) do
      for _, name in ipairs(names) do t[name] = t[name] + thread:get(name) end
      for status, n in pairs(thread:get("statuses")) do by_status[status] = (by_status[status] or 0) + n end
   end
   t.codes = {}
   for status, n in pairs(by_status) do t.codes[#t.codes + 1] = status .. ":" .. n end
   table.sort(t.codes)
   return t
end

-- The run's length in seconds and its socket errors in all.
function M.run(summary)
   local e = summary.errors
   return summary.duration / 1e6, e.connect + e.read + e.write + e.timeout
end

-- " [404:3 500:1]", or "" when every answer was counted as expected.
function M.codes_list(codes)
   return #codes > 0 and (" [" .. table.concat(codes, " ") .. "]") or ""
end

-- "socket errors N (connect N, read N, write N, timeout N)"
function M.socket_errors(summary)
   local e = summary.errors
   local _, errors = M.run(summary)
   return string.format("socket errors %d (connect %d, read %d, write %d, timeout %d)", errors, e.connect, e.read, e.write, e.timeout)
end

function M.latency_line(latency)
   io.write(string.format("latency ms: p50 %s, p90 %s, p99 %s, p99.9 %s, max %s\n",
      M.ms(latency:percentile(50)), M.ms(latency:percentile(90)), M.ms(latency:percentile(99)),
      M.ms(latency:percentile(99.9)), M.ms(latency.max)))
end

-- The RESULT line: ok answers counted by the script, non2xx the others, extra the script's own
-- "key=value ..." (or nil).
function M.result_line(summary, latency, ok, non2xx, codes, extra)
   local seconds, errors = M.run(summary)
   io.write(string.format("RESULT rps=%.1f ok=%d ok_rps=%.1f non2xx=%d errors=%d p50_ms=%s p90_ms=%s p99_ms=%s max_ms=%s duration_s=%.2f %sstatuses=%s\n",
      summary.requests / seconds, ok, ok / seconds, non2xx, errors,
      M.ms(latency:percentile(50)), M.ms(latency:percentile(90)), M.ms(latency:percentile(99)), M.ms(latency.max),
      seconds, extra and (extra .. " ") or "", #codes > 0 and table.concat(codes, ",") or "none"))
end

return M
