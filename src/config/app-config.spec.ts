import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});

    expect(config.port).toBe(3000);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.redis.provider).toBe('async');
    expect(config.redis.hybridAsync).toBe(true);
    expect(config.redis.legacyTimeoutMs).toBe(2000);
    expect(config.game.reconnectGraceSeconds).toBe(120);
    expect(config.redis.clusterNodes).toBeNull();
  });

  it('shapes an empty environment into the whole typed configuration, every default in place', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'log',
      logFormat: 'text',
      redis: {
        url: 'redis://127.0.0.1:6379',
        clusterNodes: null,
        sentinel: null,
        waitReplicas: 0,
        waitTimeoutMs: 1000,
        provider: 'async',
        hybridAsync: true,
        commandTimeoutMs: 1000,
        legacyTimeoutMs: 2000,
        connectTimeoutMs: 5000,
        healthTimeoutMs: 500,
        keyPrefix: 'hokm:',
      },
      game: {
        roomTtlSeconds: 3600,
        sessionTtlSeconds: 86400,
        historyTtlSeconds: 604800,
        reconnectGraceSeconds: 120,
        timerPollMs: 500,
        turnSeconds: 30,
        botDelayMs: 700,
        spectatorLimit: 100,
      },
      gateway: {
        rateLimitBurst: 20,
        rateLimitPerSecond: 10,
        maxPayloadBytes: 4096,
        writeCoalescing: true,
      },
      addressLimits: {
        lookupFailuresPerMinute: 60,
        lookupCooldownSeconds: 60,
        connectionsPerSecond: 20,
        listingsPerSecond: 10,
        trustProxy: [],
      },
      shutdownGraceMs: 5000,
      shutdownDrainMs: 0,
    });
  });

  it('logs JSON under NODE_ENV=production unless LOG_FORMAT says otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'production', LOG_FORMAT: 'text' }).logFormat).toBe('text');
  });

  it('reads the provider flag and the rollback switch', () => {
    const config = loadConfig({ REDIS_PROVIDER: 'hybrid', REDIS_HYBRID_ASYNC: 'false' });

    expect(config.redis.provider).toBe('hybrid');
    expect(config.redis.hybridAsync).toBe(false);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  it('parses cluster seed nodes', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000, 127.0.0.1:7001' });

    expect(config.redis.clusterNodes).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: '127.0.0.1', port: 7001 },
    ]);
  });

  it('reads the Sentinel group and the replicas a write waits for', () => {
    const config = loadConfig({
      REDIS_SENTINELS: '127.0.0.1:26379, 10.0.0.2:26380',
      REDIS_SENTINEL_NAME: 'hokm',
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '250',
    });

    expect(config.redis.sentinel).toEqual({
      name: 'hokm',
      nodes: [
        { host: '127.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
      ],
    });
    expect(config.redis.waitReplicas).toBe(1);
    expect(config.redis.waitTimeoutMs).toBe(250);
  });

  it.each([
    [
      'Sentinel and Cluster together',
      { REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'b:2' },
      'REDIS_SENTINELS="a:1" cannot be combined with REDIS_CLUSTER_NODES',
    ],
    [
      'sentinels without the master name',
      { REDIS_SENTINELS: 'a:1' },
      'REDIS_SENTINEL_NAME="" is required with REDIS_SENTINELS',
    ],
    [
      'a master name without sentinels',
      { REDIS_SENTINEL_NAME: 'm' },
      'REDIS_SENTINEL_NAME="m" needs REDIS_SENTINELS',
    ],
    [
      'WAIT on a Cluster',
      { REDIS_WAIT_REPLICAS: '1', REDIS_CLUSTER_NODES: 'b:2' },
      'REDIS_WAIT_REPLICAS="1" is not supported with REDIS_CLUSTER_NODES',
    ],
    ['a sentinel without a port', { REDIS_SENTINELS: 'a', REDIS_SENTINEL_NAME: 'm' }, 'host:port'],
    ['a negative replica count', { REDIS_WAIT_REPLICAS: '-1' }, 'must be at least 0'],
  ])('refuses %s in one clear line', (_label, env, expected) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(expected);
  });

  it('lists every bad variable in one error', () => {
    const act = () =>
      loadConfig({ PORT: 'abc', REDIS_PROVIDER: 'sync', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });

    expect(act).toThrow(ConfigError);
    try {
      act();
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('PORT="abc"');
      expect(message).toContain('REDIS_PROVIDER="sync" must be async or hybrid');
      expect(message).toContain('REDIS_URL="http://x"');
      expect(message).toContain('LOG_LEVEL="loud"');
    }
  });
});
