import { DomainError } from '../common/domain-error';

/** Redis could not be reached or did not answer in time: a transport failure, worth a retry. */
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

/** Redis answered with an error (a bug or a misconfiguration, not a passing fault). */
export class StoreCommandError extends Error {
  constructor(
    readonly operation: string,
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`redis ${operation} on the ${path} path failed: ${String(cause)}`);
    this.name = this.constructor.name;
  }
}
