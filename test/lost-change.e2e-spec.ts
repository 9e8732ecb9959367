// A change that never reaches an instance: another instance committed it and died before telling
// anyone (here: it commits through its GameStateService and publishes nothing). The next change
// made where the table's sockets are waits for it, then goes out without it; the players never
// get an older version after a newer one, their next `state` says everything the lost change
// said, and the mover's ack still comes after the mover's own push.
import { suitOf } from '../src/game-state/domain/cards';
import { GameStateService } from '../src/game-state/game-state.service';
import type { RoomState } from '../src/game-state/domain/types';
import { uniquePrefix } from './support/config';
import { startGameApp, type GameApp } from './support/game-app';
import { GameClient, seatTable, type Table } from './support/game-client';
import { metricValue } from './support/metrics';
import { socketVersions } from './support/multi-instance';

describe('a change whose instance died before sending it', () => {
  let withSockets: GameApp;
  let silent: GameApp;
  let table: Table | undefined;

  beforeAll(async () => {
    const env = { REDIS_KEY_PREFIX: uniquePrefix('lost-change') };
    withSockets = await startGameApp(env);
    silent = await startGameApp(env);
  });

  afterAll(async () => {
    for (const client of table?.clients ?? []) client.close();
    await silent?.close({ keepKeys: true });
    await withSockets?.close();
  });

  it('is skipped after the wait: the next state says it all, in order, ack after the push', async () => {
    table = await seatTable(withSockets.url);
    const { roomCode, clients } = table;
    const clientOf = (playerId: string | null): GameClient =>
      clients.find((c) => c.seat?.playerId === playerId)!;
    const hakem = clientOf(table.started[0]!.hakem);
    const named = hakem.state!.version;
    expect(await hakem.request('select_hokm', { suit: 'hearts' })).toEqual({ ok: true, data: {} });
    for (const c of clients) await c.waitForState((v) => v.version > named);

    // The hakem leads, as if through an instance that then died: committed, sent to nobody.
    const game = silent.app.get(GameStateService);
    const before = (await game.load(roomCode)) as RoomState;
    const leader = before.players.find((p) => p.playerId === before.match!.turn)!;
    const led = before.match!.hands[leader.playerId]![0]!;
    const lost = await game.apply(roomCode, {
      type: 'play_card',
      playerId: leader.playerId,
      card: led,
      connectionId: leader.connectionId,
      at: Date.now(),
    });
    expect(lost.state.version).toBe(before.version + 1);

    // The next player moves on the instance that holds every socket; it has not heard of the lead.
    const next = clientOf(lost.state.match!.turn);
    const hand = lost.state.match!.hands[next.seat!.playerId]!;
    const card = hand.find((c) => suitOf(c) === suitOf(led)) ?? hand[0]!;
    const seq = next.lastSeq();
    expect(await next.request('play_card', { card })).toEqual({ ok: true, data: {} });
    const made = lost.state.version + 1;
    const own = next.received.find(
      (m) =>
        m.seq > seq &&
        m.kind === 'push' &&
        m.event === 'state' &&
        (m.payload as { version: number }).version === made,
    );
    // The ack came after the mover's own state push (the recorder had it when the ack resolved).
    expect(own).toBeDefined();

    for (const c of clients) {
      const view = await c.waitForState((v) => v.version >= made, { what: `v${made}` });
      // The lost lead is in the next state: the trick holds both cards.
      expect(view.currentTrick).toEqual([
        { playerId: leader.playerId, card: led },
        { playerId: next.seat!.playerId, card },
      ]);
      // Versions only grow; the lost one is the only one missing, and its events never came.
      const versions = socketVersions(c);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      expect(versions).not.toContain(lost.state.version);
      expect(c.pushes('card_played').map((p) => p.version)).toEqual([made]);
    }
    expect(await metricValue(withSockets.url, 'hokm_room_versions_skipped_total')).toBe(1);
    expect(await metricValue(withSockets.url, 'hokm_move_ack_held_seconds_count')).toBe(1);
  });
});
