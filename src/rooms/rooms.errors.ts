import { DomainError } from '../common/domain-error';

export class InvalidSessionError extends DomainError {
  readonly code = 'INVALID_SESSION' as const;

  constructor() {
    super('That session token is unknown or has expired.');
  }
}

export class AlreadyInRoomError extends DomainError {
  readonly code = 'ALREADY_IN_ROOM' as const;

  constructor(message = 'This connection already holds a seat; leave it first.') {
    super(message);
  }
}

export class NotInRoomError extends DomainError {
  readonly code = 'NOT_IN_ROOM' as const;

  constructor(message = 'This connection holds no seat; create or join a room first.') {
    super(message);
  }
}

/** The room already has as many spectators as the SPECTATOR_LIMIT setting allows. */
export class SpectatorLimitError extends DomainError {
  readonly code = 'ROOM_FULL' as const;

  constructor(limit: number) {
    super(`This table already has ${limit} spectators; try again later.`);
  }
}
