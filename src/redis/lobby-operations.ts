import type { Phase } from '../game-state/domain/types';
import {
  lobbyIndexNames,
  PLAYING_INDEX,
  TARGET_SCORES,
  waitingScore,
  type LobbyClaim,
  type LobbyEntry,
  type LobbyRoomRecord,
  type LobbyStore,
} from '../lobby/lobby-store.port';
import { KeySpace } from './keys';
import { ClaimStatus } from './lobby-scripts';
import type { ScriptClient } from './redis-scripts';
import { parsePlayers } from './store-codecs';

/** What the lobby operations need to know beyond their client. */
export interface LobbySettings {
  keys: KeySpace;
  roomTtlSeconds: number;
}

interface TargetKeys {
  waiting: string;
  touched: string;
  seated: string;
  claims: string;
}

/** Flat [member, score, ...] (ZRANGE WITHSCORES) as entries. */
function entries(flat: string[]): LobbyEntry[] {
  const out: LobbyEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    out.push({ roomCode: flat[i] as string, score: Number(flat[i + 1]) });
  }
  return out;
}

/**
 * The lobby over one connection: its claim scripts run in one target's slot (`{lobby:T}`), a
 * listing reads every target's waiting index, the in-play index and each listed room in one
 * script per room, all pipelined.
 */
export class RedisLobbyOperations implements LobbyStore {
  constructor(
    private readonly client: ScriptClient,
    private readonly settings: LobbySettings,
  ) {}

  async claimQuickMatchSeat(
    targetScore: number,
    roomCode: string,
    playerId: string,
    claimTtlMs: number,
  ): Promise<LobbyClaim> {
    const k = this.target(targetScore);
    const now = Date.now();
    const [status, code, opening] = await this.client.hokmLobbyClaim(
      k.waiting,
      k.touched,
      k.seated,
      k.claims,
      now,
      claimTtlMs,
      this.expiredBefore(now),
      roomCode,
      playerId,
      // The host is the room's first player; the create restates the score with its own time.
      waitingScore(1, now),
    );
    if (status === ClaimStatus.Join && code) {
      return { kind: 'join', roomCode: code, opening: Number(opening) === 1 };
    }
    if (status === ClaimStatus.Open && code) return { kind: 'open', roomCode: code };
    return { kind: 'code_taken' };
  }

  async releaseQuickMatchSeat(
    targetScore: number,
    roomCode: string,
    playerId: string,
    forgetRoom: boolean,
  ): Promise<void> {
    const k = this.target(targetScore);
    await this.client.hokmLobbyRelease(
      k.waiting,
      k.touched,
      k.seated,
      k.claims,
      roomCode,
      playerId,
      forgetRoom ? '1' : '0',
    );
  }

  waitingRooms(limit: number): Promise<LobbyEntry[][]> {
    const before = this.expiredBefore(Date.now());
    return Promise.all(
      TARGET_SCORES.map(async (target) => {
        const k = this.target(target);
        return entries(
          await this.client.hokmLobbyWaiting(k.waiting, k.touched, k.seated, before, limit),
        );
      }),
    );
  }

  async playingRooms(limit: number): Promise<LobbyEntry[]> {
    const index = this.settings.keys.index(PLAYING_INDEX);
    const before = this.expiredBefore(Date.now());
    // Entries older than the room TTL belong to expired rooms: pruned as we go.
    const [, flat] = await Promise.all([
      this.client.zremrangebyscore(index, '-inf', `(${before}`),
      this.client.zrevrangebyscore(index, '+inf', before, 'WITHSCORES', 'LIMIT', 0, limit),
    ]);
    return entries(flat);
  }

  lobbyRooms(roomCodes: string[]): Promise<Array<LobbyRoomRecord | null>> {
    return Promise.all(roomCodes.map((code) => this.lobbyRoom(code)));
  }

  async forgetPlayingRooms(roomCodes: string[]): Promise<void> {
    if (roomCodes.length === 0) return;
    await this.client.zrem(this.settings.keys.index(PLAYING_INDEX), ...roomCodes);
  }

  private async lobbyRoom(roomCode: string): Promise<LobbyRoomRecord | null> {
    const k = this.settings.keys.room(roomCode);
    const reply = await this.client.hokmLobbyRoom(k.room, k.players, k.spectators);
    if (!Array.isArray(reply)) return null;
    const [fields, playersJson, spectators] = reply as [Array<string | null>, string[], number];
    const [phase, targetScore, visibility, createdAt, updatedAt] = fields;
    const players = parsePlayers(Object.fromEntries(playersJson.map((json, i) => [i, json])));
    return {
      roomCode,
      phase: (phase ?? 'waiting_for_players') as Phase,
      targetScore: Number(targetScore ?? 7),
      visibility: visibility === 'public' ? 'public' : 'private',
      createdAt: Number(createdAt ?? 0),
      updatedAt: Number(updatedAt ?? 0),
      players: players.map((p) => ({ name: p.name, seat: p.seat, bot: p.bot === true })),
      spectators: Number(spectators ?? 0),
    };
  }

  private target(targetScore: number): TargetKeys {
    const names = lobbyIndexNames(targetScore);
    const index = (name: string) => this.settings.keys.index(name);
    return {
      waiting: index(names.waiting),
      touched: index(names.touched),
      seated: index(names.seated),
      claims: index(names.claims),
    };
  }

  /** A room with no change since this (ms) has expired with its keys. */
  private expiredBefore(now: number): number {
    return now - this.settings.roomTtlSeconds * 1000;
  }
}
