// The pure per-move work of two builds, in one process, alternated: the rules, the diff the commit
// sends, the players' views, and (two instances) the change mailed to the other instance and the
// views built there. No sockets, no Redis: what the end-to-end benchmark cannot tell apart from
// the machine's noise, measured as CPU time per move. Usage, from the project root:
//   npx ts-node --transpile-only bench/tools/pipeline-ab.ts DIR_A DIR_B [rounds=16] [matches=40]
// where each DIR holds a build (`dist/`), e.g. a worktree of an older commit after `npm run build`.
import { join, resolve } from 'node:path';

type Fn = (...args: unknown[]) => unknown;
interface State {
  roomCode: string;
  version: number;
  phase: string;
  players: Array<{ playerId: string }>;
  match: { turn: string | null } | null;
}
interface Build {
  name: string;
  newRoom: Fn;
  applyAction: Fn;
  seededRng: Fn;
  chooseBotAction: Fn;
  diffRoom: Fn;
  EncodedViews: new (...args: unknown[]) => { seated(id: string): { json: string } };
  /** The build's own mail (room-mail.js) and patches; absent in builds that mail whole states. */
  patch?: { patchOf: Fn; applyPatch: Fn; encodeRoomMail: Fn; decodeRoomMail: Fn };
}

function load(dir: string): Build {
  const from = (path: string) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a build's module, by path
    require(join(resolve(dir), 'dist', path)) as Record<string, Fn>;
  const rules = from('game-state/domain/rules.js');
  let patch: Build['patch'];
  try {
    const p = from('game-state/room-patch.js');
    const mail = from('gateway/room-mail.js');
    patch = {
      patchOf: p.patchOf!,
      applyPatch: p.applyPatch!,
      encodeRoomMail: mail.encodeRoomMail!,
      decodeRoomMail: mail.decodeRoomMail!,
    };
  } catch {
    patch = undefined;
  }
  return {
    name: dir,
    newRoom: rules.newRoom!,
    applyAction: rules.applyAction!,
    seededRng: from('game-state/domain/rng.js').seededRng!,
    chooseBotAction: from('game-state/domain/bot.js').chooseBotAction!,
    diffRoom: from('game-state/room-diff.js').diffRoom!,
    EncodedViews: from('gateway/encoded-views.js').EncodedViews as unknown as Build['EncodedViews'],
    patch,
  };
}

const CLOCK = { turnMs: 30_000, botDelayMs: 1_000, graceMs: 120_000 };
type Stage = 'rules' | 'diff' | 'views' | 'two instances';
const STAGES: Stage[] = ['rules', 'diff', 'views', 'two instances'];

/** One whole match (bots' moves, ids as long as the server's), up to `stage`; its card count. */
function playMatch(b: Build, seed: number, stage: Stage): number {
  const rng = b.seededRng(seed);
  const upTo = STAGES.indexOf(stage);
  let state = { ...(b.newRoom('BENCH1', 7, { playerId: 'p_host00000000', name: 'h' }) as State) };
  state.version = 1;
  let there: State = JSON.parse(JSON.stringify(state)) as State;
  let matchJson: string | null | undefined;
  let at = 1_700_000_000_000;
  let cards = 0;
  const step = (action: Record<string, unknown>) => {
    at += 100;
    const result = b.applyAction(state, { ...action, at }, rng) as {
      ok: boolean;
      state: State;
      events: unknown[];
    };
    if (!result.ok) throw new Error(`refused: ${JSON.stringify(action)}`);
    const next: State = { ...result.state, version: state.version + 1 };
    if (upTo >= 1) {
      const change = b.diffRoom(state, result.state, matchJson) as {
        match?: unknown;
        matchJson?: string;
      };
      if (change.match !== undefined) matchJson = change.matchJson ?? null;
    }
    if (upTo >= 2) {
      const views = new b.EncodedViews(next, at, CLOCK, 0);
      for (const p of next.players) views.seated(p.playerId);
    }
    if (upTo >= 3) {
      const update = { state: next, events: result.events, spectators: 0 };
      if (b.patch) {
        // As the server mails it: its encoder, its decoder (the checks), then the patch applied.
        const change = { base: state.version, patch: b.patch.patchOf(state, next) };
        const mail = b.patch.decodeRoomMail(b.patch.encodeRoomMail(update, 'e', change)) as {
          patch: { version: number; change: { patch: unknown } };
        };
        there = b.patch.applyPatch(there, mail.patch.change.patch, mail.patch.version) as State;
      } else {
        there = (JSON.parse(JSON.stringify({ ...update, epoch: 'e' })) as { state: State }).state;
      }
      const views = new b.EncodedViews(there, at, CLOCK, 0);
      for (const p of there.players) views.seated(p.playerId);
    }
    state = next;
  };
  for (const id of ['p_guest0000001', 'p_guest0000002', 'p_guest0000003']) {
    step({ type: 'join', playerId: id, name: id.slice(2, 8), connectionId: `instance/${id}` });
  }
  while (state.phase !== 'game_over' && state.match?.turn) {
    const move = b.chooseBotAction(state, state.match.turn) as { type: string };
    step(move);
    if (move.type === 'play_card') cards++;
  }
  return cards;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const [dirA, dirB, roundsArg, matchesArg] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: pipeline-ab.ts DIR_A DIR_B [rounds=16] [matches=40]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 16);
const matches = Number(matchesArg ?? 40);
const builds = [load(dirA), load(dirB)];
console.log(`CPU µs per card, median of ${rounds} alternating rounds of ${matches} matches each`);
console.log(
  '(each stage includes the ones before it; "rules" includes the bots choosing the card)',
);
for (const stage of STAGES) {
  const perMove = builds.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const started = process.cpuUsage();
      let cards = 0;
      for (let seed = 1; seed <= matches; seed++) cards += playMatch(builds[i]!, seed, stage);
      const used = process.cpuUsage(started);
      perMove[i]!.push((used.user + used.system) / cards);
    }
  }
  const [a, b] = perMove.map(median) as [number, number];
  console.log(
    `${stage.padEnd(14)} ${a.toFixed(1).padStart(7)} ${b.toFixed(1).padStart(7)}   ${(b / a).toFixed(2)}×`,
  );
}
