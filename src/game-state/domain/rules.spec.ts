import { FULL_DECK } from './cards';
import { seededRng } from './rng';
import { applyAction, legalCards, newRoom } from './rules';
import { applyOk, deepFreeze, roomWith, SORTED_DECK, tableState } from './testing';
import type { Action, Card, DomainEvent, RoomState, RuleErrorCode, RuleSuccess } from './types';

// Applies to a frozen state so any mutation of the input throws inside the rules.
function act(state: RoomState, action: Action, seed = 7): RuleSuccess {
  return applyOk(deepFreeze(state), action, seededRng(seed));
}

function expectRefused(state: RoomState, action: Action, code: RuleErrorCode): void {
  const before = structuredClone(state);
  const result = applyAction(deepFreeze(state), action, seededRng(3));
  expect(result).toMatchObject({ ok: false, code });
  expect(result.ok ? '' : result.message).toMatch(/\w+ \w+ \w+/);
  expect(state).toEqual(before);
}

function play(state: RoomState, playerId: string, card: Card): RuleSuccess {
  return act(state, { type: 'play_card', playerId, card });
}

/** Plays cards in order, returning the final state and all events. */
function playAll(state: RoomState, moves: Array<[string, Card]>): RuleSuccess {
  let current = state;
  const events: DomainEvent[] = [];
  for (const [playerId, card] of moves) {
    const result = play(current, playerId, card);
    current = result.state;
    events.push(...result.events);
  }
  return { ok: true, state: current, events };
}

function allCards(state: RoomState): Card[] {
  const m = state.match;
  if (!m) return [];
  return [...Object.values(m.hands).flat(), ...m.deck, ...m.currentTrick.map((p) => p.card)].sort();
}

function inGameplay(seed = 1): RoomState {
  const started = roomWith(4, seededRng(seed));
  const hakem = started.match!.hakem;
  return act(started, { type: 'select_hokm', playerId: hakem, suit: 'spades' }).state;
}

/** One trick before the hand ends: seat 0 leads hearts, `winnerSeat` takes it with A_hearts. */
function lastTrickTable(
  winnerSeat: number,
  opts: { tricks: [number, number]; hakemSeat: number; scores?: [number, number]; target?: number },
): { state: RoomState; moves: Array<[string, Card]> } {
  const low: Card[] = ['2_hearts', '3_hearts', '4_hearts'];
  const hearts = [0, 1, 2, 3].map((seat) =>
    seat === winnerSeat ? 'A_hearts' : (low.shift() as Card),
  );
  const filler: Card[][] = [
    ['2_clubs', '3_clubs', '4_clubs', '5_clubs'],
    ['6_clubs', '7_clubs', '8_clubs', '9_clubs'],
    ['2_diamonds', '3_diamonds', '4_diamonds', '5_diamonds'],
    ['6_diamonds', '7_diamonds', '8_diamonds', '9_diamonds'],
  ];
  const hands = [0, 1, 2, 3].map((s) => [hearts[s] as Card, ...(filler[s] as Card[])]);
  const state = tableState({
    hands: hands as [Card[], Card[], Card[], Card[]],
    hokm: 'spades',
    hakemSeat: opts.hakemSeat,
    turnSeat: 0,
    tricks: opts.tricks,
    scores: opts.scores ?? [0, 0],
    targetScore: opts.target ?? 7,
  });
  const moves = [0, 1, 2, 3].map((s): [string, Card] => [`p${s}`, hearts[s] as Card]);
  return { state, moves };
}

describe('newRoom', () => {
  it('seats the host at seat 0 of a waiting room with no match', () => {
    const room = newRoom('ABC234', 5, { playerId: 'h', name: 'Host' });

    expect(room).toEqual({
      roomCode: 'ABC234',
      version: 0,
      phase: 'waiting_for_players',
      targetScore: 5,
      hostId: 'h',
      players: [{ playerId: 'h', name: 'Host', seat: 0, connected: true }],
      match: null,
    });
  });
});

describe('join', () => {
  it('gives each newcomer the lowest free seat', () => {
    const three = roomWith(3);
    const withoutP1 = act(three, { type: 'leave', playerId: 'p1' }).state;

    const result = act(withoutP1, { type: 'join', playerId: 'new', name: 'New' });

    expect(result.events).toEqual([
      { type: 'player_joined', playerId: 'new', name: 'New', seat: 1 },
    ]);
    expect(result.state.players.map((p) => [p.playerId, p.seat])).toEqual([
      ['p0', 0],
      ['new', 1],
      ['p2', 2],
    ]);
    expect(result.state.phase).toBe('waiting_for_players');
  });

  it('starts the match on the fourth join: reseated table, hakem, five cards each', () => {
    const three = roomWith(3);

    const result = act(three, { type: 'join', playerId: 'p3', name: 'Player 3' });

    const { state, events } = result;
    const m = state.match!;
    expect(events.map((e) => e.type)).toEqual(['player_joined', 'match_started']);
    expect(events[0]).toEqual({ type: 'player_joined', playerId: 'p3', name: 'Player 3', seat: 3 });
    expect(events[1]).toEqual({ type: 'match_started', hakem: m.hakem });
    expect(state.phase).toBe('hokm_selection');
    expect(state.players.map((p) => p.seat)).toEqual([0, 1, 2, 3]);
    expect(state.players.map((p) => p.playerId).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(m.turn).toBe(m.hakem);
    expect(m.hokm).toBeNull();
    expect(m.handNumber).toBe(1);
    expect(m.tricks).toEqual([0, 0]);
    expect(m.scores).toEqual([0, 0]);
    expect(m.winnerTeam).toBeNull();
    for (const p of state.players) expect(m.hands[p.playerId]).toHaveLength(5);
    expect(m.deck).toHaveLength(32);
    expect(allCards(state)).toEqual(SORTED_DECK);
  });

  it('reseats players and picks the hakem at random, covering every seat over many seeds', () => {
    const seatsOfP0 = new Set<number>();
    const hakemSeats = new Set<number>();
    const partnersOfP0 = new Set<string>();

    for (let seed = 1; seed <= 200; seed++) {
      const state = roomWith(4, seededRng(seed));
      const seatOf = (id: string): number => state.players.find((p) => p.playerId === id)!.seat;
      expect(state.players.map((p) => p.seat)).toEqual([0, 1, 2, 3]);
      expect(new Set(state.players.map((p) => p.playerId)).size).toBe(4);
      seatsOfP0.add(seatOf('p0'));
      hakemSeats.add(seatOf(state.match!.hakem));
      partnersOfP0.add(state.players.find((p) => p.seat === (seatOf('p0') + 2) % 4)!.playerId);
    }

    expect([...seatsOfP0].sort()).toEqual([0, 1, 2, 3]);
    expect([...hakemSeats].sort()).toEqual([0, 1, 2, 3]);
    expect([...partnersOfP0].sort()).toEqual(['p1', 'p2', 'p3']);
  });

  it('refuses a fifth player with ROOM_FULL in every phase of a full room', () => {
    const started = roomWith(4);
    const abandoned = act(started, { type: 'leave', playerId: 'p1' }).state;
    const join: Action = { type: 'join', playerId: 'p9', name: 'Late' };

    expectRefused(started, join, 'ROOM_FULL');
    expectRefused(inGameplay(), join, 'ROOM_FULL');
    expectRefused(abandoned, join, 'ROOM_FULL');
  });

  it('refuses a join with WRONG_PHASE when a room that is not waiting has a free seat', () => {
    const odd: RoomState = { ...roomWith(3), phase: 'abandoned' };

    expectRefused(odd, { type: 'join', playerId: 'p9', name: 'Late' }, 'WRONG_PHASE');
  });

  it('treats a second join of a seated player as a no-op', () => {
    const two = roomWith(2);

    const result = act(two, { type: 'join', playerId: 'p1', name: 'Again' });

    expect(result.events).toEqual([]);
    expect(result.state).toBe(two);
  });

  it('keeps the bot flag of a bot that joins', () => {
    const result = act(roomWith(1), { type: 'join', playerId: 'b', name: 'Bot', bot: true });

    expect(result.state.players[1]).toEqual({
      playerId: 'b',
      name: 'Bot',
      seat: 1,
      connected: true,
      bot: true,
    });
  });
});

describe('host', () => {
  it('passes to the lowest-seat remaining person when the host leaves, skipping bots', () => {
    let state = newRoom('ROOM42', 7, { playerId: 'h', name: 'Host' });
    state = act(state, { type: 'join', playerId: 'bot', name: 'Bot', bot: true }).state;
    state = act(state, { type: 'join', playerId: 'ann', name: 'Ann' }).state;

    const afterHost = act(state, { type: 'leave', playerId: 'h' });
    const afterAnn = act(afterHost.state, { type: 'leave', playerId: 'ann' });

    expect(afterHost.events).toEqual([{ type: 'player_left', playerId: 'h' }]);
    expect(afterHost.state.hostId).toBe('ann');
    expect(afterAnn.state.hostId).toBeNull();
    expect(afterAnn.state.players.map((p) => p.playerId)).toEqual(['bot']);
  });

  it('stays with the host when another leaves; a host-less room takes the next person', () => {
    const three = roomWith(3);
    const botsOnly = act(
      act(newRoom('ROOM42', 7, { playerId: 'h', name: 'Host' }), {
        type: 'join',
        playerId: 'bot',
        name: 'Bot',
        bot: true,
      }).state,
      { type: 'leave', playerId: 'h' },
    ).state;

    const afterP2 = act(three, { type: 'leave', playerId: 'p2' });
    const personJoins = act(botsOnly, { type: 'join', playerId: 'eve', name: 'Eve' });

    expect(afterP2.state.hostId).toBe('p0');
    expect(botsOnly.hostId).toBeNull();
    expect(personJoins.state.hostId).toBe('eve');
    expect(personJoins.state.players.find((p) => p.playerId === 'eve')!.seat).toBe(0);
  });
});

describe('select_hokm', () => {
  it('deals eight more cards each, names the trump and lets the hakem lead', () => {
    const started = roomWith(4);
    const m = started.match!;
    const firstFive = m.hands[m.hakem]!;

    const result = act(started, { type: 'select_hokm', playerId: m.hakem, suit: 'hearts' });

    const next = result.state.match!;
    expect(result.events).toEqual([{ type: 'hokm_selected', playerId: m.hakem, suit: 'hearts' }]);
    expect(result.state.phase).toBe('gameplay');
    expect(next.hokm).toBe('hearts');
    expect(next.turn).toBe(m.hakem);
    expect(next.deck).toEqual([]);
    for (const p of result.state.players) expect(next.hands[p.playerId]).toHaveLength(13);
    expect(next.hands[m.hakem]!.slice(0, 5)).toEqual(firstFive);
    expect(allCards(result.state)).toEqual(SORTED_DECK);
  });

  it('refuses with NOT_IN_ROOM, WRONG_PHASE and NOT_YOUR_TURN', () => {
    const started = roomWith(4);
    const hakem = started.match!.hakem;
    const other = started.players.find((p) => p.playerId !== hakem)!.playerId;

    expectRefused(
      started,
      { type: 'select_hokm', playerId: 'ghost', suit: 'clubs' },
      'NOT_IN_ROOM',
    );
    expectRefused(
      roomWith(2),
      { type: 'select_hokm', playerId: 'p0', suit: 'clubs' },
      'WRONG_PHASE',
    );
    expectRefused(
      inGameplay(),
      { type: 'select_hokm', playerId: hakem, suit: 'clubs' },
      'WRONG_PHASE',
    );
    expectRefused(
      started,
      { type: 'select_hokm', playerId: other, suit: 'clubs' },
      'NOT_YOUR_TURN',
    );
  });
});

describe('play_card', () => {
  const hands: [Card[], Card[], Card[], Card[]] = [
    ['10_hearts', '3_clubs'],
    ['K_hearts', '4_clubs'],
    ['A_clubs', '2_spades', '5_diamonds'],
    ['2_hearts', '6_clubs'],
  ];

  it('refuses with NOT_IN_ROOM, WRONG_PHASE, NOT_YOUR_TURN, CARD_NOT_IN_HAND', () => {
    const table = tableState({ hands, hokm: 'spades' });
    const started = roomWith(4);
    const hakem = started.match!.hakem;
    const hakemCard = started.match!.hands[hakem]![0]!;

    expectRefused(table, { type: 'play_card', playerId: 'ghost', card: '3_clubs' }, 'NOT_IN_ROOM');
    expectRefused(started, { type: 'play_card', playerId: hakem, card: hakemCard }, 'WRONG_PHASE');
    expectRefused(
      roomWith(3),
      { type: 'play_card', playerId: 'p0', card: '2_hearts' },
      'WRONG_PHASE',
    );
    expectRefused(table, { type: 'play_card', playerId: 'p1', card: 'K_hearts' }, 'NOT_YOUR_TURN');
    expectRefused(
      table,
      { type: 'play_card', playerId: 'p0', card: 'K_hearts' },
      'CARD_NOT_IN_HAND',
    );
    expectRefused(
      table,
      { type: 'play_card', playerId: 'p0', card: 'Z_hearts' },
      'CARD_NOT_IN_HAND',
    );
    expectRefused(table, { type: 'play_card', playerId: 'p0', card: '' }, 'CARD_NOT_IN_HAND');
  });

  it('makes a player who holds the suit led follow it (MUST_FOLLOW_SUIT)', () => {
    const led = play(tableState({ hands, hokm: 'spades' }), 'p0', '10_hearts').state;

    expectRefused(led, { type: 'play_card', playerId: 'p1', card: '4_clubs' }, 'MUST_FOLLOW_SUIT');
    expect(legalCards(led, 'p1')).toEqual(['K_hearts']);
  });

  it('lets a player void in the suit led play any card', () => {
    const twoPlayed = playAll(tableState({ hands, hokm: 'spades' }), [
      ['p0', '10_hearts'],
      ['p1', 'K_hearts'],
    ]).state;

    expect(legalCards(twoPlayed, 'p2')).toEqual(['A_clubs', '2_spades', '5_diamonds']);
    expect(play(twoPlayed, 'p2', '5_diamonds').state.match!.currentTrick).toHaveLength(3);
  });

  it('lets the leader play anything and says who is next', () => {
    const table = tableState({ hands, hokm: 'spades' });

    const result = play(table, 'p0', '3_clubs');

    expect(legalCards(table, 'p0')).toEqual(['10_hearts', '3_clubs']);
    expect(legalCards(table, 'p1')).toEqual([]);
    expect(result.events).toEqual([{ type: 'card_played', playerId: 'p0', card: '3_clubs' }]);
    expect(result.state.match!.ledSuit).toBe('clubs');
    expect(result.state.match!.turn).toBe('p1');
    expect(result.state.match!.hands['p0']).toEqual(['10_hearts']);
  });

  it('gives a trick without trump to the highest of the suit led, not a higher off-suit', () => {
    const result = playAll(tableState({ hands, hokm: 'spades' }), [
      ['p0', '10_hearts'],
      ['p1', 'K_hearts'],
      ['p2', 'A_clubs'],
      ['p3', '2_hearts'],
    ]);

    const m = result.state.match!;
    expect(result.events.at(-1)).toEqual({
      type: 'trick_won',
      winner: 'p1',
      cards: [
        { playerId: 'p0', card: '10_hearts' },
        { playerId: 'p1', card: 'K_hearts' },
        { playerId: 'p2', card: 'A_clubs' },
        { playerId: 'p3', card: '2_hearts' },
      ],
      tricks: [0, 1],
    });
    expect(m.tricks).toEqual([0, 1]);
    expect(m.turn).toBe('p1');
    expect(m.currentTrick).toEqual([]);
    expect(m.ledSuit).toBeNull();
    expect(m.lastTrick).toEqual({
      winner: 'p1',
      cards: [
        { playerId: 'p0', card: '10_hearts' },
        { playerId: 'p1', card: 'K_hearts' },
        { playerId: 'p2', card: 'A_clubs' },
        { playerId: 'p3', card: '2_hearts' },
      ],
    });
  });

  it('gives the trick to a trump, even a two, over the ace of the suit led', () => {
    const trumpHands: [Card[], Card[], Card[], Card[]] = [
      ['K_hearts'],
      ['A_hearts'],
      ['2_spades'],
      ['3_hearts'],
    ];

    const result = playAll(tableState({ hands: trumpHands, hokm: 'spades' }), [
      ['p0', 'K_hearts'],
      ['p1', 'A_hearts'],
      ['p2', '2_spades'],
      ['p3', '3_hearts'],
    ]);

    expect(result.events.at(-1)).toMatchObject({ type: 'trick_won', winner: 'p2', tricks: [1, 0] });
  });

  it('gives the trick to the higher of two trumps', () => {
    const trumpHands: [Card[], Card[], Card[], Card[]] = [
      ['K_hearts'],
      ['5_spades'],
      ['A_hearts'],
      ['3_spades'],
    ];

    const result = playAll(tableState({ hands: trumpHands, hokm: 'spades' }), [
      ['p0', 'K_hearts'],
      ['p1', '5_spades'],
      ['p2', 'A_hearts'],
      ['p3', '3_spades'],
    ]);

    expect(result.events.at(-1)).toMatchObject({ type: 'trick_won', winner: 'p1', tricks: [0, 1] });
  });

  it('gives a trick led in trump to the highest trump', () => {
    const trumpHands: [Card[], Card[], Card[], Card[]] = [
      ['9_spades'],
      ['A_hearts'],
      ['Q_spades'],
      ['J_spades'],
    ];

    const result = playAll(tableState({ hands: trumpHands, hokm: 'spades', hakemSeat: 0 }), [
      ['p0', '9_spades'],
      ['p1', 'A_hearts'],
      ['p2', 'Q_spades'],
      ['p3', 'J_spades'],
    ]);

    expect(result.events.at(-1)).toMatchObject({ type: 'trick_won', winner: 'p2' });
    expect(result.state.match!.turn).toBe('p2');
  });
});

describe('end of a hand', () => {
  it('ends the hand at 7 tricks, discards unplayed cards, scores 1 and deals the next hand', () => {
    const { state, moves } = lastTrickTable(0, { tricks: [6, 2], hakemSeat: 0 });

    const result = playAll(state, moves);

    const m = result.state.match!;
    expect(result.events.map((e) => e.type)).toEqual([
      'card_played',
      'card_played',
      'card_played',
      'card_played',
      'trick_won',
      'hand_complete',
    ]);
    expect(result.events[4]).toMatchObject({ type: 'trick_won', winner: 'p0', tricks: [7, 2] });
    expect(result.events[5]).toEqual({
      type: 'hand_complete',
      handNumber: 1,
      winnerTeam: 0,
      points: 1,
      kot: false,
      scores: [1, 0],
      nextHakem: 'p0',
    });
    expect(result.state.phase).toBe('hokm_selection');
    expect(m.handNumber).toBe(2);
    expect(m.hakem).toBe('p0');
    expect(m.turn).toBe('p0');
    expect(m.hokm).toBeNull();
    expect(m.tricks).toEqual([0, 0]);
    expect(m.scores).toEqual([1, 0]);
    expect(m.lastTrick).toBeNull();
    expect(m.currentTrick).toEqual([]);
    expect(m.ledSuit).toBeNull();
    for (let s = 0; s < 4; s++) expect(m.hands[`p${s}`]).toHaveLength(5);
    expect(allCards(result.state)).toEqual(SORTED_DECK);
  });

  it('scores kot 2 when the hakem’s team shuts out the others; the hakem stays', () => {
    const { state, moves } = lastTrickTable(2, { tricks: [6, 0], hakemSeat: 0 });

    const result = playAll(state, moves);

    expect(result.events.at(-1)).toMatchObject({
      type: 'hand_complete',
      winnerTeam: 0,
      points: 2,
      kot: true,
      scores: [2, 0],
      nextHakem: 'p0',
    });
    expect(result.state.match!.hakem).toBe('p0');
  });

  it('scores kot 3 when the hakem’s own team takes no trick; hakem moves to the next seat', () => {
    const { state, moves } = lastTrickTable(0, { tricks: [6, 0], hakemSeat: 1 });

    const result = playAll(state, moves);

    expect(result.events.at(-1)).toMatchObject({
      type: 'hand_complete',
      winnerTeam: 0,
      points: 3,
      kot: true,
      scores: [3, 0],
      nextHakem: 'p2',
    });
    expect(result.state.match!.hakem).toBe('p2');
    expect(result.state.match!.turn).toBe('p2');
  });

  it('passes the hakem from seat 3 to seat 0 when seat 3’s team loses', () => {
    const { state, moves } = lastTrickTable(2, { tricks: [6, 4], hakemSeat: 3 });

    const result = playAll(state, moves);

    expect(result.events.at(-1)).toMatchObject({ points: 1, winnerTeam: 0, nextHakem: 'p0' });
    expect(result.state.match!.hakem).toBe('p0');
  });

  it('keeps the hakem when the hakem’s team wins, for team 1 too', () => {
    const { state, moves } = lastTrickTable(3, { tricks: [3, 6], hakemSeat: 1, scores: [2, 4] });

    const result = playAll(state, moves);

    expect(result.events.at(-1)).toMatchObject({
      winnerTeam: 1,
      points: 1,
      kot: false,
      scores: [2, 5],
      nextHakem: 'p1',
    });
  });

  it('ends the match at target 1 after the first hand', () => {
    const { state, moves } = lastTrickTable(0, { tricks: [6, 3], hakemSeat: 0, target: 1 });

    const result = playAll(state, moves);

    const m = result.state.match!;
    expect(result.events.slice(-2)).toEqual([
      {
        type: 'hand_complete',
        handNumber: 1,
        winnerTeam: 0,
        points: 1,
        kot: false,
        scores: [1, 0],
        nextHakem: null,
      },
      { type: 'game_over', winnerTeam: 0, scores: [1, 0] },
    ]);
    expect(result.state.phase).toBe('game_over');
    expect(m.winnerTeam).toBe(0);
    expect(m.turn).toBeNull();
    expect(Object.values(m.hands).flat()).toEqual([]);
    expect(m.deck).toEqual([]);
    expect(m.tricks).toEqual([7, 3]);
  });

  it('ends the match when a team reaches 7 at target 7, and not at 6', () => {
    const reaches = lastTrickTable(1, { tricks: [1, 6], hakemSeat: 1, scores: [3, 6] });
    const shortOf = lastTrickTable(1, { tricks: [1, 6], hakemSeat: 1, scores: [3, 5] });

    const over = playAll(reaches.state, reaches.moves);
    const goesOn = playAll(shortOf.state, shortOf.moves);

    expect(over.state.phase).toBe('game_over');
    expect(over.events.at(-1)).toEqual({ type: 'game_over', winnerTeam: 1, scores: [3, 7] });
    expect(goesOn.state.phase).toBe('hokm_selection');
    expect(goesOn.state.match!.scores).toEqual([3, 6]);
    expect(goesOn.events.some((e) => e.type === 'game_over')).toBe(false);
  });

  it('ends the match when a kot overshoots the target', () => {
    const { state, moves } = lastTrickTable(0, { tricks: [6, 0], hakemSeat: 1, scores: [6, 2] });

    const result = playAll(state, moves);

    expect(result.events.at(-1)).toEqual({ type: 'game_over', winnerTeam: 0, scores: [9, 2] });
  });

  it('answers WRONG_PHASE after game over, ROOM_FULL to a join, and still accepts leave', () => {
    const { state, moves } = lastTrickTable(0, { tricks: [6, 3], hakemSeat: 0, target: 1 });
    const over = playAll(state, moves).state;

    expectRefused(over, { type: 'play_card', playerId: 'p0', card: '2_clubs' }, 'WRONG_PHASE');
    expectRefused(over, { type: 'select_hokm', playerId: 'p0', suit: 'clubs' }, 'WRONG_PHASE');
    expectRefused(over, { type: 'join', playerId: 'p9', name: 'Late' }, 'ROOM_FULL');
    const left = act(over, { type: 'leave', playerId: 'p2' });
    expect(left.events).toEqual([{ type: 'player_left', playerId: 'p2' }]);
    expect(left.state.phase).toBe('game_over');
    expect(left.state.players[2]!.connected).toBe(false);
  });
});

describe('leave', () => {
  it('answers NOT_IN_ROOM to a stranger', () => {
    expectRefused(roomWith(2), { type: 'leave', playerId: 'ghost' }, 'NOT_IN_ROOM');
  });

  it('frees the seat while waiting', () => {
    const result = act(roomWith(3), { type: 'leave', playerId: 'p1' });

    expect(result.events).toEqual([{ type: 'player_left', playerId: 'p1' }]);
    expect(result.state.players.map((p) => p.playerId)).toEqual(['p0', 'p2']);
    expect(result.state.phase).toBe('waiting_for_players');
  });

  it.each([
    ['hokm_selection', () => roomWith(4)],
    ['gameplay', () => inGameplay()],
  ])('abandons the match for everyone during %s', (_phase, build) => {
    const state = build();
    const handsBefore = structuredClone(state.match!.hands);

    const result = act(state, { type: 'leave', playerId: 'p3' });

    expect(result.events).toEqual([
      { type: 'player_left', playerId: 'p3' },
      { type: 'abandoned', reason: 'player_left', playerId: 'p3' },
    ]);
    expect(result.state.phase).toBe('abandoned');
    expect(result.state.match!.turn).toBeNull();
    expect(result.state.match!.hands).toEqual(handsBefore);
    expect(result.state.players.find((p) => p.playerId === 'p3')!.connected).toBe(false);
    expectRefused(
      result.state,
      { type: 'play_card', playerId: 'p0', card: '2_clubs' },
      'WRONG_PHASE',
    );
    expectRefused(
      result.state,
      { type: 'select_hokm', playerId: 'p0', suit: 'clubs' },
      'WRONG_PHASE',
    );
  });

  it('keeps an abandoned room abandoned when more players leave', () => {
    const abandoned = act(roomWith(4), { type: 'leave', playerId: 'p3' }).state;

    const result = act(abandoned, { type: 'leave', playerId: 'p0' });

    expect(result.events).toEqual([{ type: 'player_left', playerId: 'p0' }]);
    expect(result.state.phase).toBe('abandoned');
    expect(
      result.state.players
        .filter((p) => !p.connected)
        .map((p) => p.playerId)
        .sort(),
    ).toEqual(['p0', 'p3']);
  });
});

describe('disconnect and reconnect', () => {
  it('marks the player and tells the table, in any phase', () => {
    for (const state of [roomWith(2), roomWith(4), inGameplay()]) {
      const off = act(state, { type: 'disconnect', playerId: 'p1' });
      const on = act(off.state, { type: 'reconnect', playerId: 'p1' });

      expect(off.events).toEqual([{ type: 'player_disconnected', playerId: 'p1' }]);
      expect(off.state.players.find((p) => p.playerId === 'p1')!.connected).toBe(false);
      expect(off.state.phase).toBe(state.phase);
      expect(on.events).toEqual([{ type: 'player_reconnected', playerId: 'p1' }]);
      expect(on.state).toEqual(state);
    }
  });

  it('succeeds silently when the player is already in that state', () => {
    const state = roomWith(4);
    const off = act(state, { type: 'disconnect', playerId: 'p1' }).state;

    const again = act(off, { type: 'disconnect', playerId: 'p1' });
    const already = act(state, { type: 'reconnect', playerId: 'p1' });

    expect(again.events).toEqual([]);
    expect(again.state).toBe(off);
    expect(already.events).toEqual([]);
    expect(already.state).toBe(state);
  });

  it('answers NOT_IN_ROOM to a stranger', () => {
    expectRefused(roomWith(4), { type: 'disconnect', playerId: 'ghost' }, 'NOT_IN_ROOM');
    expectRefused(roomWith(4), { type: 'reconnect', playerId: 'ghost' }, 'NOT_IN_ROOM');
  });

  it('refuses a reconnect with WRONG_PHASE once the match is over or abandoned', () => {
    const { state, moves } = lastTrickTable(0, { tricks: [6, 3], hakemSeat: 0, target: 1 });
    const over = act(playAll(state, moves).state, { type: 'disconnect', playerId: 'p1' }).state;
    const abandoned = act(roomWith(4), { type: 'leave', playerId: 'p3' }).state;

    expect(over.phase).toBe('game_over');
    expectRefused(over, { type: 'reconnect', playerId: 'p1' }, 'WRONG_PHASE');
    expectRefused(abandoned, { type: 'reconnect', playerId: 'p3' }, 'WRONG_PHASE');
    expectRefused(abandoned, { type: 'reconnect', playerId: 'p0' }, 'WRONG_PHASE');
  });
});

describe('grace_expired', () => {
  function disconnected(state: RoomState, playerId: string): RoomState {
    return act(state, { type: 'disconnect', playerId }).state;
  }

  it('does nothing when the player came back or is unknown (the timer lost a race)', () => {
    const state = inGameplay();

    const back = act(state, { type: 'grace_expired', playerId: 'p1' });
    const unknown = act(state, { type: 'grace_expired', playerId: 'ghost' });

    expect(back).toEqual({ ok: true, state, events: [] });
    expect(unknown).toEqual({ ok: true, state, events: [] });
  });

  it('frees the seat while waiting, like a leave', () => {
    const result = act(disconnected(roomWith(3), 'p0'), { type: 'grace_expired', playerId: 'p0' });

    expect(result.events).toEqual([{ type: 'player_left', playerId: 'p0' }]);
    expect(result.state.players.map((p) => p.playerId)).toEqual(['p1', 'p2']);
    expect(result.state.hostId).toBe('p1');
  });

  it.each([
    ['hokm_selection', () => roomWith(4)],
    ['gameplay', () => inGameplay()],
  ])('abandons the match during %s', (_phase, build) => {
    const result = act(disconnected(build(), 'p2'), { type: 'grace_expired', playerId: 'p2' });

    expect(result.events).toEqual([{ type: 'abandoned', reason: 'grace_expired', playerId: 'p2' }]);
    expect(result.state.phase).toBe('abandoned');
    expect(result.state.match!.turn).toBeNull();
  });

  it('changes nothing after the match ended', () => {
    const { state, moves } = lastTrickTable(0, { tricks: [6, 3], hakemSeat: 0, target: 1 });
    const over = disconnected(playAll(state, moves).state, 'p1');
    const abandoned = disconnected(act(roomWith(4), { type: 'leave', playerId: 'p3' }).state, 'p1');

    for (const ended of [over, abandoned]) {
      const result = act(ended, { type: 'grace_expired', playerId: 'p1' });
      expect(result.events).toEqual([]);
      expect(result.state).toEqual(ended);
    }
  });
});

describe('legalCards', () => {
  it('is empty outside gameplay or off turn', () => {
    const started = roomWith(4);

    expect(legalCards(roomWith(2), 'p0')).toEqual([]);
    expect(legalCards(started, started.match!.hakem)).toEqual([]);
    expect(legalCards(inGameplay(), 'ghost')).toEqual([]);
  });
});

describe('randomness', () => {
  it('deals the same game from the same seed and a different one from another seed', () => {
    const a = roomWith(4, seededRng(11));
    const b = roomWith(4, seededRng(11));
    const c = roomWith(4, seededRng(12));

    expect(a).toEqual(b);
    expect(a.match!.deck).not.toEqual(c.match!.deck);
    expect(FULL_DECK).toHaveLength(52);
  });
});

describe('a seat moved to another connection', () => {
  it('refuses the replaced connection with NOT_IN_ROOM and lets the new one act', () => {
    // Arrange: the hakem's seat moves from connection "old" to connection "new".
    const started = roomWith(4);
    const hakem = started.match!.turn!;
    const onOld = act(started, { type: 'reconnect', playerId: hakem, connectionId: 'old' }).state;
    const onNew = act(onOld, { type: 'reconnect', playerId: hakem, connectionId: 'new' }).state;

    // Act + assert: the old connection changes nothing; the new one names the hokm.
    expectRefused(
      onNew,
      { type: 'select_hokm', playerId: hakem, suit: 'spades', connectionId: 'old' },
      'NOT_IN_ROOM',
    );
    const chosen = act(onNew, {
      type: 'select_hokm',
      playerId: hakem,
      suit: 'spades',
      connectionId: 'new',
    });
    expect(chosen.state.match!.hokm).toBe('spades');
  });
});
