import { ReplyError } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import ClusterAllFailedError from 'ioredis/built/errors/ClusterAllFailedError';
import { StoreUnavailableError } from '../game-state/store-unavailable.error';
import { StoreCommandError } from './store.errors';
import {
  isTransportError,
  OperationTimeoutError,
  ReplicationShortfallError,
} from './transport-errors';

// ioredis types ReplyError as any; it is redis-errors' ReplyError(message).
const Reply = ReplyError as new (message: string) => Error;

/** A socket error as Node raises it (net's errors carry `code` and `syscall`). */
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:6379`), { code, syscall: 'connect' });
}

/** What `fn` throws (real errors, not look-alikes). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('isTransportError', () => {
  it.each([
    ['a refused connection', socketError('ECONNREFUSED')],
    ['a reset connection', socketError('ECONNRESET')],
    ['a broken pipe', socketError('EPIPE')],
    ['a connect timeout', socketError('ETIMEDOUT')],
    ["ioredis's closed connection", new Error('Connection is closed.')],
    ["ioredis's command timeout", new Error('Command timed out')],
    [
      'a write with the offline queue off',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    [
      'a Cluster not ready',
      new Error("Cluster isn't ready and enableOfflineQueue options is false"),
    ],
    ['the max-retries limit', new MaxRetriesPerRequestError(0)],
    [
      'a Cluster with every node failing',
      new ClusterAllFailedError('Failed to refresh slots cache.', null),
    ],
    ['our own deadline', new OperationTimeoutError(2000)],
    ['a Redis still loading', new Reply('LOADING Redis is loading the dataset in memory')],
    [
      'a replica refusing writes',
      new Reply("READONLY You can't write against a read only replica."),
    ],
    ['a Cluster down', new Reply('CLUSTERDOWN The cluster is down')],
    ['a busy script', new Reply('BUSY Redis is busy running a script.')],
    [
      'a WAIT cut short by a demotion',
      new Reply('UNBLOCKED force unblock from blocking operation, instance state changed'),
    ],
    [
      'too few replicas for min-replicas-to-write',
      new Reply('NOREPLICAS Not enough good replicas'),
    ],
    ['too few replicas confirming a write', new ReplicationShortfallError(0, 1, 1000)],
    [
      'no sentinel answering',
      new Error('All sentinels are unreachable. Retrying from scratch after 10ms.'),
    ],
    ['an already wrapped failure', new StoreUnavailableError('ping', 'async', new Error('x'))],
  ])('%s is a transport failure', (_label, error) => {
    expect(isTransportError(error)).toBe(true);
  });

  it.each([
    ['a bad command', new Reply("ERR unknown command 'NOPE'")],
    [
      'a script error',
      new Reply('ERR user_script:1: Script attempted to access nonexistent global'),
    ],
    [
      'a wrong password',
      new Reply('WRONGPASS invalid username-password pair or user is disabled.'),
    ],
    [
      'a failed ready check for want of a password',
      new Error('Ready check failed: NOAUTH Authentication required.'),
    ],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['bad JSON', thrownBy(() => JSON.parse('{'))],
    ['an unexpected plain Error', new Error('something else')],
    ['a command error', new StoreCommandError('loadRoom', 'async', new Error('x'))],
    ['a non-Error value', 'ECONNREFUSED'],
  ])('%s is not', (_label, error) => {
    expect(isTransportError(error)).toBe(false);
  });
});
