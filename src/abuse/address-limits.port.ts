/** What counting one failed lookup found. */
export interface LookupFailure {
  /** Milliseconds the address's lookups stay refused from now; 0 while it is within budget. */
  cooldownMs: number;
  /** True for the one failure (on any instance) that used up the budget and began the cool-down. */
  started: boolean;
}

/**
 * Budgets per client address, kept where every instance counts into the same figures, so they
 * hold however the load balancer spreads one client's connections.
 */
export interface AddressLimits {
  /** Counts a new connection of `key`; answers how many it opened in the current second. */
  countConnection(key: string): Promise<number>;
  /** Counts a request of `key` for the public room list; answers how many in the current second. */
  countListing(key: string): Promise<number>;
  /** Milliseconds left of `key`'s lookup cool-down; 0 when its lookups are served. */
  lookupCooldown(key: string): Promise<number>;
  /**
   * Counts a failed lookup of `key` into its window of `windowMs`; the `limit`-th of a window
   * begins a cool-down of `cooldownMs` (and the next window starts empty after it).
   */
  countLookupFailure(
    key: string,
    limit: number,
    windowMs: number,
    cooldownMs: number,
  ): Promise<LookupFailure>;
}
