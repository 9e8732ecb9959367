import type {
  HeartbeatResult,
  PlayerSession,
  RegisteredConnection,
  SeatRegistry,
} from '../rooms/seat-registry.port';
import { KeySpace } from './keys';
import { HeartbeatStanding } from './lua-scripts';
import type { ScriptClient } from './redis-scripts';
import type { ReplicaWait } from './replica-wait';
import { decodeConnection, encodeConnection } from './store-codecs';

/** What the seat operations need to know beyond their client. */
export interface SeatSettings {
  keys: KeySpace;
  sessionTtlSeconds: number;
}

type Sessions = 'savePlayerSession' | 'getPlayerSession' | 'deletePlayerSession';
type Instances = Exclude<keyof SeatRegistry, Sessions>;

/** Session tokens over one connection, stored under the hash of the token (see KeySpace). */
export class RedisSessionOperations implements Pick<SeatRegistry, Sessions> {
  constructor(
    private readonly client: ScriptClient,
    private readonly settings: SeatSettings,
    /** A saved session is handed to the player in an ack: it waits for replicas like a move. */
    private readonly replicas: ReplicaWait,
  ) {}

  async savePlayerSession(sessionToken: string, session: PlayerSession): Promise<void> {
    await this.replicas.confirm(
      this.client.set(
        this.settings.keys.session(sessionToken),
        JSON.stringify(session),
        'EX',
        this.settings.sessionTtlSeconds,
      ),
    );
  }

  async getPlayerSession(sessionToken: string): Promise<PlayerSession | null> {
    const json = await this.client.get(this.settings.keys.session(sessionToken));
    return json === null ? null : (JSON.parse(json) as PlayerSession);
  }

  async deletePlayerSession(sessionToken: string): Promise<void> {
    await this.client.del(this.settings.keys.session(sessionToken));
  }
}

/** Which instance holds which seat's socket, and which instances are alive, over one connection. */
export class RedisInstanceOperations implements Pick<SeatRegistry, Instances> {
  constructor(
    private readonly client: ScriptClient,
    private readonly settings: SeatSettings,
  ) {}

  async registerConnection(instanceId: string, connection: RegisteredConnection): Promise<void> {
    const key = this.settings.keys.instanceConnections(instanceId);
    await this.client.sadd(key, encodeConnection(connection));
  }

  async unregisterConnection(instanceId: string, connection: RegisteredConnection): Promise<void> {
    const key = this.settings.keys.instanceConnections(instanceId);
    await this.client.srem(key, encodeConnection(connection));
  }

  async instanceHeartbeat(
    instanceId: string,
    nowMs: number,
    silentBeforeMs: number,
    leaseMs: number,
    limit: number,
  ): Promise<HeartbeatResult> {
    const keys = this.settings.keys;
    const [standing, dead] = await this.client.hokmInstanceHeartbeat(
      keys.instances,
      keys.instanceConnections(instanceId),
      keys.instanceWatchedRooms(instanceId),
      instanceId,
      nowMs,
      // Live scores are beat times (> 0); a lease is -(its end), run out once above -now.
      `(-${nowMs}`,
      silentBeforeMs,
      -(nowMs + leaseMs),
      limit,
      this.settings.sessionTtlSeconds,
    );
    const revived =
      standing === HeartbeatStanding.LeasedAsDead || standing === HeartbeatStanding.Absent;
    return { revived, dead };
  }

  async registeredConnections(instanceId: string): Promise<RegisteredConnection[]> {
    const members = await this.client.smembers(this.settings.keys.instanceConnections(instanceId));
    return members.map(decodeConnection).filter((c): c is RegisteredConnection => c !== null);
  }

  async forgetInstance(instanceId: string): Promise<void> {
    const keys = this.settings.keys;
    await this.client.hokmForgetInstance(
      keys.instances,
      keys.instanceConnections(instanceId),
      keys.instanceWatchedRooms(instanceId),
      instanceId,
    );
  }
}
