/** Injection token of the whole store (see game-store.ts); features inject a port instead. */
export const GAME_STORE = Symbol('GAME_STORE');

/** Injection token of the store's ioredis clients by path (see redis-clients.ts). */
export const STORE_CLIENTS = Symbol('STORE_CLIENTS');

/** Recent commit ids kept per room, so a replayed write is recognised and not applied twice. */
export const COMMIT_LOG_LENGTH = 32;
