import { DynamicModule, Module, Type } from '@nestjs/common';
import { AbuseMetrics } from './abuse.metrics';
import { ClientAddresses } from './client-address';
import { ConnectionGuard } from './connection-guard.service';
import { ListingGuard } from './listing-guard.service';
import { ListingLimitInterceptor } from './listing-limit.interceptor';
import { LookupLimitInterceptor } from './lookup-limit.interceptor';
import { LookupGuard } from './lookup-guard.service';

/**
 * Per-address limits (failed lookups, new connections, room listings) through the ADDRESS_LIMITS
 * port, and who a request comes from. It names no store: the module that provides the port is
 * passed in.
 */
@Module({})
export class AbuseModule {
  private static readonly bound = new Map<Type<unknown>, DynamicModule>();

  /** This module over `store` (provides ADDRESS_LIMITS); the same object for the same store. */
  static register(store: Type<unknown>): DynamicModule {
    let module = this.bound.get(store);
    if (!module) {
      const services = [
        ClientAddresses,
        LookupGuard,
        ConnectionGuard,
        LookupLimitInterceptor,
        ListingGuard,
        ListingLimitInterceptor,
      ];
      module = {
        module: AbuseModule,
        imports: [store],
        providers: [...services, AbuseMetrics],
        exports: services,
      };
      this.bound.set(store, module);
    }
    return module;
  }
}
