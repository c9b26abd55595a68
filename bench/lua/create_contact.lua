-- (b) POST /api/v1/contacts, and the loader of the data set (with BENCH_QUOTA).
-- Bodies are what a client sends: display names with accents, emails as typed, phones in
-- human formats; the daemon validates and normalises them (libphonenumber, email folding).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  bench_seed()
  init_quota()
  -- Added to wrk.headers (which holds -H Authorization): wrk.format would replace them all
  -- if given a table of its own.
  wrk.headers["Content-Type"] = "application/json"
  dofile(os.getenv("BENCH_NAMES_LUA"))
  N = NAMES
end

local function q(s) return '"' .. s .. '"' end  -- word lists need no escaping (helper.py checks)

local function phone()
  if math.random() < 0.7 then  -- French mobiles, in allocated ranges (06 but 063x, 069x; 073-079)
    local a, b = "6", ({"0", "1", "2", "4", "5", "6", "7", "8"})[math.random(8)]
    if math.random() < 0.3 then a, b = "7", tostring(math.random(3, 9)) end
    return string.format("+33 %s %s%d %02d %02d %02d", a, b, math.random(0, 9),
                         math.random(0, 99), math.random(0, 99), math.random(0, 99))
  end
  local area = ({"650", "408", "415", "510"})[math.random(4)]
  return string.format("+1 %s-%d%02d-%04d", area, math.random(2, 9), math.random(0, 99),
                       math.random(0, 9999))
end

local function tags()
  local n = ({0, 1, 1, 2, 2, 3})[math.random(6)]
  local seen, out = {}, {}
  for _ = 1, n do
    local t = N.tag[pick(N.tag_cum)]
    if not seen[t] then seen[t] = true; out[#out + 1] = q(t) end
  end
  return "[" .. table.concat(out, ",") .. "]"
end

function contact_body()
  local f, l, c = pick(N.first_cum), pick(N.last_cum), pick(N.city_cum)
  local where = N.met_where[math.random(#N.met_where)]
  local p = {
    '{"first_name":', q(N.first[f]), ',"last_name":', q(N.last[l]),
    ',"emails":["', N.first_ascii[f], ".", N.last_ascii[l],
    (math.random() < 0.6 and "" or tostring(math.random(1, 99))), "@",
    N.domain[math.random(#N.domain)], '"]',
    ',"city":', q(N.city[c]), ',"country":', q(N.country[c]), ',"tags":', tags(),
    ',"met_at":"', string.format("%04d-%02d-%02dT%02d:%02d:%02dZ", math.random(2024, 2025),
                                 math.random(12), math.random(28), math.random(0, 23),
                                 math.random(0, 59), math.random(0, 59)), '"',
    ',"lawful_basis":"legitimate-interest"',
  }
  if math.random() < 0.6 then p[#p + 1] = ',"phones":["' .. phone() .. '"]' end
  if math.random() < 0.8 then p[#p + 1] = ',"title":' .. q(N.title[pick(N.title_cum)]) end
  if math.random() < 0.7 then p[#p + 1] = ',"met_where":' .. q(where) end
  if math.random() < 0.3 then
    local note = N.note[math.random(#N.note)]:gsub("{where}", where):gsub("{city}", N.city[c])
    p[#p + 1] = ',"notes":' .. q(note)
  end
  p[#p + 1] = "}"
  return table.concat(p)
end

function request()
  return quota_create("/api/v1/contacts", contact_body)
end

function response(status, headers, body)
  count_response(status, 201)
end
