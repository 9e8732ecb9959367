import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root and the built entry point (global-setup builds it once per jest run). */
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const MAIN_JS = join(REPO_ROOT, 'dist', 'main.js');

/** One line of output, with when it arrived (ms since spawn, performance.now() based). */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  atMs: number;
}

/** How a spawned process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms from spawn to exit. */
  atMs: number;
}

/** A running `node dist/main.js`. */
export interface MainProcess {
  readonly child: ChildProcess;
  /** Every line so far, both streams, in arrival order. */
  readonly lines: OutputLine[];
  stdout(): string[];
  stderr(): string[];
  /** Resolves on the first line matching `pattern` (past or future); rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<OutputLine>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitInfo>;
  /** Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitInfo>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns `node dist/main.js` with exactly `env` (plus PATH, NO_COLOR=1): the outer environment
 * does not leak in, so the test states every setting the process sees. `root` is the checkout
 * whose build runs (default this one; another build's, to run an older version beside it).
 */
export function spawnMain(env: Record<string, string>, root = REPO_ROOT): MainProcess {
  const mainJs = join(root, 'dist', 'main.js');
  if (!existsSync(mainJs)) throw new Error(`${mainJs} missing: the e2e globalSetup builds it`);
  const started = performance.now();
  const child = spawn(process.execPath, [mainJs], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const lines: OutputLine[] = [];
  const listeners = new Set<(line: OutputLine) => void>();
  const push = (line: OutputLine) => {
    lines.push(line);
    for (const listener of listeners) listener(line);
  };
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = '';
    child[stream].setEncoding('utf8');
    child[stream].on('data', (chunk: string) => {
      const atMs = performance.now() - started;
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const text of parts) push({ stream, text, atMs });
    });
    child[stream].on('end', () => {
      if (partial) push({ stream, text: partial, atMs: performance.now() - started });
    });
  }
  const exited = new Promise<ExitInfo>((resolveExit) => {
    // 'close' waits for the stdio streams too, so `lines` is complete when this resolves.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolveExit({ code, signal, atMs: performance.now() - started });
    });
  });
  const of = (stream: OutputLine['stream']) =>
    lines.filter((l) => l.stream === stream).map((l) => l.text);
  return {
    child,
    lines,
    exited,
    stdout: () => of('stdout'),
    stderr: () => of('stderr'),
    waitForLine(pattern, timeoutMs = 15_000) {
      const seen = lines.find((l) => pattern.test(l.text));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolveLine, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const listener = (line: OutputLine) => {
          if (pattern.test(line.text)) finish(null, line);
        };
        const finish = (error: Error | null, line?: OutputLine) => {
          clearTimeout(timer);
          listeners.delete(listener);
          if (line) resolveLine(line);
          else reject(error ?? new Error('unreachable'));
        };
        listeners.add(listener);
        void exited.then((info) =>
          finish(
            new Error(
              `exited (${info.code ?? info.signal}) before a line matching ${pattern}:\n${lines.map((l) => l.text).join('\n')}`,
            ),
          ),
        );
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
