import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { catchError, from, Observable, switchMap, throwError } from 'rxjs';
import { LookupsCooledDownError } from './abuse.errors';
import { ClientAddresses } from './client-address';
import { isLookupFailure, LookupGuard } from './lookup-guard.service';
import { tooManyRequests } from './too-many-requests';

/** A 404 however the route says it: a domain error (MATCH_NOT_FOUND...) or a NotFoundException. */
function isNotFound(error: unknown): boolean {
  return (
    isLookupFailure(error) ||
    (error instanceof HttpException && error.getStatus() === Number(HttpStatus.NOT_FOUND))
  );
}

/**
 * The failed-lookup budget on an HTTP route that looks something up by an id the client names
 * (`@UseInterceptors(LookupLimitInterceptor)`): 429 RATE_LIMITED while the address cools down,
 * and each 404 the route throws counted against it.
 */
@Injectable()
export class LookupLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly lookups: LookupGuard,
    private readonly addresses: ClientAddresses,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const key = this.addresses.keyOf(http.getRequest<IncomingMessage>());
    return from(this.lookups.admit(key)).pipe(
      catchError((error: unknown) => {
        if (!(error instanceof LookupsCooledDownError)) return throwError(() => error);
        const response = http.getResponse<Response>();
        const retryAfter = Math.ceil(error.retryAfterMs / 1000);
        return throwError(() => tooManyRequests(response, error.message, retryAfter));
      }),
      switchMap(() =>
        next
          .handle()
          .pipe(
            catchError((error: unknown) =>
              isNotFound(error)
                ? from(this.lookups.failed(key)).pipe(switchMap(() => throwError(() => error)))
                : throwError(() => error),
            ),
          ),
      ),
    );
  }
}
