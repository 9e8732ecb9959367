import { Module } from '@nestjs/common';
import { RedisStoreModule } from '../redis/redis.module';
import { RoomsService } from './rooms.service';

/** Rooms, seats and sessions, kept in Redis (through the SEAT_REGISTRY port). */
@Module({ imports: [RedisStoreModule], providers: [RoomsService], exports: [RoomsService] })
export class RoomsModule {}
