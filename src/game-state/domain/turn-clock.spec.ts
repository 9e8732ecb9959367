import { chooseBotAction, chooseHokm } from './bot';
import { dueActions, turnDeadline } from './deadlines';
import { seededRng } from './rng';
import { applyAction, legalCards } from './rules';
import { applyOk, CLOCK, deepFreeze, roomWith, tableState, timedRoom } from './testing';
import type { Action, RoomState, RuleSuccess } from './types';

type TurnTimeout = Extract<Action, { type: 'turn_timeout' }>;

const T0 = 1_700_000_000_000;
const OFF = { ...CLOCK, turnMs: 0 };

// Applies to a frozen state so any mutation of the input throws inside the rules.
function act(state: RoomState, action: Action): RuleSuccess {
  return applyOk(deepFreeze(state), action, seededRng(7));
}

/** Applies whatever is due at `now` in order, as the store will. */
function runDue(state: RoomState, now: number, clock = CLOCK): RuleSuccess {
  let current = state;
  const events: RuleSuccess['events'] = [];
  for (const action of dueActions(current, now, clock)) {
    const result = act(current, action);
    current = result.state;
    events.push(...result.events);
  }
  return { ok: true, state: current, events };
}

function timeout(state: RoomState, at: number, clock = CLOCK): TurnTimeout {
  const m = state.match!;
  return { type: 'turn_timeout', playerId: m.turn!, turnStartedAt: m.turnStartedAt!, at, clock };
}

function player(state: RoomState, playerId: string) {
  return state.players.find((p) => p.playerId === playerId)!;
}

/** A gameplay table: p0 leads 10_hearts, p1 (to play, idle since T0) holds hearts and others. */
function idleFollower(): RoomState {
  return tableState({
    hands: [
      ['2_clubs', '3_clubs'],
      ['4_hearts', 'K_hearts', 'A_spades'],
      ['5_clubs', '6_clubs', '7_clubs'],
      ['8_clubs', '9_clubs', '10_clubs'],
    ],
    hokm: 'spades',
    currentTrick: [{ playerId: 'p0', card: '10_hearts' }],
    turnStartedAt: T0,
  });
}

describe('when turns start (turnStartedAt)', () => {
  it('is the time of the fourth join, then of each move, and null once nothing is awaited', () => {
    const started = timedRoom(T0);
    const hakem = started.match!.hakem;

    const named = act(started, { type: 'select_hokm', playerId: hakem, suit: 'clubs', at: T0 + 7 });
    const card = legalCards(named.state, hakem)[0]!;
    const played = act(named.state, { type: 'play_card', playerId: hakem, card, at: T0 + 9 });
    const left = act(played.state, { type: 'leave', playerId: hakem, at: T0 + 11 });

    expect(started.match!.turnStartedAt).toBe(T0);
    expect(named.state.match!.turnStartedAt).toBe(T0 + 7);
    expect(played.state.match!.turnStartedAt).toBe(T0 + 9);
    expect(left.state.match!.turn).toBeNull();
    expect(left.state.match!.turnStartedAt).toBeNull();
  });

  it('keeps the start when something else happens at the table', () => {
    const started = timedRoom(T0);
    const other = started.players.find((p) => p.playerId !== started.match!.hakem)!.playerId;

    const off = act(started, { type: 'disconnect', playerId: other, at: T0 + 500 });

    expect(off.state.match!.turnStartedAt).toBe(T0);
  });

  it('names every turn by a start of its own, even for moves in one millisecond', () => {
    const started = timedRoom(T0);
    const hakem = started.match!.hakem;

    const named = act(started, { type: 'select_hokm', playerId: hakem, suit: 'clubs', at: T0 });

    expect(named.state.match!.turn).toBe(hakem);
    expect(named.state.match!.turnStartedAt).toBe(T0 + 1);
  });

  it('is unknown without `at`, and then counted from the next change that carries one', () => {
    const legacy = roomWith(4);
    const other = legacy.players.find((p) => p.playerId !== legacy.match!.hakem)!.playerId;

    const off = act(legacy, { type: 'disconnect', playerId: other, at: T0 + 40 });

    expect(legacy.match!.turnStartedAt).toBeNull();
    expect(turnDeadline(legacy, CLOCK)).toBeNull();
    expect(dueActions(legacy, T0 + 10 * CLOCK.turnMs, CLOCK)).toEqual([]);
    expect(off.state.match!.turnStartedAt).toBe(T0 + 40);
    expect(turnDeadline(off.state, CLOCK)).toBe(T0 + 40 + CLOCK.turnMs);
  });

  it('takes a stamp of an earlier turn for unknown: a version without the clock moved the match on', () => {
    // Arrange: the hakem names the hokm on this version (the hakem's lead is stamped), then an
    // instance of the first release plays the lead: it keeps the match's other fields as they
    // were, the stamp of the hakem's turn included.
    const started = timedRoom(T0);
    const hakem = started.match!.hakem;
    const named = act(started, { type: 'select_hokm', playerId: hakem, suit: 'clubs', at: T0 + 7 });
    const card = legalCards(named.state, hakem)[0]!;
    const moved = act(named.state, { type: 'play_card', playerId: hakem, card }).state;
    const stale: RoomState = {
      ...moved,
      match: {
        ...moved.match!,
        turnStartedAt: named.state.match!.turnStartedAt,
        turnKey: named.state.match!.turnKey,
      },
    };
    const next = stale.match!.turn!;
    expect(next).not.toBe(hakem);

    // Act: a change on this version with a time, at the table of the player now to move.
    const off = act(stale, { type: 'disconnect', playerId: hakem, at: T0 + 900 });

    // Assert: no deadline from the stale stamp, however late; the count starts at that change.
    expect(turnDeadline(stale, CLOCK)).toBeNull();
    expect(dueActions(stale, T0 + 10 * CLOCK.turnMs, CLOCK)).toEqual([]);
    expect(act(stale, timeout(stale, T0 + 10 * CLOCK.turnMs)).state).toBe(stale);
    expect(off.state.match!.turnStartedAt).toBe(T0 + 900);
    expect(turnDeadline(off.state, CLOCK)).toBe(T0 + 900 + CLOCK.turnMs);
  });

  it('keys each stamp to its turn: a new key for every move, the same while nothing moves', () => {
    const started = timedRoom(T0);
    const hakem = started.match!.hakem;
    const other = started.players.find((p) => p.playerId !== hakem)!.playerId;
    const named = act(started, { type: 'select_hokm', playerId: hakem, suit: 'clubs', at: T0 + 7 });
    const off = act(named.state, { type: 'disconnect', playerId: other, at: T0 + 8 });
    let state = off.state;
    const keys = [started, named.state, off.state].map((s) => s.match!.turnKey);
    for (let i = 0; i < 8; i++) {
      const turn = state.match!.turn!;
      const card = legalCards(state, turn)[0]!;
      state = act(state, { type: 'play_card', playerId: turn, card, at: T0 + 10 + i }).state;
      keys.push(state.match!.turnKey);
    }

    expect(keys[2]).toBe(keys[1]);
    const perTurn = [keys[0], ...keys.slice(2)];
    expect(new Set(perTurn).size).toBe(perTurn.length);
  });

  it('reads a state stored before the clock (no field) as unknown', () => {
    const stored = idleFollower();
    const { turnStartedAt: _unknown, ...match } = stored.match!;
    const old: RoomState = { ...stored, match };

    expect(turnDeadline(old, CLOCK)).toBeNull();
    expect(act(old, { ...timeout(stored, T0 + CLOCK.turnMs) }).state).toBe(old);
  });
});

describe('turn_timeout', () => {
  it('names the hokm for an idle hakem, as the bots would, and says so first', () => {
    const started = timedRoom(T0);
    const hakem = started.match!.hakem;
    const due = T0 + CLOCK.turnMs;

    const result = act(started, timeout(started, due));

    const suit = chooseHokm(started.match!.hands[hakem]!);
    expect(result.events).toEqual([
      { type: 'turn_timeout', playerId: hakem },
      { type: 'hokm_selected', playerId: hakem, suit, auto: true },
    ]);
    expect(result.state.phase).toBe('gameplay');
    expect(result.state.match!.hokm).toBe(suit);
    expect(result.state.match!.turnStartedAt).toBe(due);
    expect(player(result.state, hakem)).toMatchObject({ timeouts: 1 });
    expect(player(result.state, hakem).away).toBeUndefined();
  });

  it('plays a legal card for an idle player (following suit)', () => {
    const table = idleFollower();

    const result = act(table, timeout(table, T0 + CLOCK.turnMs));

    const auto = result.events[1];
    expect(result.events[0]).toEqual({ type: 'turn_timeout', playerId: 'p1' });
    expect(auto).toMatchObject({ type: 'card_played', playerId: 'p1', auto: true });
    const card = auto?.type === 'card_played' ? auto.card : '';
    expect(legalCards(table, 'p1')).toContain(card);
    expect(['4_hearts', 'K_hearts']).toContain(card);
    expect(result.state.match!.turn).toBe('p2');
  });

  it('marks only the move it made as auto: the trick it completes is reported as usual', () => {
    const table = tableState({
      hands: [['2_clubs'], ['3_clubs'], ['4_clubs'], ['5_hearts', 'A_clubs']],
      hokm: 'spades',
      currentTrick: [
        { playerId: 'p0', card: '10_clubs' },
        { playerId: 'p1', card: 'J_clubs' },
        { playerId: 'p2', card: 'Q_clubs' },
      ],
      turnStartedAt: T0,
    });

    const result = act(table, timeout(table, T0 + CLOCK.turnMs));

    expect(result.events.map((e) => e.type)).toEqual(['turn_timeout', 'card_played', 'trick_won']);
    expect(result.events[1]).toEqual({
      type: 'card_played',
      playerId: 'p3',
      card: 'A_clubs',
      auto: true,
    });
    expect(result.events[2]).not.toHaveProperty('auto');
  });

  it('makes a player away after two in a row, whose next turn then goes at the bots pace', () => {
    const started = timedRoom(T0);
    const hakem = started.match!.hakem;
    const first = T0 + CLOCK.turnMs;

    const once = act(started, timeout(started, first)).state;
    const twice = act(once, timeout(once, first + CLOCK.turnMs));

    expect(twice.events[0]).toEqual({ type: 'turn_timeout', playerId: hakem });
    expect(player(twice.state, hakem)).toMatchObject({ away: true, timeouts: 2 });
    // The hakem led; later in the hand their turn comes round again, now at the bots' pace.
    let state = twice.state;
    while (state.match!.turn !== hakem) {
      const m = state.match!;
      const card = legalCards(state, m.turn!)[0]!;
      state = act(state, {
        type: 'play_card',
        playerId: m.turn!,
        card,
        at: m.turnStartedAt! + 5,
      }).state;
    }
    const start = state.match!.turnStartedAt!;
    expect(turnDeadline(state, CLOCK)).toBe(start + CLOCK.botDelayMs);
    expect(runDue(state, start + CLOCK.botDelayMs).events[0]).toEqual({
      type: 'turn_timeout',
      playerId: hakem,
    });
  });

  it('changes nothing before the deadline, for another turn, or for another start', () => {
    const table = idleFollower();
    const due = T0 + CLOCK.turnMs;
    const stale: Action[] = [
      timeout(table, due - 1),
      { ...timeout(table, due), turnStartedAt: T0 - 1 },
      { ...timeout(table, due), playerId: 'p2' },
      { ...timeout(table, due), playerId: 'ghost' },
      timeout(table, due * 2, OFF),
    ];

    for (const action of stale) {
      expect(act(table, action)).toEqual({ ok: true, state: table, events: [] });
    }
  });

  it('changes nothing once the player has played, even at the same start time later', () => {
    const table = idleFollower();
    const due = T0 + CLOCK.turnMs;
    const pending = timeout(table, due);

    const played = act(table, { type: 'play_card', playerId: 'p1', card: 'K_hearts', at: T0 + 3 });

    expect(act(played.state, pending)).toEqual({ ok: true, state: played.state, events: [] });
  });

  it('changes nothing when the player resumed since (their deadline moved to the full clock)', () => {
    const table = idleFollower();
    const away: RoomState = {
      ...table,
      players: table.players.map((p) =>
        p.playerId === 'p1' ? { ...p, away: true, timeouts: 2 } : p,
      ),
    };
    const atBotPace = timeout(away, T0 + CLOCK.botDelayMs);

    const resumed = act(away, { type: 'resume', playerId: 'p1' }).state;

    expect(act(resumed, atBotPace)).toEqual({ ok: true, state: resumed, events: [] });
    expect(act(away, atBotPace).events[0]).toEqual({ type: 'turn_timeout', playerId: 'p1' });
  });

  it('never acts for a bot: its own scheduled move does', () => {
    const started = timedRoom(T0, seededRng(2), ['p1', 'p2', 'p3']);
    const bot = started.players.find((p) => p.bot === true)!.playerId;
    const botTurn: RoomState = { ...started, match: { ...started.match!, hakem: bot, turn: bot } };

    const result = act(botTurn, timeout(botTurn, T0 + CLOCK.turnMs));

    expect(result).toEqual({ ok: true, state: botTurn, events: [] });
  });
});

describe("a bot's scheduled move", () => {
  it('changes nothing when the turn it names has passed', () => {
    const started = timedRoom(T0, seededRng(2), ['p1', 'p2', 'p3']);
    const bot = started.players.find((p) => p.bot === true)!.playerId;
    const botTurn: RoomState = { ...started, match: { ...started.match!, hakem: bot, turn: bot } };
    const move = { ...chooseBotAction(botTurn, bot)!, turnStartedAt: T0 - 5, at: T0 + 1_000 };

    expect(act(botTurn, move)).toEqual({ ok: true, state: botTurn, events: [] });
    expect(act(botTurn, { ...move, turnStartedAt: T0 }).events).toHaveLength(1);
  });
});

describe('away cleared', () => {
  /** A started match whose hakem the clock acted for twice (named the hokm, then led). */
  function awayHakem(): { state: RoomState; hakem: string } {
    const started = timedRoom(T0);
    const once = act(started, timeout(started, T0 + CLOCK.turnMs)).state;
    const twice = act(once, timeout(once, T0 + 2 * CLOCK.turnMs)).state;
    return { state: twice, hakem: started.match!.hakem };
  }

  it('by resume, with an event; a resume with nothing to clear changes nothing', () => {
    const { state, hakem } = awayHakem();

    const resumed = act(state, { type: 'resume', playerId: hakem, at: T0 + 1 });
    const again = act(resumed.state, { type: 'resume', playerId: hakem });

    expect(resumed.events).toEqual([{ type: 'player_resumed', playerId: hakem }]);
    expect(player(resumed.state, hakem).away).toBeUndefined();
    expect(player(resumed.state, hakem).timeouts).toBeUndefined();
    expect(again).toEqual({ ok: true, state: resumed.state, events: [] });
  });

  it('by resume of a single timeout (the count starts again)', () => {
    const started = timedRoom(T0);
    const hakem = started.match!.hakem;
    const once = act(started, timeout(started, T0 + CLOCK.turnMs)).state;

    const resumed = act(once, { type: 'resume', playerId: hakem });

    expect(resumed.events).toEqual([{ type: 'player_resumed', playerId: hakem }]);
    expect(player(resumed.state, hakem).timeouts).toBeUndefined();
  });

  it("by the player's own move", () => {
    const started = timedRoom(T0);
    const hakem = started.match!.hakem;
    const once = act(started, timeout(started, T0 + CLOCK.turnMs)).state;

    const card = legalCards(once, hakem)[0]!;
    const played = act(once, { type: 'play_card', playerId: hakem, card, at: T0 + 31_000 });

    expect(player(once, hakem).timeouts).toBe(1);
    expect(played.events[0]).toEqual({ type: 'card_played', playerId: hakem, card });
    expect(player(played.state, hakem).timeouts).toBeUndefined();
  });

  it('by naming the hokm themselves', () => {
    const started = timedRoom(T0);
    const hakem = started.match!.hakem;
    const marked: RoomState = {
      ...started,
      players: started.players.map((p) =>
        p.playerId === hakem ? { ...p, away: true, timeouts: 3 } : p,
      ),
    };

    const named = act(marked, { type: 'select_hokm', playerId: hakem, suit: 'hearts', at: T0 });

    expect(player(named.state, hakem)).not.toHaveProperty('away');
    expect(player(named.state, hakem)).not.toHaveProperty('timeouts');
  });

  it('by reconnect, from a new socket or the same one', () => {
    const { state, hakem } = awayHakem();
    const off = act(state, { type: 'disconnect', playerId: hakem, at: T0 + 61_000 }).state;

    const back = act(off, { type: 'reconnect', playerId: hakem, connectionId: 's2' });
    const same = act(state, { type: 'reconnect', playerId: hakem });

    expect(back.events).toEqual([{ type: 'player_reconnected', playerId: hakem }]);
    expect(player(back.state, hakem)).toEqual({
      playerId: hakem,
      name: player(state, hakem).name,
      seat: player(state, hakem).seat,
      connected: true,
      connectionId: 's2',
    });
    expect(same.events).toEqual([{ type: 'player_resumed', playerId: hakem }]);
    expect(player(same.state, hakem).away).toBeUndefined();
  });

  it('refuses resume from a stranger, and once the match is over', () => {
    const { state, hakem } = awayHakem();
    const ended = act(state, { type: 'leave', playerId: hakem }).state;

    const stranger = applyAction(state, { type: 'resume', playerId: 'ghost' }, seededRng(1));
    const late = applyAction(ended, { type: 'resume', playerId: hakem }, seededRng(1));

    expect(stranger).toMatchObject({ ok: false, code: 'NOT_IN_ROOM' });
    expect(late).toMatchObject({ ok: false, code: 'WRONG_PHASE' });
  });
});

describe('grace_expired keyed by its disconnect', () => {
  it('abandons for the current disconnect and changes nothing for an earlier one', () => {
    const started = timedRoom(T0);
    const first = act(started, { type: 'disconnect', playerId: 'p2', at: T0 + 10 }).state;
    const back = act(first, { type: 'reconnect', playerId: 'p2', connectionId: 'b' }).state;
    const again = act(back, { type: 'disconnect', playerId: 'p2', at: T0 + 20 }).state;

    const stale = act(again, { type: 'grace_expired', playerId: 'p2', disconnectedAt: T0 + 10 });
    const current = act(again, { type: 'grace_expired', playerId: 'p2', disconnectedAt: T0 + 20 });

    expect(stale).toEqual({ ok: true, state: again, events: [] });
    expect(current.events).toEqual([
      { type: 'abandoned', reason: 'grace_expired', playerId: 'p2' },
    ]);
  });
});

describe('with the clock off', () => {
  it('plays exactly as without times: same states (but the starts) and events', () => {
    // Arrange: the same match twice, once with `at` on every action and once without.
    const timed = [timedRoom(T0, seededRng(5))];
    const plain = [roomWith(4, seededRng(5))];
    const events: Array<[string, string]> = [];
    for (let step = 0; step < 60; step++) {
      const a = timed[timed.length - 1]!;
      const b = plain[plain.length - 1]!;
      // Nothing is ever due for a human, however long they take.
      expect(dueActions(a, T0 + 1e9, OFF)).toEqual([]);
      const move = chooseBotAction(b, b.match!.turn!)!;
      const ra = act(a, { ...move, at: T0 + step * 100_000 });
      const rb = act(b, move);
      timed.push(ra.state);
      plain.push(rb.state);
      events.push([JSON.stringify(ra.events), JSON.stringify(rb.events)]);
    }

    // Assert
    const withoutStarts = (s: RoomState) => {
      const { turnKey: _key, ...match } = s.match!;
      return { ...s, match: { ...match, turnStartedAt: null } };
    };
    expect(timed.map(withoutStarts)).toEqual(plain.map(withoutStarts));
    for (const [a, b] of events) expect(a).toBe(b);
  });
});
