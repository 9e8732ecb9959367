import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { newPlayerId, newRoomCode, newSessionToken } from './room-codes';
import { SEAT_REGISTRY } from './rooms.constants';
import { InvalidSessionError } from './rooms.errors';
import type {
  HeartbeatResult,
  PlayerSession,
  RegisteredConnection,
  SeatRegistry,
} from './seat-registry.port';

/** A seat being handed out: the public id and the secret that proves it. */
export interface SeatCredentials {
  playerId: string;
  sessionToken: string;
}

/**
 * Room codes, seat credentials, sessions and which instance holds which seat's socket, all kept
 * in Redis.
 */
@Injectable()
export class RoomsService {
  /** This process, for the registry of seat sockets (a new one at every start). */
  readonly instanceId = randomUUID();

  constructor(
    @Inject(SEAT_REGISTRY) private readonly store: SeatRegistry,
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

  /** Records that this instance holds the seat's socket (read by survivors if it dies). */
  async registerConnection(connection: RegisteredConnection): Promise<void> {
    await this.store.registerConnection(this.instanceId, connection);
  }

  async unregisterConnection(connection: RegisteredConnection): Promise<void> {
    await this.store.unregisterConnection(this.instanceId, connection);
  }

  /**
   * How long an instance may stay silent before the others free its seats: many polls, so a
   * busy event loop is not taken for a dead process (and one that was comes back, see revived).
   */
  get instanceSilenceMs(): number {
    return Math.max(3_000, this.config.game.timerPollMs * 10);
  }

  /** How long a survivor has to free a dead instance's seats before another one may try. */
  get deadInstanceLeaseMs(): number {
    return Math.max(10_000, this.config.game.timerPollMs * 10);
  }

  /** Says this instance is alive, and leases to it instances that have gone silent. */
  heartbeat(limit = 5): Promise<HeartbeatResult> {
    const now = Date.now();
    return this.store.instanceHeartbeat(
      this.instanceId,
      now,
      now - this.instanceSilenceMs,
      this.deadInstanceLeaseMs,
      limit,
    );
  }

  registeredConnections(instanceId: string): Promise<RegisteredConnection[]> {
    return this.store.registeredConnections(instanceId);
  }

  /** Drops a dead instance whose seats were freed (unless it came back meanwhile). */
  async forgetDeadInstance(instanceId: string): Promise<void> {
    await this.store.forgetInstance(instanceId);
  }
}
