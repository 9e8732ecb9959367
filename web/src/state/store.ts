// The client's state, in one typed store. Nothing outside this file writes it: each change is an
// update function named after what happened, and it tells the listeners (the router) what to
// redraw. The server's `state` push stays authoritative; this only holds what the page shows.
import type { GameView, ServerPushes } from '../../../src/protocol/hokm-protocol.js';
import { loadSession, storeSession, type StoredSession } from './storage.js';

export type AbandonEvent = ServerPushes['abandoned'];

/** A view of the room from a seat (`you` is set). */
export type SeatView = GameView & { readonly you: NonNullable<GameView['you']> };
/** A spectator's view of the room: no `you`, no hand. */
export type WatchView = GameView & { readonly you: null };

/** Everything the page is drawn from. */
export interface ClientState {
  /** The seat this browser holds (stored, so a reload takes it back). */
  readonly session: StoredSession | null;
  /** The last view of the room, as the server sent it. */
  readonly view: SeatView | null;
  readonly connected: boolean;
  /** This socket holds the seat (create/join/reconnect answered ok). */
  readonly seated: boolean;
  /** Another tab or device took the seat over; this one stays quiet until asked. */
  readonly replaced: boolean;
  /** The server said it is restarting; we reconnect on our own. */
  readonly restarting: boolean;
  /** The last connection attempt failed (the server is unreachable). */
  readonly unreachable: boolean;
  /** A create_room or join is in flight: its `state` push may come before its ack. */
  readonly joining: boolean;
  /** A play or hokm request is in flight: the hand is locked until it is answered. */
  readonly busy: boolean;
  /** Why the lobby is shown again (e.g. the previous table ended), or ''. */
  readonly lobbyNotice: string;
  /** Who ended the match and how, when the server said so. */
  readonly abandon: AbandonEvent | null;
  /** The table this tab watches without a seat (`watch`), or null. */
  readonly watching: string | null;
  /** The last spectator's view of that table, as the server sent it. */
  readonly watchView: WatchView | null;
}

/** What a change needs redrawn: the whole screen (and the chrome), or only the chrome. */
export type Redraw = 'screen' | 'chrome';

type Listener = (redraw: Redraw) => void;

let state: ClientState = {
  session: loadSession(),
  view: null,
  connected: false,
  seated: false,
  replaced: false,
  restarting: false,
  unreachable: false,
  joining: false,
  busy: false,
  lobbyNotice: '',
  abandon: null,
  watching: null,
  watchView: null,
};

const listeners = new Set<Listener>();

export function getState(): ClientState {
  return state;
}

/** Calls `listener` after every change that needs a redraw. */
export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Applies a change; `redraw` null means the caller's next step redraws. */
function update(change: Partial<ClientState>, redraw: Redraw | null): void {
  state = { ...state, ...change };
  if (redraw) for (const listener of listeners) listener(redraw);
}

/** Draws the current state again (nothing changed here, but the screen may need it). */
export function redraw(): void {
  update({}, 'screen');
}

// --- the connection ----------------------------------------------------------------------------

export function connectionOpened(): void {
  update({ connected: true, restarting: false, unreachable: false }, 'chrome');
}

export function connectionFailed(): void {
  update({ unreachable: true }, 'chrome');
}

/** The socket closed: the hand is locked until the seat is back. */
export function connectionClosed(): void {
  update({ connected: false, seated: false }, 'screen');
}

export function serverRestarting(): void {
  update({ restarting: true }, 'chrome');
}

// --- the seat ----------------------------------------------------------------------------------

export function joinStarted(): void {
  update({ joining: true }, null);
}

/** A create_room or join was answered: with the seat it granted, or with an error (null). */
export function joinAnswered(seat: StoredSession | null): void {
  if (!seat) {
    update({ joining: false }, 'screen');
    return;
  }
  const session = { roomCode: seat.roomCode, sessionToken: seat.sessionToken };
  storeSession(session);
  update({ joining: false, session, seated: true, replaced: false }, 'screen');
}

/** `reconnect` gave this socket the stored seat back. */
export function seatResumed(): void {
  update({ seated: true }, 'screen');
}

/** This socket already held the seat; the `get_state` that follows draws the table. */
export function seatAlreadyHeld(): void {
  update({ seated: true }, null);
}

/** Another tab or device took the seat. */
export function seatReplaced(): void {
  update({ replaced: true, seated: false }, 'screen');
}

/** This tab asks for the seat back; the caller reconnects and then redraws. */
export function takeOverStarted(): void {
  update({ replaced: false, view: null }, null);
}

/** Back to the lobby: the seat is dropped here and in storage; `notice` says why, or ''. */
export function seatForgotten(notice = ''): void {
  storeSession(null);
  update(
    { session: null, seated: false, view: null, abandon: null, lobbyNotice: notice },
    'screen',
  );
}

// --- the room ----------------------------------------------------------------------------------

/** A view of the room (the `state` push, or a `get_state` answer). */
export function viewReceived(view: GameView): void {
  if (view.you === null) {
    watchViewReceived({ ...view, you: null });
    return;
  }
  // Only for a seat this tab holds or is taking (a late push after "forget" is dropped).
  if (state.replaced || !(state.session || state.joining) || !isSeatView(view)) return;
  const prev = state.view;
  if (prev && prev.roomCode === view.roomCode && view.version < prev.version) return;
  const abandon = prev?.roomCode !== view.roomCode ? null : state.abandon;
  update({ view, abandon }, 'screen');
}

function isSeatView(view: GameView): view is SeatView {
  return view.you !== null;
}

export function matchAbandoned(event: AbandonEvent): void {
  update({ abandon: event }, 'screen');
}

/** A play_card or select_hokm is in flight: the hand locks. */
export function moveStarted(): void {
  update({ busy: true }, 'screen');
}

export function moveAnswered(): void {
  update({ busy: false }, 'screen');
}

// --- watching a table --------------------------------------------------------------------------

/** This tab watches a table from now on (its first view follows). */
export function watchStarted(roomCode: string): void {
  update({ watching: roomCode, watchView: null, lobbyNotice: '', abandon: null }, 'screen');
}

/** A spectator's view of the watched table (a late one of another table is dropped). */
export function watchViewReceived(view: WatchView): void {
  if (state.watching !== view.roomCode) return;
  const prev = state.watchView;
  if (prev && view.version < prev.version) return;
  update({ watchView: view }, 'screen');
}

/** Back to the lobby from watching; `notice` says why, or ''. */
export function watchEnded(notice = ''): void {
  update({ watching: null, watchView: null, lobbyNotice: notice }, 'screen');
}
