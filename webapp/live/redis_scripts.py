"""The RedisStore's Lua scripts: each runs atomically in Redis, so every process sees one order of events.

Times are Redis's own clock (TIME), never a process's, so machines with drifting clocks agree on
expiries. A session's keys all carry the session id in braces (a Redis Cluster hash tag, so they share
one slot) and expire together; `touch` pushes them all back at once. A key is derived here from ARGV[1]
(the prefix) and ARGV[2] (the session id) by `key(...)`, the one spelling of the layout:

    <prefix>sessions                    sorted set: session id -> expiry (ms), for the session limit and sweeps
    <prefix>{<sid>}:record              the record (JSON), holding "state"
    <prefix>{<sid>}:followers           sorted set: stream id -> when it is counted out (ms)
    <prefix>{<sid>}:polls               hash: poll id -> poll (JSON)
    <prefix>{<sid>}:answers:<poll id>   hash: client -> answer record (JSON)
    <prefix>{<sid>}:order:<poll id>     list: clients in the order they first answered
    <prefix>hit:<key>                   counter of a rate-limit window
    <prefix>events                      the pub/sub channel: {"session": sid, "message": state | {"end": reason}}
"""

# Shared by every script: key names, the clock, and the check that ends an expired session's streams.
PRELUDE = """
-- Writes after TIME: replicate the effects, not the script (Redis 3.2 to 6 need asking; 7 always does).
redis.replicate_commands()
local prefix, sid = ARGV[1], ARGV[2]
local function key(part) return prefix .. '{' .. sid .. '}:' .. part end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function announce(session, message)
  redis.call('PUBLISH', prefix .. 'events', cjson.encode({session = session, message = message}))
end
-- The session's record is there; when it has expired, the first to notice ends its streams.
local function alive()
  if redis.call('EXISTS', key('record')) == 1 then return true end
  if redis.call('ZREM', prefix .. 'sessions', sid) == 1 then announce(sid, {['end'] = 'expired'}) end
  return false
end
local function expire_with_record(name)
  local ttl = redis.call('PTTL', key('record'))
  if ttl > 0 then redis.call('PEXPIRE', name, ttl) end
end
-- Sessions past their expiry whose record Redis has dropped (it does so within a millisecond of the
-- score; one still there is left for the next sweep).
local function sweep(now)
  for _, gone in ipairs(redis.call('ZRANGEBYSCORE', prefix .. 'sessions', '-inf', now, 'LIMIT', 0, 100)) do
    if redis.call('EXISTS', prefix .. '{' .. gone .. '}:record') == 0 then
      redis.call('ZREM', prefix .. 'sessions', gone)
      announce(gone, {['end'] = 'expired'})
    end
  end
end
"""

# ARGV: prefix, sid, record JSON, idle ms, max sessions -> 1 created, 0 at the limit
CREATE = PRELUDE + """
local now = now_ms()
sweep(now)
if redis.call('ZCARD', prefix .. 'sessions') >= tonumber(ARGV[5]) then return 0 end
redis.call('SET', key('record'), ARGV[3], 'PX', ARGV[4])
redis.call('ZADD', prefix .. 'sessions', now + tonumber(ARGV[4]), sid)
return 1
"""

# ARGV: prefix, sid -> 1 alive, 0 gone (ending its streams if it expired)
ALIVE = PRELUDE + """
return alive() and 1 or 0
"""

# ARGV: prefix, sid, idle ms -> 1 touched, 0 gone
TOUCH = PRELUDE + """
if not alive() then return 0 end
local idle = tonumber(ARGV[3])
for _, part in ipairs({'record', 'followers', 'polls'}) do redis.call('PEXPIRE', key(part), idle) end
for _, pid in ipairs(redis.call('HKEYS', key('polls'))) do
  redis.call('PEXPIRE', key('answers:' .. pid), idle)
  redis.call('PEXPIRE', key('order:' .. pid), idle)
end
redis.call('ZADD', prefix .. 'sessions', now_ms() + idle, sid)
return 1
"""

# ARGV: prefix, sid, reason -> 1 ended, 0 not there
DELETE = PRELUDE + """
if not alive() then return 0 end
local names = {key('record'), key('followers'), key('polls')}
for _, pid in ipairs(redis.call('HKEYS', key('polls'))) do
  table.insert(names, key('answers:' .. pid))
  table.insert(names, key('order:' .. pid))
end
redis.call('DEL', unpack(names))
redis.call('ZREM', prefix .. 'sessions', sid)
announce(sid, {['end'] = ARGV[3]})
return 1
"""

# ARGV: prefix, sid, stream id, max followers, ttl ms -> the follower count, or -1 when full or gone
JOIN = PRELUDE + """
if not alive() then return -1 end
local now, followers = now_ms(), key('followers')
redis.call('ZREMRANGEBYSCORE', followers, '-inf', now)
if not redis.call('ZSCORE', followers, ARGV[3]) and redis.call('ZCARD', followers) >= tonumber(ARGV[4]) then
  return -1
end
redis.call('ZADD', followers, now + tonumber(ARGV[5]), ARGV[3])
expire_with_record(followers)
return redis.call('ZCARD', followers)
"""

# ARGV: prefix, sid, stream id, ttl ms
HEARTBEAT = PRELUDE + """
if not alive() then return 0 end
redis.call('ZADD', key('followers'), now_ms() + tonumber(ARGV[4]), ARGV[3])
expire_with_record(key('followers'))
return 1
"""

# ARGV: prefix, sid -> the follower count (0 when gone)
FOLLOWERS = PRELUDE + """
if not alive() then return 0 end
redis.call('ZREMRANGEBYSCORE', key('followers'), '-inf', now_ms())
return redis.call('ZCARD', key('followers'))
"""

# ARGV: prefix, sid, poll id, poll JSON -> 1 kept, 0 gone
PUT_POLL = PRELUDE + """
if not alive() then return 0 end
redis.call('HSET', key('polls'), ARGV[3], ARGV[4])
redis.call('DEL', key('answers:' .. ARGV[3]), key('order:' .. ARGV[3]))
expire_with_record(key('polls'))
return 1
"""

# ARGV: prefix, sid, poll id -> the poll JSON, or false
GET_POLL = PRELUDE + """
if not alive() then return false end
return redis.call('HGET', key('polls'), ARGV[3])
"""

# ARGV: prefix, sid, poll id, client, answer JSON, max clients -> 1 kept, 0 full or no such poll
PUT_ANSWER = PRELUDE + """
if not alive() or redis.call('HEXISTS', key('polls'), ARGV[3]) == 0 then return 0 end
local answers, order = key('answers:' .. ARGV[3]), key('order:' .. ARGV[3])
if redis.call('HEXISTS', answers, ARGV[4]) == 0 then
  if redis.call('HLEN', answers) >= tonumber(ARGV[6]) then return 0 end
  redis.call('RPUSH', order, ARGV[4])  -- a replaced answer keeps its client's first place
end
redis.call('HSET', answers, ARGV[4], ARGV[5])
expire_with_record(answers)
expire_with_record(order)
return 1
"""

# ARGV: prefix, sid, poll id -> {clients in first-answer order, their answer JSONs}
ANSWERS = PRELUDE + """
if not alive() then return {{}, {}} end
local clients = redis.call('LRANGE', key('order:' .. ARGV[3]), 0, -1)
if #clients == 0 then return {{}, {}} end
return {clients, redis.call('HMGET', key('answers:' .. ARGV[3]), unpack(clients))}
"""

# ARGV: prefix, sid (unused), now is Redis's -> nothing; ends the streams of sessions past their expiry
SWEEP = PRELUDE + """
sweep(now_ms())
return 0
"""

# KEYS: the window's counter; ARGV: window ms, limit -> 1 allowed, 0 over the limit (a fixed window
# that starts at its first event, as the MemoryStore's)
HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count <= tonumber(ARGV[2]) and 1 or 0
"""
