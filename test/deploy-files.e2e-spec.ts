// The files an operator copies from deploy/ agree with each other and with the server: HAProxy
// accepts its configuration, the example environment is a valid configuration, the drain outlasts
// HAProxy's detection of it, and systemd's stop timeout outlasts the drain plus the grace. And
// the Node versions package.json admits are ones every installed package runs on.
// @redis-target single: reads files, uses no Redis.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';
import { loadConfig } from '../src/config/app-config';
import {
  checkHaproxyConfig,
  SHIPPED_HAPROXY_CFG,
  shippedHaproxyConfig,
  testHaproxyConfig,
} from './support/haproxy';
import { REPO_ROOT } from './support/main-process';

const DEPLOY = join(REPO_ROOT, 'deploy');

/** KEY=VALUE lines of an environment file (comments and blank lines skipped). */
function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1] as string] = match[2] as string;
  }
  return env;
}

/** `Key=value` settings of a systemd unit (the last one wins, as systemd reads them). */
function readUnit(file: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) settings[match[1] as string] = match[2] as string;
  }
  return settings;
}

/** A systemd or HAProxy duration (`20s`, `500ms`, `2m`, a bare number of seconds) in ms. */
function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(value.trim());
  if (!match) throw new Error(`not a duration: ${value}`);
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : match[2] === 'm' ? n * 60_000 : n * 1000;
}

describe('deploy/', () => {
  const env = readEnvFile(join(DEPLOY, 'hokm.env'));
  const unit = readUnit(join(DEPLOY, 'hokm@.service'));

  it('haproxy.cfg is accepted by haproxy -c, and the test configuration is made from it', () => {
    const check = checkHaproxyConfig(SHIPPED_HAPROXY_CFG);
    expect(check).toMatchObject({ status: 0 });
    expect(check.output).toMatch(/Configuration file is valid/);
    expect(() =>
      testHaproxyConfig(shippedHaproxyConfig(), {
        port: 1,
        statsPort: 2,
        servers: [{ name: 'hokm1', port: 3 }],
        checkIntervalMs: 100,
      }),
    ).not.toThrow();
  });

  it('hokm.env is a valid production configuration that leaves PORT to the unit', () => {
    expect(env.PORT).toBeUndefined();
    const config = loadConfig({ ...env, PORT: '3001' });
    expect(config).toMatchObject({ logFormat: 'json', port: 3001 });
    expect(loadConfig({ NODE_ENV: env.NODE_ENV }).logFormat).toBe('json');
  });

  it("the drain outlasts HAProxy's detection of it (inter + (fall - 1) x fastinter)", () => {
    const line = /^\s*default-server\s.*$/m.exec(shippedHaproxyConfig())?.[0] ?? '';
    const tokens = line.trim().split(/\s+/);
    const option = (name: string) => tokens[tokens.indexOf(name) + 1];
    const inter = durationMs(option('inter') ?? '');
    const fastinter = durationMs(option('fastinter') ?? '');
    const fall = Number(option('fall'));
    const config = loadConfig({ ...env, PORT: '3001' });
    expect(config.shutdownDrainMs).toBeGreaterThanOrEqual(2 * (inter + (fall - 1) * fastinter));
  });

  it('hokm@.service stops with SIGTERM and waits longer than the drain plus the grace', () => {
    const config = loadConfig({ ...env, PORT: '3001' });
    expect(unit).toMatchObject({
      KillSignal: 'SIGTERM',
      EnvironmentFile: '/etc/hokm/hokm.env',
      Environment: 'PORT=%i',
      Restart: 'always',
      ExecStart: '/usr/bin/node dist/main.js',
    });
    expect(durationMs(unit.TimeoutStopSec ?? '')).toBeGreaterThan(
      config.shutdownDrainMs + config.shutdownGraceMs,
    );
  });

  it('rolling-restart.sh is valid bash', () => {
    const run = spawnSync('bash', ['-n', join(DEPLOY, 'rolling-restart.sh')], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});

describe('package.json engines', () => {
  const engines = (file: string) =>
    (JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as { engines: { node: string } })
      .engines.node;

  it('its oldest Node runs every installed package (npm ci, build, test, lint)', () => {
    const oldest = minVersion(engines('package.json'))?.version;
    expect(oldest).toBeDefined();
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: unknown }>;
    };
    const refusing = Object.entries(lock.packages)
      .map(([path, p]) => ({ path, node: (p.engines as { node?: unknown } | undefined)?.node }))
      .filter(({ path, node }) => path !== '' && typeof node === 'string')
      .filter(({ node }) => !satisfies(oldest as string, node as string))
      .map(({ path, node }) => `${path} needs node ${String(node)}`);
    expect(refusing).toEqual([]);
  });

  it('admits the Node running the tests', () => {
    expect(satisfies(process.version, engines('package.json'))).toBe(true);
  });
});
