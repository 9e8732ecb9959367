import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '../common/domain-error';
import type { ErrorBody } from '../protocol/hokm-protocol';

/** HTTP status of a domain error's code; anything not named is a server error. */
const STATUS: Partial<Record<ErrorBody['code'], number>> = {
  INVALID_PAYLOAD: HttpStatus.BAD_REQUEST,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

/**
 * The lobby's HTTP answers for errors: `{ error: { code, message } }` as on the socket, with a
 * matching status; anything unexpected is INTERNAL_ERROR with no internals (logged in full here).
 */
@Catch()
export class LobbyHttpFilter implements ExceptionFilter {
  private readonly logger = new Logger(LobbyHttpFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainError) {
      const status = STATUS[error.code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
      response.status(status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const body: ErrorBody = {
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on the server.',
    };
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ error: body });
  }
}
