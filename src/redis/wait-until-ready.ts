import type { RedisClient } from './redis-clients';
import { isTransportError, OperationTimeoutError } from './transport-errors';

/** The message of a connection failure, with the node error behind a Cluster's summary. */
function causeOf(error: Error): string {
  const nodeError = (error as Error & { lastNodeError?: unknown }).lastNodeError;
  return nodeError instanceof Error ? `${error.message} (${nodeError.message})` : error.message;
}

/**
 * Connects `client` (if it has not started) and resolves once it is ready. A refused, reset or
 * unanswered connection is retried by the client's own retryStrategy until `timeoutMs`; then
 * this rejects naming the last cause (`connect ECONNREFUSED 127.0.0.1:6379`). A failure that
 * no retry can fix (a wrong password, a bad command) rejects at once. The client is left as it
 * is: the caller disconnects it if it gives up.
 */
export function waitUntilReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let lastError: Error | null = null;
    const finish = (error: Error | null) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => finish(null);
    const onError = (error: Error) => {
      lastError = error;
      if (!isTransportError(error)) finish(new Error(causeOf(error)));
    };
    // 'end': the client stopped retrying (it was disconnected, or its retryStrategy gave up).
    const onEnd = () => finish(new Error(lastError ? causeOf(lastError) : 'Connection is closed.'));
    const timer = setTimeout(
      () =>
        finish(lastError ? new Error(causeOf(lastError)) : new OperationTimeoutError(timeoutMs)),
      timeoutMs,
    );
    client.on('ready', onReady);
    client.on('error', onError);
    client.on('end', onEnd);
    // connect() rejects at the first failed attempt while the client goes on retrying: the
    // events above decide, not that promise.
    if (client.status === 'wait') client.connect().catch(() => undefined);
  });
}
