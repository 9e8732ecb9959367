import { Module } from '@nestjs/common';
import { RedisStoreModule } from '../redis/redis.module';
import { MetricsController } from './metrics.controller';

@Module({ imports: [RedisStoreModule], controllers: [MetricsController] })
export class MetricsModule {}
