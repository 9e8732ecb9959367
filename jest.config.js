// Two projects: pure unit specs beside the code, and end-to-end suites against a real Redis.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', rootDir: 'src', testRegex: '.*\\.spec\\.ts$' },
    {
      ...common,
      displayName: 'e2e',
      rootDir: 'test',
      testRegex: '.*\\.e2e-spec\\.ts$',
      // Builds dist/ once per run for the suites that spawn `node dist/main.js`.
      globalSetup: '<rootDir>/support/global-setup.ts',
    },
  ],
  // A global option (ignored inside a project): end-to-end suites boot servers and play matches.
  testTimeout: 60000,
};
