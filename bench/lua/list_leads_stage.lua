-- (c) Filtered list: one pipeline stage, first page of 50 (the board's "meeting" column).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function request()
  return wrk.format("GET", "/api/v1/leads?stage=meeting&limit=50")
end
