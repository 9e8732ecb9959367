import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { ADDRESS_LIMITS } from './abuse.constants';
import { AbuseMetrics } from './abuse.metrics';
import type { AddressLimits } from './address-limits.port';
import { ClientAddresses } from './client-address';
import { PerSecondBudget } from './per-second-budget';

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
  private readonly budget: PerSecondBudget;

  constructor(
    @Inject(ADDRESS_LIMITS) limits: AddressLimits,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly addresses: ClientAddresses,
    metrics: AbuseMetrics,
  ) {
    const spec = {
      count: (key: string) => limits.countConnection(key),
      perSecond: config.addressLimits.connectionsPerSecond,
      setting: 'connectionsPerSecond',
      reason: 'connection_rate' as const,
      overLine: 'address over its connection rate: new connections refused',
      counted: 'connections',
    };
    this.budget = new PerSecondBudget(spec, metrics, new Logger(ConnectionGuard.name));
  }

  /** For `namespace.use(...)`. Redis out of reach: admitted (the store's own errors tell). */
  readonly middleware = (
    socket: { request: IncomingMessage },
    next: (error?: ConnectionRefusedError) => void,
  ): void => {
    void this.budget
      .admit(this.addresses.keyOf(socket.request))
      .then((admitted) => next(admitted ? undefined : new ConnectionRefusedError()));
  };
}
