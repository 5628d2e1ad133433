-- KEYS: lease. ARGV: offset. A read found the lease unreadable: the wait before it may be taken
-- runs from now (unless a script noticed it earlier). Stamps only a record that is still bad.
if lease(KEYS[1]) == 'bad' then noticed(KEYS[1], clock(), 0) end
return 1
