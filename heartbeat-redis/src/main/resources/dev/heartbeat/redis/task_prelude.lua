-- Shared by every task script, after prelude.lua. ARGV[2] is the queue's key base, its hash tag
-- {P:tasks:QUEUE}; ARGV[3] the length the event stream is trimmed to (approximately). Every key
-- of the queue starts with the tag, so a script stays in one Cluster slot.
--   T:t:ID       hash: one task (spec, state, token, claim, counts, texts, attempts a:N)
--   T:ready      zset: INBOX tasks by due time, member created(20 digits)..id
--   T:claims     zset: IN_PROGRESS tasks by claim expiry, same members
--   T:s:STATE    zset per state: ids by creation (listing and counting)
--   T:final      zset: final tasks by last update (pruning)
--   T:fence      hash: the last token of each pruned id; field '' is the queue's floor
--   T:pruned     zset: pruned ids by when, the eldest folded into the floor beyond the bound
--   T:events     stream: the queue's event log
--   T:signal     shard channel (not a key): a message on it says the queue may have a task
-- Times are microseconds of the store's clock.
local T = ARGV[2]
local KEEP = 100 -- TaskView.MAX_ATTEMPTS_KEPT
local STATES = {INBOX = true, IN_PROGRESS = true, DONE = true, BLOCKED = true, CANCELLED = true}
local FINAL = {DONE = true, BLOCKED = true, CANCELLED = true}
local function tkey(id) return T .. ':t:' .. id end
local function member(t) return string.format('%020d', t.created) .. t.id end
-- The fields every script judges by, read once: a table, 'none' or 'bad'.
local function load(id)
  local key = tkey(id)
  local f = redis.call('HMGET', key, 'state', 'token', 'worker', 'exp', 'due', 'created', 'fail',
    'lost', 'cancel', 'an', 'ml', 'reason')
  if not (f[1] or f[2] or f[6]) then
    if redis.call('EXISTS', key) == 0 then return 'none' end
    return 'bad'
  end
  local t = {id = id, key = key, state = f[1], tokens = f[2], token = num(f[2]), worker = f[3],
    exp = num(f[4]), due = num(f[5]), created = num(f[6]), fail = num(f[7]), lost = num(f[8]),
    cancel = f[9] == '1', an = num(f[10]), ml = num(f[11]), reason = f[12]}
  if not (STATES[t.state] and t.token and t.due and t.created and t.fail and t.lost and t.an
      and t.ml) then
    return 'bad'
  end
  if t.state == 'IN_PROGRESS' and not (t.worker and t.exp) then return 'bad' end
  return t
end
local function event(name, t, extra)
  local args = {'XADD', T .. ':events', 'MAXLEN', '~', ARGV[3], '*', 'event', name, 'task', t.id,
    'token', s(t.token)}
  if extra then
    for i = 1, #extra do args[#args + 1] = extra[i] end
  end
  redis.call(unpack(args))
end
-- Whether worker holds the task with token (a string) at now.
local function holds(t, worker, token, now)
  return type(t) == 'table' and t.state == 'IN_PROGRESS' and t.worker == worker
    and t.tokens == token and now < t.exp
end
-- Moves the task to state next at now: its indexes follow; worker and claim go when it leaves
-- IN_PROGRESS (an INBOX task goes into the ready set at its due time, t.due).
local function move(t, next, now)
  local m = member(t)
  if t.state == 'INBOX' then redis.call('ZREM', T .. ':ready', m) end
  if t.state == 'IN_PROGRESS' then
    redis.call('ZREM', T .. ':claims', m)
    redis.call('HDEL', t.key, 'worker', 'exp')
    t.worker = nil
    t.exp = nil
  end
  if FINAL[t.state] then redis.call('ZREM', T .. ':final', t.id) end
  if t.state ~= next then
    redis.call('ZREM', T .. ':s:' .. t.state, t.id)
    redis.call('ZADD', T .. ':s:' .. next, t.created, t.id)
  end
  if next == 'INBOX' then redis.call('ZADD', T .. ':ready', t.due, m) end
  if FINAL[next] then redis.call('ZADD', T .. ':final', now, t.id) end
  t.state = next
  redis.call('HSET', t.key, 'state', next, 'updated', s(now))
end
-- Ends the running attempt: its record a:N gets end time, outcome and the encoded tail
-- ('\0'-separated error class, message, stack trace, each '' when absent or '=' and the value);
-- counts a failure or a loss.
local function finish(t, outcome, ended, tail, failure)
  local field = 'a:' .. s(t.an)
  local head = redis.call('HGET', t.key, field)
  if head then
    local _, seps = string.gsub(head, '%z', '')
    if seps == 4 then
      redis.call('HSET', t.key, field, head .. '\0' .. s(ended) .. '\0' .. outcome .. '\0' .. tail)
    end
  end
  if failure then
    t.fail = t.fail + 1
    redis.call('HSET', t.key, 'fail', s(t.fail))
  end
  if outcome == 'WORKER_LOST' then
    t.lost = t.lost + 1
    redis.call('HSET', t.key, 'lost', s(t.lost))
  end
end
local function reason(t, text)
  t.reason = text
  if text then
    redis.call('HSET', t.key, 'reason', text)
  else
    redis.call('HDEL', t.key, 'reason')
  end
end
-- The attempt of an expired claim ends WORKER_LOST; true when the task may be claimed again,
-- false when it was cancelled (its cancel was requested) or blocked as poison (TaskRules.afterLost).
local function takeover(t, now)
  local lost = t.lost + 1
  local poison = lost >= t.ml
  finish(t, 'WORKER_LOST', t.exp, '\0=the claim expired\0', false)
  if t.cancel then
    reason(t, 'cancelled')
    move(t, 'CANCELLED', now)
    event('cancelled', t, {'outcome', 'WORKER_LOST'})
    return false
  end
  if poison then
    reason(t, 'poison task: its worker was lost ' .. s(lost) .. ' times (maxLost ' .. s(t.ml) .. ')')
    move(t, 'BLOCKED', now)
    event('blocked', t, {'outcome', 'WORKER_LOST'})
    return false
  end
  move(t, 'INBOX', now)
  event('lost', t)
  return true
end
-- Says on the queue's shard channel that it may have a task (TaskSignals), inside the script so
-- that it goes out with the write; channel is the channel's name, '' when the store signals
-- nothing. pcall: a server without SPUBLISH (before Redis 7) still writes, its workers poll.
local function signal(channel)
  if channel ~= '' then redis.pcall('SPUBLISH', channel, 'task') end
end
