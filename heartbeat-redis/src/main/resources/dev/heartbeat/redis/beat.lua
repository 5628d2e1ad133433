-- KEYS: latest (hash), beats (stream), events (stream) [, agents registry (set), changes (sorted
--   set) [, feed (stream)]] (a single server passes the registry and the change index, and the
--   feed when it writes one; a cluster none: they live in other slots)
-- ARGV: offset, mode (register|record), history limit, agent, incarnation, sequence, task ('' or
--       '=' .. task), status, cpu, progress ('' or '=' .. progress), new progress ('1'|'0'), feed length,
--       interval in microseconds ('' when the beat carries none: field 'iv' is then removed)
-- Answers {'ok', now, pat}, {'unknown'}, {'bad'}, or {'stale', field, value, ...}: the stored
-- state, unchanged, when this beat is not the newest (nothing goes back in time: another
-- incarnation, a sequence not above the stored one, or after LEFT; a registration only when it
-- is a late one of the stored incarnation).
local now = clock()
local function opt(v) if v == '' then return nil end return string.sub(v, 2) end
-- a > b for sequences written as decimal integers without leading zeros (exact beyond 2^53)
local function above(a, b)
  if #a ~= #b then return #a > #b end
  return a > b
end
local task, progress = opt(ARGV[7]), opt(ARGV[10])
local interval = nil
if ARGV[13] and ARGV[13] ~= '' then interval = ARGV[13] end
local f = redis.call('HMGET', KEYS[1], 'inc', 'seq', 'status', 'cpu', 'at', 'pat')
local present = f[1] or f[2] or f[3] or f[4] or f[5] or f[6]
local readable = present and f[1] and f[1] ~= '' and num(f[2]) and f[3] and num(f[4])
  and num(f[5]) and (not f[6] or num(f[6]))
local pat = nil
if ARGV[2] == 'record' then
  if not present then return {'unknown'} end
  if not readable then return {'bad'} end
  if f[1] ~= ARGV[5] or not above(ARGV[6], f[2]) or f[3] == 'LEFT' then
    return {'stale', unpack(redis.call('HGETALL', KEYS[1]))}
  end
  pat = f[6]
else
  if KEYS[4] then redis.call('SADD', KEYS[4], ARGV[4]) end
  if readable and f[1] == ARGV[5] then
    if not above(ARGV[6], f[2]) then return {'stale', unpack(redis.call('HGETALL', KEYS[1]))} end
    pat = f[6]
  end
end
if ARGV[11] == '1' then pat = s(now) end
local fields = {'inc', ARGV[5], 'seq', ARGV[6], 'status', ARGV[8], 'cpu', ARGV[9], 'at', s(now)}
local gone = {}
local function put(name, value)
  if value then
    table.insert(fields, name); table.insert(fields, value)
  else
    table.insert(gone, name)
  end
end
put('task', task); put('progress', progress); put('pat', pat); put('iv', interval)
redis.call('HSET', KEYS[1], unpack(fields))
if #gone > 0 then redis.call('HDEL', KEYS[1], unpack(gone)) end
-- stream ids carry the store time in ms (never below the stream's last id), so prune can trim by MINID
local function append(key, entry)
  local ms = math.floor(now / 1000)
  local last = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
  if last[1] then
    local lms = tonumber(string.match(last[1][1], '^(%d+)'))
    if lms > ms then ms = lms end
  end
  redis.call('XADD', key, 'MAXLEN', '~', ARGV[3], s(ms) .. '-*', unpack(entry))
end
append(KEYS[2], fields)
if ARGV[11] == '1' then
  local event = {'inc', ARGV[5], 'seq', ARGV[6], 'at', s(now)}
  if task then table.insert(event, 'task'); table.insert(event, task) end
  if progress then table.insert(event, 'progress'); table.insert(event, progress) end
  append(KEYS[3], event)
end
if KEYS[5] then changed(KEYS[5], ARGV[4], now) end
if KEYS[6] then
  local entry = {'agent', ARGV[4]}
  for _, v in ipairs(fields) do table.insert(entry, v) end
  redis.call('XADD', KEYS[6], 'MAXLEN', '~', ARGV[12], '*', unpack(entry))
end
return {'ok', s(now), pat or false}
