// Lua of the deadline index: one sorted set (member room code, score due ms), outside any room's
// slot. A claim leases an entry by pushing its score to the end of the lease.

/**
 * KEYS deadlines. ARGV nowMs, leaseMs, limit. Leases the due rooms (score <= now, earliest
 * first, at most limit) to the caller until now + lease; returns their codes.
 */
export const DEADLINES_CLAIM_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local lease = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], lease, member) end
return due
`;

/**
 * KEYS deadlines. ARGV roomCode, nowMs, leaseMs. Leases the room if it is due, or has no entry
 * (one lost beside a Cluster commit: the caller's own deadline stands): 1, else 0.
 */
export const DEADLINES_CLAIM_ONE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
return 1
`;

/**
 * KEYS deadlines. ARGV roomCode, leasedUntil, next ('' removes). Ends the caller's lease: only
 * an entry still at the lease's score is changed (a commit that wrote a deadline since wins).
 * Returns 1 if changed, else 0.
 */
export const DEADLINES_COMPLETE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
return 1
`;

export const DEADLINE_SCRIPTS = [DEADLINES_CLAIM_DUE, DEADLINES_CLAIM_ONE, DEADLINES_COMPLETE];

/** The deadline index's scripts as commands of a client (defined by defineScripts). */
export interface DeadlineScriptCommands {
  hokmDeadlinesClaimDue(key: string, now: number, lease: number, limit: number): Promise<string[]>;
  hokmDeadlinesClaimOne(key: string, roomCode: string, now: number, lease: number): Promise<number>;
  hokmDeadlinesComplete(
    key: string,
    roomCode: string,
    leasedUntil: number,
    next: number | '',
  ): Promise<number>;
}

/** Defines the deadline index's scripts on a client (called by defineScripts with the others). */
export function defineDeadlineScripts(client: {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
}): void {
  client.defineCommand('hokmDeadlinesClaimDue', { numberOfKeys: 1, lua: DEADLINES_CLAIM_DUE });
  client.defineCommand('hokmDeadlinesClaimOne', { numberOfKeys: 1, lua: DEADLINES_CLAIM_ONE });
  client.defineCommand('hokmDeadlinesComplete', { numberOfKeys: 1, lua: DEADLINES_COMPLETE });
}
