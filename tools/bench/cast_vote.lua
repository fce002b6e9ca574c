-- wrk script: paid votes from signed-in, credited voters (issue 8).
--
--   wrk -t2 -c256 -d30s --latency --timeout 10s -s tools/bench/cast_vote.lua http://127.0.0.1:5000 \
--       -- VOTERS_FILE CONTESTANT_IDS [RUN_ID [THREAD_BASE [LATENCY_FILE]]]
--
-- VOTERS_FILE has lines "<user_id> Bearer <token>" (Voting.LoadTest votes --voters-file),
-- CONTESTANT_IDS is a comma list such as 1,2,3,4,5. Either may come from the environment
-- instead (VOTERS_FILE, CONTESTANTS, RUN_ID). RUN_ID prefixes every Idempotency-Key, so two
-- runs against one database never share a key (a reused key would be answered from the first
-- vote without a new one: 2xx with nothing committed). Default: the clock.
--
-- Several wrk processes driving several servers of one database at once (vote-bench.sh --nodes)
-- pass THREAD_BASE, the threads of the wrk processes before this one (default 0), so that every
-- thread of the run has its own number: its own voter offset and Idempotency-Keys. LATENCY_FILE
-- receives this run's latency percentiles on a fine grid ("count N" and "percentile microseconds"
-- lines), from which lib.sh's merge_wrk computes the percentiles of all the runs together.
--
-- With PACE_MS in the environment (vote-bench.sh --rate), each connection waits a random think
-- time before each request, exponential with mean PACE_MS milliseconds (wrk's delay()), so the
-- load is an offered rate below what the server can take instead of all it can take.
--
-- Each thread cycles through all voters from its own offset (neighbouring voters arrive together,
-- so a batch's voters share the pages of every table keyed by voter: a locality no audience has),
-- or with VOTER_ORDER=random in the environment each request picks a voter at random; and through the contestants, one
-- POST /api/v1/xfactor/voting/cast_vote per request with a unique Idempotency-Key. Only 2xx
-- answers count as committed votes. done() prints a summary and one parseable line:
--   RESULT rps=... ok=... ok_rps=... non2xx=... errors=... p50_ms=... p90_ms=... p99_ms=... max_ms=... duration_s=...

local report = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk_report.lua")
local PATH = "/api/v1/xfactor/voting/cast_vote"

local threads = report.threads
setup = report.setup

local pace_ms = tonumber(os.getenv("PACE_MS") or "") or 0
local pacing = pace_ms > 0
if pacing then
   -- Defined only when pacing: wrk looks for delay() once, and calls it before every request.
   function delay()
      return math.floor(-math.log(1 - math.random()) * pace_ms + 0.5)
   end
end

-- Per thread (each has its own Lua state): request heads per voter, tails per contestant.
local heads, tails = {}, {}
local position, sent, key_prefix, random_order = 0, 0, "", false
ok, non2xx, statuses = 0, 0, {}

local function split_ids(text)
   local ids = {}
   for id in string.gmatch(text or "", "[^,%s]+") do
      if not id:match("^%d+$") then error("contestant id '" .. id .. "' is not a whole number") end
      ids[#ids + 1] = id
   end
   return ids
end

function init(args)
   local file = args[1] or os.getenv("VOTERS_FILE")
   local contestants = split_ids(args[2] or os.getenv("CONTESTANTS"))
   local run_id = args[3] or os.getenv("RUN_ID") or tostring(os.time())
   local thread_base = tonumber(args[4] or "0") or error("THREAD_BASE '" .. args[4] .. "' is not a number")
   -- A global: done() runs in wrk's main Lua state, which never sees the arguments, and reads it from a thread.
   latency_file = args[5]
   if not file then error("no voters file: pass it after -- or set VOTERS_FILE") end
   if #contestants == 0 then error("no contestant ids: pass them after -- (1,2,3) or set CONTESTANTS") end

   local host = wrk.headers["Host"]
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

   for i, id in ipairs(contestants) do
      local body = '{"contestant_id":' .. id .. ',"vote_type":"paid","vote_count":1}'
      tails[i] = "\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
   end

   -- Threads start far apart in the voter list (golden-ratio spread: no thread count needed).
   local id = thread_base + (thread_id or 1)
   position = math.floor(#heads * (((id - 1) * 0.6180339887) % 1))
   key_prefix = run_id .. "-" .. id .. "-"
   random_order = os.getenv("VOTER_ORDER") == "random"
   if random_order or pacing then math.randomseed(os.time() * 1000 + id) end
end

function request()
   sent = sent + 1
   if random_order then
      position = math.random(#heads)
   else
      position = position + 1
      if position > #heads then position = 1 end
   end
   return heads[position] .. key_prefix .. sent .. tails[sent % #tails + 1]
end

function response(status)
   if status >= 200 and status < 300 then
      ok = ok + 1
   else
      non2xx = non2xx + 1
      statuses[status] = (statuses[status] or 0) + 1
   end
end

-- The percentiles on a grid fine enough to merge several runs' distributions: every 1 % to 89,
-- every 0.1 % to 98.9, every 0.01 % to 99.99, then 99.999 and the max.
local function write_latency(path, latency, responses)
   local f = assert(io.open(path, "w"))
   f:write(string.format("count %d\n", responses))
   local grid = {}
   for i = 1, 89 do grid[#grid + 1] = i end
   for i = 900, 989 do grid[#grid + 1] = i / 10 end
   for i = 9900, 9999 do grid[#grid + 1] = i / 100 end
   grid[#grid + 1] = 99.999
   for _, p in ipairs(grid) do f:write(string.format("%g %d\n", p, latency:percentile(p))) end
   f:write(string.format("100 %d\n", latency.max))
   f:close()
end

function done(summary, latency, requests)
   local t = report.totals(threads, { "ok", "non2xx" })
   local seconds = report.run(summary)
   io.write(string.format("cast_vote: %d responses in %.2f s, %.1f req/s; 2xx %d (%.1f/s); non-2xx %d%s; %s\n",
      summary.requests, seconds, summary.requests / seconds, t.ok, t.ok / seconds, t.non2xx,
      report.codes_list(t.codes), report.socket_errors(summary)))
   report.latency_line(latency)
   report.result_line(summary, latency, t.ok, t.non2xx, t.codes)
   local path = threads[1] and threads[1]:get("latency_file")
   if path then write_latency(path, latency, summary.requests) end
end
