-- KEYS: lease, epoch. ARGV: offset, holder, token, ttl(us), quarantine(us)
local now = clock()
epoch(KEYS[2], now, tonumber(ARGV[5]))
local cur = lease(KEYS[1])
if cur == 'none' then return {'lost'} end
if cur == 'bad' then
  noticed(KEYS[1], now, 0)
  return {'bad'}
end
if cur[1] ~= ARGV[2] or cur[2] ~= ARGV[3] or now >= tonumber(cur[5]) then return {'lost'} end
local expires = now + tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'renewed', s(now), 'expires', s(expires))
return {'ok', cur[2], cur[3], s(now), s(expires), cur[6]}
