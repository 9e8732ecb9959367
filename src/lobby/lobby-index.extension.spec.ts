import { newRoom } from '../game-state/domain/rules';
import { seededRng } from '../game-state/domain/rng';
import { applyOk } from '../game-state/domain/testing';
import type { Action, RoomState } from '../game-state/domain/types';
import type { IndexUpdate } from '../game-state/room-store.port';
import { lobbyIndexUpdates } from './lobby-index.extension';
import { lobbyIndexNames, PLAYING_INDEX, waitingScore } from './lobby-store.port';

const NOW = 1_800_000_000_000;
const CREATED = NOW - 60_000;
const T = lobbyIndexNames(5);
const rng = seededRng(7);

function room(visibility: 'public' | 'private'): RoomState {
  return {
    ...newRoom('ROOM42', 5, { playerId: 'p0', name: 'Host' }),
    visibility,
    createdAt: CREATED,
  };
}

function step(state: RoomState, action: Action): { before: RoomState; after: RoomState } {
  return { before: state, after: applyOk(state, action, rng).state };
}

const join = (id: string, bot = false): Action => ({ type: 'join', playerId: id, name: id, bot });
const entry = (index: string, member: string, score: number | null): IndexUpdate => ({
  index,
  member,
  score,
});

describe('the lobby index entries of a change', () => {
  it('a private room has none, on create, join, start or move', () => {
    let state = room('private');
    expect(lobbyIndexUpdates(null, state, NOW)).toBeNull();
    for (const id of ['p1', 'p2', 'p3']) {
      const { before, after } = step(state, join(id));
      expect(lobbyIndexUpdates(before, after, NOW)).toBeNull();
      state = after;
    }
    expect(state.phase).toBe('hokm_selection');
  });

  it('a public room created is waiting, seated and touched, scored by players then age', () => {
    expect(lobbyIndexUpdates(null, room('public'), NOW)).toEqual([
      entry(T.seated, 'ROOM42|p0', 0),
      entry(T.claims, 'ROOM42|p0', null),
      entry(T.waiting, 'ROOM42', waitingScore(1, CREATED)),
      entry(T.touched, 'ROOM42', NOW),
    ]);
    // More players sort first; among equals the older room.
    expect(waitingScore(3, CREATED)).toBeLessThan(waitingScore(2, CREATED - 1e9));
    expect(waitingScore(2, CREATED)).toBeLessThan(waitingScore(2, CREATED + 1));
  });

  it('a join restates the whole room and drops the claim of the seat taken', () => {
    const { before, after } = step(room('public'), join('p1'));
    expect(lobbyIndexUpdates(before, after, NOW)).toEqual([
      entry(T.seated, 'ROOM42|p0', 0),
      entry(T.claims, 'ROOM42|p0', null),
      entry(T.seated, 'ROOM42|p1', 0),
      entry(T.claims, 'ROOM42|p1', null),
      entry(T.waiting, 'ROOM42', waitingScore(2, CREATED)),
      entry(T.touched, 'ROOM42', NOW),
    ]);
  });

  it('a player leaving a waiting room frees the seat; the last human takes the room out', () => {
    const two = step(room('public'), join('p1')).after;
    const left = step(two, { type: 'leave', playerId: 'p1' });
    expect(lobbyIndexUpdates(left.before, left.after, NOW)).toContainEqual(
      entry(T.seated, 'ROOM42|p1', null),
    );
    const withBot = step(left.after, join('b1', true)).after;
    const deserted = step(withBot, { type: 'leave', playerId: 'p0' });
    expect(lobbyIndexUpdates(deserted.before, deserted.after, NOW)).toEqual([
      entry(T.seated, 'ROOM42|p0', null),
      entry(T.claims, 'ROOM42|p0', null),
      entry(T.seated, 'ROOM42|b1', null),
      entry(T.claims, 'ROOM42|b1', null),
      entry(T.waiting, 'ROOM42', null),
      entry(T.touched, 'ROOM42', null),
    ]);
  });

  it('the fourth join takes the room out of the waiting sets and lists it in play', () => {
    let state = room('public');
    for (const id of ['p1', 'p2']) state = step(state, join(id)).after;
    const { before, after } = step(state, join('p3'));
    expect(after.phase).toBe('hokm_selection');
    const updates = lobbyIndexUpdates(before, after, NOW) ?? [];
    for (const id of ['p0', 'p1', 'p2', 'p3']) {
      expect(updates).toContainEqual(entry(T.seated, `ROOM42|${id}`, null));
      expect(updates).toContainEqual(entry(T.claims, `ROOM42|${id}`, null));
    }
    expect(updates).toContainEqual(entry(T.waiting, 'ROOM42', null));
    expect(updates).toContainEqual(entry(PLAYING_INDEX, 'ROOM42', NOW));
  });

  it('a move in play is one entry (its activity); the end of the match removes it', () => {
    let state = room('public');
    for (const id of ['p1', 'p2', 'p3']) state = step(state, join(id)).after;
    const hakem = state.match?.hakem as string;
    const named = step(state, { type: 'select_hokm', playerId: hakem, suit: 'hearts' });
    expect(lobbyIndexUpdates(named.before, named.after, NOW)).toEqual([
      entry(PLAYING_INDEX, 'ROOM42', NOW),
    ]);
    const abandoned = step(named.after, { type: 'leave', playerId: 'p1' });
    expect(abandoned.after.phase).toBe('abandoned');
    expect(lobbyIndexUpdates(abandoned.before, abandoned.after, NOW)).toEqual([
      entry(PLAYING_INDEX, 'ROOM42', null),
    ]);
    // Nothing after the end.
    const gone = step(abandoned.after, { type: 'leave', playerId: 'p2' });
    expect(lobbyIndexUpdates(gone.before, gone.after, NOW)).toBeNull();
  });
});
