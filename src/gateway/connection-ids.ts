// A seat's connection id names the instance that holds its socket and the socket's id there
// (`instance/socket`), so the room itself says which instances its players are connected to:
// a change is sent to those instances only (RoomBroadcaster). Socket ids (base64id) and instance
// ids (UUIDs) never contain a slash.
import type { RoomState } from '../game-state/domain/types';

const SEPARATOR = '/';

/** The connection id of socket `socketId` of instance `instanceId`. */
export function connectionIdOf(instanceId: string, socketId: string): string {
  return `${instanceId}${SEPARATOR}${socketId}`;
}

/**
 * The instance holding the connection, or null for an id written before connection ids named
 * their instance (a seat taken by an older version during a rolling upgrade).
 */
export function instanceOfConnection(connectionId: string): string | null {
  const at = connectionId.indexOf(SEPARATOR);
  return at > 0 ? connectionId.slice(0, at) : null;
}

/** The socket id on its instance (an older, bare socket id is its own). */
export function socketOfConnection(connectionId: string): string {
  return connectionId.slice(connectionId.indexOf(SEPARATOR) + 1);
}

/**
 * The instances other than `self` that hold a socket of the room: its connected seats' and its
 * spectators' (`spectatorInstances`, as the commit of `state` counted them). Null when the room
 * does not say: `self` did not commit `state` (a replayed commit answers the room as read: no
 * spectator count), or a seat's connection id names no instance.
 */
export function otherInstancesOf(
  state: Pick<RoomState, 'players'>,
  spectatorInstances: readonly string[] | undefined,
  self: string,
): string[] | null {
  if (spectatorInstances === undefined) return null;
  const others: string[] = [];
  for (const player of state.players) {
    if (!player.connected || player.bot === true) continue;
    const instance =
      player.connectionId === undefined ? null : instanceOfConnection(player.connectionId);
    if (instance === null) return null;
    if (instance !== self && !others.includes(instance)) others.push(instance);
  }
  for (const instance of spectatorInstances) {
    if (instance !== self && !others.includes(instance)) others.push(instance);
  }
  return others;
}
