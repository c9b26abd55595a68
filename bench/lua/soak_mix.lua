-- bench/soak.sh: the mixed load of issue 12, request by request: 40% full-text searches,
-- 20% contacts by tag, 20% creates, 20% contacts by id (ids uniform over
-- [BENCH_ID_LO, BENCH_ID_HI], the contacts loaded before the run): the requests of
-- search_contacts.lua, list_contacts_tag.lua, create_contact.lua (its bodies) and
-- get_contact.lua. Statuses of 400 and above are counted as failed.
dofile(os.getenv("BENCH_LUA_DIR") .. "/create_contact.lua")  -- init, contact_body, common.lua
local create_init = init

function init(args)
  create_init(args)  -- seeds the thread, sets Content-Type, loads NAMES
  lo, hi = env_int("BENCH_ID_LO"), env_int("BENCH_ID_HI")
end

function request()
  local r = math.random(100)
  if r <= 40 then
    return wrk.format("GET", "/api/v1/contacts?q=" .. N.search[math.random(#N.search)] .. "&limit=50")
  elseif r <= 60 then
    return wrk.format("GET", "/api/v1/contacts?tag=" .. N.tag_query[math.random(#N.tag_query)] .. "&limit=50")
  elseif r <= 80 then
    return wrk.format("POST", "/api/v1/contacts", nil, contact_body())
  end
  return wrk.format("GET", "/api/v1/contacts/" .. math.random(lo, hi))
end

function response(status, headers, body)
  if status >= 400 then
    failed = failed + 1
    if failed <= 3 then io.stderr:write("bench: unexpected HTTP status " .. status .. "\n") end
  else
    created = created + 1  -- here: answered without an error
  end
end
