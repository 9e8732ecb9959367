// The turn clock on the table: a countdown on the awaited seat, and the notice that you are away
// (the clock played for you twice in a row) with the button that brings you back.
import type { GameView } from '../../../../src/protocol/hokm-protocol.js';
import { resumePlay } from '../../clock-actions.js';
import { h } from '../../dom.js';
import type { TableContext } from './context.js';

/** Seconds left at which the countdown turns urgent. */
const URGENT_S = 5;
/**
 * When each view arrived, on this page's monotonic clock: the countdown runs from the server's
 * `turnRemainingMs` from then on, so a wrong clock on this device does not matter.
 */
const arrivals = new WeakMap<GameView, number>();
let ticker: ReturnType<typeof setInterval> | undefined;

function arrivedAt(view: GameView): number {
  let at = arrivals.get(view);
  if (at === undefined) {
    at = performance.now();
    arrivals.set(view, at);
  }
  return at;
}

function secondsLeft(endsAt: number): number {
  return Math.max(0, Math.ceil((endsAt - performance.now()) / 1000));
}

/** Redraws every countdown on the page from its end time (a few times a second). */
function tick(): void {
  const shown = document.querySelectorAll<HTMLElement>('.countdown[data-ends]');
  if (shown.length === 0) {
    clearInterval(ticker);
    ticker = undefined;
    return;
  }
  for (const el of shown) {
    const left = secondsLeft(Number(el.dataset.ends));
    el.textContent = `${left}s`;
    el.classList.toggle('urgent', left <= URGENT_S);
  }
}

/** The countdown of `playerId`'s awaited action, or null when it is not awaited or not timed. */
export function countdown(view: GameView, playerId: string): HTMLElement | null {
  if (view.turn !== playerId || view.turnRemainingMs === null) return null;
  const endsAt = arrivedAt(view) + view.turnRemainingMs;
  const left = secondsLeft(endsAt);
  ticker ??= setInterval(tick, 250);
  return h(
    'span',
    {
      class: `countdown${left <= URGENT_S ? ' urgent' : ''}`,
      'data-ends': String(endsAt),
      'data-testid': 'countdown',
      role: 'timer',
      'aria-label': 'Time left for this turn',
    },
    `${left}s`,
  );
}

/** The "you are away" notice with its "I'm back" button, or null while you are at the table. */
export function awayNotice(ctx: TableContext): HTMLElement | null {
  if (ctx.over || !ctx.player(ctx.me.playerId)?.away) return null;
  return h(
    'div',
    { class: 'away-notice', role: 'alert', 'data-testid': 'away-notice' },
    h(
      'span',
      {},
      'You are away: the clock ran out on your turn twice, so the table plays for you at the bots’ pace.',
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'primary',
        'data-testid': 'im-back',
        onclick: () => void resumePlay(),
      },
      'I’m back',
    ),
  );
}
