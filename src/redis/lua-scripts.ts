// Lua run inside Redis: every multi-key script touches only one room's keys (one hash tag).
// Reply codes are named once, here, and written into the Lua source from these constants.

/** COMMIT_ROOM's first reply element. */
export const CommitStatus = {
  /** The change landed; the version was bumped. */
  Committed: 1,
  /** This commit id had already landed (replayed after a lost answer): applied once, not twice. */
  Replayed: 2,
  /** A stale version or another incarnation of the code; on create, the code is taken. */
  Conflict: 0,
  /** No room has this code. */
  NotFound: -1,
  /** The change's requirePlayer is not seated. */
  PlayerMissing: -2,
} as const;
export type CommitStatus = (typeof CommitStatus)[keyof typeof CommitStatus];

/** SPECTATE's first reply element. */
export const SpectateStatus = {
  /** Counted (or the count was set); the second element is the room's total. */
  Done: 1,
  /** The room is at the limit: nothing changed. */
  Full: 0,
  /** No room has this code: nothing changed. */
  NotFound: -1,
} as const;
export type SpectateStatus = (typeof SpectateStatus)[keyof typeof SpectateStatus];

/** INSTANCE_HEARTBEAT's first reply element: how the caller was on record before this beat. */
export const HeartbeatStanding = {
  Alive: 0,
  /** A survivor had leased it as dead (and may have freed its seats). */
  LeasedAsDead: 1,
  /** Not on record: its first beat, or dropped as dead. */
  Absent: 2,
} as const;
export type HeartbeatStanding = (typeof HeartbeatStanding)[keyof typeof HeartbeatStanding];

const C = CommitStatus;
const H = HeartbeatStanding;
const S = SpectateStatus;

// Lua: the total of a room's spectators hash (instance id -> count), for the scripts below.
const SPECTATOR_TOTAL = `
local function spectatorTotal(key)
  local sum = 0
  for _, n in ipairs(redis.call('HVALS', key)) do sum = sum + tonumber(n) end
  return sum
end
`;

// Lua: the total of a room's spectators hash and the instances that have any (the hash's fields).
const SPECTATOR_INSTANCES = `
local function spectatorInstances(key)
  local flat = redis.call('HGETALL', key)
  local sum, ids = 0, {}
  for i = 1, #flat, 2 do
    local n = tonumber(flat[i + 1])
    if n > 0 then
      sum = sum + n
      ids[#ids + 1] = flat[i]
    end
  end
  return sum, ids
end
`;

/**
 * KEYS room, players, match, spectators. Returns nil, or { roomHashFlat, playersHashFlat,
 * matchJson|false, spectatorTotal }.
 */
export const LOAD_ROOM = `${SPECTATOR_TOTAL}
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
return { redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('GET', KEYS[3]),
  spectatorTotal(KEYS[4]) }
`;

/**
 * KEYS room, players, match, commits, journal, spectators [, activeRooms index, app indexes...].
 * The spectators hash is only read (its total) and given the room's TTL. The indexes
 * are passed only outside Redis Cluster (they live in other slots there, and the caller writes
 * them beside the script).
 * ARGV mode ('create'|'update'), expectedVersion (-1: any), commitId, ttlSeconds, nowMs,
 *      changeJson { meta?, upsert?: {id: json}, remove?: [id], deleteMatch?, requirePlayer?: id,
 *      clear?, journal?: [line], indexes?: [[keyOffset, member, score|false]] (KEYS[7 + offset];
 *      false removes the member) }, commitLogLength, matchJson ('' : leave the match as it is),
 *      expectedEpoch ('*': any incarnation of the room code), returnCurrent ('1': on a conflict,
 *      answer the room as LOAD_ROOM reads it), roomCode (the index member).
 * Returns { status (CommitStatus), version, ... }: a Committed change answers
 * { status, version, spectatorTotal, spectatorInstances } (the room's spectators as counted at
 * the commit, so the pushes of the change carry the count without another read, and the
 * instances they watch from, so the change is sent only where it is needed); a Conflict that asked for it
 * (returnCurrent) answers { status, version, roomHashFlat, playersHashFlat, matchJson|false }.
 * Other answers are { status, version }.
 * A create stamps the room's `epoch` with its commit id: a room deleted and created again under
 * the same code is another incarnation, and a write meant for the old one cannot land on it.
 */
export const COMMIT_ROOM = `${SPECTATOR_INSTANCES}
local room, players, match, commits, journal = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local spectators = KEYS[6]
local index = KEYS[7]
local mode, expected, commitId = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local ttl, now = tonumber(ARGV[4]), ARGV[5]
local change = cjson.decode(ARGV[6])
local matchJson, expectedEpoch = ARGV[8] or '', ARGV[9] or '*'
local exists = redis.call('EXISTS', room) == 1
local version = 0
if mode == 'create' then
  if exists then
    -- Our own create, replayed after a lost answer, is ours; anyone else's code is taken.
    local current = tonumber(redis.call('HGET', room, 'version'))
    if redis.call('LPOS', commits, commitId) then return { ${C.Replayed}, current } end
    return { ${C.Conflict}, current }
  end
else
  if not exists then return { ${C.NotFound}, 0 } end
  version = tonumber(redis.call('HGET', room, 'version'))
  if redis.call('LPOS', commits, commitId) then return { ${C.Replayed}, version } end
  local stale = expected >= 0 and version ~= expected
  if not stale and expectedEpoch ~= '*' then
    stale = (redis.call('HGET', room, 'epoch') or '') ~= expectedEpoch
  end
  if stale then
    if ARGV[10] == '1' then
      return { ${C.Conflict}, version, redis.call('HGETALL', room), redis.call('HGETALL', players),
        redis.call('GET', match) }
    end
    return { ${C.Conflict}, version }
  end
  if change.requirePlayer and redis.call('HEXISTS', players, change.requirePlayer) == 0 then
    return { ${C.PlayerMissing}, version }
  end
end
version = version + 1
local fields = { 'version', version, 'updatedAt', now }
if mode == 'create' then
  fields[#fields + 1] = 'createdAt'
  fields[#fields + 1] = now
  fields[#fields + 1] = 'epoch'
  fields[#fields + 1] = commitId
end
if change.meta then
  for field, value in pairs(change.meta) do
    fields[#fields + 1] = field
    fields[#fields + 1] = value
  end
end
redis.call('HSET', room, unpack(fields))
if change.clear then redis.call('DEL', players, match) end
if change.remove then
  for _, id in ipairs(change.remove) do redis.call('HDEL', players, id) end
end
if change.upsert then
  for id, json in pairs(change.upsert) do redis.call('HSET', players, id, json) end
end
if matchJson ~= '' then redis.call('SET', match, matchJson) end
if change.deleteMatch then redis.call('DEL', match) end
redis.call('LPUSH', commits, commitId)
redis.call('LTRIM', commits, 0, tonumber(ARGV[7]) - 1)
if change.journal then redis.call('RPUSH', journal, unpack(change.journal)) end
-- EXPIRE on a key that does not exist is a no-op.
for i = 1, 6 do redis.call('EXPIRE', KEYS[i], ttl) end
if index then redis.call('ZADD', index, now, ARGV[11]) end
if change.indexes then
  for _, entry in ipairs(change.indexes) do
    local key = KEYS[7 + entry[1]]
    if entry[3] then redis.call('ZADD', key, entry[3], entry[2]) else redis.call('ZREM', key, entry[2]) end
  end
end
local watching, instances = spectatorInstances(spectators)
return { ${C.Committed}, version, watching, instances }
`;

/**
 * KEYS room, spectators. ARGV mode, instanceId, n, ttlSeconds. Counts the spectators of one
 * instance in a room (the hash: instance id -> count), never touching the room itself:
 * - 'add': one more, unless the room is gone (NotFound) or its total is already n (Full); the
 *   hash then takes the room's remaining TTL, so a count never outlives its room.
 * - 'remove': one fewer (an instance at none is dropped from the hash).
 * - 'set': the instance has n (0 drops it; n > 0 only while the room exists).
 * Returns { status (SpectateStatus), the room's total after it }.
 */
export const SPECTATE = `${SPECTATOR_TOTAL}
local room, spectators = KEYS[1], KEYS[2]
local mode, id, n = ARGV[1], ARGV[2], tonumber(ARGV[3])
local function sameLife()
  local left = redis.call('PTTL', room)
  if left > 0 then redis.call('PEXPIRE', spectators, left) else redis.call('EXPIRE', spectators, ARGV[4]) end
end
if mode == 'add' then
  if redis.call('EXISTS', room) == 0 then return { ${S.NotFound}, 0 } end
  local total = spectatorTotal(spectators)
  if total >= n then return { ${S.Full}, total } end
  redis.call('HINCRBY', spectators, id, 1)
  sameLife()
  return { ${S.Done}, total + 1 }
end
if mode == 'remove' then
  if redis.call('HINCRBY', spectators, id, -1) <= 0 then redis.call('HDEL', spectators, id) end
elseif n > 0 and redis.call('EXISTS', room) == 1 then
  redis.call('HSET', spectators, id, n)
  sameLife()
else
  redis.call('HDEL', spectators, id)
end
return { ${S.Done}, spectatorTotal(spectators) }
`;

/**
 * KEYS instances, own connections, own watched rooms. ARGV instanceId, nowMs, silentRange min ('(-nowMs': leases
 * that ran out) and max (silentBeforeMs), -(lease end), limit, ttlSeconds.
 * Beats for the caller and leases silent instances to it. Returns { standing (HeartbeatStanding
 * before this beat), leased instance ids }.
 */
export const INSTANCE_HEARTBEAT = `
local was = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[7])
redis.call('EXPIRE', KEYS[2], ARGV[7])
redis.call('EXPIRE', KEYS[3], ARGV[7])
local silent = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], ARGV[4], 'LIMIT', 0, tonumber(ARGV[6]))
for _, id in ipairs(silent) do redis.call('ZADD', KEYS[1], ARGV[5], id) end
local state = ${H.Absent}
if was then state = (tonumber(was) < 0) and ${H.LeasedAsDead} or ${H.Alive} end
return { state, silent }
`;

/**
 * KEYS instances, its connections, its watched rooms. ARGV instanceId. Drops a dead instance and
 * its registrations, unless it beat again meanwhile (it is then alive, and its registrations are
 * its own). 1: dropped.
 */
export const FORGET_INSTANCE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not (score and tonumber(score) < 0) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3])
return 1
`;
