/** Injection token of the LobbyStore port (see lobby-store.port.ts). */
export const LOBBY_STORE = Symbol('LOBBY_STORE');

/** How many rooms a listing answers when it names no limit, and at most. */
export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

/**
 * How long a quick match's seat claim holds the seat for its caller (ms). Longer than any join
 * takes, waits for an opening room included; a claim of an instance that died runs out by itself.
 */
export const CLAIM_TTL_MS = 15_000;
