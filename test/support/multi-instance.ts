// Several game servers on one Redis, as an operator runs them, and players spread over them:
// spawned `node dist/main.js` processes, tables seated round-robin across instances, a move
// driver that records every acknowledged move, and the checks a player would notice.
import type { Card, SeatedGameView } from '../../src/protocol/hokm-protocol';
import { GameClient, legalMove, MessageRecorder, type Move } from './game-client';
import { spawnMain, type MainProcess } from './main-process';
import { freePort } from './ports';
import { onTarget } from './redis-target';
import { waitFor } from './wait';

/** Settings every spawned instance gets unless the test overrides them. */
export const INSTANCE_DEFAULTS: Record<string, string> = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  // The turn clock off: nobody acts for an idle player (its own suites switch it on).
  TURN_SECONDS: '0',
  BOT_DELAY_MS: '0',
  TIMER_POLL_MS: '100',
  // Players here move the instant it is their turn; the limit is tested elsewhere.
  RATE_LIMIT_BURST: '10000',
  RATE_LIMIT_PER_SECOND: '10000',
  // Every test client comes from 127.0.0.1; test/address-limits.e2e-spec.ts tests the limits.
  CONNECTIONS_PER_SECOND: '100000',
  LISTINGS_PER_SECOND: '100000',
  LOOKUP_FAILURES_PER_MINUTE: '100000',
};

/** One server a test can reach, spawned or in-process. */
export interface Instance {
  readonly label: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

/** A spawned `node dist/main.js`. */
export interface SpawnedInstance extends Instance {
  readonly process: MainProcess;
  readonly port: number;
}

/**
 * Spawns `count` instances with `env` (REDIS_KEY_PREFIX, ...) over INSTANCE_DEFAULTS, each on its
 * own port, and waits until every one answers `/health` with 200 (ready). They run on the suite's
 * Redis target (redis-target.ts) unless `env` names a Redis (REDIS_URL or REDIS_CLUSTER_NODES).
 */
export async function spawnInstances(
  count: number,
  env: Record<string, string>,
): Promise<SpawnedInstance[]> {
  const instances: SpawnedInstance[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const process = spawnMain({ ...INSTANCE_DEFAULTS, ...onTarget(env), PORT: String(port) });
      instances.push({
        label: String.fromCharCode(65 + i),
        url: `http://127.0.0.1:${port}`,
        port,
        process,
      });
    }
    await Promise.all(instances.map((instance) => waitUntilReady(instance)));
    return instances;
  } catch (error) {
    await Promise.all(instances.map((i) => i.process.stop('SIGKILL')));
    throw error;
  }
}

/** The last `count` lines each instance printed, labelled, for a failure message. */
export function outputTail(instances: readonly SpawnedInstance[], count = 40): string {
  return instances
    .flatMap((i) =>
      i.process.lines
        .slice(-count)
        .map((l) => `${i.label} +${Math.round(l.atMs)} ms: ${l.text.slice(0, 400)}`),
    )
    .join('\n');
}

/** Waits for 200 from `/health` (bounded); rejects at once if the process exits. */
export async function waitUntilReady(instance: SpawnedInstance, timeoutMs = 30_000) {
  let exited = false;
  void instance.process.exited.then(() => (exited = true));
  await waitFor(
    `instance ${instance.label} (${instance.url}) to be ready`,
    async () => {
      if (exited) {
        throw new Error(`exited before ready:\n${instance.process.stderr().join('\n')}`);
      }
      const response = await fetch(`${instance.url}/health`);
      return response.status === 200;
    },
    { timeoutMs, intervalMs: 100 },
  );
  if (exited) throw new Error(`instance ${instance.label} exited during boot`);
}

/** One person at a table: the socket they use now, on which instance, and everything received. */
export class Seat {
  /** Every socket this person has used, in order; the last is the current one. */
  readonly sockets: GameClient[] = [];
  /** Which instance (index into the test's list) each socket was connected to. */
  readonly instanceOf: number[] = [];

  constructor(
    readonly recorder: MessageRecorder,
    readonly playerId: string,
    readonly sessionToken: string,
    client: GameClient,
    instance: number,
  ) {
    this.sockets.push(client);
    this.instanceOf.push(instance);
  }

  get client(): GameClient {
    return this.sockets[this.sockets.length - 1] as GameClient;
  }

  get instance(): number {
    return this.instanceOf[this.instanceOf.length - 1] as number;
  }

  get label(): string {
    return this.recorder.label;
  }

  /** The newest state any of this person's sockets got. */
  get state(): SeatedGameView | null {
    let newest: SeatedGameView | null = null;
    for (const socket of this.sockets) {
      const view = socket.state;
      if (view && (!newest || view.version > newest.version)) newest = view;
    }
    return newest;
  }

  /** Connects a new socket to `instance` (recording into the same recorder), not yet seated. */
  async openSocket(instances: readonly Instance[], instance: number): Promise<GameClient> {
    const target = instances[instance];
    if (!target) throw new Error(`no instance ${instance}`);
    const client = await GameClient.connect(target.url, { recorder: this.recorder });
    this.sockets.push(client);
    this.instanceOf.push(instance);
    return client;
  }

  /** Takes the seat back with the session token on a new socket to `instance`. */
  async reconnectOn(instances: readonly Instance[], instance: number): Promise<SeatedGameView> {
    const client = await this.openSocket(instances, instance);
    const data = await client.ok('reconnect', { sessionToken: this.sessionToken });
    if (data.playerId !== this.playerId) throw new Error(`${this.label}: reconnected as another`);
    return client.waitForState(() => true, { what: 'the state after reconnect' });
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.close();
  }
}

/** A move the server acknowledged with ok. */
export interface AckedMove {
  playerId: string;
  event: Move['event'];
  /** The card played or the suit named. */
  value: string;
  /** The version of the state the move was chosen from. */
  fromVersion: number;
}

/** Four seats in one room, spread over instances. */
export interface SpreadTable {
  roomCode: string;
  targetScore: number;
  seats: Seat[];
  /** Every move acknowledged with ok, in the order they were acknowledged. */
  acked: AckedMove[];
}

/**
 * Seats four players of a new room on instances `offset`, `offset+1`, ... (round-robin): the
 * first creates the room, the others join one after another; waits until all four see the match
 * started.
 */
export async function seatSpread(
  instances: readonly Instance[],
  {
    targetScore,
    offset = 0,
    label = 'T',
  }: { targetScore: number; offset?: number; label?: string },
): Promise<SpreadTable> {
  const seats: Seat[] = [];
  let roomCode = '';
  for (let i = 0; i < 4; i++) {
    const instance = (offset + i) % instances.length;
    const recorder = new MessageRecorder(`${label}.p${i}@${instances[instance]?.label}`);
    const client = await GameClient.connect((instances[instance] as Instance).url, { recorder });
    const grant =
      i === 0
        ? await client.ok('create_room', { name: `${label} host`, targetScore })
        : await client.ok('join', { roomCode, name: `${label} p${i}` });
    roomCode = grant.roomCode;
    seats.push(new Seat(recorder, grant.playerId, grant.sessionToken, client, instance));
  }
  await Promise.all(
    seats.map((s) =>
      s.client.waitForState((v) => v.phase === 'hokm_selection', {
        what: 'the match to start',
        timeoutMs: 15_000,
      }),
    ),
  );
  return { roomCode, targetScore, seats, acked: [] };
}

/** The newest state any seat of the table holds. */
export function tableState(table: SpreadTable): SeatedGameView {
  let newest: SeatedGameView | null = null;
  for (const seat of table.seats) {
    const view = seat.state;
    if (view && (!newest || view.version > newest.version)) newest = view;
  }
  if (!newest) throw new Error(`${table.roomCode}: no state yet`);
  return newest;
}

/** The seat whose turn the newest state names, or null (bot's turn, or nobody's). */
export function seatToMove(table: SpreadTable): Seat | null {
  const turn = tableState(table).turn;
  return table.seats.find((s) => s.playerId === turn) ?? null;
}

/**
 * Plays one legal move as a careful person would: the player whose turn it is waits until their
 * own socket shows the newest version, then moves. Throws if the move is refused.
 */
export async function playOneMove(table: SpreadTable): Promise<void> {
  const newest = tableState(table);
  const mover = seatToMove(table);
  if (!mover) throw new Error(`${table.roomCode}: nobody to move in ${newest.phase}`);
  const view = await mover.client.waitForState((v) => v.version >= newest.version, {
    what: `v${newest.version} before moving`,
    timeoutMs: 15_000,
  });
  const move = legalMove(view);
  if (!move) throw new Error(`${mover.label}: no legal move at v${view.version}`);
  const ack =
    move.event === 'select_hokm'
      ? await mover.client.request('select_hokm', move.payload)
      : await mover.client.request('play_card', move.payload);
  if (!ack.ok) {
    throw new Error(
      `${mover.label}: ${move.event} refused: ${ack.error.code} ${ack.error.message}`,
    );
  }
  table.acked.push({
    playerId: mover.playerId,
    event: move.event,
    value: move.event === 'select_hokm' ? move.payload.suit : move.payload.card,
    fromVersion: view.version,
  });
}

/** Plays until `done(newest state)`, at most `maxMoves` moves. */
export async function playSpreadUntil(
  table: SpreadTable,
  done: (view: SeatedGameView) => boolean,
  maxMoves = 2_000,
): Promise<SeatedGameView> {
  for (let i = 0; i < maxMoves; i++) {
    const newest = tableState(table);
    if (done(newest)) return newest;
    await playOneMove(table);
  }
  throw new Error(`${table.roomCode}: not done after ${maxMoves} moves`);
}

/** Waits until every listed seat's current socket holds at least `version`. */
export async function allReach(seats: readonly Seat[], version: number): Promise<void> {
  await Promise.all(
    seats.map((s) =>
      s.client.waitForState((v) => v.version >= version, {
        what: `v${version}`,
        timeoutMs: 15_000,
      }),
    ),
  );
}

/** The versions of the `state` pushes one socket received, in arrival order. */
export function socketVersions(client: GameClient): number[] {
  return client.states.map((s) => s.version);
}

/** Every version in [first, last] missing from `versions` (sorted, deduplicated input not needed). */
export function gaps(versions: readonly number[]): number[] {
  const seen = new Set(versions);
  const missing: number[] = [];
  const min = Math.min(...versions);
  const max = Math.max(...versions);
  for (let v = min; v <= max; v++) if (!seen.has(v)) missing.push(v);
  return missing;
}

/** The `card_played` pushes one person received (every socket), one per version, by version. */
export function cardLog(seat: Seat): Array<{ playerId: string; card: Card; version: number }> {
  const byVersion = new Map<number, { playerId: string; card: Card; version: number }>();
  for (const push of seat.recorder.pushes('card_played')) {
    byVersion.set(push.version, {
      playerId: push.playerId,
      card: push.card,
      version: push.version,
    });
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}

/** The acknowledged card plays of a table, as `playerId:card` in acknowledgement order. */
export function ackedCards(table: SpreadTable): string[] {
  return table.acked.filter((m) => m.event === 'play_card').map((m) => `${m.playerId}:${m.value}`);
}

/** A person's card log as `playerId:card`, in version order. */
export function loggedCards(seat: Seat): string[] {
  return cardLog(seat).map((c) => `${c.playerId}:${c.card}`);
}
