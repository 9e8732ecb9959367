// The informational pushes of a room change (card_played, trick_won, ...), typed: each room event
// goes out as the protocol's push of the same name, which the compiler checks.
import type { DomainEvent } from '../game-state/domain/types';
import type { PushEvent, ServerPushes } from '../protocol/hokm-protocol';

/** Each room event goes out as the push of the same name: its fields and the room's version. */
type EventPushes = { [E in DomainEvent as E['type']]: Omit<E, 'type'> & { version: number } };
/** Compiles only if every room event's push is the protocol's push of that name and shape. */
type MatchingProtocol<T extends { [K in keyof T]: K extends PushEvent ? ServerPushes[K] : never }> =
  T;
export type TablePushes = MatchingProtocol<EventPushes>;

/**
 * A table's room on this instance, sent any push: socket.io's generics cannot tie a union's name
 * to its payload, so TablePushes checks that pairing instead.
 */
export interface TableTarget {
  emit(event: PushEvent, payload: ServerPushes[PushEvent]): boolean;
}
