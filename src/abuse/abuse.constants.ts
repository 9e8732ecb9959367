/** The AddressLimits port (address-limits.port.ts), implemented by src/redis. */
export const ADDRESS_LIMITS = Symbol('ADDRESS_LIMITS');

/** The requests that look something up by a secret the client names: a room code or a token. */
export const LOOKUP_EVENTS: ReadonlySet<string> = new Set(['join', 'watch', 'reconnect']);

/** The error codes that mean "nothing by that name": what someone guessing gets. */
export const LOOKUP_FAILURE_CODES: ReadonlySet<string> = new Set([
  'ROOM_NOT_FOUND',
  'INVALID_SESSION',
  'MATCH_NOT_FOUND',
]);
