// Watching a table without a seat: a clear "Watching" bar (the table, how many watch, a way
// out), then the table as everyone sees it, with no hand. While the table waits for players a
// free seat can be taken from here.
import { copyText } from '../actions.js';
import { h, mount } from '../dom.js';
import type { ClientState, WatchView } from '../state/store.js';
import { storedName, rememberName } from '../state/storage.js';
import { rememberFocus, restoreFocus } from '../ui/focus.js';
import { toast } from '../ui/toast.js';
import { watchLink } from '../url.js';
import { stopWatching, takeSeat } from '../watch-actions.js';
import { badge, seatRows } from './parts.js';
import { watchedTable } from './watch-table.js';

/** The name typed into "Take a seat", kept across redraws (each push redraws the screen). */
let draftName: string | null = null;

export function renderWatching(main: HTMLElement, state: ClientState): void {
  const code = state.watching ?? '';
  const view = state.watchView;
  const focus = rememberFocus(main);
  mount(
    main,
    h(
      'section',
      { class: 'watching', 'data-testid': 'watching' },
      watchBar(code, view),
      !view
        ? h('p', { class: 'muted centre-note' }, `Connecting to table ${code}…`)
        : view.phase === 'waiting_for_players'
          ? waitingTable(view)
          : watchedTable(view),
    ),
  );
  restoreFocus(main, focus);
}

function watchBar(code: string, view: WatchView | null): HTMLElement {
  const link = watchLink(code);
  const count = view?.spectators ?? 0;
  return h(
    'div',
    { class: 'watch-bar', role: 'status' },
    badge('watching', 'Watching'),
    h('span', { class: 'watch-code' }, `Table ${code}`),
    h(
      'span',
      { class: 'watchers', 'data-testid': 'watchers', title: 'People watching this table' },
      view ? `${count} watching` : '',
    ),
    h(
      'span',
      { class: 'watch-actions' },
      h(
        'button',
        {
          class: 'btn small ghost',
          'data-focus': 'copy-watch-link',
          onclick: () => copyText(link, 'Link', () => toast(link, 'info')),
        },
        'Copy link',
      ),
      h(
        'button',
        {
          class: 'btn small',
          'data-focus': 'stop-watching',
          'data-testid': 'stop-watching',
          onclick: () => void stopWatching(),
        },
        'Stop watching',
      ),
    ),
  );
}

/** The table before its match: who sits where, and "Take a seat" while one is free. */
function waitingTable(view: WatchView): HTMLElement {
  const free = 4 - view.players.length;
  return h(
    'div',
    { class: 'panel waiting' },
    h('p', { class: 'eyebrow' }, 'Waiting for players'),
    h(
      'p',
      { class: 'muted' },
      `First team to ${view.targetScore} point${view.targetScore === 1 ? '' : 's'} wins. The match starts as soon as four players are seated.`,
    ),
    h('h3', {}, `Players (${view.players.length}/4)`),
    h('ol', { class: 'seat-list' }, seatRows(view.players, view.hostId, null)),
    free > 0
      ? takeSeatForm()
      : h('p', { class: 'muted' }, 'All four seats are taken: the match starts in a moment.'),
  );
}

function takeSeatForm(): HTMLFormElement {
  const input = h('input', {
    id: 'seat-name',
    name: 'seat-name',
    maxlength: 20,
    autocomplete: 'nickname',
    placeholder: 'e.g. Sara',
    'data-focus': 'seat-name',
    value: draftName ?? storedName(),
  });
  input.addEventListener('input', () => (draftName = input.value));
  const button = h(
    'button',
    { type: 'submit', class: 'btn primary', 'data-focus': 'take-seat' },
    'Take a seat',
  );
  const form = h(
    'form',
    { class: 'take-seat', 'aria-label': 'Take a free seat' },
    h('label', { class: 'field' }, h('span', {}, 'Your name'), input),
    button,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name) {
      toast('Enter your name first.', 'error');
      input.focus();
      return;
    }
    rememberName(name);
    draftName = null;
    button.disabled = true;
    void takeSeat(name).finally(() => {
      button.disabled = false;
    });
  });
  return form;
}
