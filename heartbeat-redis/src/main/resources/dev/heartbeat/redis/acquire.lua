-- KEYS: lease, fence, epoch [, leases registry (single server)]. ARGV: offset, holder, ttl(us),
-- bound(us), name
-- Answers {'ok', token, acquired, renewed, expires, transitions, longest}, {'quarantine', until,
-- longest}, {'held', longest} or {'bad', longest}, where longest is the longest TTL granted under
-- the epoch marker (the caller keeps the greatest it saw, for a loss of the marker itself).
local now = clock()
local ttl = tonumber(ARGV[3])
local q, longest = epoch(KEYS[3], now, tonumber(ARGV[4]))
if now < q then return {'quarantine', s(q), s(longest)} end
local cur = lease(KEYS[1])
if type(cur) == 'table' and now < tonumber(cur[5]) then return {'held', s(longest)} end
local fence = redis.call('HMGET', KEYS[2], 'token', 'ttl')
local fenced = num(fence[2])
if cur == 'bad' and noticed(KEYS[1], now, hold(ttl, fenced)) then return {'bad', s(longest)} end
-- a token is the greater of the last one plus one and the store time in microseconds: it never
-- goes back, even when the counter itself was lost or is an older copy (see RedisStore)
local last = num(fence[1])
local token = now
if last and last >= now then token = last + 1 end
local transitions = redis.call('HINCRBY', KEYS[2], 'transitions', 1)
redis.call('HSET', KEYS[2], 'token', s(token), 'ttl', s(hold(ttl, fenced)))
granted(KEYS[3], ttl, longest)
local expires = now + ttl
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'holder', ARGV[2], 'token', s(token), 'acquired', s(now),
  'renewed', s(now), 'expires', s(expires), 'transitions', s(transitions), 'ttl', ARGV[3])
if KEYS[4] then redis.call('SADD', KEYS[4], ARGV[5]) end
return {'ok', s(token), s(now), s(now), s(expires), s(transitions), s(hold(ttl, longest))}
