-- wrk script: paced (open-loop style) load at a fixed request rate, since Debian's wrk 4.1 has no -R.
--   wrk -t1 -c2 -d5s --latency -s packaging/bench/pace.lua URL -- RATE
-- RATE is requests per second per wrk thread (default 200; use -t1). Before every request wrk asks delay() how
-- long to wait; this hands out send slots on a fixed schedule (one every 1000/RATE ms, shared by the thread's
-- connections), so a slow response delays only its own connection and the next request goes out on time as long
-- as another connection is free. When wrk or the server falls behind (a slow response, a busy CPU), the next
-- requests go out at once until the schedule is met again, but the schedule never lags more than MAX_LAG_MS: a
-- long stall is not followed by a burst.
-- wrk measures latency from the send, so the wait is not counted. Needs wrk's LuaJIT (ffi) for a monotonic ms clock.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } pace_timespec;
int clock_gettime(int clk_id, pace_timespec *tp);
]]
local ts = ffi.new("pace_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local MAX_LAG_MS = 50
local interval = 5
local next_slot

function init(args)
  interval = 1000 / tonumber(args[1] or 200)
end

function delay()
  local t = now_ms()
  if next_slot == nil or next_slot < t - MAX_LAG_MS then
    next_slot = t
  end
  local wait = math.max(0, next_slot - t)
  next_slot = next_slot + interval
  -- wrk takes whole milliseconds; rounding keeps the mean on schedule
  return math.floor(wait + 0.5)
end
