import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Jest globalSetup of the e2e project: builds `dist/` once per run (`npx tsc -p
 * tsconfig.build.json`), so tests that spawn `node dist/main.js` run the current source.
 *
 * tsc exit 2 means "type errors, JS emitted anyway": the run goes on with a loud warning, since
 * the process tests check runtime behaviour and type errors are `tsc --noEmit`'s job (a half-done
 * change elsewhere in the tree must not hold every e2e suite hostage). Any other failure (no
 * output, tsc missing) fails the run.
 *
 * Then the browser client (`node web/build.mjs` into dist/public, as `npm run build` does) for
 * test/browser; if that fails the run goes on with a warning and the browser suite fails alone.
 */
export default function globalSetup(globalConfig?: object): void {
  // Both e2e projects build: once per run is enough when a run holds both (jest runs their
  // global hooks one after another in its own process, with the same global config).
  const state = globalThis as { __HOKM_DIST_BUILT_FOR__?: object };
  if (globalConfig && state.__HOKM_DIST_BUILT_FOR__ === globalConfig) return;
  state.__HOKM_DIST_BUILT_FOR__ = globalConfig;
  const root = resolve(__dirname, '..', '..');
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
    cwd: root,
    encoding: 'utf8',
  });
  const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim();
  buildWebClient(root);
  if (build.status === 0) return;
  if (build.status === 2) {
    process.stderr.write(
      `\ne2e globalSetup: dist/ built WITH TYPE ERRORS (JS emitted):\n${output}\n\n`,
    );
    return;
  }
  throw new Error(
    `e2e globalSetup: \`npx tsc -p tsconfig.build.json\` failed (${build.status ?? build.error?.message}):\n${output}`,
  );
}

function buildWebClient(root: string): void {
  const web = spawnSync(process.execPath, ['web/build.mjs'], { cwd: root, encoding: 'utf8' });
  if (web.status === 0) return;
  const output = `${web.stdout ?? ''}${web.stderr ?? ''}`.trim();
  process.stderr.write(
    `\ne2e globalSetup: web client build failed (${web.status}):\n${output}\n\n`,
  );
}
