import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ErrorBody } from '../protocol/hokm-protocol';
import { DomainError } from './domain-error';

/** HTTP status of a domain error's code; anything not named is a server error. */
const STATUS: Partial<Record<ErrorBody['code'], number>> = {
  INVALID_PAYLOAD: HttpStatus.BAD_REQUEST,
  MATCH_NOT_FOUND: HttpStatus.NOT_FOUND,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  SERVICE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

/**
 * The HTTP answers of the API routes for errors: `{ error: { code, message } }` as on the
 * socket, with a matching status. An HttpException keeps its own status and body (a guard's
 * 429); anything unexpected is INTERNAL_ERROR with no internals (logged in full here, with the
 * request's `reqId`, the id its request line carries).
 */
@Catch()
export class DomainErrorHttpFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainErrorHttpFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    if (error instanceof DomainError) {
      const status = STATUS[error.code] ?? HttpStatus.INTERNAL_SERVER_ERROR;
      response.status(status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    if (error instanceof HttpException) {
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    const { id: reqId, method, originalUrl } = http.getRequest<Request & { id?: unknown }>();
    this.logger.error(
      { reqId, err: error instanceof Error ? error : new Error(String(error)) },
      `${method} ${originalUrl} failed`,
    );
    const body: ErrorBody = {
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on the server.',
    };
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ error: body });
  }
}
