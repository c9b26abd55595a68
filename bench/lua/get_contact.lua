-- (a) GET one contact by id: ids drawn uniformly from [BENCH_ID_LO, BENCH_ID_HI], the
-- contacts of the benchmark's organisation, so that every request is a 200 and the reads
-- spread over the whole table (not one hot page).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  bench_seed()
  lo, hi = env_int("BENCH_ID_LO"), env_int("BENCH_ID_HI")
end

function request()
  return wrk.format("GET", "/api/v1/contacts/" .. math.random(lo, hi))
end
