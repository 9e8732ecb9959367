import { Logger } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import type { Ack, ErrorBody } from '../protocol/hokm-protocol';

export class InvalidPayloadError extends DomainError {
  readonly code = 'INVALID_PAYLOAD' as const;
}

export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED' as const;

  constructor() {
    super('Too many requests; slow down and retry in a moment.');
  }
}

export class ServiceUnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE' as const;

  constructor() {
    super('This server is shutting down; reconnect and retry.');
  }
}

export class NotHostError extends DomainError {
  readonly code = 'NOT_HOST' as const;

  constructor() {
    super('Only the host of the room can add bots.');
  }
}

const logger = new Logger('GatewayErrors');

/**
 * The one place an error becomes an ack: a domain error keeps its code and message; anything
 * else is INTERNAL_ERROR with no internals, logged in full here.
 */
export function errorAck(error: unknown, event: string, socketId?: string): Ack<never> {
  if (error instanceof DomainError) {
    return { ok: false, error: { code: error.code, message: error.message } };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  logger.error({ event, socketId, err }, 'event failed');
  const body: ErrorBody = {
    code: 'INTERNAL_ERROR',
    message: 'Something went wrong on the server.',
  };
  return { ok: false, error: body };
}
