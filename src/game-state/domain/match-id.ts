// Match ids: 16 random bytes from the injected Rng (crypto-secure in the app), as base64url.
import type { Rng } from './types';

/** Random bytes in a match id: 128 bits, more than a UUID's 122. */
export const MATCH_ID_BYTES = 16;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** What a match id looks like: 22 base64url characters (16 bytes, no padding). */
export const MATCH_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A new match id: MATCH_ID_BYTES bytes of `rng`, base64url without padding. */
export function newMatchId(rng: Rng): string {
  const bytes = Array.from({ length: MATCH_ID_BYTES }, () => rng.int(256));
  return base64url(bytes);
}

/** Whether `value` could be a match id (says nothing about whether that match exists). */
export function isMatchId(value: unknown): value is string {
  return typeof value === 'string' && MATCH_ID_PATTERN.test(value);
}

// Written out rather than Buffer: the rules run in any JavaScript runtime.
function base64url(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = bytes.slice(i, i + 3);
    const n = (a << 16) | (b << 8) | c;
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += BASE64URL[(n >> (18 - 6 * k)) & 63] as string;
  }
  return out;
}
