-- The nginx ceiling: the same wrk settings against a fixed path, with the same done().
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
