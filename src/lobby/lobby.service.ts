import { Inject, Injectable } from '@nestjs/common';
import type { RoomSummary } from '../protocol/hokm-protocol';
import { CLAIM_TTL_MS, DEFAULT_LIST_LIMIT, LOBBY_STORE } from './lobby.constants';
import type { LobbyClaim, LobbyEntry, LobbyRoomRecord, LobbyStore } from './lobby-store.port';

const LISTED_PHASES: ReadonlySet<string> = new Set([
  'waiting_for_players',
  'hokm_selection',
  'gameplay',
]);

/** Waiting rooms first (most players, then the oldest), then rooms in play (latest activity first). */
function listingOrder(a: LobbyRoomRecord, b: LobbyRoomRecord): number {
  const aWaits = a.phase === 'waiting_for_players';
  const bWaits = b.phase === 'waiting_for_players';
  if (aWaits !== bWaits) return aWaits ? -1 : 1;
  if (aWaits) return b.players.length - a.players.length || a.createdAt - b.createdAt;
  return b.updatedAt - a.updatedAt;
}

/** The best `limit` entries of several lists each in index order (ascending scores). */
function bestOf(lists: LobbyEntry[][], limit: number): LobbyEntry[] {
  return lists
    .flat()
    .sort((a, b) => a.score - b.score)
    .slice(0, limit);
}

function summary(room: LobbyRoomRecord): RoomSummary {
  return {
    roomCode: room.roomCode,
    phase: room.phase,
    targetScore: room.targetScore,
    players: room.players.map((p) => ({ name: p.name, seat: p.seat, bot: p.bot })),
    seatsFree: 4 - room.players.length,
    spectators: room.spectators,
  };
}

/**
 * The lobby: listing public rooms and the quick match's seat claims, over the LOBBY_STORE port.
 * The indexes are hints written beside each room's commits; every listed room is read itself,
 * so a room that is gone, private or finished is never shown.
 */
@Injectable()
export class LobbyService {
  constructor(@Inject(LOBBY_STORE) private readonly store: LobbyStore) {}

  /** Public rooms that are waiting or being played, in the contract's order. */
  async listRooms(limit = DEFAULT_LIST_LIMIT): Promise<RoomSummary[]> {
    const [waitingLists, playing] = await Promise.all([
      this.store.waitingRooms(limit),
      this.store.playingRooms(limit),
    ]);
    // Waiting rooms come first: rooms in play are read only for the places they leave.
    const waitingCodes = bestOf(waitingLists, limit).map((e) => e.roomCode);
    const found = this.listable(await this.store.lobbyRooms(waitingCodes));
    const seen = new Set(found.map((r) => r.roomCode));
    const more = playing
      .map((e) => e.roomCode)
      .filter((code) => !seen.has(code))
      .slice(0, Math.max(0, limit - found.length));
    if (more.length > 0) {
      const records = await this.store.lobbyRooms(more);
      // An entry of the in-play index is only ever written by its room's own commit: a room
      // that is gone or no longer in play will not come back to it, so the entry goes.
      const stale = more.filter((_, i) => {
        const room = records[i];
        return !room || (room.phase !== 'hokm_selection' && room.phase !== 'gameplay');
      });
      await this.store.forgetPlayingRooms(stale);
      found.push(...this.listable(records));
    }
    return found.sort(listingOrder).slice(0, limit).map(summary);
  }

  /** Reserves a quick-match seat for `playerId` (see LobbyStore.claimQuickMatchSeat). */
  claimSeat(targetScore: number, newRoomCode: string, playerId: string): Promise<LobbyClaim> {
    return this.store.claimQuickMatchSeat(targetScore, newRoomCode, playerId, CLAIM_TTL_MS);
  }

  /** Gives a claimed seat back; `forgetRoom` when the room turned out not to be joinable. */
  releaseSeat(
    targetScore: number,
    roomCode: string,
    playerId: string,
    forgetRoom: boolean,
  ): Promise<void> {
    return this.store.releaseQuickMatchSeat(targetScore, roomCode, playerId, forgetRoom);
  }

  // What the listing may show: the room as it is, public and live (never a private one).
  private listable(records: Array<LobbyRoomRecord | null>): LobbyRoomRecord[] {
    return records.filter(
      (r): r is LobbyRoomRecord =>
        r !== null && r.visibility === 'public' && LISTED_PHASES.has(r.phase),
    );
  }
}
