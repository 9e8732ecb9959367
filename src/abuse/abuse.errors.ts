import { DomainError } from '../common/domain-error';

/** The client's address used up its failed-lookup budget: its lookups wait out a cool-down. */
export class LookupsCooledDownError extends DomainError {
  readonly code = 'RATE_LIMITED' as const;

  constructor(readonly retryAfterMs: number) {
    super(
      `Too many failed lookups from your address; retry in ${Math.ceil(retryAfterMs / 1000)} s.`,
    );
  }
}
