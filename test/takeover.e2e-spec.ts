// Seat takeover: a second socket sends `reconnect` with the token of a seat whose socket is still
// connected. The old socket is told (`session_replaced`) and only then closed, whichever instance
// holds it, on one Redis and on a Redis Cluster (the e2e matrix; the Cluster's sharded adapter
// delivers a broadcast locally only once its publish is done), and the new socket plays on.
import type { ServerPushes } from '../src/protocol/hokm-protocol';
import { uniquePrefix } from './support/config';
import { startGameApp, type GameApp } from './support/game-app';
import { GameClient, MessageRecorder, type ReceivedMessage } from './support/game-client';
import { REDIS_TARGET } from './support/redis-target';

jest.setTimeout(60_000);

/** Every client a test opens, closed after it. */
const open: GameClient[] = [];
afterEach(() => {
  for (const client of open.splice(0)) client.close();
});

async function connect(app: GameApp, recorder: MessageRecorder): Promise<GameClient> {
  const client = await GameClient.connect(app.url, { recorder });
  open.push(client);
  return client;
}

/** What a socket had received when it was closed, and why it was closed. */
function closing(client: GameClient): Promise<{ reason: string; received: ReceivedMessage[] }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${client.label} was not closed`)), 10_000);
    client.socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve({ reason, received: [...client.received] });
    });
  });
}

const replacedPushes = (messages: readonly ReceivedMessage[]) =>
  messages
    .filter((m) => m.kind === 'push' && m.event === 'session_replaced')
    .map((m) => m.payload as ServerPushes['session_replaced']);

/**
 * A room of two players (the host's socket on apps[0], a guest on apps[1]); the host's seat is
 * then taken over from each instance of `from` in turn, the newest socket being the old one next.
 */
async function takeOverSeat(apps: GameApp[], from: number[]): Promise<void> {
  const person = new MessageRecorder('host');
  const host = await connect(apps[0]!, person);
  const { roomCode, playerId, sessionToken } = await host.ok('create_room', { name: 'Host' });
  const guest = await connect(apps[1]!, new MessageRecorder('guest'));
  await guest.ok('join', { roomCode, name: 'Guest' });
  await host.waitForState((v) => v.players.length === 2);

  let current = host;
  for (const instance of from) {
    const closed = closing(current);
    const fresh = await connect(apps[instance]!, person);

    const ack = await fresh.request('reconnect', { sessionToken });

    expect(ack).toEqual({ ok: true, data: { roomCode, playerId, seat: 0 } });
    // Told first, then closed by the server (not a transport failure).
    const { reason, received } = await closed;
    expect(reason).toBe('io server disconnect');
    const told = replacedPushes(received);
    expect(told).toEqual([{ message: expect.stringMatching(/\S/), version: expect.any(Number) }]);
    // The new socket holds the seat at that version or later, and is not told anything.
    await fresh.waitForState((v) => v.version >= told[0]!.version, { what: 'the seat taken over' });
    expect(replacedPushes(fresh.received)).toEqual([]);
    expect(fresh.connected).toBe(true);
    current = fresh;
  }

  // The newest socket speaks for the seat; the other player never saw it disconnected.
  const view = await current.ok('get_state', {});
  expect(view.you!.playerId).toBe(playerId);
  expect(view.players.map((p) => p.connected)).toEqual([true, true]);
  expect(guest.pushes('player_disconnected')).toEqual([]);
  expect(replacedPushes(guest.received)).toEqual([]);
}

describe(`seat takeover on ${REDIS_TARGET.label}`, () => {
  /** Two instances sharing one key prefix. */
  const apps: GameApp[] = [];

  beforeAll(async () => {
    const prefix = uniquePrefix('takeover');
    apps.push(
      await startGameApp({ REDIS_KEY_PREFIX: prefix }),
      await startGameApp({ REDIS_KEY_PREFIX: prefix }),
    );
  }, 60_000);

  afterAll(async () => {
    await apps[0]?.close({ keepKeys: true });
    await apps[1]?.close();
  }, 30_000);

  it('on the instance that holds the old socket: it gets session_replaced, then is closed', async () => {
    await takeOverSeat(apps, [0, 0, 0]);
  });

  it('from another instance: the old socket gets session_replaced, then is closed', async () => {
    await takeOverSeat(apps, [1, 0, 1, 0]);
  });
});
