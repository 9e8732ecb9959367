// Hokm as players live it: four socket.io-client players against the real app on a real Redis
// (one Redis and a Redis Cluster: the e2e matrix), under both store providers. Every refusal is
// answered with its code and changes nothing. Redis going away: store-outage.e2e-spec.ts.
import type {
  Ack,
  Card,
  ErrorCode,
  SeatedGameView,
  PushEvent,
  RequestEvent,
} from '../src/protocol/hokm-protocol';
import { GameApp, startGameApp } from './support/game-app';
import {
  GameClient,
  legalCards,
  MessageRecorder,
  newestState,
  offSuitCards,
  playUntil,
  playUntilTurn,
  seatTable,
  type Table,
} from './support/game-client';
import { REDIS_TARGET } from './support/redis-target';

// Matches here are quick, but a loaded 2-core machine may be slow.
jest.setTimeout(30_000);

const PROVIDERS = ['async', 'hybrid'] as const;
const SUITS = ['hearts', 'diamonds', 'clubs', 'spades'] as const;
const RANKS = ['2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K', 'A'];
const FULL_DECK: Card[] = SUITS.flatMap((suit) => RANKS.map((rank) => `${rank}_${suit}`));
const TERMINAL = ['game_over', 'abandoned'];

/** Every client a test opens, closed after it. */
const open: GameClient[] = [];
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});

async function connect(app: GameApp, recorder?: MessageRecorder): Promise<GameClient> {
  const client = await GameClient.connect(app.url, recorder ? { recorder } : {});
  open.push(client);
  return client;
}

async function table(app: GameApp, options: Parameters<typeof seatTable>[1] = {}): Promise<Table> {
  const seated = await seatTable(app.url, options);
  open.push(...seated.clients);
  return seated;
}

/** A room with `count` seated players (waiting), the first one its host. */
async function waitingRoom(app: GameApp, count: number): Promise<GameClient[]> {
  const host = await connect(app, new MessageRecorder('host'));
  const { roomCode } = await host.ok('create_room', { name: 'Host' });
  const players = [host];
  for (let i = 1; i < count; i++) {
    const player = await connect(app, new MessageRecorder(`guest${i}`));
    await player.ok('join', { roomCode, name: `Guest ${i}` });
    players.push(player);
  }
  return players;
}

const me = (client: GameClient): string => client.seat!.playerId;
const playerIn = (view: SeatedGameView, playerId: string) =>
  view.players.find((p) => p.playerId === playerId);

/**
 * Sends a request that must be refused with `code`, and checks that the room, as `observer`
 * sees it with get_state, is exactly as it was (same version, same view).
 */
async function expectRefused(
  client: GameClient,
  event: string,
  payload: unknown,
  code: ErrorCode,
  observer: GameClient | null = client.seat ? client : null,
): Promise<void> {
  const before = observer ? await observer.ok('get_state', {}) : null;
  const ack = await client.send(event, payload);
  expect({ event, payload, ack }).toEqual({
    event,
    payload,
    ack: { ok: false, error: { code, message: expect.stringMatching(/\S/) } },
  });
  if (observer) expect(await observer.ok('get_state', {})).toEqual(before);
}

const VIEW_KEYS = [
  'roomCode',
  'version',
  'phase',
  'targetScore',
  'players',
  'you',
  'hakem',
  'hokm',
  'turn',
  'ledSuit',
  'currentTrick',
  'lastTrick',
  'tricks',
  'scores',
  'handNumber',
  'winnerTeam',
  'hostId',
  'matchId',
  'visibility',
  'spectators',
  'turnDeadline',
  'turnRemainingMs',
];
/** The fields of every push, as src/protocol/hokm-protocol.ts declares them. */
const PUSH_KEYS = {
  state: VIEW_KEYS,
  session_replaced: ['message', 'version'],
  server_shutdown: ['message'],
  player_joined: ['playerId', 'name', 'seat', 'version'],
  player_left: ['playerId', 'version'],
  player_disconnected: ['playerId', 'version'],
  player_reconnected: ['playerId', 'version'],
  hokm_selected: ['playerId', 'suit', 'version'],
  card_played: ['playerId', 'card', 'version'],
  trick_won: ['winner', 'cards', 'tricks', 'version'],
  hand_complete: ['handNumber', 'winnerTeam', 'points', 'kot', 'scores', 'nextHakem', 'version'],
  game_over: ['winnerTeam', 'scores', 'version'],
  abandoned: ['reason', 'playerId', 'version'],
  match_started: ['hakem', 'version'],
  turn_timeout: ['playerId', 'version'],
  player_resumed: ['playerId', 'version'],
} satisfies Record<PushEvent, string[]>;
const AUTO_EVENTS = new Set(['hokm_selected', 'card_played']);
/** The `data` of every successful ack. */
const ACK_KEYS = {
  create_room: ['roomCode', 'playerId', 'sessionToken', 'seat'],
  join: ['roomCode', 'playerId', 'sessionToken', 'seat'],
  reconnect: ['roomCode', 'playerId', 'seat'],
  leave: [],
  select_hokm: [],
  play_card: [],
  get_state: VIEW_KEYS,
  add_bots: ['added'],
  watch: ['roomCode'],
  resume: [],
  quick_match: ['roomCode', 'playerId', 'sessionToken', 'seat'],
  list_rooms: ['rooms'],
} satisfies Record<RequestEvent, string[]>;

const sameKeys = (value: unknown, keys: readonly string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  JSON.stringify(Object.keys(value).sort()) === JSON.stringify([...keys].sort());

/** Messages whose fields differ from what the published types say. */
function shapeProblems(recorder: MessageRecorder): string[] {
  const problems: string[] = [];
  const viewProblems = (view: SeatedGameView): string[] => [
    ...(sameKeys(view.you, ['playerId', 'seat', 'team', 'hand']) ? [] : ['you']),
    ...view.players
      .filter((p) => {
        const keys = ['playerId', 'name', 'seat', 'team', 'connected', 'cardCount', 'away'];
        return !sameKeys(p, p.bot === true ? [...keys, 'bot'] : keys);
      })
      .map((p) => `players[${p.seat}]`),
  ];
  for (const m of recorder.messages) {
    const where = `${recorder.label} #${m.seq} ${m.kind} ${m.event}`;
    if (m.kind === 'push') {
      const keys = PUSH_KEYS[m.event as PushEvent] as string[] | undefined;
      if (!keys) problems.push(`${where}: not a push of the protocol`);
      // The clock's moves carry `auto: true` (hokm_selected, card_played only).
      else if (
        !sameKeys(m.payload, keys) &&
        !(AUTO_EVENTS.has(m.event) && sameKeys(m.payload, [...keys, 'auto']))
      )
        problems.push(`${where}: ${JSON.stringify(m.payload)}`);
      else if (m.event === 'state') problems.push(...viewProblems(m.payload as SeatedGameView));
      continue;
    }
    const ack = m.payload as Ack<unknown>;
    if (!ack.ok) {
      if (!sameKeys(ack, ['ok', 'error']) || !sameKeys(ack.error, ['code', 'message'])) {
        problems.push(`${where}: ${JSON.stringify(ack)}`);
      }
      continue;
    }
    const keys = ACK_KEYS[m.event as RequestEvent] as string[] | undefined;
    if (!keys || !sameKeys(ack, ['ok', 'data']) || !sameKeys(ack.data, keys)) {
      problems.push(`${where}: ${JSON.stringify(ack).slice(0, 200)}`);
    } else if (m.event === 'get_state') {
      problems.push(...viewProblems(ack.data as SeatedGameView).map((p) => `${where}: ${p}`));
    }
  }
  return problems;
}

/** Everything wrong with what one player received: versions, and shapes against the types. */
function messageProblems(recorder: MessageRecorder): string[] {
  return [...versionProblems(recorder), ...shapeProblems(recorder)];
}

/** Problems with the versions of one player's pushes: present, never lower, states rising. */
function versionProblems(recorder: MessageRecorder): string[] {
  const problems: string[] = [];
  const bySocket = new Map<number, { last: number; lastState: number }>();
  for (const m of recorder.messages) {
    // server_shutdown is about the server, not a room: it has no room version.
    if (m.kind !== 'push' || m.event === 'server_shutdown') continue;
    const seen = bySocket.get(m.socketIndex) ?? { last: 0, lastState: 0 };
    bySocket.set(m.socketIndex, seen);
    const version = (m.payload as { version?: unknown } | null)?.version;
    if (typeof version !== 'number') {
      problems.push(`${recorder.label} #${m.seq} ${m.event} has no version`);
      continue;
    }
    if (version < seen.last) {
      problems.push(`${recorder.label} #${m.seq} ${m.event} v${version} after v${seen.last}`);
    }
    if (m.event === 'state' && version <= seen.lastState) {
      problems.push(`${recorder.label} #${m.seq} state v${version} after state v${seen.lastState}`);
    }
    if (m.event === 'state') seen.lastState = version;
    seen.last = Math.max(seen.last, version);
  }
  return problems;
}

function expectFinished(views: SeatedGameView[], targetScore: number): void {
  const [first] = views;
  for (const view of views) {
    expect(view).toMatchObject({
      phase: 'game_over',
      turn: null,
      targetScore,
      version: first!.version,
      scores: first!.scores,
      winnerTeam: first!.winnerTeam,
    });
    expect(view.you.hand).toEqual([]);
    expect(view.players.map((p) => p.cardCount)).toEqual([0, 0, 0, 0]);
  }
  const winner = first!.winnerTeam!;
  expect([0, 1]).toContain(winner);
  expect(first!.scores[winner]).toBeGreaterThanOrEqual(targetScore);
  expect(first!.scores[winner === 0 ? 1 : 0]).toBeLessThan(targetScore);
}

describe.each(PROVIDERS)('Hokm over Socket.IO (REDIS_PROVIDER=%s)', (provider) => {
  let app: GameApp;

  beforeAll(async () => {
    app = await startGameApp({ REDIS_PROVIDER: provider });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('a whole match', () => {
    it.each([1, 7])(
      'four players play a target-%i match to game_over; everyone sees the same result',
      async (targetScore) => {
        const { clients, started } = await table(app, { targetScore });
        // Seats are reshuffled at the start: four distinct seats, teams by seat, one hakem.
        expect(started[0]!.players.map((p) => p.seat)).toEqual([0, 1, 2, 3]);
        expect(started[0]!.players.map((p) => p.team)).toEqual([0, 1, 0, 1]);
        expect(started.every((v) => v.you.hand.length === 5)).toBe(true);
        expect(started.every((v) => v.turn === v.hakem && v.handNumber === 1)).toBe(true);

        await playUntil(clients, (s) => s.phase === 'game_over');

        const finals = await Promise.all(
          clients.map((c) => c.waitForState((s) => s.phase === 'game_over')),
        );
        expectFinished(finals, targetScore);
        const final = finals[0]!;
        for (const client of clients) {
          expect(client.pushes('game_over')).toEqual([
            { winnerTeam: final.winnerTeam, scores: final.scores, version: final.version },
          ]);
          // Every hand's points add up to the final score.
          const hands = client.pushes('hand_complete');
          expect(hands.map((h) => h.handNumber)).toEqual(hands.map((_, i) => i + 1));
          expect(hands).toHaveLength(final.handNumber);
          const points: [number, number] = [0, 0];
          for (const hand of hands) points[hand.winnerTeam] += hand.points;
          expect(points).toEqual(final.scores);
          expect(messageProblems(client.recorder)).toEqual([]);
          expect(await client.ok('get_state', {})).toEqual(
            await clients[0]!.ok('get_state', {}).then((v) => ({ ...v, you: client.state!.you })),
          );
        }
      },
    );

    it('a player who drops mid-hand comes back with `reconnect` on a new socket and the match goes on to the end', async () => {
      const { clients, roomCode } = await table(app, { targetScore: 1 });
      await playUntil(clients, (s) => s.phase === 'gameplay' && s.currentTrick.length === 2);
      const dropped = clients[1]!;
      const { playerId, sessionToken } = dropped.seat!;
      const handBefore = dropped.state!.you.hand;
      const others = clients.filter((c) => c !== dropped);

      dropped.close();
      for (const other of others) {
        await other.waitForPush('player_disconnected', (p) => p.playerId === playerId);
        await other.waitForState((s) => playerIn(s, playerId)?.connected === false);
      }

      const back = await connect(app, dropped.recorder);
      const ack = await back.request('reconnect', { sessionToken });
      const view = await back.waitForState(() => true);

      expect(ack).toEqual({ ok: true, data: { roomCode, playerId, seat: view.you.seat } });
      expect(view.you.hand).toEqual(handBefore);
      expect(view.currentTrick).toHaveLength(2);
      expect(playerIn(view, playerId)?.connected).toBe(true);
      for (const other of others) {
        await other.waitForPush('player_reconnected', (p) => p.playerId === playerId);
        await other.waitForState((s) => playerIn(s, playerId)?.connected === true);
      }

      const table2 = clients.map((c) => (c === dropped ? back : c));
      await playUntil(table2, (s) => s.phase === 'game_over');
      const finals = await Promise.all(
        table2.map((c) => c.waitForState((s) => s.phase === 'game_over')),
      );
      expectFinished(finals, 1);
      for (const client of table2) expect(messageProblems(client.recorder)).toEqual([]);
    });

    it('`reconnect` while the old socket is still connected: the old one gets session_replaced and is dropped, the new one plays on, nobody sees the seat disconnected', async () => {
      const { clients } = await table(app, { targetScore: 1 });
      await playUntil(clients, (s) => s.phase === 'gameplay' && s.currentTrick.length === 1);
      const old = clients[2]!;
      const { playerId, sessionToken } = old.seat!;
      const others = clients.filter((c) => c !== old);
      const handBefore = old.state!.you.hand;

      const tab = await connect(app, old.recorder);
      const ack = await tab.request('reconnect', { sessionToken });

      expect(ack.ok).toBe(true);
      const replaced = await old.waitForPush('session_replaced');
      expect(replaced).toEqual({
        message: expect.stringMatching(/\S/),
        version: expect.any(Number),
      });
      await old.waitForDisconnect();
      expect((await tab.waitForState(() => true)).you.hand).toEqual(handBefore);

      const table2 = clients.map((c) => (c === old ? tab : c));
      await playUntil(table2, (s) => s.phase === 'game_over');
      await Promise.all(table2.map((c) => c.waitForState((s) => s.phase === 'game_over')));

      for (const other of others) {
        expect(other.pushes('player_disconnected')).toEqual([]);
        const seen = other.states.map((s) => playerIn(s, playerId)).filter((p) => p !== undefined);
        expect(seen.filter((p) => !p.connected)).toEqual([]);
      }
      expect((await tab.ok('get_state', {})).players.every((p) => p.connected)).toBe(true);
      for (const client of table2) expect(messageProblems(client.recorder)).toEqual([]);
    });

    it('moves racing a reconnect: no player ever sees the room go back to an older version', async () => {
      const { clients } = await table(app, { targetScore: 7 });
      await playUntil(clients, (s) => s.phase === 'gameplay');
      let players = clients;
      for (let round = 0; round < 12; round++) {
        const newest = newestState(players);
        const mover = players.find((c) => me(c) === newest.turn)!;
        const dropper = players.find((c) => c !== mover)!;
        const { playerId, sessionToken } = dropper.seat!;
        const others = players.filter((c) => c !== dropper);
        dropper.close();
        await Promise.all(
          others.map((c) => c.waitForState((s) => playerIn(s, playerId)?.connected === false)),
        );
        const view = await mover.waitForState((s) => s.turn === me(mover));
        const back = await connect(app, dropper.recorder);

        // The move lands at a different point of the reconnect's work each round.
        const reconnected = back.request('reconnect', { sessionToken });
        await new Promise((resolve) => setTimeout(resolve, round % 4));
        const moved = mover.move(view);

        expect((await reconnected).ok).toBe(true);
        expect((await moved)?.ok).toBe(true);
        players = players.map((c) => (c === dropper ? back : c));
        // A player left behind on an older state would wait here forever.
        const bothLanded = (s: SeatedGameView) => s.version > view.version + 1;
        const what = 'the state after both the reconnect and the move';
        await Promise.all(players.map((c) => c.waitForState(bothLanded, { what })));
        if (newestState(players).phase !== 'gameplay') break;
      }
      for (const client of players) expect(messageProblems(client.recorder)).toEqual([]);
    });

    it('add_bots fills only the free seats, and the last one starts the match', async () => {
      const [host] = await waitingRoom(app, 2);

      expect(await host!.ok('add_bots', { count: 3 })).toEqual({ added: 2 });

      // Bots move at once: by now the bot hakem may already have named the hokm.
      const view = await host!.waitForState((s) => s.phase !== 'waiting_for_players');
      expect(view.players.filter((p) => p.bot === true)).toHaveLength(2);
      // (The bots are playing: the room moves on by itself, so only the answer is checked.)
      await expectCode(host!.request('add_bots', { count: 1 }), 'WRONG_PHASE');
      expect((await host!.ok('get_state', {})).players).toHaveLength(4);
    });

    it('a person plays against three bots the host added, to game_over', async () => {
      const host = await connect(app);
      await host.ok('create_room', { name: 'Solo', targetScore: 1 });

      expect(await host.ok('add_bots', {})).toEqual({ added: 3 });

      const view = await host.waitForState((s) => s.phase !== 'waiting_for_players');
      expect(view.players.filter((p) => p.bot === true)).toHaveLength(3);
      expect(playerIn(view, me(host))?.bot).toBeUndefined();
      const final = await playUntil([host], (s) => s.phase === 'game_over', { timeoutMs: 20_000 });
      expect(final.winnerTeam).not.toBeNull();
      expect(messageProblems(host.recorder)).toEqual([]);
    });
  });

  describe('requests', () => {
    it('a request without an ack callback is still carried out', async () => {
      const quiet = await connect(app);
      quiet.emitWithoutAck('create_room', { name: 'Quiet' });
      const created = await quiet.waitForState((s) => s.phase === 'waiting_for_players');
      expect(created.players.map((p) => p.name)).toEqual(['Quiet']);

      const { clients } = await table(app, { targetScore: 1 });
      await playUntil(clients, (s) => s.phase === 'gameplay');
      const newest = newestState(clients);
      const mover = clients.find((c) => me(c) === newest.turn)!;
      const view = await mover.waitForState((s) => s.version === newest.version);
      const card = legalCards(view)[0]!;

      mover.emitWithoutAck('play_card', { card });

      for (const client of clients) {
        await client.waitForPush('card_played', (p) => p.card === card && p.playerId === me(mover));
        const after = await client.waitForState((s) => s.version === newest.version + 1);
        expect(after.currentTrick).toEqual([{ playerId: me(mover), card }]);
      }
    });

    it('accepts a lower-case room code', async () => {
      const [host] = await waitingRoom(app, 1);
      const guest = await connect(app);

      const joined = await guest.ok('join', {
        roomCode: host!.seat!.roomCode.toLowerCase(),
        name: 'Lower',
      });

      expect(joined.roomCode).toBe(host!.seat!.roomCode);
      expect((await host!.waitForState((s) => s.players.length === 2)).players[1]!.name).toBe(
        'Lower',
      );
    });

    it('names are trimmed, 1 to 20 code points, without control characters', async () => {
      const [host] = await waitingRoom(app, 1);
      const roomCode = host!.seat!.roomCode;
      const accepted: Array<[string, string]> = [
        ['  Ali  ', 'Ali'],
        ['\tShirin\n', 'Shirin'],
        ['x'.repeat(20), 'x'.repeat(20)],
        ['😀'.repeat(20), '😀'.repeat(20)],
      ];
      for (const [sent, shown] of accepted) {
        const creator = await connect(app);
        await creator.ok('create_room', { name: sent });
        expect((await creator.waitForState(() => true)).players[0]!.name).toBe(shown);
      }
      const refused = ['', '   ', 'x'.repeat(21), '😀'.repeat(21), 'a\u0000b', 'a\nb', 'a\tb'];
      for (const name of [...refused, 'a\u007fb', 'a\u0085b', 'a\u009bb']) {
        const guest = await connect(app);
        await expectRefused(guest, 'join', { roomCode, name }, 'INVALID_PAYLOAD', host);
        await expectRefused(guest, 'create_room', { name }, 'INVALID_PAYLOAD', host);
        // Nothing was created or joined: the socket still holds no seat.
        await expectRefused(guest, 'get_state', {}, 'NOT_IN_ROOM', host);
      }
      const guest = await connect(app);
      await guest.ok('join', { roomCode, name: ' علی ' });
      expect((await host!.waitForState((s) => s.players.length === 2)).players[1]!.name).toBe(
        'علی',
      );
    });

    it('leaving before the match frees the seat for someone else, and the token no longer works', async () => {
      const [host, leaver, third] = await waitingRoom(app, 3);
      const { playerId, sessionToken, seat, roomCode } = leaver!.seat!;

      expect(await leaver!.ok('leave', {})).toEqual({});

      for (const stayer of [host!, third!]) {
        await stayer.waitForPush('player_left', (p) => p.playerId === playerId);
        const view = await stayer.waitForState((s) => s.players.length === 2);
        expect(playerIn(view, playerId)).toBeUndefined();
      }
      await expectRefused(leaver!, 'reconnect', { sessionToken }, 'INVALID_SESSION', host);
      await expectRefused(leaver!, 'get_state', {}, 'NOT_IN_ROOM', host);

      const late = await connect(app);
      const joined = await late.ok('join', { roomCode, name: 'Late' });
      expect(joined.seat).toBe(seat);
      const last = await connect(app);
      await last.ok('join', { roomCode, name: 'Last' });
      const started = await host!.waitForState((s) => s.phase === 'hokm_selection');
      expect(started.players.map((p) => p.playerId).sort()).toEqual(
        [me(host!), me(third!), me(late), me(last)].sort(),
      );
    });

    it('the host leaving passes the host role to the next person, who may add bots', async () => {
      const [host, second, third] = await waitingRoom(app, 3);
      expect(host!.state!.hostId).toBe(me(host!));

      await host!.ok('leave', {});

      const view = await second!.waitForState((s) => s.players.length === 2);
      expect(view.hostId).toBe(me(second!));
      await expectRefused(third!, 'add_bots', { count: 1 }, 'NOT_HOST');
      expect(await second!.ok('add_bots', { count: 1 })).toEqual({ added: 1 });
      const withBot = await third!.waitForState((s) => s.players.length === 3);
      expect(withBot.players.filter((p) => p.bot)).toEqual([
        expect.objectContaining({ bot: true, connected: true, seat: 0 }),
      ]);
    });

    it('a player leaving during the match abandons it for everyone; then only get_state and leave are answered', async () => {
      const { clients } = await table(app, { targetScore: 7 });
      await playUntil(clients, (s) => s.phase === 'gameplay' && s.currentTrick.length === 1);
      const [leaver, ...stayers] = clients as [GameClient, ...GameClient[]];
      const leaverId = me(leaver);

      await leaver.ok('leave', {});

      for (const stayer of stayers) {
        const pushed = await stayer.waitForPush('abandoned');
        expect(pushed).toEqual({
          reason: 'player_left',
          playerId: leaverId,
          version: expect.any(Number),
        });
        const view = await stayer.waitForState((s) => s.phase === 'abandoned');
        expect(view.turn).toBeNull();
      }
      await expectTerminalRoomRefuses(app, stayers);
    });
  });

  describe('refusals: each answered with its code, the room unchanged', () => {
    it('NOT_IN_ROOM, INVALID_SESSION, ROOM_NOT_FOUND, ROOM_FULL, ALREADY_IN_ROOM, INVALID_PAYLOAD', async () => {
      const { clients, roomCode } = await table(app);
      const [seated, observer] = clients as [GameClient, GameClient];
      const stranger = await connect(app);

      for (const event of ['leave', 'get_state', 'play_card', 'select_hokm', 'add_bots']) {
        const payload =
          event === 'play_card'
            ? { card: 'A_hearts' }
            : event === 'select_hokm'
              ? { suit: 'clubs' }
              : {};
        await expectRefused(stranger, event, payload, 'NOT_IN_ROOM', observer);
      }
      await expectRefused(
        stranger,
        'reconnect',
        { sessionToken: 'x'.repeat(43) },
        'INVALID_SESSION',
        observer,
      );
      await expectRefused(
        stranger,
        'join',
        { roomCode: 'ZZZZZZ', name: 'Lost' },
        'ROOM_NOT_FOUND',
        observer,
      );
      await expectRefused(stranger, 'join', { roomCode, name: 'Fifth' }, 'ROOM_FULL', observer);
      await expectRefused(seated, 'create_room', { name: 'Again' }, 'ALREADY_IN_ROOM', observer);
      await expectRefused(seated, 'join', { roomCode, name: 'Again' }, 'ALREADY_IN_ROOM', observer);
      await expectRefused(
        seated,
        'reconnect',
        { sessionToken: seated.seat!.sessionToken },
        'ALREADY_IN_ROOM',
        observer,
      );
      await expectRefused(seated, 'play_card', { card: 7 }, 'INVALID_PAYLOAD', observer);
      await expectRefused(seated, 'select_hokm', { suit: 'stars' }, 'INVALID_PAYLOAD', observer);
      await expectRefused(
        stranger,
        'join',
        { roomCode: 'ABC', name: 'Short' },
        'INVALID_PAYLOAD',
        observer,
      );
      await expectRefused(
        stranger,
        'create_room',
        { name: 'Big', targetScore: 8 },
        'INVALID_PAYLOAD',
        observer,
      );
    });

    it('WRONG_PHASE while waiting, in hokm_selection, in gameplay and after game_over', async () => {
      const [host] = await waitingRoom(app, 2);
      await expectRefused(host!, 'select_hokm', { suit: 'hearts' }, 'WRONG_PHASE');
      await expectRefused(host!, 'play_card', { card: 'A_hearts' }, 'WRONG_PHASE');

      const { clients, started } = await table(app, { targetScore: 1 });
      const hakemId = started[0]!.hakem!;
      const hakem = clients.find((c) => me(c) === hakemId)!;
      const other = clients.find((c) => me(c) !== hakemId)!;
      // Even the hakem cannot play a card before naming the hokm.
      await expectRefused(hakem, 'play_card', { card: hakem.state!.you.hand[0] }, 'WRONG_PHASE');
      await expectRefused(hakem, 'add_bots', {}, 'WRONG_PHASE');
      await hakem.ok('select_hokm', { suit: 'spades' });
      const playing = await other.waitForState((s) => s.phase === 'gameplay');
      await expectRefused(hakem, 'select_hokm', { suit: 'hearts' }, 'WRONG_PHASE');
      await expectRefused(other, 'select_hokm', { suit: 'hearts' }, 'WRONG_PHASE');
      expect(playing.hokm).toBe('spades');

      await playUntil(clients, (s) => s.phase === 'game_over');
      await Promise.all(clients.map((c) => c.waitForState((s) => s.phase === 'game_over')));
      await expectTerminalRoomRefuses(app, clients);
    });

    it('NOT_YOUR_TURN, CARD_NOT_IN_HAND (also for strings that are no card) and MUST_FOLLOW_SUIT', async () => {
      const { clients } = await table(app, { targetScore: 7 });
      const { mover, view } = await playUntilTurn(clients, (v) => offSuitCards(v).length > 0);
      const idle = clients.find((c) => c !== mover)!;
      const notHeld = FULL_DECK.filter((c) => !view.you.hand.includes(c));

      await expectRefused(idle, 'play_card', { card: idle.state!.you.hand[0] }, 'NOT_YOUR_TURN');
      await expectRefused(mover, 'play_card', { card: notHeld[0] }, 'CARD_NOT_IN_HAND');
      for (const card of [
        '',
        'joker',
        '1_hearts',
        'A_Hearts',
        'a_hearts',
        'A hearts',
        'A_hearts ',
      ]) {
        await expectRefused(mover, 'play_card', { card }, 'CARD_NOT_IN_HAND');
      }
      await expectRefused(mover, 'play_card', { card: offSuitCards(view)[0] }, 'MUST_FOLLOW_SUIT');
      // The unknown field does not make the request someone else's move.
      await expectRefused(
        idle,
        'play_card',
        { card: legalCards(view)[0], playerId: me(mover) },
        'NOT_YOUR_TURN',
      );

      expect((await mover.move())?.ok).toBe(true);
    });

    it('NOT_HOST: only the host adds bots', async () => {
      const [, guest] = await waitingRoom(app, 2);

      await expectRefused(guest!, 'add_bots', { count: 1 }, 'NOT_HOST');
    });

    it('where several errors apply, the first in the protocol order is answered', async () => {
      const { clients, roomCode, started } = await table(app, { targetScore: 7 });
      const stranger = await connect(app);
      const seated = clients[0]!;
      const observer = clients[1]!;
      // INVALID_PAYLOAD before NOT_IN_ROOM / ALREADY_IN_ROOM / INVALID_SESSION / ROOM_NOT_FOUND.
      await expectRefused(stranger, 'play_card', { card: 5 }, 'INVALID_PAYLOAD', observer);
      await expectRefused(seated, 'create_room', { name: '' }, 'INVALID_PAYLOAD', observer);
      await expectRefused(stranger, 'reconnect', { sessionToken: '' }, 'INVALID_PAYLOAD', observer);
      await expectRefused(
        stranger,
        'join',
        { roomCode: 'zzz', name: 'X' },
        'INVALID_PAYLOAD',
        observer,
      );
      // ALREADY_IN_ROOM before ROOM_FULL; ROOM_FULL before WRONG_PHASE (a started room).
      await expectRefused(seated, 'join', { roomCode, name: 'X' }, 'ALREADY_IN_ROOM', observer);
      await expectRefused(stranger, 'join', { roomCode, name: 'X' }, 'ROOM_FULL', observer);
      // NOT_IN_ROOM before WRONG_PHASE.
      await expectRefused(stranger, 'select_hokm', { suit: 'clubs' }, 'NOT_IN_ROOM', observer);
      // WRONG_PHASE before NOT_YOUR_TURN: a card from someone who is not the hakem, before the hokm.
      const idle = clients.find((c) => me(c) !== started[0]!.hakem)!;
      await expectRefused(idle, 'play_card', { card: idle.state!.you.hand[0] }, 'WRONG_PHASE');

      const { mover, view } = await playUntilTurn(clients, (v) => offSuitCards(v).length > 0);
      const other = clients.find((c) => c !== mover)!;
      const offSuitNotHeld = FULL_DECK.find(
        (c) => !view.you.hand.includes(c) && !c.endsWith(`_${view.ledSuit}`),
      );
      // NOT_YOUR_TURN before CARD_NOT_IN_HAND.
      await expectRefused(other, 'play_card', { card: 'joker' }, 'NOT_YOUR_TURN');
      // CARD_NOT_IN_HAND before MUST_FOLLOW_SUIT.
      await expectRefused(mover, 'play_card', { card: offSuitNotHeld }, 'CARD_NOT_IN_HAND');
      // WRONG_PHASE before NOT_HOST (a match is running).
      const nonHost = clients.find((c) => me(c) !== view.hostId)!;
      await expectRefused(nonHost, 'add_bots', {}, 'WRONG_PHASE');
    });
  });
});

/** In game_over and abandoned only get_state and leave are answered; all else WRONG_PHASE. */
async function expectTerminalRoomRefuses(app: GameApp, clients: GameClient[]): Promise<void> {
  const [a, b] = clients as [GameClient, GameClient];
  const view = await a.ok('get_state', {});
  expect(TERMINAL).toContain(view.phase);
  const card = FULL_DECK[0]!;
  for (const client of [a, b]) {
    await expectRefused(client, 'play_card', { card }, 'WRONG_PHASE');
    await expectRefused(client, 'select_hokm', { suit: 'hearts' }, 'WRONG_PHASE');
    await expectRefused(client, 'add_bots', { count: 1 }, 'WRONG_PHASE');
  }
  // A second tab with the seat's token cannot take the seat over any more either.
  const tab = await connect(app);
  await expectRefused(tab, 'reconnect', { sessionToken: b.seat!.sessionToken }, 'WRONG_PHASE', a);
  // Leaving is answered, and the rest still see the final room.
  expect(await b.ok('leave', {})).toEqual({});
  expect((await a.ok('get_state', {})).phase).toBe(view.phase);
}

describe.each(PROVIDERS)(
  'reconnect grace (REDIS_PROVIDER=%s, RECONNECT_GRACE_SECONDS=1)',
  (provider) => {
    let app: GameApp;

    beforeAll(async () => {
      app = await startGameApp({ REDIS_PROVIDER: provider, RECONNECT_GRACE_SECONDS: '1' });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('a player who stays away past the grace period abandons the match for every remaining player', async () => {
      const { clients } = await table(app, { targetScore: 7 });
      await playUntil(clients, (s) => s.phase === 'gameplay' && s.currentTrick.length === 3);
      const [gone, ...stayers] = clients as [GameClient, ...GameClient[]];
      const { playerId, sessionToken } = gone.seat!;

      gone.close();

      for (const stayer of stayers) {
        await stayer.waitForState((s) => playerIn(s, playerId)?.connected === false);
        const pushed = await stayer.waitForPush('abandoned', () => true, { timeoutMs: 15_000 });
        expect(pushed).toEqual({ reason: 'grace_expired', playerId, version: expect.any(Number) });
        const view = await stayer.waitForState((s) => s.phase === 'abandoned');
        expect(view).toMatchObject({ phase: 'abandoned', turn: null, version: pushed.version });
        expect(messageProblems(stayer.recorder)).toEqual([]);
      }
      const late = await connect(app, gone.recorder);
      await expectRefused(late, 'reconnect', { sessionToken }, 'WRONG_PHASE', stayers[0]);
      await expectTerminalRoomRefuses(app, stayers);
    });

    it('a player who leaves the waiting room by dropping loses the seat when the grace runs out', async () => {
      const [host, guest] = await waitingRoom(app, 2);
      const { playerId, sessionToken } = guest!.seat!;

      guest!.close();

      await host!.waitForPush('player_left', (p) => p.playerId === playerId, { timeoutMs: 15_000 });
      expect((await host!.ok('get_state', {})).players.map((p) => p.playerId)).toEqual([me(host!)]);
      const back = await connect(app);
      await expectRefused(back, 'reconnect', { sessionToken }, 'INVALID_SESSION', host);
    });
  },
);

describe('rate limit', () => {
  let app: GameApp;

  afterEach(async () => {
    await app?.close();
  });

  it('with the default settings a burst of 20 requests is served', async () => {
    app = await startGameApp({ RATE_LIMIT_BURST: undefined, RATE_LIMIT_PER_SECOND: undefined });
    const player = await connect(app);

    const acks = await Promise.all([
      player.request('create_room', { name: 'Eager' }),
      ...Array.from({ length: 19 }, () => player.request('get_state', {})),
    ]);

    expect(acks.filter((a) => !a.ok)).toEqual([]);
  });

  it('RATE_LIMITED past the burst, before any other check; the refused move changes nothing', async () => {
    app = await startGameApp({ RATE_LIMIT_BURST: '6', RATE_LIMIT_PER_SECOND: '1' });
    const { clients } = await table(app, { targetScore: 7 });
    const hakem = clients.find((c) => me(c) === c.state!.hakem)!;
    const observer = clients.find((c) => c !== hakem)!;
    const before = await observer.ok('get_state', {});

    // All sent at once: the bucket (6, refilled at 1/s) runs dry long before the last ones.
    const burst = Array.from({ length: 8 }, () => hakem.request('get_state', {}));
    const invalid = hakem.send('select_hokm', { suit: 'stars' });
    const move = hakem.request('select_hokm', { suit: 'hearts' });
    const acks = await Promise.all(burst);

    expect(acks.filter((a) => !a.ok).map((a) => (a.ok ? 'ok' : a.error.code))).toContain(
      'RATE_LIMITED',
    );
    expect(await invalid).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await move).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await observer.ok('get_state', {})).toEqual(before);
  });
});

describe('shutdown', () => {
  it('a server shutting down tells its players (server_shutdown) and closes their sockets; their seats wait for them', async () => {
    const app = await startGameApp();
    try {
      const { clients } = await table(app, { targetScore: 1 });

      await app.close({ keepKeys: true });

      for (const client of clients) {
        expect(await client.waitForPush('server_shutdown')).toEqual({
          message: expect.stringMatching(/\S/),
        });
        await client.waitForDisconnect();
      }
      // Another instance on the same store takes them back.
      const next = await startGameApp({ REDIS_KEY_PREFIX: app.config.redis.keyPrefix });
      try {
        const back = await connect(next, clients[0]!.recorder);
        const ack = await back.request('reconnect', {
          sessionToken: clients[0]!.seat!.sessionToken,
        });
        expect(ack.ok).toBe(true);
        expect((await back.waitForState(() => true)).phase).toBe('hokm_selection');
      } finally {
        await next.close();
      }
    } finally {
      await app.close();
    }
  });
});

describe('a damaged room record', () => {
  let app: GameApp;

  afterEach(async () => {
    await app?.close();
  });

  it('INTERNAL_ERROR when the room in the store cannot be read: a plain message, and other rooms go on', async () => {
    app = await startGameApp({ LOG_LEVEL: 'fatal' });
    const damaged = await table(app, { targetScore: 1 });
    const healthy = await table(app, { targetScore: 1 });
    const prefix = app.config.redis.keyPrefix;
    const raw = REDIS_TARGET.connect();
    try {
      // What a half-written or foreign record would look like: not the JSON the server wrote.
      await raw.set(`${prefix}room:{${damaged.roomCode}}:match`, '{"hands": [tr');
    } finally {
      raw.disconnect();
    }

    for (const client of damaged.clients) {
      const ack = await client.request('get_state', {});
      expect(ack).toEqual({
        ok: false,
        error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on the server.' },
      });
    }
    const move = await damaged.clients[0]!.request('select_hokm', { suit: 'hearts' });
    expect(move).toMatchObject({ ok: false, error: { code: 'INTERNAL_ERROR' } });

    await playUntil(healthy.clients, (s) => s.phase === 'game_over');
  });
});

async function expectCode(ack: Promise<Ack<unknown>>, code: ErrorCode): Promise<void> {
  const answer = await ack;
  expect(answer).toEqual({ ok: false, error: { code, message: expect.stringMatching(/\S/) } });
}
