import { DomainError } from '../common/domain-error';
import type { ErrorCode } from '../protocol/hokm-protocol';
import type { RuleErrorCode } from './domain/types';

/** The rules refused an action; nothing changed. */
export class RuleViolationError extends DomainError {
  constructor(
    readonly code: RuleErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** No live room has this code. */
export class RoomNotFoundError extends DomainError {
  readonly code: ErrorCode = 'ROOM_NOT_FOUND';

  constructor(roomCode: string) {
    super(`No live room has the code ${roomCode}.`);
  }
}

/** Too many writers raced for one room; the action was not applied and may be retried. */
export class RoomBusyError extends DomainError {
  readonly code: ErrorCode = 'SERVICE_UNAVAILABLE';

  constructor() {
    super('The room is busy, please retry.');
  }
}
