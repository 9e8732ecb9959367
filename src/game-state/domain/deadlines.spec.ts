import { chooseBotAction } from './bot';
import { dueActions, graceDeadlines, nextDeadline, turnDeadline } from './deadlines';
import { seededRng } from './rng';
import { applyAction } from './rules';
import { applyOk, CLOCK, roomWith, tableState, timedRoom } from './testing';
import type { RoomState, SeatedPlayer } from './types';

const T0 = 1_700_000_000_000;
const OFF = { ...CLOCK, turnMs: 0 };

/** The room with one seat's fields changed (hand-made states for the deadline functions). */
function withPlayer(state: RoomState, playerId: string, change: Partial<SeatedPlayer>): RoomState {
  return {
    ...state,
    players: state.players.map((p) => (p.playerId === playerId ? { ...p, ...change } : p)),
  };
}

describe('turnDeadline', () => {
  it('gives a human the full clock from when their turn started', () => {
    const state = timedRoom(T0);

    expect(state.match!.turnStartedAt).toBe(T0);
    expect(turnDeadline(state, CLOCK)).toBe(T0 + CLOCK.turnMs);
  });

  it('runs the same clock for a disconnected player', () => {
    const state = timedRoom(T0);
    const hakem = state.match!.hakem;

    const off = applyOk(state, { type: 'disconnect', playerId: hakem, at: T0 + 5 }).state;

    expect(turnDeadline(off, CLOCK)).toBe(T0 + CLOCK.turnMs);
  });

  it('moves a bot, and an away human, at the bots pace', () => {
    const state = timedRoom(T0, seededRng(1), ['p1', 'p2', 'p3']);
    const hakem = state.match!.hakem;
    const asBot = withPlayer(state, hakem, { bot: true });
    const asHuman = withPlayer(state, hakem, { bot: undefined });
    const away = withPlayer(asHuman, hakem, { away: true, timeouts: 2 });

    expect(turnDeadline(asBot, CLOCK)).toBe(T0 + CLOCK.botDelayMs);
    expect(turnDeadline(away, CLOCK)).toBe(T0 + CLOCK.botDelayMs);
    expect(turnDeadline(asHuman, CLOCK)).toBe(T0 + CLOCK.turnMs);
  });

  it('leaves humans alone with the clock off, away or not, but still times a bot', () => {
    const state = timedRoom(T0);
    const hakem = state.match!.hakem;

    expect(turnDeadline(state, OFF)).toBeNull();
    expect(turnDeadline(withPlayer(state, hakem, { away: true }), OFF)).toBeNull();
    expect(turnDeadline(withPlayer(state, hakem, { bot: true }), OFF)).toBe(T0 + OFF.botDelayMs);
  });

  it('is null when nothing is awaited or the turn has no known start', () => {
    const over = applyOk(timedRoom(T0), { type: 'leave', playerId: 'p1', at: T0 + 1 }).state;
    const legacy = tableState({ hands: [['2_hearts'], [], [], []], hokm: 'spades' });

    expect(turnDeadline(roomWith(3), CLOCK)).toBeNull();
    expect(over.phase).toBe('abandoned');
    expect(turnDeadline(over, CLOCK)).toBeNull();
    expect(turnDeadline(roomWith(4), CLOCK)).toBeNull();
    expect(turnDeadline(legacy, CLOCK)).toBeNull();
  });
});

describe('graceDeadlines', () => {
  it('lists each disconnected human with when their grace runs out', () => {
    let state = timedRoom(T0);
    state = applyOk(state, { type: 'disconnect', playerId: 'p2', at: T0 + 50 }).state;
    state = applyOk(state, { type: 'disconnect', playerId: 'p1', at: T0 + 90 }).state;

    expect(graceDeadlines(state, CLOCK)).toEqual([
      { playerId: 'p2', disconnectedAt: T0 + 50, dueAt: T0 + 50 + CLOCK.graceMs },
      { playerId: 'p1', disconnectedAt: T0 + 90, dueAt: T0 + 90 + CLOCK.graceMs },
    ]);
  });

  it('counts while waiting for players, and not once the match has ended', () => {
    const waiting = applyOk(roomWith(3), { type: 'disconnect', playerId: 'p1', at: T0 }).state;
    const left = applyOk(timedRoom(T0), { type: 'leave', playerId: 'p3' }).state;
    const ended = applyOk(left, { type: 'disconnect', playerId: 'p1', at: T0 }).state;

    expect(graceDeadlines(waiting, CLOCK)).toEqual([
      { playerId: 'p1', disconnectedAt: T0, dueAt: T0 + CLOCK.graceMs },
    ]);
    expect(graceDeadlines(ended, CLOCK)).toEqual([]);
  });

  it('ignores a disconnect without a time (nothing keys its grace)', () => {
    const state = applyOk(timedRoom(T0), { type: 'disconnect', playerId: 'p1' }).state;

    expect(graceDeadlines(state, CLOCK)).toEqual([]);
  });
});

describe('nextDeadline', () => {
  it('is the earliest of the turn and every grace', () => {
    const state = timedRoom(T0);
    const other = state.players.find((p) => p.playerId !== state.match!.hakem)!.playerId;
    const shortGrace = { ...CLOCK, graceMs: 10_000 };

    const off = applyOk(state, { type: 'disconnect', playerId: other, at: T0 + 1_000 }).state;

    expect(nextDeadline(state, CLOCK)).toBe(T0 + CLOCK.turnMs);
    expect(nextDeadline(off, CLOCK)).toBe(T0 + CLOCK.turnMs);
    expect(nextDeadline(off, shortGrace)).toBe(T0 + 11_000);
    expect(nextDeadline(off, { ...shortGrace, turnMs: 0 })).toBe(T0 + 11_000);
  });

  it('is null when the room has nothing timed', () => {
    expect(nextDeadline(roomWith(3), CLOCK)).toBeNull();
    expect(nextDeadline(timedRoom(T0), OFF)).toBeNull();
  });
});

describe('dueActions', () => {
  it('yields nothing before the deadline and the clock action at it', () => {
    const state = timedRoom(T0);
    const hakem = state.match!.hakem;
    const due = T0 + CLOCK.turnMs;

    expect(dueActions(state, due - 1, CLOCK)).toEqual([]);
    expect(dueActions(state, due, CLOCK)).toEqual([
      { type: 'turn_timeout', playerId: hakem, turnStartedAt: T0, at: due, clock: CLOCK },
    ]);
  });

  it("yields a bot's own move, naming the turn it is for", () => {
    const state = timedRoom(T0, seededRng(1), ['p1', 'p2', 'p3']);
    const hakem = state.match!.hakem;
    const bots = withPlayer(state, hakem, { bot: true });
    const now = T0 + CLOCK.botDelayMs;

    const actions = dueActions(bots, now, OFF);

    expect(actions).toEqual([{ ...chooseBotAction(bots, hakem)!, turnStartedAt: T0, at: now }]);
    expect(applyOk(bots, actions[0]!).events[0]).toMatchObject({ type: 'hokm_selected' });
  });

  it('puts an expired grace first: it ends the match, so the turn action then changes nothing', () => {
    const state = timedRoom(T0);
    const other = state.players.find((p) => p.playerId !== state.match!.hakem)!.playerId;
    const off = applyOk(state, { type: 'disconnect', playerId: other, at: T0 }).state;
    const now = T0 + CLOCK.graceMs;

    const actions = dueActions(off, now, CLOCK);

    expect(actions.map((a) => a.type)).toEqual(['grace_expired', 'turn_timeout']);
    expect(actions[0]).toEqual({
      type: 'grace_expired',
      playerId: other,
      disconnectedAt: T0,
      at: now,
    });
    const ended = applyOk(off, actions[0]!);
    expect(ended.state.phase).toBe('abandoned');
    expect(applyOk(ended.state, actions[1]!)).toEqual({ ok: true, state: ended.state, events: [] });
  });

  it('yields nothing for a human with the clock off, however late', () => {
    expect(dueActions(timedRoom(T0), T0 + 10 * 60 * 60 * 1000, OFF)).toEqual([]);
  });

  it('yields actions that change nothing once the room moved on', () => {
    const state = timedRoom(T0);
    const hakem = state.match!.hakem;
    const due = T0 + CLOCK.turnMs;
    const [timeout] = dueActions(state, due, CLOCK);
    // The hakem names the hokm a moment before the clock's action lands.
    const named = applyOk(state, {
      type: 'select_hokm',
      playerId: hakem,
      suit: 'hearts',
      at: due - 1,
    }).state;

    const late = applyAction(named, timeout!, seededRng(1));

    expect(late).toEqual({ ok: true, state: named, events: [] });
  });
});
