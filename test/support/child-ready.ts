import type { ChildProcess } from 'node:child_process';

/**
 * Resolves with `child` once its stdout says `marker`; rejects (and SIGKILLs it) if it exits,
 * fails to start, or stays silent for `timeoutMs`, quoting what it printed as `what`. Its output
 * keeps being drained afterwards, so a full pipe never blocks it.
 */
export function readyWhen(
  child: ChildProcess,
  marker: string,
  what: string,
  timeoutMs: number,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${what} not ready: ${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) done();
    };
    const onExit = (code: number | null) => fail(new Error(`${what} exited (${code}): ${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.stdout?.resume();
      child.stderr?.resume();
    };
    const done = () => {
      cleanup();
      resolve(child);
    };
    const fail = (error: Error) => {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
    child.once('error', (error) => fail(error));
  });
}
