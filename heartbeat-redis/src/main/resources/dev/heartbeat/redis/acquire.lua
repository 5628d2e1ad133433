-- KEYS: lease, fence, epoch. ARGV: offset, holder, ttl(us), quarantine(us)
local now = clock()
local q = epoch(KEYS[3], now, tonumber(ARGV[4]))
if now < q then return {'quarantine', s(q)} end
local cur = lease(KEYS[1])
if type(cur) == 'table' and now < tonumber(cur[5]) then return {'held'} end
if cur == 'bad' and noticed(KEYS[1], now, tonumber(ARGV[3])) then return {'bad'} end
-- a token is the greater of the last one plus one and the store time in microseconds: it never
-- goes back, even when the counter itself was lost or is an older copy (see RedisStore)
local last = num(redis.call('HGET', KEYS[2], 'token'))
local token = now
if last and last >= now then token = last + 1 end
local transitions = redis.call('HINCRBY', KEYS[2], 'transitions', 1)
redis.call('HSET', KEYS[2], 'token', s(token))
local expires = now + tonumber(ARGV[3])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'holder', ARGV[2], 'token', s(token), 'acquired', s(now),
  'renewed', s(now), 'expires', s(expires), 'transitions', s(transitions))
return {'ok', s(token), s(now), s(now), s(expires), s(transitions)}
