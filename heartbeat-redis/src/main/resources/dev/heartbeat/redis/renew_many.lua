-- Renews many leases of one slot in one call, each exactly as renew.lua would, in order.
-- KEYS: epoch, then per lease: lease, fence. ARGV: offset, bound(us), then per lease: holder,
-- token, ttl(us)
-- Answers {now, entries, longest}: one entry per lease, each ended by ';': 'lost', 'bad' or
-- 'acquired,transitions' (renewed until now + ttl); longest as acquire.lua answers it. One
-- string, not a reply per lease: this call renews hundreds of leases, and every reply element
-- costs the server and the client. The loop is held() inlined, and acquired and transitions are
-- only checked present here: the client parses them and reports a malformed one (each Lua call
-- or tonumber per lease is a tenth of the work of this script).
local now = clock()
local _, longest = epoch(KEYS[1], now, tonumber(ARGV[2]))
local stamp = s(now)
local expiries = {}
local out = {}
local n = 0
local widest = 0
for i = 1, (#KEYS - 1) / 2 do
  local key = KEYS[2 * i]
  local a = 3 + (i - 1) * 3
  local f = redis.call('HMGET', key, 'holder', 'token', 'expires', 'acquired', 'transitions', 'ttl')
  local e = tonumber(f[3])
  local answer
  if f[1] == ARGV[a] and f[2] == ARGV[a + 1] and e and f[4] and f[5] then
    if now < e then
      local ttl = ARGV[a + 2]
      local expires = expiries[ttl]
      if not expires then
        local t = tonumber(ttl)
        expires = s(now + t)
        expiries[ttl] = expires
        if t > widest then widest = t end
      end
      if f[6] ~= ttl then longer(key, KEYS[2 * i + 1], f[6], ttl) end
      redis.call('HSET', key, 'renewed', stamp, 'expires', expires)
      out[n + 1] = f[4]
      out[n + 2] = ','
      out[n + 3] = f[5]
      out[n + 4] = ';'
      n = n + 4
    else
      answer = 'lost'
    end
  else
    answer = lease(key)
    if answer == 'bad' then
      noticed(key, now, 0)
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
granted(KEYS[1], widest, longest)
return {stamp, table.concat(out), s(hold(widest, longest))}
