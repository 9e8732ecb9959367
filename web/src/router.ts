// Which screen is on show, and drawing it: the screen follows from the state, and a screen is
// built afresh when it comes on and refreshed (if it needs it) while it stays.
import { getState, subscribe, type ClientState } from './state/store.js';
import { renderChrome } from './ui/chrome.js';
import { renderLobby, updateLobbyNotice } from './views/lobby.js';
import { renderReplaced } from './views/replaced.js';
import { renderResuming } from './views/resuming.js';
import { renderRoom } from './views/room.js';
import { renderWatching } from './views/watching.js';

/** The screens; #app's data-screen names the one on show. */
export type Screen = 'lobby' | 'resuming' | 'room' | 'replaced' | 'watching';

interface ScreenView {
  /** Builds the screen into `main` when it comes on. */
  enter(main: HTMLElement, state: ClientState): void;
  /** Brings it up to date while it stays on; none: it does not change. */
  refresh?(main: HTMLElement, state: ClientState): void;
}

const SCREENS: Readonly<Record<Screen, ScreenView>> = {
  lobby: { enter: renderLobby, refresh: updateLobbyNotice },
  resuming: { enter: renderResuming },
  replaced: { enter: renderReplaced },
  room: { enter: renderRoom, refresh: renderRoom },
  watching: { enter: renderWatching, refresh: renderWatching },
};

const main = document.getElementById('screen') as HTMLElement;
let shown: Screen | null = null;

function screenFor(state: ClientState): Screen {
  if (state.replaced) return 'replaced';
  if (state.watching) return 'watching';
  if (state.view) return 'room';
  if (state.session) return 'resuming';
  return 'lobby';
}

/** Draws the screen the state calls for, then the chrome around it. */
export function render(): void {
  const state = getState();
  const screen = screenFor(state);
  const entering = screen !== shown;
  shown = screen;
  if (entering) SCREENS[screen].enter(main, state);
  else SCREENS[screen].refresh?.(main, state);
  renderChrome(state, screen);
}

/** Redraws on every change of the store from now on. */
export function startRouter(): void {
  subscribe((redraw) => {
    if (redraw === 'screen') render();
    else renderChrome(getState(), shown ?? '');
  });
}
