import {
  DEADLINE_SCRIPTS,
  defineDeadlineScripts,
  type DeadlineScriptCommands,
} from './deadline-scripts';
import { defineLobbyScripts, LOBBY_SCRIPTS, type LobbyScriptCommands } from './lobby-scripts';
import type { RedisClient } from './redis-clients';
import {
  COMMIT_ROOM,
  FORGET_INSTANCE,
  INSTANCE_HEARTBEAT,
  LOAD_ROOM,
  SPECTATE,
  type CommitStatus,
  type HeartbeatStanding,
  type SpectateStatus,
} from './lua-scripts';

/** A client with the store's scripts as commands (EVALSHA, and EVAL if Redis lost the script). */
export type ScriptClient = RedisClient &
  LobbyScriptCommands &
  DeadlineScriptCommands & {
    hokmLoadRoom(
      room: string,
      players: string,
      match: string,
      spectators: string,
    ): Promise<unknown>;
    /** Outside a Cluster numkeys first (the key count varies there); on a Cluster the 6 keys. */
    hokmCommitRoom(...args: Array<string | number>): Promise<[CommitStatus, number, ...unknown[]]>;
    hokmInstanceHeartbeat(...args: Array<string | number>): Promise<[HeartbeatStanding, string[]]>;
    hokmForgetInstance(
      live: string,
      connections: string,
      watchedRooms: string,
      id: string,
    ): Promise<number>;
    hokmSpectate(
      room: string,
      spectators: string,
      mode: 'add' | 'remove' | 'set',
      instanceId: string,
      n: number,
      ttlSeconds: number,
    ): Promise<[SpectateStatus, number]>;
  };

const ALL_SCRIPTS = [
  LOAD_ROOM,
  COMMIT_ROOM,
  INSTANCE_HEARTBEAT,
  FORGET_INSTANCE,
  SPECTATE,
  ...LOBBY_SCRIPTS,
  ...DEADLINE_SCRIPTS,
];

/** Whether `client` is a Cluster (its activity index then lives in another slot than a room). */
export function isCluster(client: RedisClient): boolean {
  return 'nodes' in client;
}

/** Defines the scripts as commands on `client` (once per client). */
export function defineScripts(client: RedisClient): ScriptClient {
  client.defineCommand('hokmLoadRoom', { numberOfKeys: 4, lua: LOAD_ROOM });
  // No fixed key count outside a Cluster: the activity index and the app's indexes follow the
  // room's six keys there. On a Cluster the count is fixed (6): ioredis routes a command by its
  // first key, and a leading key count would send every commit to the node owning slot("6").
  client.defineCommand(
    'hokmCommitRoom',
    isCluster(client) ? { numberOfKeys: 6, lua: COMMIT_ROOM } : { lua: COMMIT_ROOM },
  );
  client.defineCommand('hokmInstanceHeartbeat', { numberOfKeys: 3, lua: INSTANCE_HEARTBEAT });
  client.defineCommand('hokmForgetInstance', { numberOfKeys: 3, lua: FORGET_INSTANCE });
  client.defineCommand('hokmSpectate', { numberOfKeys: 2, lua: SPECTATE });
  defineLobbyScripts(client);
  defineDeadlineScripts(client);
  return client as ScriptClient;
}

/** Loads every script on every master of a connected client, so no first call pays an EVAL. */
export async function loadScripts(client: RedisClient): Promise<void> {
  const nodes = 'nodes' in client ? client.nodes('master') : [client];
  for (const node of nodes) {
    for (const lua of ALL_SCRIPTS) await node.script('LOAD', lua);
  }
}
