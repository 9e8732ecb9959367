import { DomainError } from '../common/domain-error';

export class InvalidSessionError extends DomainError {
  readonly code = 'INVALID_SESSION' as const;

  constructor() {
    super('That session token is unknown or has expired.');
  }
}

export class AlreadyInRoomError extends DomainError {
  readonly code = 'ALREADY_IN_ROOM' as const;

  constructor() {
    super('This connection already holds a seat; leave it first.');
  }
}

export class NotInRoomError extends DomainError {
  readonly code = 'NOT_IN_ROOM' as const;

  constructor() {
    super('This connection holds no seat; create or join a room first.');
  }
}
