-- KEYS: task. ARGV: clock, T, events length, id, worker, token, progress, checkpoint ('' keeps
-- the last one, or '=' and the checkpoint). A compare-and-set on the claim: 1 when written, 0
-- when fenced out (nothing changed), -1 when the task is unreadable.
local now = clock()
local t = load(ARGV[4])
if not holds(t, ARGV[5], ARGV[6], now) then
  if t == 'bad' then return -1 end
  return 0
end
redis.call('HSET', t.key, 'progress', ARGV[7], 'updated', s(now))
if ARGV[8] ~= '' then redis.call('HSET', t.key, 'cp', string.sub(ARGV[8], 2)) end
return 1
