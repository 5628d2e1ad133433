-- Renews many leases of one slot in one call, each exactly as renew.lua would, in order.
-- KEYS: epoch, lease 1..n. ARGV: offset, quarantine(us), then per lease: holder, token, ttl(us)
-- Answers {now, entries}: one entry per lease, each ended by ';': 'lost', 'bad' or
-- 'acquired,transitions' (renewed until now + ttl). One string, not a reply per lease: this call
-- renews hundreds of leases, and every reply element costs the server and the client. The loop
-- is held() inlined, and acquired and transitions are only checked present here: the client
-- parses them and reports a malformed one (each Lua call or tonumber per lease is a tenth of
-- the work of this script).
local now = clock()
epoch(KEYS[1], now, tonumber(ARGV[2]))
local stamp = s(now)
local expiries = {}
local out = {}
local n = 0
for i = 2, #KEYS do
  local a = 3 + (i - 2) * 3
  local f = redis.call('HMGET', KEYS[i], 'holder', 'token', 'expires', 'acquired', 'transitions')
  local e = tonumber(f[3])
  local answer
  if f[1] == ARGV[a] and f[2] == ARGV[a + 1] and e and f[4] and f[5] then
    if now < e then
      local ttl = ARGV[a + 2]
      local expires = expiries[ttl]
      if not expires then
        expires = s(now + tonumber(ttl))
        expiries[ttl] = expires
      end
      redis.call('HSET', KEYS[i], 'renewed', stamp, 'expires', expires)
      out[n + 1] = f[4]
      out[n + 2] = ','
      out[n + 3] = f[5]
      out[n + 4] = ';'
      n = n + 4
    else
      answer = 'lost'
    end
  else
    answer = lease(KEYS[i])
    if answer == 'bad' then
      noticed(KEYS[i], now, 0)
    else
      answer = 'lost'
    end
  end
  if answer then
    out[n + 1] = answer
    out[n + 2] = ';'
    n = n + 2
  end
end
return {stamp, table.concat(out)}
