import { Module } from '@nestjs/common';
import { AbuseModule } from '../abuse/abuse.module';
import { GameStateModule } from '../game-state/game-state.module';
import { LobbyModule } from '../lobby/lobby.module';
import { RedisAdapterModule } from '../redis/redis-adapter.module';
import { RedisStoreModule } from '../redis/redis.module';
import { RoomsModule } from '../rooms/rooms.module';
import { DeadlineRunner } from './deadline-runner.service';
import { DeadlineMetrics } from './deadline.metrics';
import { GameGateway } from './game.gateway';
import { GatewayMetrics } from './gateway.metrics';
import { InstanceLiveness } from './instance-liveness.service';
import { LegacyGraceTimers } from './legacy-grace-timers.service';
import { LocalRoomDelivery } from './local-room-delivery';
import { MovesService } from './moves.service';
import { QuickMatchSeating } from './quick-match-seating.service';
import { RoomBroadcaster } from './room-broadcaster';
import { SeatBookkeeping } from './seat-bookkeeping';
import { SeatRecoveryService } from './seat-recovery.service';
import { SeatingService } from './seating.service';
import { SocketSeats } from './socket-seats';
import { WatchingService } from './watching.service';

@Module({
  // The composition of the features with the store that implements their ports.
  // RedisStoreModule itself for the DEADLINE_INDEX port the deadline runner (and the first
  // release's grace timers' move into it) consumes, and
  // RedisAdapterModule for the INSTANCE_MAIL port the broadcaster sends room changes through.
  imports: [
    RoomsModule.register(RedisStoreModule),
    GameStateModule.register(RedisStoreModule),
    AbuseModule.register(RedisStoreModule),
    LobbyModule.register(RedisStoreModule),
    RedisStoreModule,
    RedisAdapterModule,
  ],
  providers: [
    DeadlineRunner,
    DeadlineMetrics,
    LegacyGraceTimers,
    GameGateway,
    SeatingService,
    MovesService,
    WatchingService,
    QuickMatchSeating,
    SeatRecoveryService,
    SocketSeats,
    SeatBookkeeping,
    RoomBroadcaster,
    LocalRoomDelivery,
    InstanceLiveness,
    GatewayMetrics,
  ],
})
export class GatewayModule {}
