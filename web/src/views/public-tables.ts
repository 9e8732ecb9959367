// The lobby's public tables: a "Quick match" button, and the tables anyone may join or watch,
// asked of the server every few seconds while the lobby is on screen (`list_rooms` needs no seat).
import type { RoomSummary } from '../../../src/protocol/hokm-protocol.js';
import { joinTable, quickMatch } from '../actions.js';
import { request } from '../connection/socket.js';
import { h, mount } from '../dom.js';

const REFRESH_MS = 3_000;
const LISTED = 20;

type NameReader = () => string | null;

const PHASE_TEXT: Record<string, string> = {
  hokm_selection: 'Naming the hokm',
  gameplay: 'Playing',
};

/** The public tables card; it keeps itself up to date until it leaves the page. */
export function publicTables(readName: NameReader): HTMLElement {
  const target = h(
    'select',
    { id: 'quick-target', name: 'quick-target', 'aria-label': 'Quick match: play to' },
    [1, 2, 3, 4, 5, 6, 7].map((n) => h('option', { value: n, selected: n === 7 }, String(n))),
  );
  const quick = h(
    'button',
    { type: 'button', class: 'btn primary', 'data-testid': 'quick-match' },
    'Quick match',
  );
  quick.addEventListener('click', () => {
    const name = readName();
    if (!name) return;
    quick.disabled = true;
    void quickMatch(name, Number(target.value)).finally(() => {
      quick.disabled = false;
    });
  });
  const list = h('ul', {
    class: 'public-list',
    'data-testid': 'public-tables',
    'aria-live': 'polite',
  });
  const card = h(
    'section',
    { class: 'lobby-card public-tables', 'aria-labelledby': 'public-h' },
    h('h2', { id: 'public-h' }, 'Public tables'),
    h('p', { class: 'muted' }, 'Sit at the fullest open table, or pick one below.'),
    h(
      'div',
      { class: 'quick-row' },
      quick,
      h('label', { class: 'field inline' }, h('span', {}, 'to'), target),
    ),
    list,
  );
  void refresh(list, readName);
  const timer = setInterval(() => {
    // The lobby was replaced by another screen: stop asking.
    if (!card.isConnected) clearInterval(timer);
    else void refresh(list, readName);
  }, REFRESH_MS);
  return card;
}

async function refresh(list: HTMLElement, readName: NameReader): Promise<void> {
  const ack = await request('list_rooms', { limit: LISTED });
  // A failed refresh keeps what is shown; the next one tries again.
  if (!ack.ok || !list.isConnected) return;
  const rooms = ack.data.rooms;
  if (rooms.length === 0) {
    mount(list, h('li', { class: 'muted empty' }, 'No public tables right now. Start one!'));
    return;
  }
  mount(
    list,
    rooms.map((room) => row(room, readName)),
  );
}

function row(room: RoomSummary, readName: NameReader): HTMLElement {
  const names = room.players.flatMap((p, i) => [
    i > 0 ? ', ' : '',
    p.bot ? h('span', { class: 'bot', title: 'bot' }, p.name) : p.name,
  ]);
  const waiting = room.phase === 'waiting_for_players';
  const status = waiting
    ? `${room.seatsFree} seat${room.seatsFree === 1 ? '' : 's'} free`
    : (PHASE_TEXT[room.phase] ?? room.phase);
  const watchers = room.spectators > 0 ? ` · ${room.spectators} watching` : '';
  let action: HTMLElement;
  if (waiting) {
    const join = h(
      'button',
      { type: 'button', class: 'btn small', 'data-room': room.roomCode },
      'Join',
    );
    join.addEventListener('click', () => {
      const name = readName();
      if (!name) return;
      join.disabled = true;
      void joinTable(room.roomCode, name).finally(() => {
        join.disabled = false;
      });
    });
    action = join;
  } else {
    action = h(
      'a',
      { class: 'btn small ghost', href: `/?watch=${encodeURIComponent(room.roomCode)}` },
      'Watch',
    );
  }
  return h(
    'li',
    { class: 'public-row', 'data-room': room.roomCode, 'data-phase': room.phase },
    h(
      'div',
      { class: 'public-info' },
      h('span', { class: 'public-code' }, room.roomCode),
      h('span', { class: 'muted' }, ` to ${room.targetScore} · ${status}${watchers}`),
      h('span', { class: 'public-names' }, names),
    ),
    action,
  );
}
