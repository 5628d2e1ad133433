-- KEYS: task. ARGV: clock, T, events length.
-- INBOX becomes CANCELLED at once; IN_PROGRESS gets its cancel requested; IN_PROGRESS whose
-- claim expired becomes CANCELLED at once, its attempt ended WORKER_LOST. Answers {'ok', fields
-- as HGETALL}, {'none'} (absent or final) or {'bad'}.
local now = clock()
local t = load(string.sub(KEYS[1], #T + 4))
if t == 'bad' then return {'bad'} end
if t == 'none' or FINAL[t.state] then return {'none'} end
if t.state == 'INBOX' then
  reason(t, 'cancelled')
  move(t, 'CANCELLED', now)
  event('cancelled', t)
elseif now >= t.exp then
  t.cancel = true
  redis.call('HSET', t.key, 'cancel', '1')
  takeover(t, now) -- nobody holds it: cancelled at once
elseif not t.cancel then
  redis.call('HSET', t.key, 'cancel', '1', 'updated', s(now))
  event('cancel_requested', t, {'worker', t.worker})
end
return {'ok', redis.call('HGETALL', t.key)}
