-- KEYS: latest (hash), beats, events [, agents registry, changes]. ARGV: offset, agent
-- Answers 1 when the agent had a latest state (readable or not), else 0.
local known = redis.call('EXISTS', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
if KEYS[4] then redis.call('SREM', KEYS[4], ARGV[2]) end
if KEYS[5] and known == 1 then changed(KEYS[5], ARGV[2], clock()) end
return known
