// Quick match through real sockets on two server processes: dozens of times, 4·k people press
// "Quick match" at the same moment, spread over both instances, and every time exactly k tables
// start (each with its four, every one of them told so by its `state` push) and the lobby shows
// no public table of that target still waiting.
import type { RoomSummary, SeatGrant } from '../src/protocol/hokm-protocol';
import { uniquePrefix } from './support/config';
import { GameClient, MessageRecorder } from './support/game-client';
import { spawnInstances, type SpawnedInstance } from './support/multi-instance';
import { REDIS_TARGET } from './support/redis-target';

jest.setTimeout(240_000);

const prefix = uniquePrefix('lobby-sockets');
let instances: SpawnedInstance[] = [];

beforeAll(async () => {
  // The turn clock off: the started tables wait for moves nobody makes.
  instances = await spawnInstances(2, { REDIS_KEY_PREFIX: prefix, TURN_SECONDS: '0' });
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.process.stop('SIGTERM')));
  await REDIS_TARGET.cleanup(prefix);
});

async function listing(url: string): Promise<RoomSummary[]> {
  const response = await fetch(`${url}/api/rooms?limit=100`);
  return ((await response.json()) as { rooms: RoomSummary[] }).rooms;
}

describe(`quick match over two instances, through sockets (${REDIS_TARGET.label})`, () => {
  it('4·k sockets at the same moment start exactly k tables, every time (dozens of trials)', async () => {
    let people = 0;
    // 36 trials (288 sockets) take under 10 s per configuration of the matrix.
    for (let t = 0; t < 36; t++) {
      const targetScore = (t % 7) + 1;
      const k = (t % 3) + 1;
      const clients = await Promise.all(
        Array.from({ length: 4 * k }, (_, i) =>
          GameClient.connect((instances[i % 2] as SpawnedInstance).url, {
            recorder: new MessageRecorder(`t${t}p${i}`),
          }),
        ),
      );
      try {
        const grants: SeatGrant[] = await Promise.all(
          clients.map((c, i) => c.ok('quick_match', { name: `P${i}`, targetScore })),
        );
        const tables = new Map<string, number>();
        for (const g of grants) tables.set(g.roomCode, (tables.get(g.roomCode) ?? 0) + 1);
        expect([...tables.values()]).toEqual(Array.from({ length: k }, () => 4));
        // Each person is told their table started, with the three others they were seated with.
        const started = await Promise.all(
          clients.map((c) => c.waitForState((s) => s.phase === 'hokm_selection')),
        );
        for (const [i, view] of started.entries()) {
          const grant = grants[i] as SeatGrant;
          expect(view).toMatchObject({
            roomCode: grant.roomCode,
            targetScore,
            visibility: 'public',
          });
          expect(view.you.playerId).toBe(grant.playerId);
          expect(view.players).toHaveLength(4);
        }
        // No public table of that target is left waiting, as either instance lists them.
        for (const instance of instances) {
          const waiting = (await listing(instance.url)).filter(
            (r) => r.targetScore === targetScore && r.phase === 'waiting_for_players',
          );
          expect(waiting).toEqual([]);
        }
        people += clients.length;
      } finally {
        for (const c of clients) c.close();
      }
    }
    expect(people).toBe(288);
  });
});
