-- KEYS: beats, events. ARGV: offset, max age (ms), keep last
local cutoff = math.floor(clock() / 1000) - tonumber(ARGV[2])
local removed = 0
for i = 1, 2 do
  removed = removed + redis.call('XTRIM', KEYS[i], 'MINID', s(cutoff))
  removed = removed + redis.call('XTRIM', KEYS[i], 'MAXLEN', ARGV[3])
end
return removed
