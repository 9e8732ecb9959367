// The replay viewer (/replay/<matchId>): fetches the finished match's record and steps through
// it trick by trick, with the buttons or the keyboard. A page of its own: no socket, no seat.
import type { MatchRecord } from '../../../src/protocol/hokm-protocol.js';
import { handJump, replaySteps, type ReplayStep } from './steps.js';
import { renderMissing, renderReplay, type ReplayControls } from './view.js';

const main = document.getElementById('screen') as HTMLElement;

/** The match id in the address (`/replay/<id>`), or ''. */
function matchIdFromPath(): string {
  const match = /^\/replay\/([A-Za-z0-9_-]+)\/?$/.exec(location.pathname);
  return match?.[1] ?? '';
}

/** `#h3t5`: hand 3, after trick 5 — kept in the address so a reload or a link shows that step. */
function stepFromHash(steps: readonly ReplayStep[]): number {
  const match = /^#h(\d+)t(\d+)$/.exec(location.hash);
  if (!match) return 0;
  const found = steps.findIndex(
    (s) => s.handNumber === Number(match[1]) && s.trick === Number(match[2]),
  );
  return Math.max(0, found);
}

async function load(matchId: string): Promise<MatchRecord | string> {
  if (!matchId) return 'This address names no match.';
  try {
    const response = await fetch(`/api/matches/${encodeURIComponent(matchId)}`);
    if (response.status === 404) {
      return 'This match is unknown, still being played, or too old: a replay is kept for a while after the match ends.';
    }
    if (!response.ok) return 'The server could not answer just now; try again in a moment.';
    return (await response.json()) as MatchRecord;
  } catch {
    return 'The server cannot be reached; check your connection and try again.';
  }
}

function start(record: MatchRecord): void {
  const steps = replaySteps(record);
  let at = stepFromHash(steps);
  const go = (to: number) => {
    const next = Math.min(steps.length - 1, Math.max(0, to));
    if (next === at && main.childElementCount > 0) return;
    at = next;
    const step = steps[at];
    if (step) history.replaceState(null, '', `#h${step.handNumber}t${step.trick}`);
    // Keep the focus on the control that was used, across the redraw.
    const focused = (document.activeElement as HTMLElement | null)?.dataset.testid;
    renderReplay(main, record, steps, at, controls);
    if (focused)
      main.querySelector<HTMLElement>(`[data-testid="${focused}"]:not([disabled])`)?.focus();
  };
  const controls: ReplayControls = {
    first: () => go(0),
    previousHand: () => go(handJump(steps, at, -1)),
    previous: () => go(at - 1),
    next: () => go(at + 1),
    nextHand: () => go(handJump(steps, at, 1)),
    last: () => go(steps.length - 1),
  };
  const keys: Record<string, () => void> = {
    ArrowRight: controls.next,
    ArrowLeft: controls.previous,
    ArrowDown: controls.nextHand,
    PageDown: controls.nextHand,
    ArrowUp: controls.previousHand,
    PageUp: controls.previousHand,
    Home: controls.first,
    End: controls.last,
  };
  document.addEventListener('keydown', (event) => {
    const act = keys[event.key];
    if (!act || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    act();
  });
  renderReplay(main, record, steps, at, controls);
  document.title = `Replay · Hokm table ${record.roomCode}`;
  document.getElementById('app')?.setAttribute('data-screen', 'replay');
}

void load(matchIdFromPath()).then((loaded) => {
  if (typeof loaded === 'string') {
    renderMissing(main, loaded);
    document.getElementById('app')?.setAttribute('data-screen', 'replay-missing');
  } else {
    start(loaded);
  }
});
