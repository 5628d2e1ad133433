-- KEYS: epoch, ready, claims. ARGV: clock, T, events length, bound(us), worker, incarnation, max,
-- ttl(us).
-- Claims up to max tasks, oldest claimable first: INBOX tasks due by now and IN_PROGRESS tasks
-- whose claim expired, merged by (due or expiry, creation, id) as MemoryTaskStore sorts them. An
-- expired claim is settled first (takeover): it may end CANCELLED or BLOCKED instead, and then
-- does not count. No claim is made during a quarantine of the epoch marker (a restart, a loss or
-- a failover of the data: a worker of a lost write may still run the task until its claim would
-- have expired).
-- Answers {'quarantine', until} or {'ok', {unreadable ids}, hash, hash, ...}: each claimed task's
-- fields as HGETALL gives them.
local now = clock()
local ttl = tonumber(ARGV[8])
local q, longest = epoch(KEYS[1], now, tonumber(ARGV[4]))
if now < q then return {'quarantine', s(q)} end
local max = tonumber(ARGV[7])
local bad = {}
local out = {'ok', bad}
local skip = {0, 0}
local sources = {KEYS[2], KEYS[3]}
-- the first claimable entry of a source after its unreadable ones: {score, member} or nil
local function head(i)
  local r = redis.call('ZRANGEBYSCORE', sources[i], '-inf', s(now), 'WITHSCORES', 'LIMIT',
    skip[i], 1)
  if #r == 0 then return nil end
  return {tonumber(r[2]), r[1]}
end
-- byte order, as the sorted sets order members (Lua's < may follow the locale)
local function before(a, b)
  if a[1] ~= b[1] then return a[1] < b[1] end
  local n = math.min(#a[2], #b[2])
  for i = 1, n do
    local x, y = string.byte(a[2], i), string.byte(b[2], i)
    if x ~= y then return x < y end
  end
  return #a[2] < #b[2]
end
local claimed = 0
-- bounded: each round claims, settles or skips one entry
for round = 1, max * 2 + 10000 do
  if claimed >= max then break end
  local a, b = head(1), head(2)
  if not a and not b then break end
  local from = 1
  if not a or (b and before(b, a)) then from = 2 end
  local m = from == 1 and a[2] or b[2]
  local id = string.sub(m, 21)
  local t = load(id)
  local expected = from == 1 and 'INBOX' or 'IN_PROGRESS'
  if type(t) ~= 'table' or t.state ~= expected or member(t) ~= m then
    if type(t) == 'table' then -- an index entry its task no longer matches: drop it
      redis.call('ZREM', sources[from], m)
    else
      if t == 'bad' then bad[#bad + 1] = id end
      skip[from] = skip[from] + 1
    end
  elseif from == 1 or takeover(t, now) then
    local token = t.token + 1
    if token < now then token = now end
    t.token = token
    t.an = t.an + 1
    move(t, 'IN_PROGRESS', now)
    local exp = now + ttl
    t.worker = ARGV[5]
    redis.call('ZADD', KEYS[3], exp, m)
    redis.call('HSET', t.key, 'token', s(token), 'worker', ARGV[5], 'exp', s(exp), 'cancel', '0',
      'an', s(t.an), 'a:' .. s(t.an), s(t.an) .. '\0' .. ARGV[5] .. '\0' .. ARGV[6] .. '\0'
      .. s(token) .. '\0' .. s(now))
    if t.an > KEEP then redis.call('HDEL', t.key, 'a:' .. s(t.an - KEEP)) end
    event('claimed', t, {'worker', ARGV[5]})
    out[#out + 1] = redis.call('HGETALL', t.key)
    claimed = claimed + 1
  end
end
if claimed > 0 then granted(KEYS[1], ttl, longest) end
return out
