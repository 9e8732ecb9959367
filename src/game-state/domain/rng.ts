// Randomness behind the Rng interface: crypto for real decks, seeded for reproducible tests.
import { randomInt } from 'node:crypto';
import type { Rng } from './types';

// randomInt accepts ranges below 2^48; a deck never needs more than 52.
const CRYPTO_MAX = 2 ** 48;
const UINT32_RANGE = 2 ** 32;

function checkMax(maxExclusive: number, limit: number): void {
  // Written out rather than Number.isSafeInteger: this runs for every card of every shuffle.
  if (!(maxExclusive >= 1 && maxExclusive <= limit && Math.floor(maxExclusive) === maxExclusive)) {
    throw new RangeError(`Rng.int needs an integer in [1, ${limit}], got ${maxExclusive}`);
  }
}

/** Cryptographically secure, unbiased randomness from node:crypto; the app's only deck source. */
export const cryptoRng: Rng = {
  int(maxExclusive: number): number {
    checkMax(maxExclusive, CRYPTO_MAX);
    return randomInt(maxExclusive);
  },
};

/** A deterministic, unbiased Rng (sfc32 seeded through splitmix32); for tests and replays only. */
export function seededRng(seed: number): Rng {
  // splitmix32 spreads any integer seed (even 0 or neighbours) over the whole sfc32 state.
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = 1;
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = (b ^ (b >>> 9)) >>> 0;
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // sfc32 needs a few rounds before its output stops echoing the seed.
  for (let i = 0; i < 12; i++) next();
  return {
    int(maxExclusive: number): number {
      checkMax(maxExclusive, UINT32_RANGE);
      // Rejection sampling: drop the top partial bucket so every result is equally likely.
      const limit = UINT32_RANGE - (UINT32_RANGE % maxExclusive);
      let x = next();
      while (x >= limit) x = next();
      return x % maxExclusive;
    },
  };
}
