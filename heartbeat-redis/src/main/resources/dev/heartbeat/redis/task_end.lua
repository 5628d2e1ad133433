-- KEYS: task. ARGV: clock, T, events length, id, worker, token, outcome, failure ('1' or '0'),
-- tail (the attempt's encoded error class, message and stack trace), next, retryIn(us), text
-- ('' when absent, or '=' and the text), signal channel ('' for none).
-- A compare-and-set on the claim that ends its attempt and moves the task on, as
-- MemoryTaskStore.end does: a task whose cancel was requested does not go back to INBOX, it
-- becomes CANCELLED. An end back to INBOX signals the queue. Answers 1 when written, 0 when fenced out, -1 when unreadable.
local now = clock()
local t = load(ARGV[4])
if not holds(t, ARGV[5], ARGV[6], now) then
  if t == 'bad' then return -1 end
  return 0
end
local outcome = ARGV[7]
finish(t, outcome, now, ARGV[9], ARGV[8] == '1')
local next = ARGV[10]
local text = nil
if ARGV[12] ~= '' then text = string.sub(ARGV[12], 2) end
if next == 'INBOX' and t.cancel then
  next = 'CANCELLED' -- a cancel asked after the last renewal is not lost
  reason(t, 'cancelled')
end
local name
if next == 'DONE' then
  if text then
    redis.call('HSET', t.key, 'out', text)
  else
    redis.call('HDEL', t.key, 'out')
  end
  name = 'done'
elseif next == 'INBOX' then
  t.due = now + tonumber(ARGV[11])
  redis.call('HSET', t.key, 'due', s(t.due))
  name = ARGV[8] == '1' and 'failed' or 'released'
elseif next == 'BLOCKED' then
  reason(t, text)
  name = 'blocked'
else
  if text then reason(t, text) end
  name = 'cancelled'
end
move(t, next, now)
event(name, t, {'worker', ARGV[5], 'outcome', outcome})
if next == 'INBOX' then signal(ARGV[13]) end
return 1
