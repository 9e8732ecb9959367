// The Hokm browser client: one page, rendered from the server's `state` push (authoritative).
// The session token lives in localStorage only; it is never logged, rendered or put in a URL.
import { GAME_NAMESPACE } from '../../src/protocol/hokm-protocol.js';
import type {
  Ack,
  Card,
  ClientRequests,
  ErrorBody,
  GameView,
  PlayerView,
  RequestEvent,
  ServerPushes,
  Suit,
} from '../../src/protocol/hokm-protocol.js';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import {
  SUIT_SYMBOL,
  SUITS,
  cardLabel,
  cardShort,
  isRed,
  parseCard,
  playableCards,
  suitName,
  suitOf,
} from './cards.js';
import { h, mount } from './dom.js';

/** Served by the app itself at /socket.io/socket.io.js (a classic script that defines `io`). */
declare const io: (uri: string, options?: Partial<ManagerOptions & SocketOptions>) => Socket;

// ---------------------------------------------------------------------------------------------
// Session storage

interface StoredSession {
  sessionToken: string;
  roomCode: string;
}

const SESSION_KEY = 'hokm.session';
const NAME_KEY = 'hokm.name';
const REQUEST_TIMEOUT_MS = 10_000;

function loadSession(): StoredSession | null {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');
    if (
      raw !== null &&
      typeof raw === 'object' &&
      typeof (raw as StoredSession).sessionToken === 'string' &&
      typeof (raw as StoredSession).roomCode === 'string'
    ) {
      const { sessionToken, roomCode } = raw as StoredSession;
      return { sessionToken, roomCode };
    }
  } catch {
    // A corrupt entry is the same as none.
  }
  return null;
}

function storeSession(session: StoredSession | null): void {
  try {
    if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    // Private mode without storage: the seat just does not survive a reload.
  }
}

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Not important.
  }
}

function invitedRoom(): string {
  const code = new URLSearchParams(location.search).get('room') ?? '';
  return code
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 6);
}

function setUrlRoom(roomCode: string | null): void {
  history.replaceState(null, '', roomCode ? `/?room=${encodeURIComponent(roomCode)}` : '/');
}

function shareLink(roomCode: string): string {
  return `${location.origin}/?room=${encodeURIComponent(roomCode)}`;
}

// ---------------------------------------------------------------------------------------------
// Client state

type Screen = 'lobby' | 'resuming' | 'room' | 'replaced';

const app = {
  session: loadSession(),
  view: null as GameView | null,
  connected: false,
  /** This socket holds the seat (create/join/reconnect answered ok). */
  seated: false,
  /** Another tab or device took the seat over; this one stays quiet until asked. */
  replaced: false,
  /** The server said it is restarting; we reconnect on our own. */
  restarting: false,
  /** The last connection attempt failed (the server is unreachable). */
  unreachable: false,
  /** A create_room or join is in flight: its `state` push may come before its ack. */
  joining: false,
  /** A play or hokm request is in flight: the hand is locked until it is answered. */
  busy: false,
  screen: null as Screen | null,
  lobbyNotice: '',
  abandon: null as ServerPushes['abandoned'] | null,
  /** Trick cards already on screen, so only new ones animate in. */
  shownTrick: new Set<string>(),
};

const root = document.getElementById('app') as HTMLElement;
const main = document.getElementById('screen') as HTMLElement;
const banner = document.getElementById('banner') as HTMLElement;
const toastEl = document.getElementById('toast') as HTMLElement;
const roomChip = document.getElementById('room-chip') as HTMLElement;
const connDot = document.getElementById('conn') as HTMLElement;
const leaveBtn = document.getElementById('leave') as HTMLButtonElement;
const announcer = document.getElementById('announce') as HTMLElement;
leaveBtn.addEventListener('click', () => leaveTable(true));

// ---------------------------------------------------------------------------------------------
// Socket

const socket = io(GAME_NAMESPACE, {
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
});

type Data<E extends RequestEvent> = ClientRequests[E][1];

/** Sends a request and resolves with its ack (a timeout becomes an error ack, never a throw). */
function request<E extends RequestEvent>(
  event: E,
  payload: ClientRequests[E][0],
): Promise<Ack<Data<E>>> {
  return new Promise((resolve) => {
    socket
      .timeout(REQUEST_TIMEOUT_MS)
      .emit(event, payload, (err: Error | null, ack: Ack<Data<E>> | undefined) => {
        if (err || !ack) {
          resolve({
            ok: false,
            error: { code: 'SERVICE_UNAVAILABLE', message: 'The server did not answer in time.' },
          });
        } else {
          resolve(ack);
        }
      });
  });
}

socket.on('connect', () => {
  app.connected = true;
  app.restarting = false;
  app.unreachable = false;
  renderChrome();
  void resume();
});

socket.on('connect_error', () => {
  app.unreachable = true;
  renderChrome();
});

socket.on('disconnect', (reason: string) => {
  app.connected = false;
  app.seated = false;
  if (!app.replaced && reason === 'io server disconnect') {
    // The server closed us (a restart): Socket.IO will not retry on its own, so we do.
    setTimeout(
      () => {
        if (!app.replaced && !socket.connected) socket.connect();
      },
      500 + Math.random() * 1000,
    );
  }
  render(); // the hand is locked until the seat is back
});

socket.on('state', (view: GameView) => showView(view));

/** Renders a view of the room (the `state` push, or a `get_state` answer). */
function showView(view: GameView): void {
  // Only for a seat this tab holds or is taking (a late push after "forget" is dropped).
  if (app.replaced || !(app.session || app.joining)) return;
  const prev = app.view;
  if (prev && prev.roomCode === view.roomCode && view.version < prev.version) return;
  if (prev?.roomCode !== view.roomCode) app.abandon = null;
  app.view = view;
  render();
}

socket.on('session_replaced', () => {
  app.replaced = true;
  app.seated = false;
  render();
});

socket.on('server_shutdown', () => {
  app.restarting = true;
  renderChrome();
});

socket.on('abandoned', (event: ServerPushes['abandoned']) => {
  app.abandon = event;
  render();
});

socket.on('hand_complete', (event: ServerPushes['hand_complete']) => {
  const view = app.view;
  if (!view) return;
  const ours = event.winnerTeam === view.you.team;
  const who = ours ? 'Your team' : 'The opponents';
  const kot = event.kot ? ' Kot!' : '';
  toast(`${who} won hand ${event.handNumber} (+${event.points}).${kot}`, 'info');
});

/** With a stored seat, take it back on every (re)connection. */
async function resume(): Promise<void> {
  const session = app.session;
  if (app.replaced || !session || app.seated) {
    render();
    return;
  }
  render();
  const ack = await request('reconnect', { sessionToken: session.sessionToken });
  if (app.session !== session) {
    // The seat was forgotten meanwhile: drop the binding (a fresh socket holds no seat).
    if (ack.ok) socket.disconnect().connect();
    return;
  }
  if (ack.ok) {
    app.seated = true;
    setUrlRoom(ack.data.roomCode);
    render();
    return;
  }
  if (ack.error.code === 'INVALID_SESSION' || ack.error.code === 'ROOM_NOT_FOUND') {
    if (invitedRoom() === session.roomCode) setUrlRoom(null);
    forgetSeat('Your previous table has ended.');
    return;
  }
  if (ack.error.code === 'ALREADY_IN_ROOM') {
    // This socket already holds the seat: just fetch the table.
    app.seated = true;
    const state = await request('get_state', {});
    if (state.ok) showView(state.data);
    return;
  }
  toast(errorText(ack.error), 'error');
  setTimeout(() => {
    if (socket.connected && !app.seated) void resume();
  }, 2000);
}

function takeSeat(roomCode: string, sessionToken: string): void {
  app.session = { roomCode, sessionToken };
  app.seated = true;
  app.replaced = false;
  storeSession(app.session);
  setUrlRoom(roomCode);
}

function forgetSeat(notice = ''): void {
  app.session = null;
  app.seated = false;
  app.view = null;
  app.abandon = null;
  app.lobbyNotice = notice;
  storeSession(null);
  render();
}

// ---------------------------------------------------------------------------------------------
// Messages

function errorText(error: ErrorBody): string {
  switch (error.code) {
    case 'ROOM_NOT_FOUND':
      return 'No table has that code. Check it and try again.';
    case 'ROOM_FULL':
      return 'That table is already full.';
    case 'ALREADY_IN_ROOM':
      return 'You are already seated at a table.';
    case 'NOT_IN_ROOM':
      return 'You are not seated at a table any more.';
    case 'INVALID_SESSION':
      return 'Your seat has expired.';
    case 'WRONG_PHASE':
      return 'That is not possible at this point of the game.';
    case 'NOT_YOUR_TURN':
      return 'It is not your turn yet.';
    case 'CARD_NOT_IN_HAND':
      return 'That card is not in your hand.';
    case 'MUST_FOLLOW_SUIT':
      return 'You have to follow the suit that was led.';
    case 'RATE_LIMITED':
      return 'Too many actions at once. Wait a moment.';
    case 'SERVICE_UNAVAILABLE':
      return 'The server is busy or restarting. Try again in a moment.';
    case 'NOT_HOST':
      return 'Only the player who created the table can add bots.';
    case 'INVALID_PAYLOAD': {
      const text = error.message.replace(/^\w/, (c) => c.toUpperCase());
      return text.endsWith('.') ? text : `${text}.`;
    }
    default:
      return 'Something went wrong on the server. Try again.';
  }
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

function toast(message: string, kind: 'error' | 'info'): void {
  clearTimeout(toastTimer);
  toastEl.className = `toast ${kind} show`;
  toastEl.textContent = message;
  toastTimer = setTimeout(
    () => {
      toastEl.className = 'toast';
      toastEl.textContent = '';
    },
    kind === 'error' ? 5000 : 3500,
  );
}

// ---------------------------------------------------------------------------------------------
// Rendering

function render(): void {
  const screen: Screen = app.replaced
    ? 'replaced'
    : app.view
      ? 'room'
      : app.session
        ? 'resuming'
        : 'lobby';
  const changed = screen !== app.screen;
  app.screen = screen;
  if (screen === 'lobby') {
    if (changed) renderLobby();
    else updateLobbyNotice();
  } else if (screen === 'resuming') {
    if (changed) renderResuming();
  } else if (screen === 'replaced') {
    if (changed) renderReplaced();
  } else if (app.view) {
    renderRoom(app.view);
  }
  renderChrome();
}

function renderChrome(): void {
  const view = app.view;
  root.dataset.screen = app.screen ?? '';
  root.dataset.phase = app.screen === 'room' && view ? view.phase : '';
  root.dataset.myTurn = String(!!view && view.turn === view.you.playerId);
  root.dataset.seat = view ? String(view.you.seat) : '';
  root.dataset.version = view ? String(view.version) : '';
  roomChip.hidden = !(view && app.screen === 'room');
  leaveBtn.hidden = !(
    view &&
    app.screen === 'room' &&
    (view.phase === 'hokm_selection' || view.phase === 'gameplay')
  );
  mount(roomChip, view ? [h('span', { class: 'chip-label' }, 'Table '), view.roomCode] : []);

  const live = app.connected;
  connDot.className = `conn ${live ? 'online' : 'offline'}`;
  connDot.title = live ? 'Connected' : 'Not connected';
  connDot.setAttribute('aria-label', connDot.title);

  let message = '';
  if (app.replaced) message = '';
  else if (app.restarting) message = 'The server is restarting. You will be put back in your seat.';
  else if (!live && (app.session || app.view)) message = 'Connection lost. Reconnecting…';
  else if (!live && app.unreachable) message = 'Cannot reach the server. Retrying…';
  banner.textContent = message;
  banner.hidden = message === '';
}

// --- lobby -------------------------------------------------------------------------------------

function renderLobby(): void {
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
  const target = h(
    'select',
    { id: 'target', name: 'target' },
    [1, 2, 3, 4, 5, 6, 7].map((n) => h('option', { value: n, selected: n === 7 }, String(n))),
  );
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

  const createBtn = h('button', { type: 'submit', class: 'btn primary' }, 'Create table');
  const joinBtn = h(
    'button',
    { type: 'submit', class: invited ? 'btn primary' : 'btn' },
    invited ? `Join table ${invited}` : 'Join',
  );

  const createForm = h(
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
    createBtn,
  );
  createForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = readName();
    if (!name) return;
    createBtn.disabled = true;
    app.joining = true;
    void request('create_room', { name, targetScore: Number(target.value) }).then((ack) => {
      app.joining = false;
      createBtn.disabled = false;
      if (ack.ok) takeSeat(ack.data.roomCode, ack.data.sessionToken);
      else toast(errorText(ack.error), 'error');
      render();
    });
  });

  const joinForm = h(
    'form',
    { class: `lobby-card${invited ? ' invited' : ''}`, 'aria-labelledby': 'join-h' },
    h('h2', { id: 'join-h' }, invited ? 'You are invited' : 'Join a table'),
    h(
      'p',
      { class: 'muted' },
      invited ? 'Enter your name and take a seat.' : 'Got a code from a friend?',
    ),
    h('label', { class: 'field' }, h('span', {}, 'Table code'), codeInput),
    joinBtn,
  );
  joinForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = readName();
    if (!name) return;
    const roomCode = codeInput.value.trim().toUpperCase();
    if (roomCode.length !== 6) {
      toast('A table code has 6 letters and digits.', 'error');
      codeInput.focus();
      return;
    }
    joinBtn.disabled = true;
    app.joining = true;
    void request('join', { roomCode, name }).then((ack) => {
      app.joining = false;
      joinBtn.disabled = false;
      if (ack.ok) takeSeat(ack.data.roomCode, ack.data.sessionToken);
      else toast(errorText(ack.error), 'error');
      render();
    });
  });

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
        { id: 'lobby-notice', class: 'notice', role: 'status', hidden: !app.lobbyNotice },
        app.lobbyNotice,
      ),
      h('label', { class: 'field name-field' }, h('span', {}, 'Your name'), nameInput),
      h('div', { class: 'lobby-grid' }, invited ? [joinForm, createForm] : [createForm, joinForm]),
      h(
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
      ),
    ),
  );
  (invited && nameInput.value ? joinBtn : nameInput).focus();
}

function updateLobbyNotice(): void {
  const notice = document.getElementById('lobby-notice');
  if (!notice) return;
  notice.textContent = app.lobbyNotice;
  notice.hidden = !app.lobbyNotice;
}

function renderResuming(): void {
  mount(
    main,
    h(
      'section',
      { class: 'panel center-panel' },
      h('div', { class: 'spinner', 'aria-hidden': 'true' }),
      h('p', { role: 'status' }, 'Taking you back to your seat…'),
      h(
        'button',
        {
          class: 'btn ghost',
          onclick: () => {
            setUrlRoom(null);
            forgetSeat();
          },
        },
        'Forget this table',
      ),
    ),
  );
}

function renderReplaced(): void {
  mount(
    main,
    h(
      'section',
      { class: 'panel center-panel' },
      h('h2', {}, 'This seat moved to another window'),
      h(
        'p',
        { role: 'alert' },
        'You opened your table in another tab or on another device, so this tab was disconnected.',
      ),
      h(
        'button',
        {
          class: 'btn primary',
          onclick: () => {
            app.replaced = false;
            app.view = null;
            app.screen = null;
            if (socket.connected) void resume();
            else socket.connect();
            render();
          },
        },
        'Play in this tab instead',
      ),
    ),
  );
}

// --- room --------------------------------------------------------------------------------------

function renderRoom(view: GameView): void {
  const focus = rememberFocus();
  if (view.phase === 'waiting_for_players') renderWaiting(view);
  else renderTable(view);
  restoreFocus(focus);
}

interface FocusMemo {
  key: string;
  index: number;
}

function rememberFocus(): FocusMemo | null {
  const el = document.activeElement;
  if (!(el instanceof HTMLElement) || !main.contains(el) || !el.dataset.focus) return null;
  const cards = [...main.querySelectorAll<HTMLElement>('.hand .card')];
  return { key: el.dataset.focus, index: cards.indexOf(el) };
}

function restoreFocus(memo: FocusMemo | null): void {
  if (!memo) return;
  const same = main.querySelector<HTMLElement>(`[data-focus="${CSS.escape(memo.key)}"]`);
  if (same) {
    same.focus();
    return;
  }
  // The focused card was played, or the hokm picker closed: stay in the hand.
  const cards = [...main.querySelectorAll<HTMLElement>('.hand .card')];
  if (memo.index >= 0) cards[Math.min(memo.index, cards.length - 1)]?.focus();
  else if (memo.key.startsWith('suit:')) cards[0]?.focus();
}

let announced = '';

/** Says a status line once through the page's one polite live region. */
function announce(text: string): void {
  if (text === announced) return;
  announced = text;
  announcer.textContent = text;
}

function playerName(view: GameView, playerId: string | null): string {
  if (!playerId) return '';
  if (playerId === view.you.playerId) return 'You';
  return view.players.find((p) => p.playerId === playerId)?.name ?? 'Someone';
}

function teamLabel(view: GameView, team: 0 | 1): string {
  const names = view.players
    .filter((p) => p.team === team)
    .map((p) => (p.playerId === view.you.playerId ? 'You' : p.name));
  return names.join(' & ');
}

function leaveTable(confirmFirst: boolean): void {
  if (confirmFirst && !confirm('Leave the table? The match ends for everyone at the table.')) {
    return;
  }
  void request('leave', {}).then((ack) => {
    if (!ack.ok && ack.error.code !== 'NOT_IN_ROOM' && ack.error.code !== 'INVALID_SESSION') {
      toast(errorText(ack.error), 'error');
      return;
    }
    setUrlRoom(null);
    forgetSeat();
  });
}

function renderWaiting(view: GameView): void {
  const isHost = view.hostId === view.you.playerId;
  const free = 4 - view.players.length;
  const link = shareLink(view.roomCode);
  const linkInput = h('input', {
    class: 'share-link',
    readonly: true,
    value: link,
    'aria-label': 'Invitation link',
  });
  linkInput.addEventListener('focus', () => linkInput.select());

  const copy = (text: string, what: string) => {
    const fallback = () => {
      linkInput.focus();
      toast('Copy it from the box.', 'info');
    };
    // navigator.clipboard exists only on secure origins (https, localhost).
    if (!window.isSecureContext || !('clipboard' in navigator)) return fallback();
    navigator.clipboard.writeText(text).then(() => toast(`${what} copied.`, 'info'), fallback);
  };

  const seats = [0, 1, 2, 3].map((i) => {
    const p = view.players[i];
    if (!p) {
      return h(
        'li',
        { class: 'seat-row empty' },
        h('span', { class: 'avatar empty', 'aria-hidden': 'true' }),
        h('span', {}, 'Empty seat'),
      );
    }
    return h(
      'li',
      { class: `seat-row${p.playerId === view.you.playerId ? ' me' : ''}` },
      avatar(p),
      h('span', { class: 'seat-name' }, p.name),
      p.playerId === view.you.playerId ? badge('you', 'You') : null,
      p.playerId === view.hostId ? badge('host', 'Host') : null,
      p.bot ? badge('bot', 'Bot') : null,
      !p.connected && !p.bot ? badge('offline', 'Offline') : null,
    );
  });

  const botsBtn = h(
    'button',
    {
      class: 'btn primary',
      'data-focus': 'bots',
      disabled: free === 0,
      onclick: () => {
        botsBtn.disabled = true;
        void request('add_bots', {}).then((ack) => {
          if (!ack.ok) {
            botsBtn.disabled = false;
            toast(errorText(ack.error), 'error');
          }
        });
      },
    },
    free === 1 ? 'Fill the last seat with a bot' : `Fill ${free} seats with bots`,
  );

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
      h('ol', { class: 'seat-list' }, seats),
      h(
        'div',
        { class: 'actions' },
        isHost
          ? botsBtn
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

function badge(kind: string, text: string): HTMLElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

function avatar(p: PlayerView): HTMLElement {
  const initial = [...p.name.trim()][0]?.toUpperCase() ?? '?';
  return h(
    'span',
    { class: `avatar team-${p.team}`, 'aria-hidden': 'true' },
    p.bot ? '⚙' : initial,
  );
}

function cardFace(card: Card, extraClass = ''): HTMLElement {
  const { rank, suit } = parseCard(card);
  const sym = SUIT_SYMBOL[suit];
  const face = rank === 'J' || rank === 'Q' || rank === 'K';
  return h(
    'span',
    { class: `face ${isRed(suit) ? 'red' : 'black'} ${extraClass}`, 'aria-hidden': 'true' },
    h(
      'span',
      { class: 'corner tl' },
      h('span', { class: 'rank' }, rank),
      h('span', { class: 'pip' }, sym),
    ),
    face
      ? h(
          'span',
          { class: 'center court' },
          h('span', { class: 'court-rank' }, rank),
          h('span', { class: 'court-pip' }, sym),
        )
      : h('span', { class: 'center' }, sym),
    h(
      'span',
      { class: 'corner br' },
      h('span', { class: 'rank' }, rank),
      h('span', { class: 'pip' }, sym),
    ),
  );
}

/** A card on the table (not interactive). */
function tableCard(card: Card, classes: string): HTMLElement {
  return h(
    'div',
    { class: `card table-card ${classes}`, role: 'img', 'aria-label': cardLabel(card) },
    cardFace(card),
  );
}

function renderTable(view: GameView): void {
  const me = view.you;
  const myTurn = view.turn === me.playerId;
  // Nothing is playable while a move is in flight or the seat is not (yet) this socket's.
  const online = app.connected && app.seated;
  const playable = app.busy || !online ? new Set<Card>() : playableCards(view);
  // Hokm is played counter-clockwise: the next seat sits to your right.
  const positions = ['bottom', 'right', 'top', 'left'] as const;
  const relOf = (p: PlayerView) => positions[(p.seat - me.seat + 4) % 4] ?? 'bottom';
  const seatOfPlayer = new Map(view.players.map((p) => [p.playerId, p]));
  const over = view.phase === 'game_over' || view.phase === 'abandoned';
  const led = view.ledSuit ?? (view.currentTrick[0] ? suitOf(view.currentTrick[0].card) : null);

  // --- scoreboard
  const teamBox = (team: 0 | 1) => {
    const ours = team === me.team;
    return h(
      'div',
      {
        class: `team-box team-${team}${ours ? ' ours' : ''}`,
        role: 'group',
        'aria-label': `${ours ? 'Your team' : 'Opponents'}: ${teamLabel(view, team)}`,
      },
      h('div', { class: 'team-title' }, ours ? 'Your team' : 'Opponents'),
      h('div', { class: 'team-names' }, teamLabel(view, team)),
      h(
        'div',
        { class: 'team-stats' },
        h(
          'span',
          { class: 'stat' },
          h('b', { 'data-testid': `score-${ours ? 'us' : 'them'}` }, String(view.scores[team])),
          h('small', {}, `/${view.targetScore} points`),
        ),
        h(
          'span',
          { class: 'stat' },
          h('b', {}, String(view.tricks[team])),
          h('small', {}, 'tricks'),
        ),
      ),
    );
  };
  const hakem = view.hakem ? seatOfPlayer.get(view.hakem) : undefined;
  const scoreboard = h(
    'section',
    { class: 'scoreboard', 'aria-label': 'Score' },
    teamBox(me.team),
    h(
      'div',
      { class: 'match-info' },
      h('div', { class: 'hand-no' }, view.handNumber > 0 ? `Hand ${view.handNumber}` : ''),
      view.hokm
        ? h(
            'div',
            {
              class: `hokm-chip ${isRed(view.hokm) ? 'red' : 'black'}`,
              'data-testid': 'hokm',
              'aria-label': `Hokm: ${view.hokm}`,
            },
            h('span', { class: 'hokm-sym', 'aria-hidden': 'true' }, SUIT_SYMBOL[view.hokm]),
            h('span', {}, h('span', { class: 'hokm-word' }, 'Hokm '), suitName(view.hokm)),
          )
        : h('div', { class: 'hokm-chip pending' }, 'Hokm not chosen'),
      hakem
        ? h('div', { class: 'hakem-line' }, `Hakem: ${playerName(view, hakem.playerId)}`)
        : null,
    ),
    teamBox(me.team === 0 ? 1 : 0),
  );

  // --- seats around the table
  const seatEls = view.players.map((p) => {
    const isMe = p.playerId === me.playerId;
    const turn = view.turn === p.playerId;
    const label = [
      isMe ? `${p.name} (you)` : p.name,
      p.playerId === view.hakem ? 'hakem' : '',
      p.bot ? 'bot' : '',
      !p.connected ? 'disconnected' : '',
      turn ? 'to play' : '',
      `${p.cardCount} cards`,
    ]
      .filter(Boolean)
      .join(', ');
    return h(
      'div',
      {
        class: `seat seat-${relOf(p)} team-${p.team}${turn ? ' turn' : ''}${p.connected ? '' : ' away'}${isMe ? ' me' : ''}`,
        'aria-label': label,
        role: 'group',
        'data-testid': `seat-${relOf(p)}`,
      },
      !isMe ? backs(p.cardCount) : null,
      h(
        'div',
        { class: 'seat-chip' },
        avatar(p),
        h(
          'div',
          { class: 'seat-text' },
          h('span', { class: 'seat-name' }, isMe ? `${p.name} (you)` : p.name),
          h(
            'span',
            { class: 'seat-badges' },
            p.playerId === view.hakem ? badge('hakem', 'Hakem') : null,
            p.bot ? badge('bot', 'Bot') : null,
            !p.connected ? badge('offline', 'Offline') : null,
            !isMe
              ? h('span', { class: 'count', title: `${p.cardCount} cards` }, String(p.cardCount))
              : null,
          ),
        ),
      ),
    );
  });

  // --- the trick in the middle
  const showingLast =
    view.currentTrick.length === 0 && view.lastTrick !== null && view.phase === 'gameplay';
  const trickCards = showingLast && view.lastTrick ? view.lastTrick.cards : view.currentTrick;
  const newShown = new Set<string>();
  const slots = trickCards.map((c, i) => {
    const p = seatOfPlayer.get(c.playerId);
    const key = `${view.handNumber}:${c.card}`;
    newShown.add(key);
    const enter = !app.shownTrick.has(key) ? ' enter' : '';
    const winner = showingLast && view.lastTrick?.winner === c.playerId ? ' winner' : '';
    const trump = view.hokm && suitOf(c.card) === view.hokm ? ' trump' : '';
    return h(
      'div',
      { class: `slot slot-${p ? relOf(p) : 'bottom'}`, style: `z-index:${i + 1}` },
      tableCard(c.card, `${enter}${winner}${trump}${showingLast ? ' settled' : ''}`),
    );
  });
  app.shownTrick = newShown;

  let centre: HTMLElement | null = null;
  if (view.phase === 'hokm_selection') {
    centre = myTurn
      ? hokmPicker(view)
      : h('div', { class: 'centre-note' }, `${playerName(view, view.turn)} is choosing the hokm…`);
  } else if (showingLast && view.lastTrick) {
    centre = h(
      'div',
      { class: 'centre-note small' },
      `${playerName(view, view.lastTrick.winner)} took the trick`,
    );
  }

  const trickArea = h(
    'div',
    {
      class: 'trick',
      'aria-label': trickCards.length
        ? `On the table: ${trickCards.map((c) => `${playerName(view, c.playerId)} ${cardLabel(c.card)}`).join(', ')}`
        : 'No cards on the table',
      role: 'group',
    },
    slots,
  );

  const lastTrickEl =
    view.lastTrick && !showingLast
      ? h(
          'div',
          {
            class: 'last-trick',
            'aria-label': `Last trick, won by ${playerName(view, view.lastTrick.winner)}: ${view.lastTrick.cards.map((c) => cardLabel(c.card)).join(', ')}`,
          },
          h('div', { class: 'last-title' }, 'Last trick'),
          h(
            'div',
            { class: 'mini-row' },
            view.lastTrick.cards.map((c) => {
              const { suit } = parseCard(c.card);
              const won = c.playerId === view.lastTrick?.winner;
              return h(
                'span',
                {
                  class: `mini ${isRed(suit) ? 'red' : 'black'}${won ? ' won' : ''}`,
                  'aria-hidden': 'true',
                  title: `${playerName(view, c.playerId)}: ${cardLabel(c.card)}`,
                },
                cardShort(c.card),
              );
            }),
          ),
          h('div', { class: 'last-winner' }, `→ ${playerName(view, view.lastTrick.winner)}`),
        )
      : null;

  const overlay = over ? endPanel(view) : null;

  const table = h(
    'section',
    { class: `felt phase-${view.phase}`, 'aria-label': 'Card table' },
    seatEls,
    trickArea,
    centre,
    lastTrickEl,
    overlay,
  );

  // --- status line
  let status = '';
  if (view.phase === 'hokm_selection') {
    status = myTurn
      ? 'You are hakem: choose the hokm from your first five cards.'
      : `${playerName(view, view.turn)} is choosing the hokm.`;
  } else if (view.phase === 'gameplay') {
    if (myTurn) {
      status = !led
        ? 'Your turn: lead any card.'
        : playable.size && [...playable].every((c) => suitOf(c) === led)
          ? `Your turn: follow ${suitName(led).toLowerCase()} ${SUIT_SYMBOL[led]}.`
          : `Your turn: no ${suitName(led).toLowerCase()}, play any card.`;
    } else {
      status = `Waiting for ${playerName(view, view.turn)}…`;
    }
  } else if (view.phase === 'game_over') {
    status =
      view.winnerTeam === me.team ? 'Your team won the match.' : 'The opponents won the match.';
  } else if (view.phase === 'abandoned') {
    status = 'The match was abandoned.';
  }

  if (!online && !over) status = 'Reconnecting to your seat…';
  // Other players' turns come and go quickly; only what concerns you is read out.
  announce(myTurn || view.phase !== 'gameplay' ? status : '');

  // --- your hand
  const hand = h(
    'div',
    {
      class: `hand${myTurn && view.phase === 'gameplay' ? ' my-turn' : ''}${me.hand.length > 5 ? ' tight' : ''}`,
      role: 'group',
      'aria-label': `Your hand, ${me.hand.length} cards`,
      style: `--n:${Math.max(me.hand.length, 2)}`,
    },
    me.hand.map((card) => {
      const ok = playable.has(card);
      const trump = view.hokm !== null && suitOf(card) === view.hokm;
      return h(
        'button',
        {
          type: 'button',
          class: `card hand-card${ok ? ' playable' : ''}${trump ? ' trump' : ''}${myTurn && view.phase === 'gameplay' && !ok ? ' blocked' : ''}`,
          'data-card': card,
          'data-focus': `card:${card}`,
          'aria-label': `${cardLabel(card)}${trump ? ' (hokm)' : ''}${ok ? '' : myTurn && view.phase === 'gameplay' ? ', cannot be played now' : ''}`,
          'aria-disabled': ok ? null : 'true',
          onclick: () => playCard(card),
        },
        cardFace(card),
      );
    }),
  );
  hand.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const cards = [...hand.querySelectorAll<HTMLElement>('.card')];
    const i = cards.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    e.preventDefault();
    cards[(i + (e.key === 'ArrowLeft' ? cards.length - 1 : 1)) % cards.length]?.focus();
  });

  mount(
    main,
    h(
      'div',
      { class: 'game' },
      scoreboard,
      table,
      h(
        'p',
        { class: `status${myTurn && !over ? ' yours' : ''}`, 'data-testid': 'status' },
        status,
      ),
      hand,
    ),
  );
}

function backs(count: number): HTMLElement {
  const shown = Math.min(count, 13);
  return h(
    'div',
    { class: 'backs', 'aria-hidden': 'true', style: `--n:${Math.max(shown, 1)}` },
    Array.from({ length: shown }, () => h('span', { class: 'back' })),
  );
}

function hokmPicker(view: GameView): HTMLElement {
  const counts = new Map<Suit, number>();
  for (const card of view.you.hand) counts.set(suitOf(card), (counts.get(suitOf(card)) ?? 0) + 1);
  return h(
    'div',
    { class: 'hokm-picker', role: 'group', 'aria-labelledby': 'hokm-title' },
    h('h2', { id: 'hokm-title' }, 'Choose the hokm'),
    h(
      'div',
      { class: 'suit-grid' },
      SUITS.map((suit) =>
        h(
          'button',
          {
            type: 'button',
            class: `suit-btn ${isRed(suit) ? 'red' : 'black'}`,
            'data-suit': suit,
            'data-focus': `suit:${suit}`,
            'aria-label': `${suitName(suit)} (${counts.get(suit) ?? 0} in your hand)`,
            disabled: app.busy || !(app.connected && app.seated),
            onclick: () => selectHokm(suit),
          },
          h('span', { class: 'suit-sym', 'aria-hidden': 'true' }, SUIT_SYMBOL[suit]),
          h('span', { class: 'suit-name' }, suitName(suit)),
          h('span', { class: 'suit-count', 'aria-hidden': 'true' }, `×${counts.get(suit) ?? 0}`),
        ),
      ),
    ),
  );
}

function endPanel(view: GameView): HTMLElement {
  const back = h(
    'button',
    { class: 'btn primary', 'data-focus': 'back', onclick: () => leaveTable(false) },
    'Back to the lobby',
  );
  if (view.phase === 'game_over') {
    const won = view.winnerTeam === view.you.team;
    const winners = view.winnerTeam === null ? '' : teamLabel(view, view.winnerTeam);
    return h(
      'div',
      { class: `end-panel ${won ? 'won' : 'lost'}`, role: 'alert', 'data-testid': 'game-over' },
      h('div', { class: 'end-icon', 'aria-hidden': 'true' }, won ? '♛' : '♠'),
      h('h2', {}, won ? 'You won the match!' : 'The opponents won the match'),
      h('p', {}, `Winners: ${winners}`),
      h(
        'p',
        { class: 'final-score' },
        `Final score ${view.scores[view.you.team]} – ${view.scores[view.you.team === 0 ? 1 : 0]}`,
      ),
      back,
    );
  }
  const a = app.abandon;
  const who = a ? playerName(view, a.playerId) : '';
  const why = !a
    ? 'A player left, so the match cannot go on.'
    : a.reason === 'player_left'
      ? `${who} left the table, so the match cannot go on.`
      : `${who} lost the connection and did not come back in time.`;
  return h(
    'div',
    { class: 'end-panel abandoned', role: 'alert', 'data-testid': 'abandoned' },
    h('h2', {}, 'Match abandoned'),
    h('p', {}, why),
    back,
  );
}

// --- actions -----------------------------------------------------------------------------------

function playCard(card: Card): void {
  const view = app.view;
  if (!view || app.busy) return;
  if (!playableCards(view).has(card)) {
    if (view.phase === 'gameplay' && view.turn === view.you.playerId) {
      const led = view.ledSuit ?? (view.currentTrick[0] ? suitOf(view.currentTrick[0].card) : null);
      toast(
        led
          ? `You have ${suitName(led).toLowerCase()}: follow suit.`
          : 'You cannot play that card now.',
        'error',
      );
    } else if (view.phase === 'gameplay') {
      toast(`It is ${playerName(view, view.turn)}'s turn.`, 'error');
    }
    return;
  }
  app.busy = true;
  render();
  void request('play_card', { card }).then((ack) => {
    app.busy = false;
    if (!ack.ok) toast(errorText(ack.error), 'error');
    render();
  });
}

function selectHokm(suit: Suit): void {
  if (app.busy) return;
  app.busy = true;
  render();
  void request('select_hokm', { suit }).then((ack) => {
    app.busy = false;
    if (!ack.ok) toast(errorText(ack.error), 'error');
    render();
  });
}

// ---------------------------------------------------------------------------------------------

render();
