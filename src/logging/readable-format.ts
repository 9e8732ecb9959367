import { destination, type DestinationStream } from 'pino';

/** Nest's names for pino's levels, so the readable format reads as it did with Nest's logger. */
const LABELS: Record<string, string> = {
  trace: 'VERBOSE',
  debug: 'DEBUG',
  info: 'LOG',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
};

/** Keys shown in the head of the line (or, for err, under it) rather than as key=value. */
const HEAD = new Set(['level', 'time', 'pid', 'hostname', 'context', 'msg', 'err']);

/** A field value as it reads in one line: bare when unambiguous, JSON otherwise. */
function show(value: unknown): string {
  if (typeof value === 'string') return /^[^\s="]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** A head item (context, message) as text. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : show(value);
}

/**
 * One pino JSON line as one readable line, Nest style:
 * `[Nest] 4242  - 2026-12-01T10:00:00.000Z     LOG [RoomsService] created room roomCode=ABCD`.
 * Fields follow the message as key=value. The stack of an error or fatal line's `err` goes on the
 * lines below; a warning (Redis away, retried next poll: it can come every poll) keeps to one
 * line, its `err` as `err=<message>`. `stderr` is true for error and fatal, as Nest's console
 * logger did.
 */
export function formatReadable(line: string): { text: string; stderr: boolean } {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { text: line, stderr: false };
  }
  const level = typeof entry.level === 'string' ? entry.level : 'info';
  const label = (LABELS[level] ?? level.toUpperCase()).padStart(7);
  // Request logs from pino-http carry no context of their own.
  const context = entry.context ?? (entry.req && entry.res ? 'HTTP' : undefined);
  const head = `[Nest] ${show(entry.pid)}  - ${show(entry.time)} ${label}`;
  const parts = [head];
  if (context !== undefined) parts.push(`[${text(context)}]`);
  if (entry.msg !== undefined) parts.push(text(entry.msg));
  for (const [key, value] of Object.entries(entry)) {
    if (!HEAD.has(key) && value !== undefined) parts.push(`${key}=${show(value)}`);
  }
  const err = entry.err as { message?: unknown; stack?: unknown } | undefined;
  const stderr = level === 'error' || level === 'fatal';
  let out = parts.join(' ');
  if (err && stderr && typeof err.stack === 'string') out += `\n${err.stack}`;
  else if (err) out += ` err=${show(err.message ?? err)}`;
  return { text: out, stderr };
}

/** A pino destination that writes every line in the readable format (synchronously). */
export function readableDestination(): DestinationStream {
  const stdout = destination({ dest: 1, sync: true });
  const stderr = destination({ dest: 2, sync: true });
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        if (line.length === 0) continue;
        const formatted = formatReadable(line);
        (formatted.stderr ? stderr : stdout).write(`${formatted.text}\n`);
      }
    },
  };
}
