// Deadlines live in Redis, not in the process that scheduled them: two spawned instances
// (`node dist/main.js`) on one Redis, the one whose change started a deadline is killed with
// SIGKILL before it is due, and the other acts on it: the turn clock for an idle player, and the
// moves of a table of one person and three bots.
import { uniquePrefix } from './support/config';
import { GameClient, playUntil } from './support/game-client';
import { seatSpread, spawnInstances, type SpawnedInstance } from './support/multi-instance';
import { REDIS_TARGET } from './support/redis-target';

const prefix = uniquePrefix('clock');
let instances: SpawnedInstance[] = [];
const clients: GameClient[] = [];

beforeAll(async () => {
  instances = await spawnInstances(3, {
    REDIS_KEY_PREFIX: prefix,
    TURN_SECONDS: '2',
    BOT_DELAY_MS: '600',
    RECONNECT_GRACE_SECONDS: '60',
    TIMER_POLL_MS: '100',
  });
}, 60_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await Promise.all(instances.map((i) => i.process.stop('SIGTERM')));
  await REDIS_TARGET.cleanup(prefix);
}, 30_000);

async function kill(instance: SpawnedInstance): Promise<void> {
  instance.process.child.kill('SIGKILL');
  await instance.process.exited;
}

describe('a deadline outlives the instance that scheduled it (SIGKILL)', () => {
  it("the turn clock: a card played through A starts the next player's clock; A dies; B acts on time", async () => {
    // Arrange: two players of the table play through A (instance 0), two through B.
    const [a, b] = [instances[0]!, instances[1]!];
    const table = await seatSpread([a, a, b, b], { targetScore: 7, label: 'C' });
    for (const seat of table.seats) clients.push(...seat.sockets);
    const onA = table.seats.filter((s) => s.instance < 2);
    const onB = table.seats.filter((s) => s.instance >= 2);
    // Play through A until a player on A is to move and the next one to move sits on B.
    const next = (playerId: string) => {
      const view = onB[0]!.client.state!;
      const seat = view.players.find((p) => p.playerId === playerId)!.seat;
      return view.players.find((p) => p.seat === (seat + 1) % 4)!.playerId;
    };
    for (let moves = 0; moves < 40; moves++) {
      const view = onB[0]!.client.state!;
      const mover = table.seats.find((s) => s.playerId === view.turn)!;
      const ready =
        view.phase === 'gameplay' &&
        view.currentTrick.length < 3 &&
        onA.includes(mover) &&
        onB.some((s) => s.playerId === next(mover.playerId));
      if (ready) break;
      const mine = await mover.client.waitForState((v) => v.version >= view.version);
      expect(await mover.client.move(mine)).toEqual({ ok: true, data: {} });
      await onB[0]!.client.waitForState((v) => v.version > view.version);
    }
    const view = onB[0]!.client.state!;
    const mover = onA.find((s) => s.playerId === view.turn)!;
    expect(mover).toBeDefined();
    const idle = onB.find((s) => s.playerId === next(mover.playerId))!;

    // Act: A commits the card (and with it the idle player's deadline), then dies at once.
    const mine = await mover.client.waitForState((v) => v.version >= view.version);
    const sentAt = Date.now();
    expect(await mover.client.move(mine)).toEqual({ ok: true, data: {} });
    await kill(instances[0]!);

    // Assert: B plays for the idle player when the clock runs out (2 s after the card), not
    // before. (B's players may not even have heard of the card: A may die before telling them.)
    const timeout = await idle.client.waitForPush(
      'turn_timeout',
      (p) => p.playerId === idle.playerId,
      { timeoutMs: 10_000 },
    );
    expect(Date.now()).toBeGreaterThanOrEqual(sentAt + 2_000);
    expect(timeout.version).toBeGreaterThanOrEqual(view.version + 2);
    const played = await onB[0]!.client.waitForPush(
      'card_played',
      (p) => p.version === timeout.version,
    );
    expect(played).toMatchObject({ playerId: idle.playerId, auto: true });
  }, 60_000);

  it('a person and three bots: the instance that drove the bots dies, the other plays them on', async () => {
    // Arrange: the person plays through C (instance 2) against three bots.
    const person = await GameClient.connect(instances[2]!.url);
    clients.push(person);
    await person.ok('create_room', { name: 'Solo', targetScore: 1 });
    await person.ok('add_bots', {});
    const me = person.seat!.playerId;
    // A card of the person that is not the last of its trick hands the turn to a bot, whose
    // move C schedules (BOT_DELAY_MS).
    const mine = await playUntil(
      [person],
      (v) => v.turn === me && v.phase === 'gameplay' && v.currentTrick.length < 3,
      { timeoutMs: 20_000 },
    );
    expect(await person.move(mine)).toEqual({ ok: true, data: {} });

    // Act: C dies before the bot's move is due.
    await kill(instances[2]!);
    const back = await GameClient.connect(instances[1]!.url);
    clients.push(back);
    await back.ok('reconnect', { sessionToken: person.seat!.sessionToken });
    await back.waitForState(() => true);

    // Assert: the bots move on B with nobody else acting, and the match is played to its end.
    const bot = await back.waitForPush(
      'card_played',
      (p) => p.playerId !== me && p.version > mine.version,
      { timeoutMs: 10_000 },
    );
    expect(bot.auto).toBeUndefined();
    const final = await playUntil([back], (v) => v.phase === 'game_over', { timeoutMs: 20_000 });
    expect(final.winnerTeam).not.toBeNull();
  }, 120_000);
});
