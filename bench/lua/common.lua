-- Shared by every wrk script of bench/core_api.sh (loaded with dofile from BENCH_LUA_DIR).
--
-- wrk runs setup() and done() in its main Lua state and init/request/response in one state
-- per thread. setup() numbers the threads (so that each seeds its own random sequence and
-- gets its share of a quota); done() prints one machine-readable line, BENCH_RESULT {json},
-- that bench/helper.py reads.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  local tid = #threads
  thread:set("tid", tid)
  -- A quota (bench loads exactly N rows): thread i of T sends floor(N/T), plus one for the
  -- first N mod T threads.
  local quota = tonumber(os.getenv("BENCH_QUOTA") or "")
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "")
  if quota and nthreads then
    local share = math.floor(quota / nthreads)
    if tid <= quota % nthreads then share = share + 1 end
    thread:set("quota", share)
  end
end

-- In a thread: seed it differently from its siblings and from the previous run.
function bench_seed()
  math.randomseed((tid or 1) * 7919 + os.time() % 100000)
  for _ = 1, 10 do math.random() end  -- LuaJIT's first draws after seeding are poorly mixed
end

-- Index of a weighted pick: cum holds cumulative weights (bench/helper.py names-lua).
function pick(cum)
  local r = math.random() * cum[#cum]
  local lo, hi = 1, #cum
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cum[mid] < r then lo = mid + 1 else hi = mid end
  end
  return lo
end

function env_int(name)
  local v = tonumber(os.getenv(name) or "")
  if not v then error("set " .. name) end
  return v
end

-- Counting created rows and stopping at a quota (loads only). A thread that reached its
-- quota drops a marker file: wrk's main thread sleeps for the whole -d duration whatever
-- its threads do, so core_api.sh watches the markers and ends wrk with SIGINT.
created, failed, sent = 0, 0, 0

function init_quota()
  -- wrk calls request() once in the first thread before the run, to check the script
  -- (script_verify_request), and throws that request away: do not count it as sent.
  if tid == 1 then sent = -1 end
end

-- Once a thread has sent its quota, it sends only /healthz fillers (wrk cannot leave a
-- connection idle), and slowly, so that they do not load the daemon.
-- (Defined only for loads: wrk then waits on a timer before every request.)
if os.getenv("BENCH_QUOTA") then
  function delay()
    if quota ~= nil and sent >= quota then return 200 end
    return 0
  end
end

function quota_left()
  return quota == nil or sent < quota
end

-- A create (POST of make_body() to path) while the quota lasts; the /healthz filler after.
function quota_create(path, make_body)
  if not quota_left() then return wrk.format("GET", "/healthz") end
  sent = sent + 1
  return wrk.format("POST", path, nil, make_body())
end

function count_response(status, ok_status)
  if status == ok_status then
    created = created + 1
  elseif status ~= 200 then  -- 200: the /healthz filler sent once a quota is reached
    failed = failed + 1
    if failed <= 3 then io.stderr:write("bench: unexpected HTTP status " .. status .. "\n") end
  end
  if quota ~= nil and created + failed >= quota and not marked then
    marked = true
    local dir = os.getenv("BENCH_MARKER_DIR")
    if dir then
      local f = io.open(dir .. "/done." .. tid, "w")
      if f then f:close() end
    end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local c, f = 0, 0
  for _, t in ipairs(threads) do
    c = c + (t:get("created") or 0)
    f = f + (t:get("failed") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"mean_us":%.1f,"err_connect":%d,"err_read":%d,' ..
    '"err_write":%d,"err_status":%d,"err_timeout":%d,"created":%d,"failed":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, c, f))
end
