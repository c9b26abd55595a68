-- (bench/reports.sh) GET /api/v1/reports/<BENCH_REPORT>, JSON, with the filters varying from
-- one request to the next as real users' would: none, a mission (event), a start-up (org,
-- staff only), a sector, a partner company, a period, or a mission and a period. The values
-- come from the loaded data (BENCH_FILTERS_LUA: FILTERS.events, orgs, sectors, partners,
-- days), so that no two requests in a row ask the same thing and a cache of answers would
-- not help.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local function any(list) return list[math.random(#list)] end

-- A query value, percent-encoded (sectors have spaces and accents).
local function enc(v)
  return (tostring(v):gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- A period of 1 to 90 days within the data's year.
local function period()
  local a = math.random(#FILTERS.days)
  local b = math.min(#FILTERS.days, a + math.random(1, 90))
  return "from=" .. FILTERS.days[a] .. "&to=" .. FILTERS.days[b]
end

function init(args)
  bench_seed()
  dofile(os.getenv("BENCH_FILTERS_LUA"))
  path = "/api/v1/reports/" .. os.getenv("BENCH_REPORT")
  staff = os.getenv("BENCH_AS") == "staff"
  pickers = {
    function() return nil end,
    function() return "event_id=" .. any(FILTERS.events) end,
    function() return staff and "org_id=" .. any(FILTERS.orgs) or period() end,
    function() return "sector=" .. enc(any(FILTERS.sectors)) end,
    function() return "partner_company_id=" .. any(FILTERS.partners) end,
    period,
    function() return "event_id=" .. any(FILTERS.events) .. "&" .. period() end,
  }
end

function request()
  local q = pickers[math.random(#pickers)]()
  return wrk.format("GET", q and (path .. "?" .. q) or path)
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
    if failed <= 3 then io.stderr:write("bench: HTTP " .. status .. " " .. body:sub(1, 200) .. "\n") end
  end
end
