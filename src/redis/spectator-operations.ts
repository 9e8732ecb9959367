import type { SpectatorRegistry, WatchResult } from '../rooms/spectator-registry.port';
import { KeySpace } from './keys';
import { SpectateStatus } from './lua-scripts';
import type { ScriptClient } from './redis-scripts';

/** What the spectator operations need to know beyond their client. */
export interface SpectatorSettings {
  keys: KeySpace;
  roomTtlSeconds: number;
}

/**
 * Spectator counts over one connection: a hash beside each room (instance id -> count), changed
 * only by the SPECTATE script, and each instance's set of watched rooms in the `{instances}`
 * slot (dropped with the instance by FORGET_INSTANCE).
 */
export class RedisSpectatorOperations implements SpectatorRegistry {
  constructor(
    private readonly client: ScriptClient,
    private readonly settings: SpectatorSettings,
  ) {}

  async addSpectator(roomCode: string, instanceId: string, limit: number): Promise<WatchResult> {
    const [status, spectators] = await this.spectate(roomCode, 'add', instanceId, limit);
    if (status === SpectateStatus.NotFound) return { status: 'not_found' };
    if (status === SpectateStatus.Full) return { status: 'full', spectators };
    return { status: 'watching', spectators };
  }

  async removeSpectator(roomCode: string, instanceId: string): Promise<number> {
    return (await this.spectate(roomCode, 'remove', instanceId, 0))[1];
  }

  async setSpectators(roomCode: string, instanceId: string, count: number): Promise<number> {
    return (await this.spectate(roomCode, 'set', instanceId, Math.max(0, count)))[1];
  }

  async countSpectators(roomCode: string): Promise<number> {
    const counts = await this.client.hvals(this.settings.keys.room(roomCode).spectators);
    return counts.reduce((sum, n) => sum + Number(n), 0);
  }

  async registerWatchedRoom(instanceId: string, roomCode: string): Promise<void> {
    await this.client.sadd(this.settings.keys.instanceWatchedRooms(instanceId), roomCode);
  }

  async unregisterWatchedRoom(instanceId: string, roomCode: string): Promise<void> {
    await this.client.srem(this.settings.keys.instanceWatchedRooms(instanceId), roomCode);
  }

  watchedRooms(instanceId: string): Promise<string[]> {
    return this.client.smembers(this.settings.keys.instanceWatchedRooms(instanceId));
  }

  private spectate(roomCode: string, mode: 'add' | 'remove' | 'set', id: string, n: number) {
    const k = this.settings.keys.room(roomCode);
    return this.client.hokmSpectate(
      k.room,
      k.spectators,
      mode,
      id,
      n,
      this.settings.roomTtlSeconds,
    );
  }
}
