// Command-line flags of `npm run bench`.

/** A server configuration the benchmark can run. */
export type ServerConfigName = 'async' | 'hybrid' | 'legacy' | 'async-x2' | 'async-uncoalesced';
export type ConfigName = ServerConfigName | 'redis-benchmark';

export const SERVER_CONFIGS: Record<
  ServerConfigName,
  /** `instances`: server processes of this configuration, whatever --instances says. */
  { label: string; env: Record<string, string>; instances?: number }
> = {
  async: { label: 'async', env: { REDIS_PROVIDER: 'async' } },
  hybrid: {
    label: 'hybrid (async path on)',
    env: { REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'true' },
  },
  legacy: {
    label: 'hybrid, REDIS_HYBRID_ASYNC=false (legacy path)',
    env: { REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' },
  },
  // Two processes on one Redis, every table's players split over both (round-robin): what a
  // change costs when it has to reach another instance.
  'async-x2': {
    label: 'async, 2 instances (each table on both)',
    env: { REDIS_PROVIDER: 'async' },
    instances: 2,
  },
  // Only on request (--config): async with socket write coalescing off, for an A/B run of it.
  'async-uncoalesced': {
    label: 'async, SOCKET_WRITE_COALESCING=false',
    env: { REDIS_PROVIDER: 'async', SOCKET_WRITE_COALESCING: 'false' },
  },
};
const ALL_CONFIGS: ConfigName[] = ['async', 'hybrid', 'legacy', 'async-x2', 'redis-benchmark'];
const KNOWN_CONFIGS: ConfigName[] = [...ALL_CONFIGS, 'async-uncoalesced'];

export interface BenchOptions {
  /** Connected players (sockets); the first rooms × 4 play, any others stay connected idle. */
  players: number;
  /** Tables playing at once. */
  rooms: number;
  /** Measured window per configuration, seconds. */
  durationS: number;
  /** Play before the window opens, seconds (JIT, caches, every table past its first deal). */
  warmupS: number;
  /** Server processes per configuration, all on one Redis; players are spread round-robin. */
  instances: number;
  configs: ConfigName[];
  /** Existing server(s) to load instead of spawning them (comma-separated base URLs). */
  urls: string[] | null;
  redisUrl: string;
  /** Key prefix of the external server (--url only), for the key-size cross-check. */
  externalPrefix: string | null;
  targetScore: number;
  thinkMs: number;
  /** Sockets watching each table (`watch`), spread over the instances like the players. */
  spectators: number;
  /** EVALSHA requests and parallel clients of the redis-benchmark run. */
  redisBenchRequests: number;
  redisBenchClients: number;
  /** Where the JSON and markdown reports go. */
  outDir: string;
  /** Extra node flags for the server (e.g. --cpu-prof). */
  nodeArgs: string[];
  smoke: boolean;
  /** Repeat each configuration this many times and report the median of each figure. */
  repeat: number;
  /** The server entry point to spawn (default dist/main.js; another build for an A/B run). */
  mainJs: string | null;
  /** TURN_SECONDS of the spawned servers (0: the turn clock off, as before it existed). */
  turnSeconds: number;
  /** REDIS_WAIT_REPLICAS of the spawned servers (the Redis at --redis needs that many replicas). */
  waitReplicas: number;
}

const HELP = `npm run bench -- [flags]

  --players N        connected players (default 400; smoke 8)
  --rooms N          tables playing at once (default players/4)
  --duration S       measured seconds per configuration (default 10; smoke 2)
  --warmup S         seconds of play before measuring (default 3; smoke 1)
  --instances N      server processes per configuration on one Redis (default 1; async-x2
                     always runs 2)
  --config LIST      subset of async,hybrid,legacy,async-x2,redis-benchmark (default all),
                     or async-uncoalesced (async, SOCKET_WRITE_COALESCING=false); async-x2
                     is async on 2 instances, each table's players split over both
  --url URL[,URL]    load existing server(s) instead of spawning (config "external")
  --redis URL        Redis the servers use (default $REDIS_URL or redis://127.0.0.1:6379)
  --prefix P         key prefix of the --url server, for the per-room key size
  --target-score N   match length, 1..7 (default 7)
  --think-ms N       pause before each move (default 0: closed loop)
  --spectators N     sockets watching each table (default 0)
  --rb-requests N    redis-benchmark EVALSHA requests (default 100000; smoke 2000)
  --rb-clients N     redis-benchmark parallel clients (default 50)
  --repeat N         run each configuration N times, report medians (default 1)
  --node-args "..."  extra node flags for each server, e.g. "--cpu-prof --cpu-prof-dir=prof"
  --main FILE        server entry point to spawn (default dist/main.js), e.g. another build
  --turn-seconds N   TURN_SECONDS of the spawned servers (default 0: the turn clock off)
  --wait-replicas N  REDIS_WAIT_REPLICAS of the spawned servers (default 0; the --redis master
                     needs N replicas, or every move is refused)
  --out DIR          report directory (default bench/results)
  --smoke            a few seconds, few players, every configuration briefly
`;

function positive(name: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new Error(`${name} needs a ${allowZero ? 'non-negative' : 'positive'} number`);
  }
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(HELP);
      process.exit(0);
    }
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${HELP}`);
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (arg === '--smoke') flags.set('smoke', 'true');
    else flags.set(arg.slice(2), argv[++i] ?? '');
  }
  const known = new Set([
    'players',
    'rooms',
    'duration',
    'warmup',
    'instances',
    'config',
    'url',
    'redis',
    'prefix',
    'target-score',
    'think-ms',
    'spectators',
    'rb-requests',
    'rb-clients',
    'repeat',
    'node-args',
    'out',
    'smoke',
    'main',
    'turn-seconds',
    'wait-replicas',
  ]);
  for (const name of flags.keys()) {
    if (!known.has(name)) throw new Error(`unknown flag --${name}\n${HELP}`);
  }
  const smoke = flags.get('smoke') === 'true';
  const num = (name: string, fallback: number, allowZero = false) =>
    flags.has(name) ? positive(`--${name}`, flags.get(name), allowZero) : fallback;

  let players = num('players', smoke ? 8 : 400);
  let rooms = flags.has('rooms') ? num('rooms', 1) : Math.floor(players / 4);
  if (!flags.has('players') && flags.has('rooms')) players = rooms * 4;
  rooms = Math.floor(rooms);
  players = Math.floor(players);
  if (rooms < 1) throw new Error('at least one room (4 players) is needed');
  if (rooms * 4 > players) throw new Error(`--rooms ${rooms} needs at least ${rooms * 4} players`);

  const urls =
    flags
      .get('url')
      ?.split(',')
      .map((u) => u.trim().replace(/\/$/, '')) ?? null;
  let configs: ConfigName[] = ALL_CONFIGS;
  if (flags.has('config')) {
    configs = flags
      .get('config')!
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean)
      .map((c) => (c === 'rb' ? 'redis-benchmark' : c) as ConfigName);
    for (const c of configs) {
      if (!KNOWN_CONFIGS.includes(c))
        throw new Error(`unknown config ${c}: use ${KNOWN_CONFIGS.join(',')}`);
    }
  }
  const targetScore = num('target-score', 7);
  if (!Number.isInteger(targetScore) || targetScore > 7) throw new Error('--target-score is 1..7');
  return {
    players,
    rooms,
    durationS: num('duration', smoke ? 2 : 10),
    warmupS: num('warmup', smoke ? 1 : 3, true),
    instances: Math.floor(num('instances', 1)),
    configs,
    urls,
    redisUrl: flags.get('redis') ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    externalPrefix: flags.get('prefix') ?? null,
    targetScore,
    thinkMs: num('think-ms', 0, true),
    spectators: Math.floor(num('spectators', 0, true)),
    redisBenchRequests: Math.floor(num('rb-requests', smoke ? 2000 : 100000)),
    redisBenchClients: Math.floor(num('rb-clients', 50)),
    outDir: flags.get('out') ?? 'bench/results',
    nodeArgs: (flags.get('node-args') ?? '').split(' ').filter(Boolean),
    smoke,
    repeat: Math.floor(num('repeat', 1)),
    mainJs: flags.get('main') ?? null,
    turnSeconds: Math.floor(num('turn-seconds', 0, true)),
    waitReplicas: Math.floor(num('wait-replicas', 0, true)),
  };
}
