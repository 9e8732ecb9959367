import { DomainError } from '../common/domain-error';

/**
 * The store could not be reached or did not answer in time: a transport failure, worth a retry.
 * Thrown by every store port (rooms and seats); a write that fails so may still have landed.
 */
export class StoreUnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE' as const;

  constructor(
    readonly operation: string,
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super('The game store is unavailable, please retry in a moment.');
  }
}
