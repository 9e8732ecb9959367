// Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: the top functions by
// self time, and self time by package / source area. Usage:
//   npx ts-node --transpile-only bench/tools/cpuprofile-top.ts FILE.cpuprofile [topN]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

// Flags: --from S --to S keep only samples taken in that window (seconds after the profile
// started: the benchmark prints its measured window); --moves N adds µs per move to each line.
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value === undefined ? undefined : Number(value);
};
const fromS = flag('from') ?? 0;
const toS = flag('to') ?? Infinity;
const moves = flag('moves');
const [file, topArg] = args;
if (!file) {
  process.stderr.write(
    'usage: cpuprofile-top.ts FILE.cpuprofile [topN] [--from S --to S] [--moves N]\n',
  );
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(topArg ?? 40);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
let clock = 0;
for (let i = 0; i < profile.samples.length; i++) {
  clock += profile.timeDeltas[i] ?? 0;
  if (clock < fromS * 1e6 || clock > toS * 1e6) continue;
  const id = profile.samples[i]!;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

function area(url: string): string {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const dist = url.indexOf('/dist/');
  if (dist >= 0)
    return `app:${url
      .slice(dist + 6)
      .split('/')
      .slice(0, 2)
      .join('/')}`;
  return url;
}

const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/');
  const key = `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  byArea.set(area(url), (byArea.get(area(url)) ?? 0) + us);
}
// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/');
  return `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`;
};
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const key = keyOf(byId.get(cur)!);
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
}
const pct = (us: number) =>
  `${((us / totalUs) * 100).toFixed(1).padStart(5)}%` +
  (moves ? ` ${(us / moves).toFixed(1).padStart(6)} µs/move` : '');
const idleUs = [...byFunction]
  .filter(([k]) => k.startsWith('(idle)'))
  .reduce((a, [, v]) => a + v, 0);
process.stdout.write(
  `total sampled ${(totalUs / 1e6).toFixed(2)} s, busy ${((totalUs - idleUs) / 1e6).toFixed(2)} s` +
    (moves ? `, ${((totalUs - idleUs) / moves).toFixed(0)} µs busy per move` : '') +
    '\n\nself time by area\n',
);
for (const [name, us] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  process.stdout.write(`${pct(us)}  ${name}\n`);
}
process.stdout.write(`\ntop ${top} functions by self time\n`);
for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`${pct(us)}  ${name}\n`);
}
const pattern = process.env.INCLUSIVE ? new RegExp(process.env.INCLUSIVE) : null;
process.stdout.write(
  `\ntop ${top} functions by inclusive time${pattern ? ` matching ${pattern}` : ''}\n`,
);
for (const [name, us] of [...inclusive]
  .filter(([name]) => (pattern ? pattern.test(name) : !/^\((root|program|idle)\)/.test(name)))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top)) {
  process.stdout.write(`${pct(us)}  ${name}\n`);
}
