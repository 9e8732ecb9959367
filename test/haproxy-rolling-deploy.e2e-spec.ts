// A rolling deploy as an operator runs it: HAProxy with the shipped deploy/haproxy.cfg in front
// of three `node dist/main.js`, matches played through it over websocket, long-polling and
// polling upgraded to websocket, and every instance restarted in turn (SIGTERM, wait for the
// exit, start a new one on the same port, wait until HAProxy has it back UP; once more if no
// player was left in a match on it when its drain ended). Nothing may be dropped: every match
// finishes, no acknowledged move is lost, no match is abandoned.
// @redis-target single: the load balancer's layout; the instances use the shared Redis.
import { uniquePrefix } from './support/config';
import { startHaproxy, type Haproxy } from './support/haproxy';
import { spawnMain } from './support/main-process';
import { INSTANCE_DEFAULTS, waitUntilReady, type SpawnedInstance } from './support/multi-instance';
import { freePort } from './support/ports';
import { REDIS_TARGET } from './support/redis-target';
import {
  matchProblems,
  playMatch,
  seatMatch,
  type RollingMatch,
  type Transports,
} from './support/rolling-table';
import { sleep, waitFor } from './support/wait';

const DRAIN_MS = 1500;
/** Restarts of one instance at most, until one finds players still in a match at its drain's end. */
const MAX_RESTARTS = 3;
/** HAProxy's check interval here; with fall 2 a drain is seen within ~2 intervals. */
const CHECK_MS = 200;
const prefix = uniquePrefix('haproxy');
const ENV = {
  ...INSTANCE_DEFAULTS,
  // One Redis or the run's Redis Cluster (the e2e matrix).
  ...REDIS_TARGET.env,
  REDIS_KEY_PREFIX: prefix,
  SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
  RECONNECT_GRACE_SECONDS: '60',
  // The production format, so the whole deploy's logs are checked too.
  LOG_FORMAT: 'json',
  LOG_LEVEL: 'log',
};

const WS: Transports = ['websocket'];
const POLL: Transports = ['polling'];
const UPGRADE: Transports = ['polling', 'websocket'];
/** Tables that play match after match until the deploy is over. */
const LANES: Array<{ label: string; transports: Transports[] }> = [
  { label: 'ws', transports: [WS, WS, WS, WS] },
  { label: 'poll', transports: [POLL, POLL, POLL, POLL] },
  { label: 'mixA', transports: [UPGRADE, WS, POLL, UPGRADE] },
  { label: 'mixB', transports: [POLL, UPGRADE, WS, POLL] },
  { label: 'upgrade', transports: [UPGRADE, UPGRADE, UPGRADE, UPGRADE] },
  { label: 'mixC', transports: [WS, POLL, UPGRADE, WS] },
];

/**
 * New tables sit down only between restarts: a `join` whose answer is lost in a closing
 * connection may have taken a seat, and nobody would come for it. Matches in progress go on.
 */
class SeatingGate {
  private paused = false;
  private seating = 0;

  async enter(): Promise<void> {
    while (this.paused) await sleep(20);
    this.seating++;
  }

  leave(): void {
    this.seating--;
  }

  async pause(): Promise<void> {
    this.paused = true;
    await waitFor('tables being seated to sit down', () => this.seating === 0, {
      timeoutMs: 30_000,
      intervalMs: 20,
    });
  }

  resume(): void {
    this.paused = false;
  }
}

/** One instance's restart, as it happened (performance.now() times). */
interface Restart {
  server: string;
  sigtermAt: number;
  markedDownAt: number;
  exitAt: number;
  upAgainAt: number;
}

let haproxy: Haproxy | undefined;
const processes: SpawnedInstance[] = [];

afterAll(async () => {
  await haproxy?.stop();
  await Promise.all(processes.map((p) => p.process.stop('SIGKILL')));
  await REDIS_TARGET.cleanup(prefix);
}, 30_000);

async function startInstance(label: string, port: number): Promise<SpawnedInstance> {
  const process = spawnMain({ ...ENV, PORT: String(port) });
  const instance = { label, port, url: `http://127.0.0.1:${port}`, process };
  processes.push(instance);
  await waitUntilReady(instance);
  return instance;
}

/** The sockets connected to one instance, from its own /metrics. */
async function socketsOn(instance: SpawnedInstance): Promise<number> {
  const metrics = await (await fetch(`${instance.url}/metrics`)).text();
  const gauge = /^hokm_sockets_connected(?:\{[^}]*\})? (\d+)$/m.exec(metrics);
  if (!gauge) throw new Error(`no hokm_sockets_connected on ${instance.label}`);
  return Number(gauge[1]);
}

describe('three instances behind HAProxy (deploy/haproxy.cfg), restarted one after another', () => {
  it('every match finishes, no acknowledged move is lost and none is abandoned, over every transport', async () => {
    // Arrange: three instances, HAProxy in front, every instance UP.
    const ports = await Promise.all([0, 1, 2].map(() => freePort()));
    const names = ports.map((_, i) => `hokm${i + 1}`);
    const live = await Promise.all(ports.map((port, i) => startInstance(names[i] as string, port)));
    haproxy = await startHaproxy({
      port: await freePort(),
      statsPort: await freePort(),
      servers: ports.map((port, i) => ({ name: names[i] as string, port })),
      checkIntervalMs: CHECK_MS,
    });
    const lb = haproxy;
    await Promise.all(names.map((n) => lb.waitForStatus(n, (s) => s === 'UP')));

    // Tables play through HAProxy, match after match, until the deploy is over.
    const gate = new SeatingGate();
    let deploying = true;
    const matches: RollingMatch[] = [];
    const lanes = LANES.map(async ({ label, transports }) => {
      for (let n = 0; n === 0 || deploying; n++) {
        await gate.enter();
        let match: RollingMatch;
        try {
          match = await seatMatch(lb.url, transports, {
            label: `${label}#${n}`,
            targetScore: 5,
            reconnectDeadlineMs: 20_000,
          });
        } finally {
          gate.leave();
        }
        matches.push(match);
        await playMatch(match, { thinkMs: 15, deadlineMs: 120_000 });
        for (const player of match.players) player.leave();
      }
    });
    const lanesDone = Promise.all(lanes);
    lanesDone.catch(() => undefined);
    // Every lane mid-match before the first restart.
    await Promise.race([
      lanesDone,
      waitFor(
        'every table to be playing',
        () => matches.filter((m) => m.acked.length >= 5).length >= LANES.length,
        { timeoutMs: 30_000 },
      ),
    ]);

    /**
     * One restart of instance i, as deploy/rolling-restart.sh does it: SIGTERM once the instance
     * holds a player, HAProxy marks it DOWN, it exits 0, a new one on its port is UP again.
     * Returns with seating still paused.
     */
    const restartInstance = async (i: number, name: string): Promise<Restart> => {
      const old = live[i] as SpawnedInstance;
      // The restart must hit players mid-match. HAProxy (leastconn) may have sent every table
      // seated since the last restart to the instances restarted before this one, and this one's
      // own tables may have finished: wait until it holds a player again. Checked with seating
      // paused, just before the SIGTERM: a table that finished while tables were being seated
      // could otherwise leave it empty by then.
      await waitFor(
        `a player on ${name}`,
        async () => {
          await gate.pause();
          if ((await socketsOn(old)) > 0) return true;
          gate.resume();
          return false;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
      const sigtermAt = performance.now();
      old.process.child.kill('SIGTERM');
      await lb.waitForStatus(name, (s) => s.startsWith('DOWN'), DRAIN_MS + 10_000);
      const markedDownAt = performance.now();
      const exit = await old.process.exited;
      expect({ name, code: exit.code, signal: exit.signal }).toEqual({
        name,
        code: 0,
        signal: null,
      });
      const exitAt = performance.now();
      live[i] = await startInstance(name, old.port);
      await lb.waitForStatus(name, (s) => s === 'UP');
      return { server: name, sigtermAt, markedDownAt, exitAt, upAgainAt: performance.now() };
    };

    // Act: restart every instance in turn, as deploy/rolling-restart.sh does with systemd.
    const restarts: Restart[] = [];
    const outagesIn = (r: Restart) => outagesDuring(r, outagesOf(matches));
    const toldOn = (server: string) =>
      restarts.some((r) => r.server === server && outagesIn(r).length > 0);
    for (const [i, name] of names.entries()) {
      // A restart shows what players live through only if some are still in a match on this
      // instance when its drain ends; a match that finishes during the drain leaves it empty.
      // Such a restart is kept (everything else is still checked for it) and the instance is
      // restarted once more, at most MAX_RESTARTS times in all.
      for (let attempt = 1; ; attempt++) {
        const restart = await restartInstance(i, name);
        restarts.push(restart);
        gate.resume();
        // Traffic finds the new instance before the next one goes.
        await sleep(1_000);
        if (outagesIn(restart).length > 0 || attempt === MAX_RESTARTS) break;
      }
    }
    deploying = false;
    await lanesDone;

    // Assert: every match finished cleanly, nothing acknowledged was lost.
    expect(matches.flatMap(matchProblems)).toEqual([]);
    const players = matches.flatMap((m) => m.players);
    const outages = outagesOf(matches);
    // Every instance's restart hit players in a match, and HAProxy had the instance out of the
    // balance before it told them (the drain), so they came back to a live instance.
    expect(names.map((server) => ({ server, told: toldOn(server) }))).toEqual(
      names.map((server) => ({ server, told: true })),
    );
    for (const restart of restarts) {
      const told = outagesIn(restart);
      expect(restart.markedDownAt).toBeLessThan(Math.min(...told.map((o) => o.from)));
      const moved = matches
        .flatMap((m) => m.acked)
        .filter((a) => a.at >= restart.sigtermAt && a.at <= restart.upAgainAt);
      expect({ server: restart.server, movesDuringRestart: moved.length > 0 }).toEqual({
        server: restart.server,
        movesDuringRestart: true,
      });
    }
    // Players of every transport were moved by the deploy; every disconnect was announced with
    // server_shutdown, and every player got their seat back.
    expect(new Set(outages.map((o) => o.transports.join('+')))).toEqual(
      new Set(['websocket', 'polling', 'polling+websocket']),
    );
    expect(outages.filter((o) => !o.told)).toEqual([]);
    expect(outages.filter((o) => o.to === null)).toEqual([]);

    // The logs of the whole deploy: JSON lines only, never a session token.
    const tokens = players.map((p) => p.sessionToken);
    for (const instance of processes) {
      const lines = instance.process.lines.map((l) => l.text).filter((t) => t.trim() !== '');
      expect(lines.filter((l) => !isJsonLogLine(l))).toEqual([]);
      expect(lines.filter((l) => tokens.some((t) => l.includes(t)))).toEqual([]);
    }
    const drained = processes.filter((p) => !live.includes(p));
    for (const instance of drained) {
      const entries = instance.process.lines.map(
        (l) => JSON.parse(l.text) as Record<string, unknown>,
      );
      expect(entries).toContainEqual(
        expect.objectContaining({ context: 'Shutdown', signal: 'SIGTERM', drainMs: DRAIN_MS }),
      );
    }

    report(matches, restarts, outages);
  }, 180_000);
});

/** Every time a player of `matches` was without a seat, with the player's transports. */
function outagesOf(matches: readonly RollingMatch[]) {
  return matches
    .flatMap((m) => m.players)
    .flatMap((p) => p.outages.map((o) => ({ ...o, transports: p.transports })));
}

/** The outages that began while `restart`'s instance drained: the players it moved. */
function outagesDuring<T extends { from: number }>(restart: Restart, outages: readonly T[]): T[] {
  return outages.filter((o) => o.from >= restart.sigtermAt && o.from <= restart.exitAt);
}

function isJsonLogLine(line: string): boolean {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    return typeof entry.level === 'string' && typeof entry.time === 'string' && 'msg' in entry;
  } catch {
    return false;
  }
}

/** What a person watching the deploy would want to know; printed, not asserted as timings. */
function report(
  matches: RollingMatch[],
  restarts: Restart[],
  outages: Array<{ from: number; to: number | null; attempts: number; transports: Transports }>,
): void {
  const ms = (n: number) => `${Math.round(n)} ms`;
  const gaps = outages.map((o) => ({ ...o, gap: (o.to ?? o.from) - o.from }));
  const worst = gaps.reduce((a, b) => (b.gap > a.gap ? b : a), gaps[0] as (typeof gaps)[number]);
  const byTransport = new Map<string, number[]>();
  for (const g of gaps) {
    const key = g.transports.join('+');
    byTransport.set(key, [...(byTransport.get(key) ?? []), g.gap]);
  }
  const lines = [
    `rolling deploy behind HAProxy: ${matches.length} matches, ${matches.reduce((n, m) => n + m.acked.length, 0)} acknowledged moves, ` +
      `${matches.reduce((n, m) => n + m.unanswered.length, 0)} unanswered (connection closed), ` +
      `${matches.reduce((n, m) => n + m.unavailable, 0)} SERVICE_UNAVAILABLE`,
    ...restarts.map(
      (r) =>
        `  ${r.server}: out of the balance ${ms(r.markedDownAt - r.sigtermAt)} after SIGTERM, ` +
        `exited after ${ms(r.exitAt - r.sigtermAt)}, back UP after ${ms(r.upAgainAt - r.sigtermAt)}, ` +
        `${outagesDuring(r, outages).length} player(s) moved`,
    ),
    `  ${gaps.length} times a player was without a seat; longest ${ms(worst?.gap ?? 0)} ` +
      `(${worst?.transports.join('+')}, ${worst?.attempts} connection(s))`,
    ...[...byTransport].map(
      ([t, g]) =>
        `    ${t}: ${g.length}, longest ${ms(Math.max(...g))}, median ${ms(g.sort((a, b) => a - b)[g.length >> 1] ?? 0)}`,
    ),
  ];
  console.log(lines.join('\n'));
}
