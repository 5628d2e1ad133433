-- KEYS: epoch. ARGV: offset. For a prefix without any key (checked by the caller): an epoch
-- marker whose quarantine is already over. Changes nothing where a marker exists.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local now = clock()
redis.call('HSET', KEYS[1], 'since', s(now), 'until', s(now), 'run', run_id(), 'ttl', '0')
return 1
