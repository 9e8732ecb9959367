import { Injectable, OnModuleInit } from '@nestjs/common';
import type { RoomState } from '../game-state/domain/types';
import {
  RoomChangeExtensions,
  type RoomChangeExtension,
} from '../game-state/room-change-extensions';
import type { IndexUpdate, RoomChangeExtras } from '../game-state/room-store.port';
import { lobbyIndexNames, PLAYING_INDEX, seatMember, waitingScore } from './lobby-store.port';

/** A room a quick match may seat someone in: public, waiting, a free seat and a human in it. */
export function inLobby(state: RoomState | null): state is RoomState {
  return (
    state?.visibility === 'public' &&
    state.phase === 'waiting_for_players' &&
    state.players.length < 4 &&
    // A room with no human left is deleted (bots do not keep it alive).
    state.players.some((p) => p.bot !== true)
  );
}

/** A public room being played: listed after the waiting ones, by activity. */
export function inPlay(state: RoomState | null): state is RoomState {
  return (
    state?.visibility === 'public' &&
    (state.phase === 'hokm_selection' || state.phase === 'gameplay')
  );
}

/**
 * The lobby's index entries for one change of a room (before is null on create), written in the
 * change's own commit. A waiting public room restates its whole entry at every change (its
 * score, every seated player, its last change), so an entry a Cluster reordered or lost is put
 * right by the room's next change; a seat taken also drops the claim that reserved it. Private
 * rooms: nothing (null), at the cost of one comparison per move.
 */
export function lobbyIndexUpdates(
  before: RoomState | null,
  after: RoomState,
  now: number,
): IndexUpdate[] | null {
  if (after.visibility !== 'public' && before?.visibility !== 'public') return null;
  const code = after.roomCode;
  const updates: IndexUpdate[] = [];
  const wasWaiting = inLobby(before);
  const isWaiting = inLobby(after);
  if (isWaiting || wasWaiting) {
    const names = lobbyIndexNames(after.targetScore);
    const seated = new Set(isWaiting ? after.players.map((p) => p.playerId) : []);
    // The seat first, then the claim: a claim script running between the two (on a Cluster)
    // sees the seat twice and counts it once, never a free seat that is taken.
    for (const id of seated) {
      updates.push({ index: names.seated, member: seatMember(code, id), score: 0 });
      updates.push({ index: names.claims, member: seatMember(code, id), score: null });
    }
    const gone = [...(before?.players ?? []), ...after.players].filter(
      (p) => !seated.has(p.playerId),
    );
    for (const id of new Set(gone.map((p) => p.playerId))) {
      updates.push({ index: names.seated, member: seatMember(code, id), score: null });
      updates.push({ index: names.claims, member: seatMember(code, id), score: null });
    }
    if (isWaiting) {
      const score = waitingScore(after.players.length, after.createdAt ?? now);
      updates.push({ index: names.waiting, member: code, score });
      updates.push({ index: names.touched, member: code, score: now });
    } else {
      updates.push({ index: names.waiting, member: code, score: null });
      updates.push({ index: names.touched, member: code, score: null });
    }
  }
  if (inPlay(after)) updates.push({ index: PLAYING_INDEX, member: code, score: now });
  else if (inPlay(before)) updates.push({ index: PLAYING_INDEX, member: code, score: null });
  return updates.length ? updates : null;
}

/** Keeps the lobby's indexes beside the rooms: asked by GameStateService on every change. */
@Injectable()
export class LobbyIndexExtension implements RoomChangeExtension, OnModuleInit {
  constructor(private readonly extensions: RoomChangeExtensions) {}

  onModuleInit(): void {
    this.extensions.register(this);
  }

  extend(before: RoomState | null, after: RoomState): RoomChangeExtras | null {
    const indexes = lobbyIndexUpdates(before, after, Date.now());
    return indexes ? { indexes } : null;
  }
}
