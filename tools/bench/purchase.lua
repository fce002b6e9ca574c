-- wrk script: vote package purchases from signed-in voters (issue 9).
--
--   wrk -t2 -c64 -d30s --latency --timeout 10s -s tools/bench/purchase.lua http://127.0.0.1:5000 \
--       -- test VOTERS_FILE RUN_ID PACKAGE_ID
--   wrk -t2 -c64 -d30s --latency --timeout 10s -s tools/bench/purchase.lua http://127.0.0.1:5000 \
--       -- bodies BODIES_FILE THREADS
--
-- test: VOTERS_FILE has lines "<user_id> Bearer <token>" (Voting.LoadTest votes --voters-file);
-- every request is {"platform":"test","package_id":PACKAGE_ID} from the next voter with a unique
-- Idempotency-Key (RUN_ID, thread, counter): the test store's receipt is that key, so each request
-- is a new purchase.
-- bodies: BODIES_FILE has lines "Bearer <token><TAB><JSON body>" (Voting.LoadTest receipts), each a
-- distinct pre-signed purchase; THREADS is wrk's -t, and thread i sends lines i, i+THREADS, ... so no
-- two threads share a body. A thread that runs out starts its share again: those repeats are
-- answered as duplicates and counted as such (reported as repeats=).
--
-- Every request goes to POST /api/v1/xfactor/purchases. A purchase counts as credited when the
-- answer is 2xx with "duplicate":false. done() prints a summary and one parseable line:
--   RESULT rps=... ok=... ok_rps=... non2xx=... errors=... p50_ms=... p90_ms=... p99_ms=... max_ms=... duration_s=...
--          credited=... credited_rps=... duplicates=... repeats=... statuses=...

local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_report.lua")
local PATH = "/api/v1/xfactor/purchases"

local threads = report.threads
setup = report.setup

-- Per thread (each has its own Lua state).
local mode, heads, requests, tail = nil, {}, {}, ""
local position, sent, key_prefix = 0, 0, ""
ok, credited, duplicates, repeats, non2xx, statuses = 0, 0, 0, 0, 0, {}

local function init_test(host, file, run_id, package_id)
   if not (package_id or ""):match("^%d+$") then error("test mode needs a PACKAGE_ID, not '" .. tostring(package_id) .. "'") end
   local f = assert(io.open(file, "r"))
   for line in f:lines() do
      local auth = line:match("^%d+ (Bearer %S+)%s*$")
      if auth then
         heads[#heads + 1] = "POST " .. PATH .. " HTTP/1.1\r\nHost: " .. host .. "\r\nAuthorization: " .. auth
            .. "\r\nContent-Type: application/json\r\nIdempotency-Key: "
      end
   end
   f:close()
   if #heads == 0 then error("no '<user_id> Bearer <token>' line in " .. file) end
   local body = '{"platform":"test","package_id":' .. package_id .. '}'
   tail = "\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
   -- Threads start far apart in the voter list (golden-ratio spread: no thread count needed).
   position = math.floor(#heads * (((thread_id - 1) * 0.6180339887) % 1))
   key_prefix = run_id .. "-" .. thread_id .. "-"
end

local function init_bodies(host, file, thread_count)
   thread_count = tonumber(thread_count)
   if not thread_count or thread_count < thread_id then error("bodies mode needs THREADS (wrk's -t), not '" .. tostring(thread_count) .. "'") end
   local f = assert(io.open(file, "r"))
   local n = 0
   for line in f:lines() do
      local auth, body = line:match("^(Bearer %S+)\t(.+)$")
      if auth then
         n = n + 1
         if (n - 1) % thread_count == thread_id - 1 then
            requests[#requests + 1] = "POST " .. PATH .. " HTTP/1.1\r\nHost: " .. host .. "\r\nAuthorization: " .. auth
               .. "\r\nContent-Type: application/json\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
         end
      end
   end
   f:close()
   if #requests == 0 then error("no 'Bearer <token><TAB><body>' line for thread " .. thread_id .. " in " .. file) end
end

function init(args)
   thread_id = thread_id or 1
   mode = args[1]
   local host = wrk.headers["Host"]
   if mode == "test" then init_test(host, args[2], args[3] or tostring(os.time()), args[4])
   elseif mode == "bodies" then init_bodies(host, args[2], args[3])
   else error("mode must be test or bodies, not '" .. tostring(mode) .. "'") end
end

function request()
   sent = sent + 1
   if mode == "test" then
      position = position + 1
      if position > #heads then position = 1 end
      return heads[position] .. key_prefix .. sent .. tail
   end
   if sent > #requests then repeats = repeats + 1 end
   return requests[(sent - 1) % #requests + 1]
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok = ok + 1
      if body:find('"duplicate":false', 1, true) then credited = credited + 1
      elseif body:find('"duplicate":true', 1, true) then duplicates = duplicates + 1 end
   else
      non2xx = non2xx + 1
      statuses[status] = (statuses[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local t = report.totals(threads, { "ok", "credited", "duplicates", "repeats", "non2xx" })
   local seconds = report.run(summary)
   io.write(string.format("purchases: %d responses in %.2f s, %.1f req/s; 2xx %d, credited %d (%.1f/s), duplicates %d, "
      .. "repeated bodies sent %d; non-2xx %d%s; %s\n",
      summary.requests, seconds, summary.requests / seconds, t.ok, t.credited, t.credited / seconds, t.duplicates, t.repeats,
      t.non2xx, report.codes_list(t.codes), report.socket_errors(summary)))
   report.latency_line(latency)
   report.result_line(summary, latency, t.ok, t.non2xx, t.codes,
      string.format("credited=%d credited_rps=%.1f duplicates=%d repeats=%d", t.credited, t.credited / seconds, t.duplicates, t.repeats))
end
