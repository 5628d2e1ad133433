-- KEYS: epoch, claims. ARGV: clock, T, events length, then per claim: id, worker, token, ttl(us).
-- Renews many claims of one queue, each a compare-and-set on its claim, in order.
-- Answers {now, answer, ...}: per claim 'lost', 'bad' (unreadable) or 'expiry,cancel' (cancel
-- '1' when requested).
local now = clock()
local out = {s(now)}
local widest = 0
for i = 4, #ARGV - 3, 4 do
  local t = load(ARGV[i])
  if holds(t, ARGV[i + 1], ARGV[i + 2], now) then
    local ttl = tonumber(ARGV[i + 3])
    if ttl > widest then widest = ttl end
    local exp = now + ttl
    redis.call('HSET', t.key, 'exp', s(exp), 'updated', s(now))
    redis.call('ZADD', KEYS[2], exp, member(t))
    out[#out + 1] = s(exp) .. ',' .. (t.cancel and '1' or '0')
  elseif t == 'bad' then
    out[#out + 1] = 'bad'
  else
    out[#out + 1] = 'lost'
  end
end
if widest > 0 then
  local m = redis.call('HGET', KEYS[1], 'ttl')
  granted(KEYS[1], widest, num(m) or 0)
end
return out
