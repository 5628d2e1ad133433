-- KEYS: task. ARGV: clock, T, events length, signal channel ('' for none).
-- Puts a BLOCKED task back in INBOX, due now, its failure and lost counts reset. Answers {'ok',
-- fields as HGETALL}, {'none'} (absent or not blocked) or {'bad'}.
local now = clock()
local t = load(string.sub(KEYS[1], #T + 4))
if t == 'bad' then return {'bad'} end
if t == 'none' or t.state ~= 'BLOCKED' then return {'none'} end
t.due = now
reason(t, nil)
redis.call('HSET', t.key, 'fail', '0', 'lost', '0', 'cancel', '0', 'due', s(now))
move(t, 'INBOX', now)
event('retried', t)
signal(ARGV[4])
return {'ok', redis.call('HGETALL', t.key)}
