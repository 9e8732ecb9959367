import { Module } from '@nestjs/common';
import { GameStateModule } from '../game-state/game-state.module';
import { RoomsModule } from '../rooms/rooms.module';
import { BotDriver } from './bot-driver.service';
import { GameGateway } from './game.gateway';
import { GatewayMetrics } from './gateway.metrics';
import { GraceTimerService } from './grace-timer.service';
import { InstanceLiveness } from './instance-liveness.service';
import { PlayService } from './play.service';
import { RoomBroadcaster } from './room-broadcaster';

@Module({
  imports: [RoomsModule, GameStateModule],
  providers: [
    BotDriver,
    GameGateway,
    PlayService,
    RoomBroadcaster,
    GraceTimerService,
    InstanceLiveness,
    GatewayMetrics,
  ],
})
export class GatewayModule {}
