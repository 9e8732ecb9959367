import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import type { ErrorBody } from '../protocol/hokm-protocol';

/**
 * How an HTTP route's per-address limit refuses: `Retry-After` set on `response`, and the 429
 * RATE_LIMITED to throw, its body `{ error: { code, message } }` as every API error's.
 */
export function tooManyRequests(
  response: Response,
  message: string,
  retryAfterSeconds: number,
): HttpException {
  response.setHeader('Retry-After', String(retryAfterSeconds));
  const error: ErrorBody = { code: 'RATE_LIMITED', message };
  return new HttpException({ error }, HttpStatus.TOO_MANY_REQUESTS);
}
