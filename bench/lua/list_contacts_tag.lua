-- (c) Filtered list: contacts with one tag, first page of 50. Tags vary per request, from
-- the most common ("investor", on a large share of the contacts) to rare ones.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  bench_seed()
  dofile(os.getenv("BENCH_NAMES_LUA"))
  tags = NAMES.tag_query
end

function request()
  return wrk.format("GET", "/api/v1/contacts?tag=" .. tags[math.random(#tags)] .. "&limit=50")
end
