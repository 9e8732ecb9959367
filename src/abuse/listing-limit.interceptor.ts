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
import { from, Observable, switchMap } from 'rxjs';
import type { ErrorBody } from '../protocol/hokm-protocol';
import { ClientAddresses } from './client-address';
import { ListingGuard } from './listing-guard.service';

/**
 * The listing budget on the public room list route (`@UseInterceptors(ListingLimitInterceptor)`):
 * a request over it answers 429 RATE_LIMITED with `Retry-After: 1`, before anything is read.
 */
@Injectable()
export class ListingLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly listings: ListingGuard,
    private readonly addresses: ClientAddresses,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const key = this.addresses.keyOf(http.getRequest<IncomingMessage>());
    return from(this.listings.admit(key)).pipe(
      switchMap((admitted) => {
        if (admitted) return next.handle();
        http.getResponse<Response>().setHeader('Retry-After', '1');
        const body: ErrorBody = {
          code: 'RATE_LIMITED',
          message: 'Too many room listings from your address; retry in a second.',
        };
        throw new HttpException({ error: body }, HttpStatus.TOO_MANY_REQUESTS);
      }),
    );
  }
}
