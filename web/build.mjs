// Builds the browser client into dist/public: compiles web/src with the repo's tsc
// (web/tsconfig.json) and copies web/public as is. Run by `npm run build` after `nest build`
// and by the e2e globalSetup. Exits non-zero on any type error, leaving no client behind.
//
// It builds into a private directory and swaps it in at the end, so a server (or a test run)
// serving dist/public meanwhile never sees a half-built client.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = dirname(fileURLToPath(import.meta.url));
const dist = join(web, '..', 'dist');
const out = join(dist, 'public');
const next = join(dist, `.public-${process.pid}`);
const old = join(dist, `.public-old-${process.pid}`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const build = spawnSync(
  process.execPath,
  [tsc, '-p', join(web, 'tsconfig.json'), '--outDir', next],
  { stdio: 'inherit' },
);
if (build.status !== 0) {
  rmSync(next, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
  process.stderr.write(`web client: tsc failed (${build.status ?? build.error?.message})\n`);
  process.exit(1);
}
cpSync(join(web, 'public'), next, { recursive: true });
if (existsSync(out)) renameSync(out, old);
renameSync(next, out);
rmSync(old, { recursive: true, force: true });
