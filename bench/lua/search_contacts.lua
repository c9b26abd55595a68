-- (d) Full-text search, first page of 50, with varied terms: frequent and rare names, with
-- and without accents, prefixes as typed, two words, cities (bench/helper.py search_terms).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  bench_seed()
  dofile(os.getenv("BENCH_NAMES_LUA"))
  terms = NAMES.search
end

function request()
  return wrk.format("GET", "/api/v1/contacts?q=" .. terms[math.random(#terms)] .. "&limit=50")
end
