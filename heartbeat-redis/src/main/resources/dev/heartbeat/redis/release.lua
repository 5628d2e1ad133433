-- KEYS: lease, epoch. ARGV: offset, holder, token, quarantine(us)
local now = clock()
epoch(KEYS[2], now, tonumber(ARGV[4]))
local cur = lease(KEYS[1])
if cur == 'none' then return {'lost'} end
if cur == 'bad' then
  noticed(KEYS[1], now, 0)
  return {'bad'}
end
if cur[1] ~= ARGV[2] or cur[2] ~= ARGV[3] then return {'lost'} end
redis.call('DEL', KEYS[1])
return {'ok'}
