// The socket push path alone, in instructions per move under callgrind: a Socket.IO server with a
// build's packet encoder and write coalescing (no rules, no Redis, no Nest) sends what a move sends
// (one event broadcast to the table, a ~1 KB `state` to each of its four players) to websocket
// clients in another process (80 by default). Instruction counts repeat to a fraction of a
// percent where the CPU time of the end-to-end benchmark scatters by ±10% on a shared machine,
// so this tells two builds' push paths apart. Each build runs MOVES and 2×MOVES moves; the difference over MOVES is the
// per-move count, start-up excluded. Needs valgrind. With --cpu: the CPU time (user and kernel)
// per move instead, without valgrind, five interleaved runs of each build. Usage, from the
// project root:
//   npx ts-node --transpile-only bench/tools/push-path.ts DIR_A DIR_B [moves=4000] [--cpu]
//     [--tables 20] [--per-turn 10]   (tables of four clients; moves sent per timer tick)
// where each DIR holds a build (`dist/`), e.g. a worktree of an older commit after `npm run build`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Set by the parent for both roles (--tables, --per-turn). A move per table per turn at most, as
// in the closed-loop benchmark: each connection's write then carries one move's packets.
const TABLES = Number(process.env.PUSH_PATH_TABLES ?? 20);
const CLIENTS = TABLES * 4;
const MOVES_PER_TURN = Number(process.env.PUSH_PATH_PER_TURN ?? 10);

type Fn = (...args: never[]) => unknown;

/** The server: Socket.IO with the build's parser and coalescing, MOVES moves, then exit. */
function server(root: string, dist: string, moves: number): void {
  const need = createRequire(join(root, 'package.json'));
  const { Server } = need('socket.io') as typeof import('socket.io');
  const build = (path: string) => need(join(resolve(dist), 'dist', path)) as Record<string, Fn>;
  const coalescing = build('gateway/socket-write-coalescing.js');
  const encoder = build('gateway/json-packet-encoder.js') as unknown as {
    jsonTextParser: object;
    JsonText: new (json: string) => object;
  };
  const http = createServer();
  const io = new Server(http, { parser: encoder.jsonTextParser });
  (coalescing.coalesceWritesOf as (io: unknown) => void)(io);
  const ns = io.of('/game');
  const sockets: Array<{ emit(event: string, payload: unknown): void }> = [];
  const table = JSON.stringify({
    roomCode: 'ABC123',
    version: 12,
    phase: 'playing',
    players: [0, 1, 2, 3].map((seat) => ({
      playerId: `p_${'x'.repeat(20)}${seat}`,
      name: `Player ${seat}`,
      seat,
      team: seat % 2,
      connected: true,
      cardCount: 9,
      away: false,
    })),
    currentTrick: [{ playerId: 'p_1', card: '10_clubs' }],
    matchId: `m_${'y'.repeat(22)}`,
    padding: 'z'.repeat(600),
  }).slice(0, -1);
  const play = () => {
    let done = 0;
    let started: NodeJS.CpuUsage | undefined;
    const turn = () => {
      started ??= process.cpuUsage();
      for (let k = 0; k < MOVES_PER_TURN; k++, done++) {
        const t = done % TABLES;
        ns.local
          .to([`room:${t}`, `watch:${t}`])
          .emit('card_played', { playerId: 'p_1', card: 'A_spades', version: done });
        for (let seat = 0; seat < 4; seat++) {
          const view = new encoder.JsonText(`${table},"you":{"seat":${seat},"v":${done}}}`);
          sockets[t * 4 + seat]!.emit('state', view);
        }
      }
      if (done < moves) {
        setTimeout(turn, 1);
        return;
      }
      // The last writes' callbacks included, then the CPU time the moves took.
      setTimeout(() => {
        const { user, system } = process.cpuUsage(started);
        process.stdout.write(`${JSON.stringify({ user, system, moves: done })}\n`, () =>
          process.exit(0),
        );
      }, 200);
    };
    setTimeout(turn, 500);
  };
  ns.on('connection', (socket) => {
    void socket.join(`room:${Math.floor(sockets.length / 4)}`);
    sockets.push(socket);
    if (sockets.length === CLIENTS) play();
  });
  http.listen(Number(process.env.PUSH_PATH_PORT), '127.0.0.1');
}

/** The clients: CLIENTS websocket connections that read everything. */
function clients(root: string, port: number): void {
  const { io } = createRequire(join(root, 'package.json'))(
    'socket.io-client',
  ) as typeof import('socket.io-client');
  for (let i = 0; i < CLIENTS; i++) {
    io(`http://127.0.0.1:${port}/game`, { transports: ['websocket'] }).onAny(() => undefined);
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/** Runs the server of `dist` for `moves` moves (under callgrind or not) beside the clients. */
async function runServer(script: string, dist: string, moves: number, callgrind: boolean) {
  const port = await freePort();
  const env = { ...process.env, PUSH_PATH_PORT: String(port) };
  const readers = spawn(process.execPath, [script, 'clients', String(port)], {
    env,
    stdio: 'ignore',
  });
  const node = [process.execPath, '--single-threaded', script, 'server', dist, String(moves)];
  const valgrind = [
    '--tool=callgrind',
    '--smc-check=all-non-file',
    '--callgrind-out-file=/dev/null',
  ];
  try {
    const [command, ...args] = callgrind ? ['valgrind', ...valgrind, ...node] : node;
    const run = spawnSync(command!, args, { env, encoding: 'utf8', timeout: 15 * 60_000 });
    if (run.status !== 0) {
      throw new Error(`server run failed (${run.status}): ${run.error ?? run.stderr.slice(-400)}`);
    }
    return run;
  } finally {
    readers.kill();
  }
}

/** Instructions per move callgrind counts: 2×moves minus moves, over moves (start-up cancels). */
async function instructionsPerMove(script: string, dist: string, moves: number) {
  const collected = async (n: number) => {
    const { stderr } = await runServer(script, dist, n, true);
    const match = /Collected : (\d+)/.exec(stderr);
    if (!match) throw new Error(`no instruction count from callgrind: ${stderr.slice(-400)}`);
    return Number(match[1]);
  };
  const short = await collected(moves);
  return ((await collected(2 * moves)) - short) / moves;
}

/** CPU µs per move (user and kernel) of the server's moves, without callgrind. */
async function cpuPerMove(script: string, dist: string, moves: number) {
  const { stdout } = await runServer(script, dist, moves, false);
  const {
    user,
    system,
    moves: done,
  } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    user: number;
    system: number;
    moves: number;
  };
  return { user: user / done, system: system / done };
}

async function main(): Promise<void> {
  const [role, ...rest] = process.argv.slice(2);
  const root = resolve(__dirname, '..', '..');
  if (role === 'server') return server(process.env.PUSH_PATH_ROOT!, rest[0]!, Number(rest[1]));
  if (role === 'clients') return clients(process.env.PUSH_PATH_ROOT!, Number(rest[0]));
  const cpu = rest.includes('--cpu');
  const flag = (name: string, fallback: number) => {
    const at = rest.indexOf(name);
    return at < 0 ? fallback : Number(rest[at + 1]);
  };
  const tables = flag('--tables', 20);
  const perTurn = flag('--per-turn', 10);
  const [dirB, count] = rest.filter(
    (arg, i) => !arg.startsWith('--') && !['--tables', '--per-turn'].includes(rest[i - 1] ?? ''),
  );
  const dirs = [role, dirB];
  const moves = Number(count ?? 4000);
  if (!dirs[0] || !dirs[1] || !(moves > 0) || !(tables > 0) || !(perTurn > 0)) {
    throw new Error(
      'usage: push-path.ts DIR_A DIR_B [moves=4000] [--cpu] [--tables 20] [--per-turn 10]',
    );
  }
  if (perTurn > tables) throw new Error('--per-turn above --tables: a table would move twice');
  process.env.PUSH_PATH_TABLES = String(tables);
  process.env.PUSH_PATH_PER_TURN = String(perTurn);
  // Valgrind runs node on plain JavaScript: this file, transpiled once.
  const ts = createRequire(join(root, 'package.json'))('typescript') as typeof import('typescript');
  const folder = mkdtempSync(join(tmpdir(), 'push-path-'));
  const script = join(folder, 'push-path.js');
  writeFileSync(
    script,
    ts.transpileModule(readFileSync(__filename, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText,
  );
  process.env.PUSH_PATH_ROOT = root;
  try {
    const perMove: number[] = [];
    // CPU time: A, B, A, B, ... five times (the machine's drift hits both), medians.
    const rounds = cpu ? 5 : 1;
    const samples: number[][] = [[], []];
    for (let round = 0; round < rounds; round++) {
      for (const [i, dir] of (dirs as string[]).entries()) {
        if (!cpu) {
          samples[i]!.push(await instructionsPerMove(script, dir, moves));
          continue;
        }
        const { user, system } = await cpuPerMove(script, dir, moves);
        samples[i]!.push(user + system);
        console.log(`${dir}: ${(user + system).toFixed(1)} µs (user ${user.toFixed(1)})`);
      }
    }
    for (const [i, dir] of (dirs as string[]).entries()) {
      const sorted = [...samples[i]!].sort((x, y) => x - y);
      perMove.push(sorted[Math.floor(sorted.length / 2)]!);
      const figure = cpu
        ? `${perMove[i]!.toFixed(1)} µs CPU per move (median of ${rounds})`
        : `${(perMove[i]! / 1000).toFixed(1)} K instructions per move`;
      console.log(`${dir}: ${figure}`);
    }
    console.log(`B / A: ${(perMove[1]! / perMove[0]!).toFixed(3)}`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
