-- Answers {run_id, ''} when scripts may call INFO, which restart detection needs (see epoch()),
-- or {'', the error}.
local info = redis.pcall('INFO', 'server')
if type(info) ~= 'string' then return {'', tostring(info.err or info)} end
return {string.match(info, 'run_id:(%x+)') or '', ''}
