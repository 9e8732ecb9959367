// Lua of the lobby. The claim scripts touch only one target's keys, which share the hash tag
// `{lobby:T}` (one Cluster slot); the summary script touches only one room's keys.

/** LOBBY_CLAIM's first reply element. */
export const ClaimStatus = {
  /** A seat of an existing (or opening) room is reserved: { Join, roomCode, opening 0|1 }. */
  Join: 1,
  /** No room had a free seat: the caller's code is registered as opening: { Open, roomCode }. */
  Open: 2,
  /** The caller's code is already in the lobby: nothing changed. */
  CodeTaken: 0,
} as const;
export type ClaimStatus = (typeof ClaimStatus)[keyof typeof ClaimStatus];

// KEYS waiting, touched, seated (the first three keys of both claim scripts).
const LOBBY_HELPERS = `
local waiting, touched, seated = KEYS[1], KEYS[2], KEYS[3]
local function seatRange(code) return '[' .. code .. '|', '(' .. code .. '}' end
local function forget(code)
  redis.call('ZREM', waiting, code)
  redis.call('ZREM', touched, code)
  local from, to = seatRange(code)
  redis.call('ZREMRANGEBYLEX', seated, from, to)
end
-- A room with no change within its TTL has expired with its keys.
local function dropExpired(before)
  local expired = redis.call('ZRANGEBYSCORE', touched, '-inf', '(' .. before, 'LIMIT', 0, 50)
  for _, code in ipairs(expired) do forget(code) end
end
`;

/**
 * KEYS waiting, touched, seated, claims (one target's lobby). ARGV nowMs, claimTtlMs,
 * expiredBeforeMs, newRoomCode, playerId, openScore.
 * A seat is counted once whether it is claimed, taken (seated) or both; a claim past its expiry
 * counts for nothing. Walks the waiting rooms best first (most players, then oldest) and reserves
 * a seat in the first with fewer than four; with none, registers newRoomCode as waiting (score
 * openScore) with the caller's seat reserved. Either way one atomic step, so concurrent callers
 * fill one room before another is opened: a new room only when every known one is full.
 * Returns { ClaimStatus.Join, code, opening } (opening 1: nobody is seated yet and the room was
 * registered within the claim TTL: its create may still be on its way), { Open, code } or
 * { CodeTaken }.
 */
export const LOBBY_CLAIM = `${LOBBY_HELPERS}
local claims = KEYS[4]
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
local member = ARGV[5]
dropExpired(ARGV[3])
redis.call('ZREMRANGEBYSCORE', claims, '-inf', now)
local pending = {}
for _, m in ipairs(redis.call('ZRANGE', claims, 0, -1)) do
  local code, id = string.match(m, '^(.-)|(.*)$')
  -- The caller's own claim, landed before a lost answer: the same answer again, not a second seat.
  if id == member then
    if code == ARGV[4] then return { ${ClaimStatus.Open}, code } end
    return { ${ClaimStatus.Join}, code, 0 }
  end
  if code and not redis.call('ZSCORE', seated, m) then pending[code] = (pending[code] or 0) + 1 end
end
local from = 0
while true do
  local batch = redis.call('ZRANGE', waiting, from, from + 49)
  if #batch == 0 then break end
  for _, code in ipairs(batch) do
    local first, last = seatRange(code)
    local taken = redis.call('ZLEXCOUNT', seated, first, last)
    if taken + (pending[code] or 0) < 4 then
      redis.call('ZADD', claims, now + ttl, code .. '|' .. member)
      local opening = 0
      if taken == 0 then
        local since = redis.call('ZSCORE', touched, code)
        if since and tonumber(since) >= now - ttl then opening = 1 end
      end
      return { ${ClaimStatus.Join}, code, opening }
    end
  end
  from = from + 50
end
local code = ARGV[4]
if redis.call('ZSCORE', waiting, code) then return { ${ClaimStatus.CodeTaken} } end
redis.call('ZADD', claims, now + ttl, code .. '|' .. member)
redis.call('ZADD', waiting, ARGV[6], code)
redis.call('ZADD', touched, now, code)
return { ${ClaimStatus.Open}, code }
`;

/**
 * KEYS waiting, touched, seated, claims. ARGV roomCode, playerId, forget ('1': take the room
 * out of the lobby too). Drops the caller's claim and any seat a retried write put on record for
 * it (the caller knows its join did not land). Returns 1.
 */
export const LOBBY_RELEASE = `${LOBBY_HELPERS}
local member = ARGV[1] .. '|' .. ARGV[2]
redis.call('ZREM', KEYS[4], member)
redis.call('ZREM', seated, member)
if ARGV[3] == '1' then forget(ARGV[1]) end
return 1
`;

/**
 * KEYS waiting, touched, seated. ARGV expiredBeforeMs, limit. Drops expired rooms, then answers
 * the best `limit` waiting rooms as ZRANGE WITHSCORES does (flat member, score pairs).
 */
export const LOBBY_WAITING = `${LOBBY_HELPERS}
dropExpired(ARGV[1])
return redis.call('ZRANGE', waiting, 0, tonumber(ARGV[2]) - 1, 'WITHSCORES')
`;

/**
 * KEYS room, players, spectators (one room). Returns nil, or { { phase, targetScore,
 * visibility, createdAt, updatedAt }, players' JSON values, spectator total }: what a listing
 * shows, without the match.
 */
export const LOBBY_ROOM = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local spectators = 0
for _, n in ipairs(redis.call('HVALS', KEYS[3])) do spectators = spectators + tonumber(n) end
return { redis.call('HMGET', KEYS[1], 'phase', 'targetScore', 'visibility', 'createdAt', 'updatedAt'),
  redis.call('HVALS', KEYS[2]), spectators }
`;

export const LOBBY_SCRIPTS = [LOBBY_CLAIM, LOBBY_RELEASE, LOBBY_WAITING, LOBBY_ROOM];

/** The lobby's scripts as commands of a client (defined by defineScripts). */
export interface LobbyScriptCommands {
  hokmLobbyClaim(
    waiting: string,
    touched: string,
    seated: string,
    claims: string,
    now: number,
    claimTtlMs: number,
    expiredBefore: number,
    newRoomCode: string,
    playerId: string,
    openScore: number,
  ): Promise<[ClaimStatus, string?, number?]>;
  hokmLobbyRelease(
    waiting: string,
    touched: string,
    seated: string,
    claims: string,
    roomCode: string,
    playerId: string,
    forget: '0' | '1',
  ): Promise<number>;
  hokmLobbyWaiting(
    waiting: string,
    touched: string,
    seated: string,
    expiredBefore: number,
    limit: number,
  ): Promise<string[]>;
  hokmLobbyRoom(room: string, players: string, spectators: string): Promise<unknown>;
}

/** Defines the lobby's scripts on a client (called by defineScripts with the others). */
export function defineLobbyScripts(client: {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
}): void {
  client.defineCommand('hokmLobbyClaim', { numberOfKeys: 4, lua: LOBBY_CLAIM });
  client.defineCommand('hokmLobbyRelease', { numberOfKeys: 4, lua: LOBBY_RELEASE });
  client.defineCommand('hokmLobbyWaiting', { numberOfKeys: 3, lua: LOBBY_WAITING });
  client.defineCommand('hokmLobbyRoom', { numberOfKeys: 3, lua: LOBBY_ROOM });
}
