-- KEYS: lease, epoch [, leases registry (single server)]. ARGV: offset, holder, token, bound(us),
-- name. A released name leaves the registry with its lease; its fencing counter stays.
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
if KEYS[3] then redis.call('SREM', KEYS[3], ARGV[5]) end
return {'ok'}
