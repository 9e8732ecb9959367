import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.constants';
import { SPECTATOR_REGISTRY } from './rooms.constants';
import { SpectatorLimitError } from './rooms.errors';
import { RoomsService } from './rooms.service';
import type { SpectatorRegistry, WatchResult } from './spectator-registry.port';

/**
 * Counts the spectators of rooms in Redis, per instance, so every instance sees the same total
 * and survivors can stop counting the spectators of an instance that died. Nothing here touches
 * a room's versioned state.
 */
@Injectable()
export class SpectatorsService {
  private readonly logger = new Logger(SpectatorsService.name);
  /**
   * This instance's spectators by room, counted or being counted: the instance's note that it
   * watches a room is written when the first one comes and dropped when the last one goes, in
   * the order those happen here (each write is sent when decided, so Redis sees them in order).
   */
  private readonly local = new Map<string, number>();

  constructor(
    @Inject(SPECTATOR_REGISTRY) private readonly registry: SpectatorRegistry,
    private readonly rooms: RoomsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get limit(): number {
    return this.config.game.spectatorLimit;
  }

  /**
   * Counts one more spectator of a live room on this instance and answers the room's total; null
   * when no live room has the code, ROOM_FULL at the limit (nothing counted then).
   */
  async add(roomCode: string): Promise<number | null> {
    // Noted before it is counted: if this instance dies in between, survivors still drop it.
    const noting = this.hold(roomCode);
    let result: WatchResult;
    try {
      [result] = await Promise.all([
        this.registry.addSpectator(roomCode, this.rooms.instanceId, this.limit),
        noting,
      ]);
    } catch (error) {
      await this.release(roomCode);
      throw error;
    }
    if (result.status === 'watching') return result.spectators;
    await this.release(roomCode);
    if (result.status === 'full') throw new SpectatorLimitError(this.limit);
    return null;
  }

  /** One spectator of this instance stopped watching; best effort (the count has the room's TTL). */
  async remove(roomCode: string): Promise<void> {
    await Promise.all([
      this.bestEffort(this.registry.removeSpectator(roomCode, this.rooms.instanceId)),
      this.release(roomCode),
    ]);
  }

  /** How many sockets watch the room, over every instance. */
  count(roomCode: string): Promise<number> {
    return this.registry.countSpectators(roomCode);
  }

  /** A dead instance's spectators stop being counted (a survivor calls this before forgetting it). */
  async dropInstance(instanceId: string): Promise<number> {
    const rooms = await this.registry.watchedRooms(instanceId);
    for (const roomCode of rooms) await this.registry.setSpectators(roomCode, instanceId, 0);
    return rooms.length;
  }

  /**
   * This instance was taken for dead (survivors may have dropped its counts): its spectators,
   * by room, are put back on record as they are.
   */
  async restore(watching: ReadonlyMap<string, number>): Promise<void> {
    const id = this.rooms.instanceId;
    for (const [roomCode, count] of watching) {
      await this.registry.registerWatchedRoom(id, roomCode);
      await this.registry.setSpectators(roomCode, id, count);
    }
  }

  // The first spectator of a room here notes the room; the last one gone drops the note.
  private hold(roomCode: string): Promise<void> {
    const had = this.local.get(roomCode) ?? 0;
    this.local.set(roomCode, had + 1);
    // Best effort: without the note the count still works, only a crash would leave it (until
    // the room's TTL ends it).
    return had === 0
      ? this.bestEffort(this.registry.registerWatchedRoom(this.rooms.instanceId, roomCode))
      : Promise.resolve();
  }

  private release(roomCode: string): Promise<void> {
    const left = (this.local.get(roomCode) ?? 1) - 1;
    if (left > 0) {
      this.local.set(roomCode, left);
      return Promise.resolve();
    }
    this.local.delete(roomCode);
    return this.bestEffort(this.registry.unregisterWatchedRoom(this.rooms.instanceId, roomCode));
  }

  private bestEffort(write: Promise<unknown>): Promise<void> {
    return write.then(
      () => undefined,
      (error: unknown) => this.logger.warn(`spectator bookkeeping failed: ${String(error)}`),
    );
  }
}
