import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { GAME_STORE } from '../redis/redis.constants';
import type { DueTimer, GameStore, PlayerSession } from '../redis/store.port';
import { newPlayerId, newRoomCode, newSessionToken } from './room-codes';
import { InvalidSessionError } from './rooms.errors';

/** A seat being handed out: the public id and the secret that proves it. */
export interface SeatCredentials {
  playerId: string;
  sessionToken: string;
}

/** Room codes, seat credentials, sessions and reconnect-grace deadlines, all kept in Redis. */
@Injectable()
export class RoomsService {
  constructor(
    @Inject(GAME_STORE) private readonly store: GameStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  newRoomCode(): string {
    return newRoomCode();
  }

  newSeat(): SeatCredentials {
    return { playerId: newPlayerId(), sessionToken: newSessionToken() };
  }

  async saveSession(sessionToken: string, session: PlayerSession): Promise<void> {
    await this.store.savePlayerSession(sessionToken, session);
  }

  /** The seat a token proves; INVALID_SESSION if unknown or expired. */
  async resolveSession(sessionToken: string): Promise<PlayerSession> {
    const session = await this.store.getPlayerSession(sessionToken);
    if (!session) throw new InvalidSessionError();
    return session;
  }

  async endSession(sessionToken: string): Promise<void> {
    await this.store.deletePlayerSession(sessionToken);
  }

  /** Starts a player's grace period; any instance may act on it when it runs out. */
  async startGrace(roomCode: string, playerId: string, disconnectedAt: number): Promise<void> {
    const dueAt = disconnectedAt + this.config.game.reconnectGraceSeconds * 1000;
    await this.store.scheduleGraceTimer({ roomCode, playerId, disconnectedAt }, dueAt);
  }

  async cancelGrace(timer: DueTimer): Promise<void> {
    await this.store.cancelGraceTimer(timer);
  }

  /** Leases due grace deadlines to this instance (another takes them if it dies meanwhile). */
  claimExpiredGraces(limit = 20): Promise<DueTimer[]> {
    const leaseMs = Math.max(10_000, this.config.game.timerPollMs * 10);
    return this.store.claimDueGraceTimers(Date.now(), leaseMs, limit);
  }

  async completeGrace(timer: DueTimer): Promise<void> {
    await this.store.completeGraceTimer(timer);
  }
}
