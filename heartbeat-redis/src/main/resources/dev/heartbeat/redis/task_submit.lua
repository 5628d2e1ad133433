-- KEYS: task, the five state sets. ARGV: clock, T, events length, id, max tasks, payload,
-- attemptTimeout, progressTimeout, maxAttempts, maxLost, retryDelay, maxRetryDelay (durations as
-- Java writes them), signal channel ('' for none).
-- Submits to INBOX, due now; idempotent by id: a task of that id is answered unchanged. A new
-- task starts from the last token of its id when it was pruned (else the queue's floor), so its
-- tokens still grow. A new task signals the queue. Answers {'ok', fields as HGETALL} or {'full', count}.
local now = clock()
local id = ARGV[4]
local key = KEYS[1]
if redis.call('EXISTS', key) == 1 then return {'ok', redis.call('HGETALL', key)} end
local count = 0
for i = 2, 6 do count = count + redis.call('ZCARD', KEYS[i]) end
if count >= tonumber(ARGV[5]) then return {'full', s(count)} end
local fence = T .. ':fence'
local last = redis.call('HGET', fence, id) or redis.call('HGET', fence, '') or '0'
redis.call('HDEL', fence, id)
redis.call('ZREM', T .. ':pruned', id)
redis.call('HSET', key, 'id', id, 'payload', ARGV[6], 'at', ARGV[7], 'pt', ARGV[8], 'ma', ARGV[9],
  'ml', ARGV[10], 'rd', ARGV[11], 'mrd', ARGV[12], 'state', 'INBOX', 'token', last,
  'due', s(now), 'created', s(now), 'updated', s(now), 'fail', '0', 'lost', '0', 'cancel', '0',
  'an', '0')
local t = {id = id, created = now, token = tonumber(last)}
redis.call('ZADD', T .. ':s:INBOX', now, id)
redis.call('ZADD', T .. ':ready', now, member(t))
event('submitted', t)
signal(ARGV[13])
return {'ok', redis.call('HGETALL', key)}
