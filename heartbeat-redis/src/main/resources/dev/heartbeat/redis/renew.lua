-- KEYS: lease, epoch. ARGV: offset, holder, token, ttl(us), quarantine(us)
-- Answers 'lost', 'bad' or 'acquired,now,transitions' (renewed until now + ttl): one string, the
-- cheapest reply to make and to read on the path every holder takes every few seconds.
local now = clock()
epoch(KEYS[2], now, tonumber(ARGV[5]))
local cur = held(KEYS[1], ARGV[2], ARGV[3], now)
if cur == 'bad' then
  noticed(KEYS[1], now, 0)
  return 'bad'
end
if type(cur) ~= 'table' then return 'lost' end
local stamp = s(now)
redis.call('HSET', KEYS[1], 'renewed', stamp, 'expires', s(now + tonumber(ARGV[4])))
return cur[4] .. ',' .. stamp .. ',' .. cur[5]
