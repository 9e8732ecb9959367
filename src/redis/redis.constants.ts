/** Injection token of the state store port (see store.port.ts). */
export const GAME_STORE = Symbol('GAME_STORE');

/** nestjs-redis namespaces of the two paths to Redis. */
export const ASYNC_CLIENT = 'async';
export const LEGACY_CLIENT = 'legacy';

/** Recent commit ids kept per room, so a replayed write is recognised and not applied twice. */
export const COMMIT_LOG_LENGTH = 32;
