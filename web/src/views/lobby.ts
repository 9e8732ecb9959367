// The lobby: your name, a new table, joining one by its code (first when you came by a link).
import { createTable, joinTable } from '../actions.js';
import { h, mount } from '../dom.js';
import type { ClientState } from '../state/store.js';
import { rememberName, storedName } from '../state/storage.js';
import { toast } from '../ui/toast.js';
import { invitedRoom } from '../url.js';
import { publicTables } from './public-tables.js';
import { watchButton } from './watch-by-code.js';

export function renderLobby(main: HTMLElement, state: ClientState): void {
  const invited = invitedRoom();
  const nameInput = h('input', {
    id: 'name',
    name: 'name',
    maxlength: 20,
    autocomplete: 'nickname',
    required: true,
    placeholder: 'e.g. Sara',
    value: storedName(),
  });

  const readName = (): string | null => {
    const name = nameInput.value.trim();
    if (name.length === 0) {
      toast('Enter your name first.', 'error');
      nameInput.focus();
      return null;
    }
    rememberName(name);
    return name;
  };

  const createForm = newTableForm(readName);
  const join = joinForm(invited, readName);
  mount(
    main,
    h(
      'section',
      { class: 'lobby' },
      h(
        'div',
        { class: 'hero' },
        h('div', { class: 'hero-suits', 'aria-hidden': 'true' }, '♠ ♥ ♣ ♦'),
        h('h1', {}, 'Hokm'),
        h(
          'p',
          { class: 'tagline' },
          'The Persian trick-taking game. Two teams, one trump, seven tricks.',
        ),
      ),
      h(
        'p',
        { id: 'lobby-notice', class: 'notice', role: 'status', hidden: !state.lobbyNotice },
        state.lobbyNotice,
      ),
      h('label', { class: 'field name-field' }, h('span', {}, 'Your name'), nameInput),
      h(
        'div',
        { class: 'lobby-grid' },
        invited ? [join.form, createForm] : [createForm, join.form],
      ),
      publicTables(readName),
      rules(),
    ),
  );
  (invited && nameInput.value ? join.button : nameInput).focus();
}

/** While the lobby stays on screen, only its notice changes. */
export function updateLobbyNotice(_main: HTMLElement, state: ClientState): void {
  const notice = document.getElementById('lobby-notice');
  if (!notice) return;
  notice.textContent = state.lobbyNotice;
  notice.hidden = !state.lobbyNotice;
}

type NameReader = () => string | null;

function newTableForm(readName: NameReader): HTMLFormElement {
  const target = h(
    'select',
    { id: 'target', name: 'target' },
    [1, 2, 3, 4, 5, 6, 7].map((n) => h('option', { value: n, selected: n === 7 }, String(n))),
  );
  // Private unless the host lists it: a private table is found only by its code.
  const listed = h('input', { type: 'checkbox', id: 'public', name: 'public' });
  const createBtn = h('button', { type: 'submit', class: 'btn primary' }, 'Create table');
  const form = h(
    'form',
    { class: 'lobby-card', 'aria-labelledby': 'create-h' },
    h('h2', { id: 'create-h' }, 'New table'),
    h('p', { class: 'muted' }, 'Start a table, then invite friends or fill it with bots.'),
    h(
      'label',
      { class: 'field inline' },
      h('span', {}, 'Play to'),
      target,
      h('span', {}, 'points'),
    ),
    h(
      'label',
      { class: 'field inline check' },
      listed,
      h('span', {}, 'Public: list it for anyone to join'),
    ),
    createBtn,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = readName();
    if (!name) return;
    createBtn.disabled = true;
    const visibility = listed.checked ? 'public' : 'private';
    void createTable(name, Number(target.value), visibility).finally(() => {
      createBtn.disabled = false;
    });
  });
  return form;
}

function joinForm(
  invited: string,
  readName: NameReader,
): { form: HTMLFormElement; button: HTMLButtonElement } {
  const codeInput = h('input', {
    id: 'code',
    name: 'code',
    maxlength: 6,
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    placeholder: 'ABC234',
    value: invited,
    required: true,
  });
  codeInput.addEventListener('input', () => {
    const cleaned = codeInput.value.toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (cleaned !== codeInput.value) codeInput.value = cleaned;
  });
  const button = h(
    'button',
    { type: 'submit', class: invited ? 'btn primary' : 'btn' },
    invited ? `Join table ${invited}` : 'Join',
  );
  const form = h(
    'form',
    { class: `lobby-card${invited ? ' invited' : ''}`, 'aria-labelledby': 'join-h' },
    h('h2', { id: 'join-h' }, invited ? 'You are invited' : 'Join a table'),
    h(
      'p',
      { class: 'muted' },
      invited ? 'Enter your name and take a seat.' : 'Got a code from a friend?',
    ),
    h('label', { class: 'field' }, h('span', {}, 'Table code'), codeInput),
    button,
    watchButton(codeInput),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = readName();
    if (!name) return;
    const roomCode = codeInput.value.trim().toUpperCase();
    if (roomCode.length !== 6) {
      toast('A table code has 6 letters and digits.', 'error');
      codeInput.focus();
      return;
    }
    button.disabled = true;
    void joinTable(roomCode, name).finally(() => {
      button.disabled = false;
    });
  });
  return { form, button };
}

function rules(): HTMLElement {
  return h(
    'details',
    { class: 'rules' },
    h('summary', {}, 'How to play'),
    h(
      'ul',
      {},
      h(
        'li',
        {},
        'Partners sit opposite each other. The hakem sees five cards and names the hokm (trump).',
      ),
      h(
        'li',
        {},
        'Follow the suit led if you can; otherwise play anything. The highest trump, or the highest card of the suit led, takes the trick.',
      ),
      h(
        'li',
        {},
        'The first team to take 7 tricks wins the hand; a hand without a single trick for the losers is a kot and scores extra.',
      ),
    ),
  );
}
