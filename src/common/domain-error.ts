import type { ErrorCode } from '../protocol/hokm-protocol';

/** Base of every error a client may be told about; a filter turns it into `{ ok: false, error }`. */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}
