-- wrk script: signed Smart webhook texts (issue 13, goal 4).
--
--   wrk -t2 -c256 -d30s --latency --timeout 10s -s tools/bench/sms.lua http://127.0.0.1:5000 \
--       -- REQUESTS_FILE THREADS
--
-- REQUESTS_FILE has lines "<X-Smart-Signature><TAB><JSON body>" (Voting.LoadTest sms-requests),
-- each a distinct text (its own message_id); THREADS is wrk's -t, and thread i sends lines i,
-- i+THREADS, ... so no text is sent twice. Either may come from the environment instead
-- (SMS_REQUESTS, THREADS). Every request is POST /webhooks/sms/smart.
--
-- A text counts as committed when the answer is 200 with "processed" in the body (the webhook
-- answers {"status":"processed"} once the batch holding the vote, the message, the reply and the
-- charge has committed); a 200 "failed" is a refused text (help, closed, daily limit), counted
-- apart. A thread whose share runs out stops (wrk.thread:stop()) instead of sending a text again:
-- wrk still divides by the whole -d, so the rate of such a run is too low, and done() says so
-- (ran_out= threads that ran out, and a warning line). done() prints a summary and one line:
--   RESULT rps=... ok=... ok_rps=... non2xx=... errors=... p50_ms=... p90_ms=... p99_ms=... max_ms=... duration_s=...
--          refused=... ran_out=... statuses=...
-- where ok is the texts processed (committed) and non2xx the answers other than 200.

local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_report.lua")
local PATH = "/webhooks/sms/smart"

local threads = report.threads
setup = report.setup

-- Per thread (each has its own Lua state).
local requests = {}
local sent = 0
ok, refused, other, non2xx, ran_out, statuses = 0, 0, 0, 0, 0, {}

function init(args)
   thread_id = thread_id or 1
   local file = args[1] or os.getenv("SMS_REQUESTS")
   local thread_count = tonumber(args[2] or os.getenv("THREADS"))
   if not file then error("no requests file: pass it after -- or set SMS_REQUESTS") end
   if not thread_count or thread_count < thread_id then
      error("THREADS (wrk's -t) is needed after the file, not '" .. tostring(args[2]) .. "'")
   end
   local head = "POST " .. PATH .. " HTTP/1.1\r\nHost: " .. wrk.headers["Host"]
      .. "\r\nContent-Type: application/json\r\nX-Smart-Signature: "
   local f = assert(io.open(file, "r"))
   local n = 0
   for line in f:lines() do
      local signature, body = line:match("^(%x+)\t(.+)$")
      if signature then
         n = n + 1
         if (n - 1) % thread_count == thread_id - 1 then
            requests[#requests + 1] = head .. signature .. "\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
         end
      end
   end
   f:close()
   if #requests == 0 then error("no '<signature><TAB><body>' line for thread " .. thread_id .. " in " .. file) end
end

function request()
   sent = sent + 1
   if sent > #requests then
      -- Out of texts: stop this thread's loop rather than send one again. The empty request
      -- writes nothing, and the loop ends before any answer could come.
      if ran_out == 0 then
         ran_out = 1
         wrk.thread:stop()
      end
      return ""
   end
   return requests[sent]
end

function response(status, headers, body)
   if status == 200 then
      if body:find('"processed"', 1, true) then ok = ok + 1
      elseif body:find('"failed"', 1, true) then refused = refused + 1
      else other = other + 1 end
   else
      non2xx = non2xx + 1
      statuses[status] = (statuses[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local t = report.totals(threads, { "ok", "refused", "other", "non2xx", "ran_out" })
   local seconds = report.run(summary)
   io.write(string.format("sms: %d responses in %.2f s, %.1f req/s; processed %d (%.1f/s), refused (200 failed) %d, "
      .. "other 200 %d; non-200 %d%s; %s\n",
      summary.requests, seconds, summary.requests / seconds, t.ok, t.ok / seconds, t.refused, t.other, t.non2xx,
      report.codes_list(t.codes), report.socket_errors(summary)))
   report.latency_line(latency)
   if t.ran_out > 0 then
      io.write(string.format("WARNING: %d of %d threads ran out of texts before the end and stopped sending: "
         .. "the rate above is divided by the whole run and too low; write more texts\n", t.ran_out, #threads))
   end
   report.result_line(summary, latency, t.ok, t.non2xx, t.codes,
      string.format("refused=%d other=%d ran_out=%d", t.refused, t.other, t.ran_out))
end
