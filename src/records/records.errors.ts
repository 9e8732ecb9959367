import { DomainError } from '../common/domain-error';

/** No finished match has that id (unknown, malformed, expired, or still being played). */
export class MatchNotFoundError extends DomainError {
  readonly code = 'MATCH_NOT_FOUND' as const;

  constructor() {
    super('No finished match has that id: a match is shown once it is over, for a limited time.');
  }
}
