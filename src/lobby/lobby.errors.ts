import { DomainError } from '../common/domain-error';

/** A listing's `limit` that is not a whole number from 1 to the maximum. */
export class InvalidListLimitError extends DomainError {
  readonly code = 'INVALID_PAYLOAD' as const;
}

/** Quick match found no seat after several claims (rooms kept vanishing under it): retry. */
export class NoTableFoundError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE' as const;

  constructor() {
    super('No table could be found right now; please retry.');
  }
}
