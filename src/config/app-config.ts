import { isIP } from 'node:net';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
const redisUrl = z
  .string()
  .regex(/^rediss?:\/\/.+/, { error: 'must be a redis:// or rediss:// URL' });
const clusterNodes = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n.length > 0),
  )
  .refine((nodes) => nodes.every((n) => /^[^:\s]+:\d{1,5}$/.test(n)), {
    error: 'must be a comma-separated list of host:port',
  });

/** An IP (v4 or v6) or a CIDR block of one, e.g. `10.0.0.0/8`. */
function isIpOrCidr(entry: string): boolean {
  const [ip = '', bits, ...rest] = entry.split('/');
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
const proxyList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n.length > 0),
  )
  .refine((entries) => entries.every(isIpOrCidr), {
    error: 'must be a comma-separated list of IP addresses or CIDR blocks',
  });

/** Every setting, with its default, as environment variables; the only place that reads them. */
const envSchema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
  REDIS_CLUSTER_NODES: clusterNodes.optional(),
  REDIS_SENTINELS: clusterNodes.optional(),
  REDIS_SENTINEL_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, { error: 'may hold only letters, digits and . _ -' })
    .optional(),
  REDIS_WAIT_REPLICAS: int(0, 64).default(0),
  REDIS_WAIT_TIMEOUT_MS: int(1, 60000).default(1000),
  REDIS_PROVIDER: z
    .enum(['async', 'hybrid'], { error: 'must be async or hybrid' })
    .default('async'),
  REDIS_HYBRID_ASYNC: bool.default(true),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 60000).default(1000),
  REDIS_LEGACY_TIMEOUT_MS: int(10, 60000).default(2000),
  REDIS_CONNECT_TIMEOUT_MS: int(100, 120000).default(5000),
  REDIS_HEALTH_TIMEOUT_MS: int(10, 60000).default(500),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]*$/, { error: 'may hold only letters, digits and : _ . -' })
    .default('hokm:'),
  ROOM_TTL_SECONDS: int(60, 30 * 24 * 3600).default(3600),
  SESSION_TTL_SECONDS: int(60, 30 * 24 * 3600).default(24 * 3600),
  HISTORY_TTL_SECONDS: int(60, 366 * 24 * 3600).default(7 * 24 * 3600),
  RECONNECT_GRACE_SECONDS: int(1, 3600).default(120),
  // 0 switches the turn clock off: nobody acts in a human's place.
  TURN_SECONDS: int(0, 3600).default(30),
  TIMER_POLL_MS: int(50, 60000).default(500),
  BOT_DELAY_MS: int(0, 60000).default(700),
  // The contract promises room for at least 20 spectators per table.
  SPECTATOR_LIMIT: int(20, 100000).default(100),
  RATE_LIMIT_BURST: int(1, 10000).default(20),
  RATE_LIMIT_PER_SECOND: int(1, 10000).default(10),
  MAX_PAYLOAD_BYTES: int(256, 1_000_000).default(4096),
  LOOKUP_FAILURES_PER_MINUTE: int(1, 1_000_000).default(60),
  LOOKUP_COOLDOWN_SECONDS: int(1, 24 * 3600).default(60),
  CONNECTIONS_PER_SECOND: int(1, 1_000_000).default(20),
  LISTINGS_PER_SECOND: int(1, 1_000_000).default(10),
  // Unset: no proxy is trusted and X-Forwarded-For is ignored.
  TRUST_PROXY: proxyList.optional(),
  SOCKET_WRITE_COALESCING: bool.default(true),
  SHUTDOWN_GRACE_MS: int(0, 60000).default(5000),
  SHUTDOWN_DRAIN_MS: int(0, 300000).default(0),
  // Unset: json under NODE_ENV=production, text otherwise.
  LOG_FORMAT: z.enum(['json', 'text'], { error: 'must be json or text' }).optional(),
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'], {
      error: 'must be one of fatal, error, warn, log, debug, verbose',
    })
    .default('log'),
});

/** Splits `host:port` at its last colon. */
function hostPort(node: string): { host: string; port: number } {
  const i = node.lastIndexOf(':');
  return { host: node.slice(0, i), port: Number(node.slice(i + 1)) };
}

/** The Redis settings that only make sense together, or not at all together. */
function checkRedisTopology(e: z.output<typeof envSchema>, ctx: z.RefinementCtx): void {
  const problem = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  if (e.REDIS_SENTINELS && e.REDIS_CLUSTER_NODES) {
    problem('REDIS_SENTINELS', 'cannot be combined with REDIS_CLUSTER_NODES');
  }
  if (e.REDIS_SENTINELS && !e.REDIS_SENTINEL_NAME) {
    problem('REDIS_SENTINEL_NAME', 'is required with REDIS_SENTINELS (the master group name)');
  }
  if (e.REDIS_SENTINEL_NAME && !e.REDIS_SENTINELS) {
    problem('REDIS_SENTINEL_NAME', 'needs REDIS_SENTINELS');
  }
  if (e.REDIS_WAIT_REPLICAS > 0 && e.REDIS_CLUSTER_NODES) {
    problem('REDIS_WAIT_REPLICAS', 'is not supported with REDIS_CLUSTER_NODES (keep it 0)');
  }
}

/** The environment, validated, shaped into the typed configuration the app reads. */
const configSchema = envSchema.superRefine(checkRedisTopology).transform((e) => {
  /** json: one JSON object per line (pino); text: a readable line per event. */
  const logFormat: 'json' | 'text' =
    e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'text');
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    logFormat,
    redis: {
      url: e.REDIS_URL,
      /** Set: run every client on ioredis Cluster with these seed nodes. */
      clusterNodes: e.REDIS_CLUSTER_NODES ? e.REDIS_CLUSTER_NODES.map(hostPort) : null,
      /** Set: every client finds the master through these sentinels (and follows a failover). */
      sentinel:
        e.REDIS_SENTINELS && e.REDIS_SENTINEL_NAME
          ? { nodes: e.REDIS_SENTINELS.map(hostPort), name: e.REDIS_SENTINEL_NAME }
          : null,
      /** A change is acknowledged once this many replicas confirm it (WAIT); 0: the master's word. */
      waitReplicas: e.REDIS_WAIT_REPLICAS,
      /** How long a write waits for those replicas before it answers SERVICE_UNAVAILABLE. */
      waitTimeoutMs: e.REDIS_WAIT_TIMEOUT_MS,
      provider: e.REDIS_PROVIDER,
      /** hybrid only: false is the rollback switch, every operation takes the legacy path. */
      hybridAsync: e.REDIS_HYBRID_ASYNC,
      commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
      legacyTimeoutMs: e.REDIS_LEGACY_TIMEOUT_MS,
      connectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS,
      healthTimeoutMs: e.REDIS_HEALTH_TIMEOUT_MS,
      keyPrefix: e.REDIS_KEY_PREFIX,
    },
    game: {
      roomTtlSeconds: e.ROOM_TTL_SECONDS,
      sessionTtlSeconds: e.SESSION_TTL_SECONDS,
      /** How long a finished match's record is kept (GET /api/matches/:matchId). */
      historyTtlSeconds: e.HISTORY_TTL_SECONDS,
      reconnectGraceSeconds: e.RECONNECT_GRACE_SECONDS,
      /** How long a human has for an awaited action (hokm or card); 0: the clock is off. */
      turnSeconds: e.TURN_SECONDS,
      timerPollMs: e.TIMER_POLL_MS,
      /** Pause before a bot plays, so people can follow the table. */
      botDelayMs: e.BOT_DELAY_MS,
      /** Most sockets that may watch one room at once (over every instance). */
      spectatorLimit: e.SPECTATOR_LIMIT,
    },
    gateway: {
      rateLimitBurst: e.RATE_LIMIT_BURST,
      rateLimitPerSecond: e.RATE_LIMIT_PER_SECOND,
      maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
      /** A connection's packets of one tick leave in one write (engine.io internals; false: off). */
      writeCoalescing: e.SOCKET_WRITE_COALESCING,
    },
    /** Budgets per client address, shared by every instance (kept in Redis). */
    addressLimits: {
      /** Failed join/watch/reconnect/match lookups an address may make within a minute... */
      lookupFailuresPerMinute: e.LOOKUP_FAILURES_PER_MINUTE,
      /** ...before its lookups answer RATE_LIMITED for this long. */
      lookupCooldownSeconds: e.LOOKUP_COOLDOWN_SECONDS,
      /** New Socket.IO connections an address may open per second. */
      connectionsPerSecond: e.CONNECTIONS_PER_SECOND,
      /** `GET /api/rooms` requests an address may make per second. */
      listingsPerSecond: e.LISTINGS_PER_SECOND,
      /** The proxies (IPs, CIDRs) whose X-Forwarded-For is believed; empty: none. */
      trustProxy: e.TRUST_PROXY ?? [],
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    /** On SIGTERM, how long /health answers 503 while sockets are still served, before closing. */
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
  };
});

/** The typed, validated configuration of one process (what configSchema produces). */
export type AppConfig = z.output<typeof configSchema>;

/** Thrown at boot with every bad variable listed at once. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates an environment into an AppConfig, or throws one ConfigError naming every problem. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  // An empty variable means "unset": .env files and shells often leave `FOO=`.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const name = i.path.join('.');
      return `${name}=${JSON.stringify(env[name] ?? '')} ${i.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
