// Quick match under concurrency, below the sockets: two whole apps on one key prefix (two
// instances, each with its own room memory and Redis connections) seat many seekers at the same
// moment, hundreds of times, and the contract's guarantee is checked after every trial: 4·k
// seekers of one target start exactly k matches and leave no public room of that target waiting.
// Then the order a seat is chosen in, and what the claims do when a room or an instance is gone.
import { randomBytes } from 'node:crypto';
import type { RoomState } from '../src/game-state/domain/types';
import { GameStateService } from '../src/game-state/game-state.service';
import { CLAIM_TTL_MS } from '../src/lobby/lobby.constants';
import { LobbyService } from '../src/lobby/lobby.service';
import {
  QuickMatchService,
  type QuickMatchHooks,
  type QuickMatchSeat,
} from '../src/lobby/quick-match.service';
import type { GameStore } from '../src/redis/game-store';
import { KeySpace } from '../src/redis/keys';
import { newPlayerId } from '../src/rooms/room-codes';
import { testConfig, uniquePrefix } from './support/config';
import { createAppContext, type AppContext } from './support/nest';
import { REDIS_TARGET } from './support/redis-target';
import { sleep } from './support/wait';

jest.setTimeout(180_000);

const NO_HOOKS: QuickMatchHooks = { prepare: async () => {}, abandon: async () => {} };

interface Instance {
  app: AppContext;
  quick: QuickMatchService;
  game: GameStateService;
  lobby: LobbyService;
  store: GameStore;
}

/** The services of one app context the trials drive. */
const instanceOn = (app: AppContext): Instance => ({
  app,
  quick: app.app.get(QuickMatchService),
  game: app.app.get(GameStateService),
  lobby: app.app.get(LobbyService),
  store: app.store,
});

const prefix = uniquePrefix('lobby-qm');
const instances: Instance[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    // The turn clock off: the matches started here wait for moves nobody makes.
    const app = await createAppContext(testConfig({ REDIS_KEY_PREFIX: prefix, TURN_SECONDS: '0' }));
    instances.push(instanceOn(app));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.app.close({ keepKeys: true })));
  await REDIS_TARGET.cleanup(prefix);
});

const at = (i: number): Instance => instances[i % instances.length] as Instance;

function seeker(targetScore: number, name = `S${randomBytes(2).toString('hex')}`) {
  return { playerId: newPlayerId(), name, targetScore };
}

/** Public waiting rooms of `targetScore`, as the listing finds them (every room read itself). */
async function waitingOf(targetScore: number): Promise<string[]> {
  const rooms = await at(0).lobby.listRooms(100);
  return rooms
    .filter((r) => r.targetScore === targetScore && r.phase === 'waiting_for_players')
    .map((r) => r.roomCode);
}

/** A public waiting room with `players` humans, created through the service as create/join do. */
async function publicRoom(targetScore: number, players: number): Promise<RoomState> {
  const code = randomRoomCode();
  const created = await at(0).game.createRoom(code, targetScore, seeker(targetScore), 'public');
  if (!created) throw new Error(`room code ${code} taken`);
  let state = created.state;
  for (let i = 1; i < players; i++) {
    const { playerId, name } = seeker(targetScore);
    state = (await at(i).game.apply(code, { type: 'join', playerId, name })).state;
  }
  return state;
}

function randomRoomCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from(randomBytes(6), (b) => alphabet[b % alphabet.length]).join('');
}

/** Every seeker of one trial at the same moment (or staggered by up to `jitterMs`), spread. */
async function trial(targetScore: number, k: number, jitterMs = 0): Promise<QuickMatchSeat[]> {
  const seekers = Array.from({ length: 4 * k }, () => seeker(targetScore));
  return Promise.all(
    seekers.map(async (s, i) => {
      if (jitterMs > 0) await sleep(Math.floor(Math.random() * jitterMs));
      return at(i).quick.seat(s, NO_HOOKS);
    }),
  );
}

/** The guarantee, and what each seat says, checked against the rooms as they are in Redis. */
async function expectGuarantee(seats: QuickMatchSeat[], targetScore: number, k: number) {
  const byRoom = new Map<string, QuickMatchSeat[]>();
  for (const seat of seats) byRoom.set(seat.roomCode, [...(byRoom.get(seat.roomCode) ?? []), seat]);
  expect(byRoom.size).toBe(k);
  for (const [code, taken] of byRoom) {
    expect(taken).toHaveLength(4);
    // One seeker created the room, three joined it.
    expect(taken.filter((s) => s.opened)).toHaveLength(1);
    const room = await at(1).game.load(code);
    expect(room).toMatchObject({ phase: 'hokm_selection', targetScore, visibility: 'public' });
    expect(room?.players).toHaveLength(4);
  }
  expect(await waitingOf(targetScore)).toEqual([]);
}

describe(`quick match on two instances (${REDIS_TARGET.label})`, () => {
  it('4·k seekers at the same moment start exactly k matches, every time (hundreds of trials)', async () => {
    let seekers = 0;
    // 160 trials (1,600 seekers) take about 10 s per configuration of the matrix.
    for (let t = 0; t < 160; t++) {
      const targetScore = (t % 7) + 1;
      const k = (t % 4) + 1;
      // Half the trials at the very same moment, half staggered over a few milliseconds.
      const seats = await trial(targetScore, k, t % 2 === 0 ? 0 : 8);
      await expectGuarantee(seats, targetScore, k);
      seekers += seats.length;
    }
    expect(seekers).toBe(1600);
  });

  it('a seeker takes the fullest public waiting room of the target, then the oldest', async () => {
    const target = 3;
    const older = await publicRoom(target, 1);
    const fuller = await publicRoom(target, 2);
    const newer = await publicRoom(target, 1);
    // Another target and a private room with more players are never chosen.
    await publicRoom(4, 3);
    const privateCode = randomRoomCode();
    await at(0).game.createRoom(privateCode, target, seeker(target));
    for (const name of ['P2', 'P3']) {
      await at(0).game.apply(privateCode, { type: 'join', playerId: newPlayerId(), name });
    }

    const first = await at(1).quick.seat(seeker(target), NO_HOOKS);
    expect(first).toMatchObject({ roomCode: fuller.roomCode, opened: false });
    expect(first.change.state.players).toHaveLength(3);
    const second = await at(0).quick.seat(seeker(target), NO_HOOKS);
    expect(second.roomCode).toBe(fuller.roomCode);
    expect(second.change.state.phase).toBe('hokm_selection');
    // Two rooms with one player each: the one that has waited longest.
    const third = await at(1).quick.seat(seeker(target), NO_HOOKS);
    expect(third.roomCode).toBe(older.roomCode);
    const fourth = await at(0).quick.seat(seeker(target), NO_HOOKS);
    expect(fourth.roomCode).toBe(older.roomCode);
    expect(await waitingOf(target)).toEqual([older.roomCode, newer.roomCode]);
    expect((await at(0).game.load(privateCode))?.players).toHaveLength(3);
  });

  it('with no public waiting room the seeker opens one and hosts it', async () => {
    const target = 6;
    const seat = await at(0).quick.seat(seeker(target, 'Opener'), NO_HOOKS);
    expect(seat.opened).toBe(true);
    expect(seat.change.state).toMatchObject({
      phase: 'waiting_for_players',
      targetScore: target,
      visibility: 'public',
      hostId: seat.change.state.players[0]?.playerId,
    });
    expect(await waitingOf(target)).toEqual([seat.roomCode]);
    // Everybody leaves: the room is gone from the lobby with its last human.
    const hostId = seat.change.state.players[0]?.playerId as string;
    const left = await at(1).game.apply(seat.roomCode, { type: 'leave', playerId: hostId });
    expect(left.state.players).toHaveLength(0);
    await at(1).game.deleteRoom(seat.roomCode);
    expect(await waitingOf(target)).toEqual([]);
    const next = await at(1).quick.seat(seeker(target), NO_HOOKS);
    expect(next.opened).toBe(true);
    expect(next.roomCode).not.toBe(seat.roomCode);
  });

  it('a room whose keys expired is skipped and forgotten; the seeker sits elsewhere', async () => {
    const target = 2;
    const expired = await publicRoom(target, 3);
    const alive = await publicRoom(target, 1);
    // What a TTL expiry does: the room's keys vanish, its lobby entries do not.
    const keys = new KeySpace(prefix).room(expired.roomCode);
    const redis = REDIS_TARGET.connect();
    try {
      await redis.del(keys.room, keys.players, keys.match, keys.commits, keys.journal);
    } finally {
      redis.disconnect();
    }
    expect(await waitingOf(target)).toEqual([alive.roomCode]);
    const seat = await at(0).quick.seat(seeker(target), NO_HOOKS);
    expect(seat.roomCode).toBe(alive.roomCode);
    expect(seat.change.state.players).toHaveLength(2);
    // The expired room is no longer a candidate: the index itself forgot it.
    const [waitingIndex] = (await at(0).store.waitingRooms(100)).slice(target - 1);
    expect(waitingIndex?.map((e) => e.roomCode)).toEqual([alive.roomCode]);
  });

  it('a claim of a seeker that never comes runs out, and the seat goes to someone else', async () => {
    const target = 5;
    const room = await publicRoom(target, 3);
    // An instance claims the last seat and dies before joining: the claim holds it for a while.
    const ghost = await at(0).store.claimQuickMatchSeat(
      target,
      randomRoomCode(),
      newPlayerId(),
      300,
    );
    expect(ghost).toEqual({ kind: 'join', roomCode: room.roomCode, opening: false });
    const opener = newPlayerId();
    const meanwhile = await at(1).store.claimQuickMatchSeat(
      target,
      randomRoomCode(),
      opener,
      CLAIM_TTL_MS,
    );
    expect(meanwhile.kind).toBe('open');
    await sleep(400);
    const after = await at(1).quick.seat(seeker(target), NO_HOOKS);
    expect(after.roomCode).toBe(room.roomCode);
    expect(after.change.state.phase).toBe('hokm_selection');
    // The opener that never created its room gives its claim back (as a failed create does).
    if (meanwhile.kind === 'open') {
      await at(1).store.releaseQuickMatchSeat(target, meanwhile.roomCode, opener, true);
    }
    expect(await waitingOf(target)).toEqual([]);
  });

  it('a claim answered twice (a retry after a lost answer) holds one seat, not two', async () => {
    const target = 1;
    const room = await publicRoom(target, 2);
    const playerId = newPlayerId();
    const claims = await Promise.all(
      [0, 1].map((i) =>
        at(i).store.claimQuickMatchSeat(target, randomRoomCode(), playerId, CLAIM_TTL_MS),
      ),
    );
    expect(claims).toEqual([
      { kind: 'join', roomCode: room.roomCode, opening: false },
      { kind: 'join', roomCode: room.roomCode, opening: false },
    ]);
    // Two seats in the room are taken or claimed, so the next seeker still fits in it.
    const next = await at(1).quick.seat(seeker(target), NO_HOOKS);
    expect(next.roomCode).toBe(room.roomCode);
    await at(0).store.releaseQuickMatchSeat(target, room.roomCode, playerId, false);
  });
});

describe.each([
  ['hybrid', { REDIS_PROVIDER: 'hybrid' }],
  ['hybrid with the async path off', { REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' }],
])('quick match on the %s provider', (_name, providerEnv) => {
  const ownPrefix = uniquePrefix('lobby-qm-provider');
  const own: Instance[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const app = await createAppContext(
        testConfig({ ...providerEnv, REDIS_KEY_PREFIX: ownPrefix, TURN_SECONDS: '0' }),
      );
      own.push(instanceOn(app));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(own.map((i) => i.app.close({ keepKeys: true })));
    await REDIS_TARGET.cleanup(ownPrefix);
  });

  it('the same claims and listing: 4·k seekers at once start k tables, nothing left waiting', async () => {
    for (let t = 0; t < 12; t++) {
      const targetScore = (t % 7) + 1;
      const k = (t % 3) + 1;
      const seekers = Array.from({ length: 4 * k }, () => seeker(targetScore));
      const seats = await Promise.all(
        seekers.map((s, i) => (own[i % 2] as Instance).quick.seat(s, NO_HOOKS)),
      );
      const rooms = new Set(seats.map((s) => s.roomCode));
      expect(rooms.size).toBe(k);
      const listed = await (own[0] as Instance).lobby.listRooms(100);
      expect(
        listed.filter((r) => r.targetScore === targetScore && r.phase === 'waiting_for_players'),
      ).toEqual([]);
      expect(listed.filter((r) => rooms.has(r.roomCode)).map((r) => r.seatsFree)).toEqual(
        Array.from({ length: k }, () => 0),
      );
    }
  });
});
