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
-- The lease at key if holder holds it with token and it has not expired, as
-- {holder, token, expires, acquired, transitions}; otherwise 'lost', 'none' or 'bad' as lease()
-- judges it. The common case (held, readable) reads five fields once; the rest reads it in full.
local function held(key, holder, token, now)
  local f = redis.call('HMGET', key, 'holder', 'token', 'expires', 'acquired', 'transitions')
  local e = tonumber(f[3])
  if f[1] == holder and f[2] == token and e and tonumber(f[4]) and tonumber(f[5]) then
    if now < e then return f end
    return 'lost'
  end
  local cur = lease(key)
  if type(cur) == 'table' then return 'lost' end
  return cur
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
