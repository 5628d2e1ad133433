-- Renews many leases of one slot in one call, each exactly as renew.lua would, in order.
-- KEYS: epoch, lease 1..n. ARGV: offset, quarantine(us), then per lease: holder, token, ttl(us)
-- Answers {now, entries}: one entry per lease, each ended by ';': 'lost', 'bad' or
-- 'acquired,transitions' (renewed until now + ttl). One string, not a reply per lease: this call
-- renews hundreds of leases, and every reply element costs the server and the client.
local now = clock()
epoch(KEYS[1], now, tonumber(ARGV[2]))
local stamp = s(now)
local expiries = {}
local out = {}
local n = 0
for i = 2, #KEYS do
  local a = 3 + (i - 2) * 3
  local cur = held(KEYS[i], ARGV[a], ARGV[a + 1], now)
  if type(cur) == 'table' then
    local ttl = ARGV[a + 2]
    local expires = expiries[ttl]
    if not expires then
      expires = s(now + tonumber(ttl))
      expiries[ttl] = expires
    end
    redis.call('HSET', KEYS[i], 'renewed', stamp, 'expires', expires)
    out[n + 1] = cur[4]
    out[n + 2] = ','
    out[n + 3] = cur[5]
    n = n + 3
  else
    if cur == 'bad' then noticed(KEYS[i], now, 0) else cur = 'lost' end
    out[n + 1] = cur
    n = n + 1
  end
  out[n + 1] = ';'
  n = n + 1
end
return {stamp, table.concat(out)}
