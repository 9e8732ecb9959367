// A table you sit at: the waiting room until four are seated, then the match. Redrawn on every
// change, keeping the keyboard focus where it was.
import { rememberFocus, restoreFocus } from '../ui/focus.js';
import type { ClientState } from '../state/store.js';
import { renderTable } from './table/table.js';
import { renderWaiting } from './waiting.js';

export function renderRoom(main: HTMLElement, state: ClientState): void {
  const view = state.view;
  if (!view) return;
  const focus = rememberFocus(main);
  if (view.phase === 'waiting_for_players') renderWaiting(main, view);
  else renderTable(main, state, view);
  restoreFocus(main, focus);
}
