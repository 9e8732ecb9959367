// What a click or a key does: each function is one thing a person asks for. It sends the
// request, tells the store what happened, and says what went wrong in a toast.
import type { Ack, Card, SeatGrant, Suit } from '../../src/protocol/hokm-protocol.js';
import { playableCards, suitName, suitOf } from './cards.js';
import { resume } from './connection/seat.js';
import { isConnected, reconnect, request } from './connection/socket.js';
import { playerName } from './names.js';
import * as store from './state/store.js';
import { errorText } from './ui/messages.js';
import { toast } from './ui/toast.js';
import { setUrlRoom } from './url.js';

// --- lobby -------------------------------------------------------------------------------------

/** Creates a table (private unless asked) and takes its first seat (resolves once answered). */
export async function createTable(
  name: string,
  targetScore: number,
  visibility: 'public' | 'private' = 'private',
): Promise<void> {
  store.joinStarted();
  seatAnswered(await request('create_room', { name, targetScore, visibility }));
}

/** Takes a seat at the fullest public table of that target, or opens one (resolves once answered). */
export async function quickMatch(name: string, targetScore: number): Promise<void> {
  store.joinStarted();
  seatAnswered(await request('quick_match', { name, targetScore }));
}

/** Takes a seat at the table with that code (resolves once answered). */
export async function joinTable(roomCode: string, name: string): Promise<void> {
  store.joinStarted();
  seatAnswered(await request('join', { roomCode, name }));
}

function seatAnswered(ack: Ack<SeatGrant>): void {
  if (ack.ok) {
    setUrlRoom(ack.data.roomCode);
    store.joinAnswered(ack.data);
  } else {
    toast(errorText(ack.error), 'error');
    store.joinAnswered(null);
  }
}

// --- waiting for players -----------------------------------------------------------------------

/** The host fills the empty seats with bots; resolves false if the server refused. */
export async function addBots(): Promise<boolean> {
  const ack = await request('add_bots', {});
  if (!ack.ok) toast(errorText(ack.error), 'error');
  return ack.ok;
}

/** Copies `text` ("Link", "Code": `what`); where that is not possible, `showText` shows it. */
export function copyText(text: string, what: string, showText: () => void): void {
  const fallback = () => {
    showText();
    toast('Copy it from the box.', 'info');
  };
  // navigator.clipboard exists only on secure origins (https, localhost).
  if (!window.isSecureContext || !('clipboard' in navigator)) return fallback();
  navigator.clipboard.writeText(text).then(() => toast(`${what} copied.`, 'info'), fallback);
}

// --- the seat ----------------------------------------------------------------------------------

/** Leaves the table (which ends a running match for everyone) and goes back to the lobby. */
export function leaveTable(confirmFirst: boolean): void {
  if (confirmFirst && !confirm('Leave the table? The match ends for everyone at the table.')) {
    return;
  }
  void request('leave', {}).then((ack) => {
    if (!ack.ok && ack.error.code !== 'NOT_IN_ROOM' && ack.error.code !== 'INVALID_SESSION') {
      toast(errorText(ack.error), 'error');
      return;
    }
    forgetTable();
  });
}

/** Drops the stored seat without asking the server (it could not be taken back). */
export function forgetTable(): void {
  setUrlRoom(null);
  store.seatForgotten();
}

/** Takes the seat back from the tab or device that took it over. */
export function playInThisTab(): void {
  store.takeOverStarted();
  if (isConnected()) void resume();
  else reconnect();
  store.redraw();
}

// --- the match ---------------------------------------------------------------------------------

export function playCard(card: Card): void {
  const { view, busy } = store.getState();
  if (!view || busy) return;
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
  store.moveStarted();
  void request('play_card', { card }).then((ack) => {
    if (!ack.ok) toast(errorText(ack.error), 'error');
    store.moveAnswered();
  });
}

export function selectHokm(suit: Suit): void {
  if (store.getState().busy) return;
  store.moveStarted();
  void request('select_hokm', { suit }).then((ack) => {
    if (!ack.ok) toast(errorText(ack.error), 'error');
    store.moveAnswered();
  });
}
