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
        botDelayMs: 700,
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
