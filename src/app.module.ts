import { DynamicModule, Module } from '@nestjs/common';
import { AppLifecycleModule } from './common/app-lifecycle';
import { MetricsRegistryModule } from './common/metrics-registry';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { GatewayModule } from './gateway/gateway.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { RecordsModule } from './records/records.module';
import { RedisStoreModule } from './redis/redis.module';

/** The whole service, built from one validated configuration. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: false,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        AppLifecycleModule,
        MetricsRegistryModule,
        HealthModule,
        MetricsModule,
        GatewayModule,
        RecordsModule.register(RedisStoreModule),
      ],
    };
  }
}
