import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisAdapterModule } from '../redis/redis-adapter.module';
import { RedisStoreModule } from '../redis/redis.module';
import { HealthController } from './health.controller';
import { RedisAdapterHealthIndicator } from './redis-adapter.health';
import { RedisHealthIndicator } from './redis.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), RedisStoreModule, RedisAdapterModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, RedisAdapterHealthIndicator],
})
export class HealthModule {}
