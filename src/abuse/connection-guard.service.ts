import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { ADDRESS_LIMITS } from './abuse.constants';
import { AbuseMetrics } from './abuse.metrics';
import type { AddressLimits } from './address-limits.port';
import { ClientAddresses } from './client-address';

/** What a refused client's `connect_error` carries: `err.message`, and `err.data`. */
export class ConnectionRefusedError extends Error {
  override name = 'ConnectionRefusedError';
  readonly data = { code: 'RATE_LIMITED' as const, retryAfterMs: 1000 };

  constructor() {
    super('Too many new connections from your address; retry in a second.');
  }
}

/**
 * The connection budget of each client address (CONNECTIONS_PER_SECOND, shared by every
 * instance), as Socket.IO middleware: a connection over it is refused at the handshake, before
 * it can send anything, and the client's `connect_error` says why.
 */
@Injectable()
export class ConnectionGuard {
  private readonly logger = new Logger(ConnectionGuard.name);
  private storeTrouble = false;

  constructor(
    @Inject(ADDRESS_LIMITS) private readonly limits: AddressLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly addresses: ClientAddresses,
    private readonly metrics: AbuseMetrics,
  ) {}

  /** For `namespace.use(...)`. Redis out of reach: admitted (the store's own errors tell). */
  readonly middleware = (
    socket: { request: IncomingMessage },
    next: (error?: ConnectionRefusedError) => void,
  ): void => {
    const key = this.addresses.keyOf(socket.request);
    const perSecond = this.config.addressLimits.connectionsPerSecond;
    this.limits.countConnection(key).then(
      (count) => {
        this.storeTrouble = false;
        if (count <= perSecond) return next();
        this.metrics.refused('connection_rate');
        // One line per address and second, however many connections it keeps opening.
        if (count === perSecond + 1) {
          this.logger.warn(
            { address: key, connectionsPerSecond: perSecond },
            'address over its connection rate: new connections refused',
          );
        }
        next(new ConnectionRefusedError());
      },
      (error: unknown) => {
        if (!this.storeTrouble) {
          this.logger.warn(`connections not counted while the store fails: ${String(error)}`);
        }
        this.storeTrouble = true;
        next();
      },
    );
  };
}
