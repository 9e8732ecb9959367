import type { RedisClient } from './redis-clients';

/**
 * The Socket.IO Redis adapter fires its publishes without handling their promise: during a Redis
 * outage each would be an unhandled rejection, which ends a Node process. This gives the adapter a
 * view of `client` whose publishes are watched: a failure's error is passed to `log` (once per outage,
 * until a publish succeeds again) and the caller still gets the promise as it was. The client
 * itself is not modified; everything but the publishes reads straight through to it.
 */
export function withPublishFailuresLogged<T extends RedisClient>(
  client: T,
  log: (error: unknown) => void,
): T {
  let failing = false;
  const watch = (method: 'publish' | 'spublish') => {
    const original = client[method].bind(client) as (...args: unknown[]) => Promise<number>;
    return (...args: unknown[]) => {
      const pending = original(...args);
      pending.then(
        () => {
          failing = false;
        },
        (error: unknown) => {
          if (!failing) log(error);
          failing = true;
        },
      );
      return pending;
    };
  };
  const watched = { publish: watch('publish'), spublish: watch('spublish') };
  return new Proxy(client, {
    get(target, property) {
      if (property === 'publish' || property === 'spublish') return watched[property];
      const value: unknown = Reflect.get(target, property, target);
      // Methods run on the client itself (its own state); the constructor stays as it is, the
      // adapter tells a Cluster by its name.
      return typeof value === 'function' && property !== 'constructor'
        ? (value as (...args: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}
