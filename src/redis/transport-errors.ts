import { ReplyError } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import ClusterAllFailedError from 'ioredis/built/errors/ClusterAllFailedError';
import { StoreUnavailableError } from '../game-state/store-unavailable.error';

/** Our own deadline ran out: the legacy path's per-call `wait_for`, or boot's connect deadline. */
export class OperationTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = this.constructor.name;
  }
}

/**
 * Fewer replicas than REDIS_WAIT_REPLICAS confirmed a write in time: the master has it, but a
 * failover could lose it, so it is not acknowledged (the caller may retry; its commit id makes
 * a retry land at most once).
 */
export class ReplicationShortfallError extends Error {
  constructor(
    readonly confirmed: number,
    readonly wanted: number,
    timeoutMs: number,
  ) {
    super(`${confirmed} of ${wanted} replicas confirmed the write within ${timeoutMs} ms`);
    this.name = this.constructor.name;
  }
}

/** Socket errors (Node's `code`) of a connection that is refused, lost or unreachable. */
const TRANSPORT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * Reply errors that mean "Redis is not serving right now", not "the command is wrong". During a
 * failover: READONLY (a demoted master), UNBLOCKED (a WAIT cut short by the demotion),
 * NOREPLICAS (min-replicas-to-write not met).
 */
const TRANSIENT_REPLY =
  /^(LOADING|READONLY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|BUSY|UNBLOCKED|NOREPLICAS)\b/;

/** The plain Errors ioredis rejects a command with when there is no usable connection. */
const TRANSPORT_MESSAGES = [
  /^Connection is closed\.$/,
  /^Command timed out$/,
  /^connect ETIMEDOUT$/,
  /^Socket timeout\./,
  // The ready check's own answer timed out or its connection went; NOAUTH and the like are final.
  /^Ready check failed: (Command timed out|Connection is closed\.|Socket timeout)/,
  /^Stream isn't writeable and enableOfflineQueue options is false$/,
  /^Cluster isn't ready and enableOfflineQueue options is false$/,
  /^Cluster is (disconnected|disconnecting)\.$/,
  /^None of startup nodes is available$/,
  /^Node is disconnected$/,
  /^Too many Cluster redirections/,
  /^All sentinels are unreachable/,
];

/**
 * A transport failure: Redis was not there or did not answer, so the operation is worth a retry
 * (or a fallback). Only the failures listed here; anything else (a bad command, a bug) is not.
 */
export function isTransportError(error: unknown): boolean {
  if (
    error instanceof StoreUnavailableError ||
    error instanceof OperationTimeoutError ||
    error instanceof ReplicationShortfallError ||
    error instanceof MaxRetriesPerRequestError ||
    error instanceof ClusterAllFailedError
  ) {
    return true;
  }
  if (!(error instanceof Error)) return false;
  if (error instanceof ReplyError) return TRANSIENT_REPLY.test(error.message);
  // redis-errors' AbortError (ioredis does not export it): a command dropped with its connection.
  if (error.name === 'AbortError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && TRANSPORT_CODES.has(code)) return true;
  return TRANSPORT_MESSAGES.some((pattern) => pattern.test(error.message));
}
