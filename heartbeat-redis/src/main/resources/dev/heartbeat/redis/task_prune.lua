-- KEYS: final, fence, pruned. ARGV: clock, T, events length, before(us), limit, max reserved.
-- Deletes final tasks last updated before 'before', oldest first (then by id), at most limit.
-- Each pruned id's last token stays reserved in the fence hash for a re-submission; beyond
-- 'max reserved' the eldest reservations fold into the queue's floor (field ''), which every
-- new task starts from. Answers how many were deleted.
local now = clock()
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4], 'LIMIT', 0,
  tonumber(ARGV[5]))
local max = tonumber(ARGV[6])
local deleted = 0
for _, id in ipairs(ids) do
  local t = load(id)
  redis.call('ZREM', KEYS[1], id)
  if type(t) == 'table' and FINAL[t.state] then
    redis.call('DEL', t.key)
    redis.call('ZREM', T .. ':s:' .. t.state, id)
    redis.call('HSET', KEYS[2], id, t.tokens)
    redis.call('ZADD', KEYS[3], now, id)
    deleted = deleted + 1
    if redis.call('ZCARD', KEYS[3]) > max then
      local eldest = redis.call('ZPOPMIN', KEYS[3])
      local token = num(redis.call('HGET', KEYS[2], eldest[1]))
      local floor = num(redis.call('HGET', KEYS[2], '')) or 0
      if token and token > floor then redis.call('HSET', KEYS[2], '', s(token)) end
      redis.call('HDEL', KEYS[2], eldest[1])
    end
  end
end
return deleted
