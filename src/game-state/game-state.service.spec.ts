// The apply loop over a remembered room state: one write per action when this instance knows the
// room, the compare-and-set still deciding, and no answer other than a write given from a state
// that was not freshly read. The store here is an in-memory model of the commit script's contract.
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type {
  CommitOptions,
  CommitResult,
  RoomChange,
  RoomSnapshot,
  RoomStore,
} from './room-store.port';
import { seededRng } from './domain/rng';
import { newRoom } from './domain/rules';
import type { RoomState } from './domain/types';
import { StoreUnavailableError } from './store-unavailable.error';
import { RoomNotFoundError, RuleViolationError } from './game-state.errors';
import { GameStateService } from './game-state.service';
import { RoomChangeExtensions } from './room-change-extensions';

/** One room code's keys: the state as stored, its version and its incarnation. */
interface Stored {
  snapshot: RoomSnapshot;
}

/** The store port's versioned-write contract, in memory (the Lua scripts do this in Redis). */
class ModelStore {
  rooms = new Map<string, Stored>();
  loads = 0;
  commits = 0;
  /** Commit ids that landed (the script's commit log). */
  landed = new Set<string>();
  /** Called after a write lands, before its answer: may throw (an answer lost on the way). */
  afterLanding: (() => void) | null = null;

  create(state: RoomState): string {
    const epoch = randomUUID();
    this.rooms.set(state.roomCode, {
      snapshot: {
        roomCode: state.roomCode,
        version: 1,
        phase: state.phase,
        targetScore: state.targetScore,
        hostId: state.hostId,
        createdAt: 0,
        updatedAt: 0,
        players: structuredClone(state.players),
        match: structuredClone(state.match),
        epoch,
      },
    });
    return epoch;
  }

  /** Another instance's write: bumps the version behind this instance's back. */
  bump(roomCode: string, edit: (s: RoomSnapshot) => void): void {
    const stored = this.rooms.get(roomCode)!;
    edit(stored.snapshot);
    stored.snapshot.version++;
  }

  loadRoom(roomCode: string): Promise<RoomSnapshot | null> {
    this.loads++;
    const stored = this.rooms.get(roomCode);
    return Promise.resolve(stored ? structuredClone(stored.snapshot) : null);
  }

  commitRoom(
    roomCode: string,
    expectedVersion: number,
    change: RoomChange,
    commitId: string,
    options: CommitOptions = {},
  ): Promise<CommitResult> {
    this.commits++;
    const stored = this.rooms.get(roomCode);
    if (!stored) return Promise.resolve({ status: 'not_found' });
    const s = stored.snapshot;
    // A replay of a write that landed answers the current version (as the script does).
    if (this.landed.has(commitId)) {
      return Promise.resolve({ status: 'committed', version: s.version });
    }
    const stale =
      (expectedVersion >= 0 && s.version !== expectedVersion) ||
      (options.expectedEpoch !== undefined && options.expectedEpoch !== s.epoch);
    if (stale) {
      return Promise.resolve({
        status: 'conflict',
        version: s.version,
        ...(options.returnCurrent ? { current: structuredClone(s) } : {}),
      });
    }
    if (change.meta) Object.assign(s, change.meta);
    for (const p of change.upsertPlayers ?? []) {
      s.players = [...s.players.filter((q) => q.playerId !== p.playerId), structuredClone(p)].sort(
        (a, b) => a.seat - b.seat,
      );
    }
    if (change.removePlayers) {
      s.players = s.players.filter((p) => !change.removePlayers!.includes(p.playerId));
    }
    if (change.match !== undefined) {
      s.match = change.matchJson ? JSON.parse(change.matchJson) : structuredClone(change.match);
    }
    s.version++;
    this.landed.add(commitId);
    const hook = this.afterLanding;
    this.afterLanding = null;
    if (hook) {
      try {
        hook();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return Promise.resolve({ status: 'committed', version: s.version });
  }

  deleteRoom(roomCode: string): Promise<boolean> {
    return Promise.resolve(this.rooms.delete(roomCode));
  }
}

// Conflict retries are logged at debug: Nest's default console logger, which these specs run
// with, would print every one of them into the test output. Errors still show.
beforeAll(() => {
  Logger.overrideLogger(['error', 'fatal']);
});

function setup() {
  const store = new ModelStore();
  const service = new GameStateService(
    store as unknown as RoomStore,
    seededRng(5),
    new RoomChangeExtensions(),
  );
  return { store, service };
}

/** A room with its host waiting, as createRoom leaves it in the store. */
function waitingRoom(store: ModelStore, code = 'ABCDEF'): string {
  store.create(newRoom(code, 7, { playerId: 'p0', name: 'P0' }));
  return code;
}

describe('GameStateService over a remembered room', () => {
  it('reads a room once, then each action is one write', async () => {
    const { store, service } = setup();
    const code = waitingRoom(store);
    await service.apply(code, { type: 'join', playerId: 'p1', name: 'P1' });
    await service.apply(code, { type: 'join', playerId: 'p2', name: 'P2' });
    const last = await service.apply(code, { type: 'join', playerId: 'p3', name: 'P3' });
    expect(last.state.phase).toBe('hokm_selection');
    expect(last.state.version).toBe(4);
    expect({ loads: store.loads, commits: store.commits }).toEqual({ loads: 1, commits: 3 });
    // What the service remembers is what Redis holds.
    expect(store.rooms.get(code)!.snapshot).toMatchObject({
      version: 4,
      players: last.state.players,
      match: last.state.match,
    });
  });

  it('a write another instance made first: the conflict answers the room, the retry applies to it', async () => {
    const { store, service } = setup();
    const code = waitingRoom(store);
    await service.apply(code, { type: 'join', playerId: 'p1', name: 'P1' });
    // Elsewhere, p2 sits down: this instance still remembers version 2.
    store.bump(code, (s) => {
      s.players = [...s.players, { playerId: 'p2', name: 'P2', seat: 2, connected: true }];
    });
    const loadsBefore = store.loads;
    const applied = await service.apply(code, { type: 'join', playerId: 'p3', name: 'P3' });
    expect(applied.state.version).toBe(4);
    // The fourth join started the match (seats are reshuffled then).
    expect(applied.state.players.map((p) => p.playerId).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(store.loads).toBe(loadsBefore);
    expect(store.rooms.get(code)!.snapshot.players).toHaveLength(4);
  });

  it('a refusal is only answered from a fresh read: a stale memory never refuses a legal action', async () => {
    const { store, service } = setup();
    const code = waitingRoom(store);
    await service.apply(code, { type: 'join', playerId: 'p1', name: 'P1' });
    // Elsewhere p1 leaves: from memory, p1 joining again would be a no-op (already seated).
    store.bump(code, (s) => {
      s.players = s.players.filter((p) => p.playerId !== 'p1');
    });
    const applied = await service.apply(code, { type: 'join', playerId: 'p1', name: 'P1 again' });
    expect(applied.events).toEqual([expect.objectContaining({ type: 'player_joined' })]);
    expect(store.rooms.get(code)!.snapshot.players.map((p) => p.name)).toEqual(['P0', 'P1 again']);

    // And a real refusal is still a refusal, after the read that confirms it.
    store.bump(code, (s) => {
      s.phase = 'game_over';
    });
    await expect(
      service.apply(code, { type: 'join', playerId: 'p9', name: 'Late' }),
    ).rejects.toBeInstanceOf(RuleViolationError);
  });

  it('a code reused by a new room: nothing meant for the old room lands on it', async () => {
    const { store, service } = setup();
    const code = waitingRoom(store);
    await service.apply(code, { type: 'join', playerId: 'p1', name: 'P1' });
    // The room goes away and another one takes the code; it reaches the same version number.
    store.rooms.delete(code);
    store.create(newRoom(code, 7, { playerId: 'q0', name: 'Q0' }));
    store.bump(code, (s) => {
      s.players = [...s.players, { playerId: 'q1', name: 'Q1', seat: 1, connected: true }];
    });
    expect(store.rooms.get(code)!.snapshot.version).toBe(2);
    const applied = await service.apply(code, { type: 'join', playerId: 'p2', name: 'P2' });
    expect(applied.state.players.map((p) => p.playerId)).toEqual(['q0', 'q1', 'p2']);
  });

  it('a room that is gone is not found, and is forgotten', async () => {
    const { store, service } = setup();
    const code = waitingRoom(store);
    await service.apply(code, { type: 'join', playerId: 'p1', name: 'P1' });
    store.rooms.delete(code);
    await expect(
      service.apply(code, { type: 'join', playerId: 'p2', name: 'P2' }),
    ).rejects.toBeInstanceOf(RoomNotFoundError);
    const loads = store.loads;
    await expect(
      service.apply(code, { type: 'join', playerId: 'p2', name: 'P2' }),
    ).rejects.toBeInstanceOf(RoomNotFoundError);
    expect(store.loads).toBe(loads + 1);
  });

  it('concurrent actions on one instance: exactly one applies per version, none is lost', async () => {
    const { store, service } = setup();
    const code = waitingRoom(store);
    await service.apply(code, { type: 'join', playerId: 'p1', name: 'P1' });
    const results = await Promise.all([
      service.apply(code, { type: 'join', playerId: 'p2', name: 'P2' }),
      service.apply(code, { type: 'join', playerId: 'p3', name: 'P3' }),
    ]);
    expect(results.map((r) => r.state.version).sort()).toEqual([3, 4]);
    const stored = store.rooms.get(code)!.snapshot;
    expect(stored.version).toBe(4);
    expect(stored.players.map((p) => p.playerId).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
  });

  it('another instance’s broadcast keeps the memory current, so its next action is one write', async () => {
    const { store, service } = setup();
    const code = waitingRoom(store);
    const first = await service.apply(code, { type: 'join', playerId: 'p1', name: 'P1' });
    const epoch = service.knownAs(first.state)!.epoch;
    // Another instance applies p2's join and broadcasts the result with the room's epoch.
    const other = new GameStateService(
      store as unknown as RoomStore,
      seededRng(9),
      new RoomChangeExtensions(),
    );
    const theirs = await other.apply(code, { type: 'join', playerId: 'p2', name: 'P2' });
    service.observe(theirs.state, epoch);
    const { loads, commits } = store;
    await service.apply(code, { type: 'join', playerId: 'p3', name: 'P3' });
    expect({ loads: store.loads - loads, commits: store.commits - commits }).toEqual({
      loads: 0,
      commits: 1,
    });
  });

  it('a write whose answer was lost and that others built on: the room as it is now is answered', async () => {
    const { store, service } = setup();
    const code = waitingRoom(store);
    await service.apply(code, { type: 'join', playerId: 'p1', name: 'P1' });
    // p2's join lands, its answer is lost, and before the replay another instance seats p3.
    store.afterLanding = () => {
      store.bump(code, (s) => {
        s.players = [...s.players, { playerId: 'p3', name: 'P3', seat: 3, connected: true }];
      });
      throw new StoreUnavailableError('commitRoom', 'async', new Error('socket closed'));
    };
    const applied = await service.apply(code, { type: 'join', playerId: 'p2', name: 'P2' });
    // Applied once (the replay is recognised), reported with the room's real state and version.
    expect(applied.events).toEqual([expect.objectContaining({ type: 'player_joined' })]);
    expect(applied.state.version).toBe(4);
    expect(applied.state.players.map((p) => p.playerId)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(store.rooms.get(code)!.snapshot.players).toHaveLength(4);
  });
});
