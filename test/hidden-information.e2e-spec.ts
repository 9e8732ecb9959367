// Hidden information, checked on everything players and spectators receive: every push, every
// ack (errors included) and every raw frame, over whole matches with reconnects, takeovers and
// refusals.
import type { Card } from '../src/protocol/hokm-protocol';
import { GameApp, startGameApp } from './support/game-app';
import {
  GameClient,
  legalCards,
  MessageRecorder,
  offSuitCards,
  playUntil,
  playUntilTurn,
  seatTable,
} from './support/game-client';
import { cardsIn, findLeaks } from './support/hidden-information';

jest.setTimeout(30_000);

const NAMES = ['Dara', 'Bahar', 'Cyrus', 'Mina'];

describe('hidden information', () => {
  let app: GameApp;
  const open: GameClient[] = [];

  beforeAll(async () => {
    app = await startGameApp();
  });

  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });

  afterAll(async () => {
    await app?.close();
  });

  async function connect(recorder: MessageRecorder): Promise<GameClient> {
    const client = await GameClient.connect(app.url, { recorder });
    open.push(client);
    return client;
  }

  async function seat(recorders: MessageRecorder[], targetScore: number) {
    const table = await seatTable(app.url, { targetScore, recorders, names: NAMES });
    open.push(...table.clients);
    return table;
  }

  it('the check itself reports a planted card of another hand, an undealt card and a token', async () => {
    const recorders = NAMES.map((name) => new MessageRecorder(name));
    const { clients, started } = await seat(recorders, 1);
    expect(findLeaks(recorders)).toEqual([]);
    const [dara, bahar] = clients as [GameClient, GameClient];
    const darasCard = started[0]!.you.hand[0]!;
    const dealt = new Set(started.flatMap((v) => v.you.hand));
    const undealt = ['A', 'K', 'Q', 'J', '10']
      .flatMap((rank) => ['hearts', 'spades'].map((suit) => `${rank}_${suit}`))
      .find((card) => !dealt.has(card))!;
    const version = started[1]!.version;

    bahar.recorder.record({
      socketIndex: 0,
      kind: 'push',
      event: 'card_played',
      payload: { playerId: dara.seat!.playerId, card: darasCard, version },
    });
    bahar.recorder.record({
      socketIndex: 0,
      kind: 'push',
      event: 'player_joined',
      payload: { name: `x ${undealt}`, version },
    });
    bahar.recorder.frames.push(`42/game,["oops",{"t":"${dara.seat!.sessionToken}"}]`);

    const leaks = findLeaks(recorders);
    expect(leaks).toEqual([
      expect.stringMatching(new RegExp(`^Bahar .* holds ${darasCard}, in Dara's hand$`)),
      expect.stringMatching(new RegExp(`^Bahar .* holds ${undealt}, not theirs nor played`)),
      expect.stringMatching(/^Bahar raw frame \d+ holds Dara's token$/),
    ]);
  });

  it('a whole target-7 match with refusals, a dropped player coming back and a takeover by a second tab leaks nothing', async () => {
    const recorders = NAMES.map((name) => new MessageRecorder(name));
    const { clients: seated, started } = await seat(recorders, 7);
    let clients = [...seated];
    const hakem = clients.find((c) => c.seat!.playerId === started[0]!.hakem)!;
    const idle = clients.find((c) => c !== hakem)!;
    const handOf = (c: GameClient): Card[] => c.state!.you.hand;

    // Refusals that name other players' cards (the caller's own input, echoed at most).
    for (const client of clients) expect((await client.request('get_state', {})).ok).toBe(true);
    expect(await idle.request('play_card', { card: handOf(hakem)[0]! })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PHASE' },
    });
    expect(await hakem.request('play_card', { card: handOf(idle)[0]! })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PHASE' },
    });

    const { mover, view } = await playUntilTurn(clients, (v) => offSuitCards(v).length > 0);
    const other = clients.find((c) => c !== mover)!;
    for (const [client, card, code] of [
      [mover, handOf(other)[0]!, 'CARD_NOT_IN_HAND'],
      [mover, offSuitCards(view)[0]!, 'MUST_FOLLOW_SUIT'],
      [other, handOf(other)[0]!, 'NOT_YOUR_TURN'],
      [other, legalCards(view)[0]!, 'NOT_YOUR_TURN'],
    ] as const) {
      expect(await client.request('play_card', { card })).toMatchObject({
        ok: false,
        error: { code },
      });
    }

    // A player drops mid-hand and comes back on a new socket (same recorder: same player).
    const dropped = clients[1]!;
    dropped.close();
    await clients[0]!.waitForPush('player_disconnected');
    const back = await connect(dropped.recorder);
    expect((await back.request('reconnect', { sessionToken: dropped.seat!.sessionToken })).ok).toBe(
      true,
    );
    clients = clients.map((c) => (c === dropped ? back : c));
    await playUntil(clients, (s) => s.handNumber >= 2);

    // Another takes their seat over from a second tab.
    const first = clients[2]!;
    const tab = await connect(first.recorder);
    expect((await tab.request('reconnect', { sessionToken: first.seat!.sessionToken })).ok).toBe(
      true,
    );
    await first.waitForDisconnect();
    clients = clients.map((c) => (c === first ? tab : c));
    // A stranger's attempts on the room are refused without showing it.
    const stranger = await connect(new MessageRecorder('stranger'));
    expect((await stranger.request('get_state', {})).ok).toBe(false);
    expect((await stranger.request('reconnect', { sessionToken: 'x'.repeat(43) })).ok).toBe(false);

    const final = await playUntil(clients, (s) => s.phase === 'game_over');
    for (const client of clients) expect((await client.request('get_state', {})).ok).toBe(true);

    expect(final.handNumber).toBeGreaterThanOrEqual(2);
    expect(findLeaks([...recorders, stranger.recorder])).toEqual([]);
    // The check had something to check: hands were seen and cards were played.
    expect(recorders.every((r) => r.pushes('state').some((s) => s.you!.hand.length === 13))).toBe(
      true,
    );
    expect(recorders[0]!.pushes('card_played').length).toBeGreaterThan(20);
  });

  it('an abandoned match keeps the hands, and shows none of them to the players left', async () => {
    const recorders = NAMES.map((name) => new MessageRecorder(name));
    const { clients } = await seat(recorders, 7);
    await playUntil(clients, (s) => s.phase === 'gameplay' && s.currentTrick.length === 2);
    const [leaver, ...stayers] = clients as [GameClient, ...GameClient[]];

    await leaver.ok('leave', {});

    for (const stayer of stayers) {
      await stayer.waitForState((s) => s.phase === 'abandoned');
      const view = await stayer.ok('get_state', {});
      expect(view.you!.hand.length).toBeGreaterThan(0);
      expect(view.players.filter((p) => p.cardCount > 0).length).toBeGreaterThan(1);
      expect(await stayer.request('play_card', { card: view.you!.hand[0]! })).toMatchObject({
        ok: false,
      });
    }
    expect(findLeaks(recorders)).toEqual([]);
  });

  it('a person playing with three bots never receives a bot card before it is played', async () => {
    const recorder = new MessageRecorder('Solo');
    const solo = await connect(recorder);
    await solo.ok('create_room', { name: 'Solo', targetScore: 3 });
    await solo.ok('add_bots', {});

    const final = await playUntil([solo], (s) => s.phase === 'game_over', { timeoutMs: 20_000 });

    expect(final.winnerTeam).not.toBeNull();
    expect(findLeaks([recorder])).toEqual([]);
    // Bots' cards did reach the player once played.
    expect(cardsIn(recorder.pushes('card_played')).length).toBeGreaterThan(20);
  });

  it('players who move the instant it is their turn are told nothing more', async () => {
    const recorders = NAMES.map((name) => new MessageRecorder(name));
    const { clients } = await seat(recorders, 1);

    // Autoplay: everyone moves the instant it is their turn, pushes overlapping with acks.
    for (const client of clients) client.autoplay();
    await Promise.all(clients.map((c) => c.waitForState((s) => s.phase === 'game_over')));
    for (const client of clients) client.autoplay(false);

    expect(clients.flatMap((c) => c.autoplayErrors)).toEqual([]);
    expect(findLeaks(recorders)).toEqual([]);
  });

  it('spectators of a whole match with refusals, a dropped player coming back and a takeover see no card in hand', async () => {
    const recorders = NAMES.map((name) => new MessageRecorder(name));
    const { clients: seated, roomCode } = await seat(recorders, 3);
    let clients = [...seated];
    const early = await connect(new MessageRecorder('early spectator'));
    await early.ok('watch', { roomCode });
    const handOf = (c: GameClient): Card[] => c.state!.you.hand;

    // A spectator's refusals name cards in hand and a player's token: nothing comes back.
    const [dara] = clients as [GameClient];
    for (const [event, payload] of [
      ['play_card', { card: handOf(dara)[0]! }],
      ['select_hokm', { suit: 'hearts' }],
      ['reconnect', { sessionToken: dara.seat!.sessionToken }],
      ['join', { roomCode, name: handOf(dara)[1]! }],
      ['watch', { roomCode }],
    ] as const) {
      expect((await early.send(event, payload)).ok).toBe(false);
    }
    expect((await early.ok('get_state', {})).you).toBeNull();

    await playUntil(clients, (s) => s.phase === 'gameplay' && s.currentTrick.length === 2);
    const mid = await connect(new MessageRecorder('mid-hand spectator'));
    await mid.ok('watch', { roomCode });
    // A player drops mid-hand and comes back on a new socket; another takes over from a tab.
    const dropped = clients[1]!;
    dropped.close();
    await early.waitForPush('player_disconnected');
    const back = await connect(dropped.recorder);
    await back.ok('reconnect', { sessionToken: dropped.seat!.sessionToken });
    clients = clients.map((c) => (c === dropped ? back : c));
    const first = clients[2]!;
    const tab = await connect(first.recorder);
    await tab.ok('reconnect', { sessionToken: first.seat!.sessionToken });
    await first.waitForDisconnect();
    clients = clients.map((c) => (c === first ? tab : c));
    // A spectator leaves and comes back to watch.
    await mid.ok('leave', {});
    await mid.ok('watch', { roomCode });

    const final = await playUntil(clients, (s) => s.phase === 'game_over');
    for (const spectator of [early, mid]) {
      await spectator.waitForPush('state', (v) => v.version === final.version);
      expect((await spectator.ok('get_state', {})).you).toBeNull();
    }

    expect(findLeaks([...recorders, early.recorder, mid.recorder])).toEqual([]);
    // The check had something to check: spectators saw cards played, and views without a hand.
    expect(early.recorder.pushes('card_played').length).toBeGreaterThan(20);
    expect(early.recorder.pushes('state').every((v) => v.you === null)).toBe(true);
    expect(mid.recorder.pushes('state').length).toBeGreaterThan(10);
  });

  it('the check itself reports a card in hand planted in what a spectator received', async () => {
    const recorders = NAMES.map((name) => new MessageRecorder(name));
    const { clients, roomCode, started } = await seat(recorders, 1);
    const spectator = await connect(new MessageRecorder('spectator'));
    await spectator.ok('watch', { roomCode });
    const view = await spectator.ok('get_state', {});
    expect(findLeaks([...recorders, spectator.recorder])).toEqual([]);
    const card = started[0]!.you.hand[0]!;

    spectator.recorder.record({
      socketIndex: 0,
      kind: 'push',
      event: 'state',
      payload: { ...view, currentTrick: [{ playerId: clients[1]!.seat!.playerId, card }] },
    });

    expect(findLeaks([...recorders, spectator.recorder])).toEqual([
      expect.stringMatching(new RegExp(`^spectator .* holds ${card}, in Dara's hand$`)),
    ]);
  });
});
