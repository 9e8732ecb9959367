import type { RoomState, SeatedPlayer } from '../game-state/domain/types';

/** The seat of `playerId` in the room, if they still have one. */
export function playerIn(state: RoomState, playerId: string): SeatedPlayer | undefined {
  return state.players.find((p) => p.playerId === playerId);
}

/** A waiting room with no human left in it: it is deleted (bots do not keep a room alive). */
export function isDeserted(state: RoomState): boolean {
  return state.phase === 'waiting_for_players' && !state.players.some((p) => !p.bot);
}
