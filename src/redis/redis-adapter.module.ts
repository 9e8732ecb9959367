import { Module } from '@nestjs/common';
import { INSTANCE_MAIL } from '../gateway/instance-mail.port';
import { adapterClientsProvider, AdapterClients } from './adapter-clients';
import { instanceMailProvider } from './instance-mail';
import { RedisStoreModule } from './redis.module';

/**
 * The Socket.IO Redis adapter's connections (AdapterClients), apart from the store's so that a
 * store-only context opens none. The adapter is created outside the module tree (bootstrap.ts
 * takes the clients from the app's container); /health reports them. Room changes for one
 * instance arrive on the subscriber too (InstanceMail, sent on the store's connection). A static
 * module: one set of connections however many modules import it.
 */
@Module({
  imports: [RedisStoreModule],
  providers: [adapterClientsProvider, instanceMailProvider],
  exports: [AdapterClients, INSTANCE_MAIL],
})
export class RedisAdapterModule {}
