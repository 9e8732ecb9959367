// The table before the match: its code and invitation link, the seats, bots for the host.
import { addBots, copyText, leaveTable } from '../actions.js';
import { h, mount } from '../dom.js';
import type { SeatView } from '../state/store.js';
import { shareLink } from '../url.js';
import { seatRows } from './parts.js';

export function renderWaiting(main: HTMLElement, view: SeatView): void {
  const isHost = view.hostId === view.you.playerId;
  const link = shareLink(view.roomCode);
  const linkInput = h('input', {
    class: 'share-link',
    readonly: true,
    value: link,
    'aria-label': 'Invitation link',
  });
  linkInput.addEventListener('focus', () => linkInput.select());
  const copy = (text: string, what: string) => copyText(text, what, () => linkInput.focus());

  mount(
    main,
    h(
      'section',
      { class: 'panel waiting' },
      h('p', { class: 'eyebrow' }, 'Table code'),
      h(
        'h2',
        { class: 'room-code', 'aria-label': `Table code ${view.roomCode.split('').join(' ')}` },
        view.roomCode,
      ),
      h(
        'p',
        { class: 'muted' },
        `First team to ${view.targetScore} point${view.targetScore === 1 ? '' : 's'} wins. The match starts as soon as four players are seated.`,
      ),
      h(
        'div',
        { class: 'share' },
        linkInput,
        h(
          'button',
          { class: 'btn', 'data-focus': 'copy-link', onclick: () => copy(link, 'Link') },
          'Copy link',
        ),
        h(
          'button',
          { class: 'btn', 'data-focus': 'copy-code', onclick: () => copy(view.roomCode, 'Code') },
          'Copy code',
        ),
      ),
      h('h3', {}, `Players (${view.players.length}/4)`),
      h('ol', { class: 'seat-list' }, seatRows(view.players, view.hostId, view.you.playerId)),
      h(
        'div',
        { class: 'actions' },
        isHost
          ? botsButton(4 - view.players.length)
          : h(
              'p',
              { class: 'muted' },
              'Waiting for more players. The host can fill empty seats with bots.',
            ),
        h(
          'button',
          { class: 'btn ghost', 'data-focus': 'leave', onclick: () => leaveTable(false) },
          'Leave table',
        ),
      ),
    ),
  );
}

/** The host's button; it stays disabled once pressed unless the server refuses. */
function botsButton(free: number): HTMLButtonElement {
  const button = h(
    'button',
    {
      class: 'btn primary',
      'data-focus': 'bots',
      disabled: free === 0,
      onclick: () => {
        button.disabled = true;
        void addBots().then((ok) => {
          if (!ok) button.disabled = false;
        });
      },
    },
    free === 1 ? 'Fill the last seat with a bot' : `Fill ${free} seats with bots`,
  );
  return button;
}
