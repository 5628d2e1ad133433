-- Shared by every heartbeat script. Times are microseconds of the server clock (TIME) plus the
-- store's offset (ARGV[1], milliseconds; 0 in production, the test clock's progress in tests).
local function s(n) return string.format('%d', n) end
local function clock()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1]) * 1000
end
-- The epoch marker: missing means the data was lost (or this is the first start): it is created
-- with a quarantine until which no lease is handed out. Returns the quarantine end.
local function epoch(key, now, quarantine)
  local u = redis.call('HGET', key, 'until')
  if u then return tonumber(u) end
  local e = now + quarantine
  redis.call('HSET', key, 'since', s(now), 'until', s(e))
  return e
end
local function num(v) return v and tonumber(v) end
-- A lease hash as {holder, token, acquired, renewed, expires, transitions}: 'none' when absent,
-- 'bad' when a field is missing or malformed.
local function lease(key)
  local f = redis.call('HMGET', key, 'holder', 'token', 'acquired', 'renewed', 'expires', 'transitions')
  if not (f[1] or f[2] or f[3] or f[4] or f[5] or f[6]) then return 'none' end
  if not f[1] or f[1] == '' then return 'bad' end
  for i = 2, 6 do
    if not num(f[i]) then return 'bad' end
  end
  return f
end
-- An unreadable lease is not free at once: its holder may still act until it fails to renew.
-- The first script to see it stamps when; it may be taken once 'wait' has passed since.
local function noticed(key, now, wait)
  local n = num(redis.call('HGET', key, 'noticed'))
  if not n then
    n = now
    redis.call('HSET', key, 'noticed', s(now))
  end
  return now < n + wait
end
