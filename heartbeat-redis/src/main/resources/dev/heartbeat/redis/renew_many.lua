-- Renews many leases of one slot in one call, each exactly as renew.lua would, in order.
-- KEYS: epoch, lease 1..n. ARGV: offset, quarantine(us), then per lease: holder, token, ttl(us)
-- Answers {now, one per lease: 'lost', 'bad' or 'acquired,transitions'}; expires is now + ttl.
local now = clock()
epoch(KEYS[1], now, tonumber(ARGV[2]))
local out = {s(now)}
local stamp = s(now)
for i = 2, #KEYS do
  local a = 3 + (i - 2) * 3
  local cur = lease(KEYS[i])
  if cur == 'none' then
    out[i] = 'lost'
  elseif cur == 'bad' then
    noticed(KEYS[i], now, 0)
    out[i] = 'bad'
  elseif cur[1] ~= ARGV[a] or cur[2] ~= ARGV[a + 1] or now >= tonumber(cur[5]) then
    out[i] = 'lost'
  else
    redis.call('HSET', KEYS[i], 'renewed', stamp, 'expires', s(now + tonumber(ARGV[a + 2])))
    out[i] = cur[3] .. ',' .. cur[6]
  end
end
return out
