import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { from, Observable, switchMap } from 'rxjs';
import { ClientAddresses } from './client-address';
import { ListingGuard } from './listing-guard.service';
import { tooManyRequests } from './too-many-requests';

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
        const message = 'Too many room listings from your address; retry in a second.';
        throw tooManyRequests(http.getResponse<Response>(), message, 1);
      }),
    );
  }
}
