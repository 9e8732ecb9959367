// Three projects: pure unit specs beside the code, and the end-to-end suites twice, on one Redis
// (e2e) and on a 3-master Redis Cluster (e2e-cluster): one matrix over the same files. A suite
// opts out of one of the two with a `// @redis-target single: <why>` (or `cluster: <why>`) line
// in its opening comment (see test/support/README.md). The browser suites (test/browser/) are
// about the web client, not the store: they run on one Redis unless they say
// `// @redis-target both: <why>`.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};
const E2E_ROOT = join(__dirname, 'test');
const E2E_SPEC = /\.e2e-spec\.ts$/;

/** Suites here run on one Redis unless their opening comment says otherwise. */
const SINGLE_BY_DEFAULT = [join(E2E_ROOT, 'browser')];

/** Every e2e suite under test/ restricted to one target (by its opening comment or its folder). */
function suitesOnlyOn() {
  const only = { single: [], cluster: [] };
  for (const entry of readdirSync(E2E_ROOT, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !E2E_SPEC.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const opening = readFileSync(path, 'utf8').split('\n').slice(0, 30).join('\n');
    const marker = /^\/\/ @redis-target (single|cluster|both):\s*\S/m.exec(opening);
    const target =
      marker?.[1] ?? (SINGLE_BY_DEFAULT.includes(entry.parentPath) ? 'single' : 'both');
    if (target !== 'both') only[target].push(path);
  }
  return only;
}
const only = suitesOnlyOn();
/** testPathIgnorePatterns for exactly these files. */
const ignoring = (paths) => paths.map((p) => `^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const e2e = {
  ...common,
  rootDir: 'test',
  testRegex: E2E_SPEC.source,
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', rootDir: 'src', testRegex: '.*\\.spec\\.ts$' },
    {
      ...e2e,
      displayName: 'e2e',
      testPathIgnorePatterns: ['/node_modules/', ...ignoring(only.cluster)],
      // Read by test/support/redis-target.ts: the shared Redis at REDIS_URL.
      globals: { __REDIS_TARGET__: 'single' },
      // Builds dist/ once per run for the suites that spawn `node dist/main.js`.
      globalSetup: '<rootDir>/support/global-setup.ts',
    },
    {
      ...e2e,
      displayName: 'e2e-cluster',
      testPathIgnorePatterns: ['/node_modules/', ...ignoring(only.single)],
      globals: { __REDIS_TARGET__: 'cluster' },
      // Builds dist/ (once, if e2e runs too) and starts the run's Redis Cluster; stops it after.
      globalSetup: '<rootDir>/support/cluster-global-setup.ts',
      globalTeardown: '<rootDir>/support/cluster-global-teardown.ts',
    },
  ],
  // A global option (ignored inside a project): end-to-end suites boot servers and play matches.
  testTimeout: 60000,
};
