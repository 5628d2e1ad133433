-- Shared by every heartbeat script. Times are microseconds of the server clock (TIME) plus the
-- store's offset (ARGV[1], milliseconds; 0 in production, the test clock's progress in tests).
-- Tests whose kit needs a clock that stands still between calls pin it instead: ARGV[1] is then
-- '@' followed by the instant in microseconds, and TIME is not read.
local function s(n) return string.format('%d', n) end
local function clock()
  if string.byte(ARGV[1], 1) == 64 then return tonumber(string.sub(ARGV[1], 2)) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2]) + tonumber(ARGV[1]) * 1000
end
local function num(v) return v and tonumber(v) end
-- LeaseRules.unreadableHold, the one rule for every wait on a holder that cannot be asked: the
-- longest TTL granted (the holder's), or the caller's own when that is longer.
local function hold(requested, longest)
  if longest and longest > requested then return longest end
  return requested
end
-- The run_id of this server process: a new one after every restart and on every other server
-- ('' when scripts may not call INFO; the store refuses to open then, see ServerCheck).
local function run_id()
  local info = redis.pcall('INFO', 'server')
  if type(info) ~= 'string' then return '' end
  return string.match(info, 'run_id:(%x+)') or ''
end
-- The epoch marker: when this copy of the data began ('since'), the end of its quarantine
-- ('until': no lease is acquired before it), the server process that wrote it ('run') and the
-- longest lease TTL granted under it ('ttl'). Missing (the data was lost, or a first start) or
-- written by another server process (a restart, which may have loaded an older snapshot or AOF,
-- or a failover to a replica) it starts a new quarantine lasting hold(bound, longest TTL granted
-- so far, which a restart keeps), so that every holder of a lost write has passed its deadline
-- before anyone else acquires. A caller whose bound is longer lengthens a quarantine still
-- running. Returns the quarantine's end and the longest TTL granted.
local function epoch(key, now, bound)
  local m = redis.call('HMGET', key, 'since', 'until', 'run', 'ttl')
  local since, u, longest = num(m[1]), num(m[2]), num(m[4]) or 0
  local run = run_id()
  if since and u and (m[3] == run or run == '') then
    if now < u and since + bound > u then
      u = since + bound
      redis.call('HSET', key, 'until', s(u))
    end
    return u, longest
  end
  local e = now + hold(bound, longest)
  redis.call('HSET', key, 'since', s(now), 'until', s(e), 'run', run, 'ttl', s(longest))
  return e, longest
end
-- Raises the epoch marker's longest TTL granted to ttl.
local function granted(key, ttl, longest)
  if ttl > longest then redis.call('HSET', key, 'ttl', s(ttl)) end
end
-- A renewal with a longer TTL than its term had so far: the lease hash ('ttl') and the fencing
-- counter (the longest TTL ever granted for the name, which outlives the lease) remember it.
local function longer(lease, fence, term, ttl)
  local t = tonumber(ttl)
  local known = num(term)
  if known and known >= t then return end
  redis.call('HSET', lease, 'ttl', ttl)
  local f = num(redis.call('HGET', fence, 'ttl'))
  if not f or f < t then redis.call('HSET', fence, 'ttl', ttl) end
end
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
-- {holder, token, expires, acquired, transitions, ttl}; otherwise 'lost', 'none' or 'bad' as
-- lease() judges it. The common case (held, readable) reads six fields once; the rest reads it
-- in full.
local function held(key, holder, token, now)
  local f = redis.call('HMGET', key, 'holder', 'token', 'expires', 'acquired', 'transitions', 'ttl')
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
-- The change index of the incremental read (a sorted set): moves the agent to a change number
-- above every other, its clock's microseconds unless that would not be above the newest (a clock
-- that stands still or steps back). Scripts run one at a time, so no change can be numbered
-- below one a reader has already seen.
local function changed(key, agent, now)
  local last = redis.call('ZREVRANGE', key, 0, 0, 'WITHSCORES')
  local n = now
  if last[2] and tonumber(last[2]) >= n then n = tonumber(last[2]) + 1 end
  redis.call('ZADD', key, n, agent)
end
