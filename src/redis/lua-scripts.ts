// Lua run inside Redis: every multi-key script touches only one room's keys (one hash tag).

/** KEYS room, players, match. Returns nil, or { roomHashFlat, playersHashFlat, matchJson|false }. */
export const LOAD_ROOM = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
return { redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('GET', KEYS[3]) }
`;

/**
 * KEYS room, players, match, commits.
 * ARGV mode ('create'|'update'), expectedVersion (-1: any), commitId, ttlSeconds, nowMs,
 *      changeJson { meta?, upsert?: {id: json}, remove?: [id], match?: json, deleteMatch?,
 *      requirePlayer?: id, clear? }, commitLogLength.
 * Returns { status, version }: 1 committed, 2 already committed (a replay), 0 conflict,
 * -1 room not found (or, on create, 0 when the code is taken), -2 required player missing.
 */
export const COMMIT_ROOM = `
local room, players, match, commits = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local mode, expected, commitId = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local ttl, now = tonumber(ARGV[4]), ARGV[5]
local change = cjson.decode(ARGV[6])
local exists = redis.call('EXISTS', room) == 1
local version = 0
if mode == 'create' then
  if exists then
    -- Our own create, replayed after a lost answer, is ours; anyone else's code is taken.
    local current = tonumber(redis.call('HGET', room, 'version'))
    if redis.call('LPOS', commits, commitId) then return { 2, current } end
    return { 0, current }
  end
else
  if not exists then return { -1, 0 } end
  version = tonumber(redis.call('HGET', room, 'version'))
  if redis.call('LPOS', commits, commitId) then return { 2, version } end
  if expected >= 0 and version ~= expected then return { 0, version } end
  if change.requirePlayer and redis.call('HEXISTS', players, change.requirePlayer) == 0 then
    return { -2, version }
  end
end
version = version + 1
redis.call('HSET', room, 'version', version, 'updatedAt', now)
if mode == 'create' then redis.call('HSET', room, 'createdAt', now) end
if change.meta then
  for field, value in pairs(change.meta) do redis.call('HSET', room, field, value) end
end
if change.clear then redis.call('DEL', players, match) end
if change.remove then
  for _, id in ipairs(change.remove) do redis.call('HDEL', players, id) end
end
if change.upsert then
  for id, json in pairs(change.upsert) do redis.call('HSET', players, id, json) end
end
if change.match then redis.call('SET', match, change.match) end
if change.deleteMatch then redis.call('DEL', match) end
redis.call('LPUSH', commits, commitId)
redis.call('LTRIM', commits, 0, tonumber(ARGV[7]) - 1)
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('EXPIRE', key, ttl) end
end
return { 1, version }
`;

/** KEYS timers. ARGV nowMs, leaseMs, limit. Leases due members by pushing their score on. */
export const CLAIM_TIMERS = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local lease = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], lease, member) end
return due
`;
