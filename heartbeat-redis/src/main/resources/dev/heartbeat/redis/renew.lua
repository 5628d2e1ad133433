-- KEYS: lease, epoch. ARGV: offset, holder, token, ttl(us), quarantine(us)
local now = clock()
epoch(KEYS[2], now, tonumber(ARGV[5]))
local cur = held(KEYS[1], ARGV[2], ARGV[3], now)
if cur == 'bad' then
  noticed(KEYS[1], now, 0)
  return {'bad'}
end
if cur == 'lost' or cur == 'none' then return {'lost'} end
local expires = s(now + tonumber(ARGV[4]))
redis.call('HSET', KEYS[1], 'renewed', s(now), 'expires', expires)
return {'ok', cur[2], cur[4], s(now), expires, cur[5]}
