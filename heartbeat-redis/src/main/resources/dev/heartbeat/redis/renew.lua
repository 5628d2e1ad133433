-- KEYS: lease, epoch, fence. ARGV: offset, holder, token, ttl(us), bound(us)
-- Answers 'lost', 'bad' or 'acquired,now,transitions,longest' (renewed until now + ttl; longest
-- as acquire.lua answers it): one string, the cheapest reply to make and to read on the path
-- every holder takes every few seconds.
local now = clock()
local _, longest = epoch(KEYS[2], now, tonumber(ARGV[5]))
local cur = held(KEYS[1], ARGV[2], ARGV[3], now)
if cur == 'bad' then
  noticed(KEYS[1], now, 0)
  return 'bad'
end
if type(cur) ~= 'table' then return 'lost' end
local ttl = tonumber(ARGV[4])
if cur[6] ~= ARGV[4] then longer(KEYS[1], KEYS[3], cur[6], ARGV[4]) end
granted(KEYS[2], ttl, longest)
local stamp = s(now)
redis.call('HSET', KEYS[1], 'renewed', stamp, 'expires', s(now + ttl))
return cur[4] .. ',' .. stamp .. ',' .. cur[5] .. ',' .. s(hold(ttl, longest))
