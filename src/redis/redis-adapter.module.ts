import { Module } from '@nestjs/common';
import { INSTANCE_MAIL } from '../gateway/instance-mail.port';
import { adapterClientsProvider, AdapterClients } from './adapter-clients';
import { instanceMailProvider } from './instance-mail';

/**
 * The Socket.IO Redis adapter's connections (AdapterClients), apart from the store's so that a
 * store-only context opens none. The adapter is created outside the module tree (bootstrap.ts
 * takes the clients from the app's container); /health reports them. Room changes for one
 * instance travel on them too (InstanceMail). A static module: one set of
 * connections however many modules import it.
 */
@Module({
  providers: [adapterClientsProvider, instanceMailProvider],
  exports: [AdapterClients, INSTANCE_MAIL],
})
export class RedisAdapterModule {}
