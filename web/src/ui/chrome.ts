// Everything around the screen: the top bar (table chip, Leave, connection dot), the banner,
// and the data attributes on #app that say what is shown (styles and tests read them).
import type { ClientState } from '../state/store.js';
import { h, mount } from '../dom.js';

const root = document.getElementById('app') as HTMLElement;
const banner = document.getElementById('banner') as HTMLElement;
const roomChip = document.getElementById('room-chip') as HTMLElement;
const connDot = document.getElementById('conn') as HTMLElement;
const leaveBtn = document.getElementById('leave') as HTMLButtonElement;

/** Wires the top bar's Leave button (shown during a match). */
export function initChrome(onLeave: () => void): void {
  leaveBtn.addEventListener('click', onLeave);
}

/** `screen`: the name of the screen on show ('' before the first one). */
export function renderChrome(state: ClientState, screen: string): void {
  const view = state.view;
  const inRoom = !!view && screen === 'room';
  root.dataset.screen = screen;
  root.dataset.phase = inRoom ? view.phase : '';
  root.dataset.myTurn = String(!!view && view.turn === view.you.playerId);
  root.dataset.seat = view ? String(view.you.seat) : '';
  root.dataset.version = view ? String(view.version) : '';
  root.dataset.watching = state.watching ?? '';
  roomChip.hidden = !inRoom;
  leaveBtn.hidden = !(inRoom && (view.phase === 'hokm_selection' || view.phase === 'gameplay'));
  mount(roomChip, view ? [h('span', { class: 'chip-label' }, 'Table '), view.roomCode] : []);

  const live = state.connected;
  connDot.className = `conn ${live ? 'online' : 'offline'}`;
  connDot.title = live ? 'Connected' : 'Not connected';
  connDot.setAttribute('aria-label', connDot.title);

  const message = bannerText(state);
  banner.textContent = message;
  banner.hidden = message === '';
}

function bannerText(state: ClientState): string {
  if (state.replaced) return '';
  if (state.restarting) return 'The server is restarting. You will be put back in your seat.';
  if (!state.connected && (state.session || state.view || state.watching)) {
    return 'Connection lost. Reconnecting…';
  }
  if (!state.connected && state.unreachable) return 'Cannot reach the server. Retrying…';
  return '';
}
