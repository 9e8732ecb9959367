import { Module } from '@nestjs/common';
import { adapterClientsProvider, AdapterClients } from './adapter-clients';

/**
 * The Socket.IO Redis adapter's connections (AdapterClients), apart from the store's so that a
 * store-only context opens none. The adapter is created outside the module tree (bootstrap.ts
 * takes the clients from the app's container); /health reports them. A static module: one set of
 * connections however many modules import it.
 */
@Module({
  providers: [adapterClientsProvider],
  exports: [AdapterClients],
})
export class RedisAdapterModule {}
