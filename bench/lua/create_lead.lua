-- Loader of the leads (with BENCH_QUOTA): each refers to a random contact of the
-- organisation, in [BENCH_ID_LO, BENCH_ID_HI], so the daemon checks a real reference.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  bench_seed()
  init_quota()
  -- Added to wrk.headers (which holds -H Authorization): wrk.format would replace them all
  -- if given a table of its own.
  wrk.headers["Content-Type"] = "application/json"
  dofile(os.getenv("BENCH_NAMES_LUA"))
  N = NAMES
  lo, hi = env_int("BENCH_ID_LO"), env_int("BENCH_ID_HI")
end

local function lead_body()
  local title = N.lead_title[math.random(#N.lead_title)]:gsub("{org}",
                                                              N.lead_org[math.random(#N.lead_org)])
  local p = {
    '{"title":"', title, '","contact_id":', tostring(math.random(lo, hi)),
    ',"stage":"', N.stage[pick(N.stage_cum)], '"',
    ',"expected_close":"', string.format("2026-%02d-%02d", math.random(12), math.random(28)), '"',
    ',"shared_with_region":', (math.random() < 0.2 and "true" or "false"),
  }
  if math.random() < 0.5 then
    p[#p + 1] = string.format(',"value":"%d000","currency":"%s"', math.random(10, 1999),
                              math.random() < 0.5 and "EUR" or "USD")
  end
  local n = ({0, 1, 1, 2})[math.random(4)]
  if n > 0 then
    local a, b = N.lead_tag[pick(N.lead_tag_cum)], N.lead_tag[pick(N.lead_tag_cum)]
    p[#p + 1] = ',"tags":["' .. a .. (n == 2 and a ~= b and ('","' .. b) or "") .. '"]'
  end
  if math.random() < 0.2 then p[#p + 1] = ',"notes":"Next step: send the term sheet draft."' end
  p[#p + 1] = "}"
  return table.concat(p)
end

function request()
  return quota_create("/api/v1/leads", lead_body)
end

function response(status, headers, body)
  count_response(status, 201)
end
