import { RedisDeadlineOperations } from './deadline-operations';
import { KeySpace } from './keys';
import { RedisLobbyOperations } from './lobby-operations';
import { RedisCommandRunner, withDeadline, type RunnerOptions } from './redis-command-runner';
import type { PathName, RedisClient } from './redis-clients';
import { defineScripts, loadScripts } from './redis-scripts';
import { ReplicaWait, type ReplicaWaitSettings } from './replica-wait';
import { RedisRoomOperations } from './room-operations';
import { RedisInstanceOperations, RedisSessionOperations } from './seat-operations';
import { RedisSpectatorOperations } from './spectator-operations';
import { StoreMetrics } from './store-metrics';
import { waitUntilReady } from './wait-until-ready';

/** How one path talks to Redis: its runner's options and what its operations need. */
export interface PathSettings extends RunnerOptions, ReplicaWaitSettings {
  keys: KeySpace;
  roomTtlSeconds: number;
  sessionTtlSeconds: number;
}

/**
 * One path to Redis: one connection, its command runner, and every store operation over it,
 * grouped by what they touch. The async provider has one path; the hybrid provider an async
 * and a legacy path, the same code under different settings.
 */
export class RedisPath {
  readonly runner: RedisCommandRunner;
  readonly rooms: RedisRoomOperations;
  readonly sessions: RedisSessionOperations;
  readonly deadlines: RedisDeadlineOperations;
  readonly instances: RedisInstanceOperations;
  readonly lobby: RedisLobbyOperations;
  readonly spectators: RedisSpectatorOperations;

  constructor(
    private readonly client: RedisClient,
    settings: PathSettings,
    metrics: StoreMetrics,
  ) {
    const scripted = defineScripts(client);
    this.runner = new RedisCommandRunner(client, settings, metrics);
    const replicas = new ReplicaWait(client, settings, metrics);
    this.rooms = new RedisRoomOperations(scripted, settings, replicas);
    this.sessions = new RedisSessionOperations(scripted, settings, replicas);
    this.deadlines = new RedisDeadlineOperations(scripted, settings);
    this.instances = new RedisInstanceOperations(scripted, settings);
    this.lobby = new RedisLobbyOperations(scripted, settings);
    this.spectators = new RedisSpectatorOperations(scripted, settings);
  }

  get name(): PathName {
    return this.runner.name;
  }

  /**
   * Connects (retrying a refused or lost connection), PINGs and loads the scripts on every
   * master, all within `timeoutMs`; on failure the client stops retrying and this rejects.
   */
  async connect(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    try {
      await waitUntilReady(this.client, timeoutMs);
      const prepare = async () => {
        await this.client.ping();
        await loadScripts(this.client);
      };
      await withDeadline(prepare(), Math.max(1, deadline - performance.now()));
    } catch (error) {
      this.client.disconnect();
      throw error;
    }
  }

  /** Waits for in-flight operations (at most `graceMs`), then QUITs. */
  quit(graceMs: number): Promise<void> {
    return this.runner.quit(graceMs);
  }

  ping(timeoutMs: number): Promise<void> {
    return this.runner.ping(timeoutMs);
  }
}
