// Keeps this tab in its seat: takes a stored seat back on every (re)connection by its token,
// reconnects after a server restart, and turns the server's pushes into store updates.
import type { Card } from '../../../src/protocol/hokm-protocol.js';
import { cardShort, suitName } from '../cards.js';
import { playerName } from '../names.js';
import { noteAutoPlay } from '../state/auto-plays.js';
import { errorText } from '../ui/messages.js';
import { toast } from '../ui/toast.js';
import * as store from '../state/store.js';
import { invitedRoom, setUrlRoom } from '../url.js';
import {
  isConnected,
  onPush,
  openConnection,
  reconnect,
  request,
  restartConnection,
} from './socket.js';

/** What keeping the seat needs from the actions above it (app.ts hands it in). */
export interface SeatKeepingActions {
  /** A spectator's way back to the table it watched, on a new connection. */
  watchAgain: () => Promise<void>;
}

/** Connects and keeps the seat from now on. */
export function startSeatKeeping({ watchAgain }: SeatKeepingActions): void {
  openConnection({
    opened: () => {
      store.connectionOpened();
      // A spectator holds no seat: on a new connection it watches again instead.
      if (store.getState().watching) void watchAgain();
      else void resume();
    },
    failed: () => store.connectionFailed(),
    closed: (byServer) => {
      if (!store.getState().replaced && byServer) {
        // (A spectator too: the server closed us, and the table is watched again on reconnect.)
        // The server closed us (a restart): Socket.IO will not retry on its own, so we do.
        setTimeout(
          () => {
            if (!store.getState().replaced && !isConnected()) reconnect();
          },
          500 + Math.random() * 1000,
        );
      }
      store.connectionClosed();
    },
  });

  onPush('state', (view) => store.viewReceived(view));
  onPush('session_replaced', () => store.seatReplaced());
  onPush('server_shutdown', () => store.serverRestarting());
  onPush('abandoned', (event) => store.matchAbandoned(event));
  // The turn clock acted for someone: the card is marked on the table, and it is said.
  onPush('card_played', (event) => {
    if (event.auto) autoPlay(event.playerId, `played ${cardShort(event.card)}`, event.card);
  });
  onPush('hokm_selected', (event) => {
    if (event.auto) autoPlay(event.playerId, `named ${suitName(event.suit).toLowerCase()} hokm`);
  });
  onPush('hand_complete', (event) => {
    const view = store.getState().view;
    if (!view) return;
    const ours = event.winnerTeam === view.you.team;
    const who = ours ? 'Your team' : 'The opponents';
    const kot = event.kot ? ' Kot!' : '';
    toast(`${who} won hand ${event.handNumber} (+${event.points}).${kot}`, 'info');
  });
}

function autoPlay(playerId: string, what: string, card?: Card): void {
  if (card) noteAutoPlay(card);
  const view = store.getState().view;
  if (!view) return;
  toast(
    playerId === view.you.playerId
      ? `Time ran out: the clock ${what} for you.`
      : `Time ran out for ${playerName(view, playerId)}: the clock ${what}.`,
    'info',
  );
}

/** With a stored seat, take it back (on every connection, and when this tab asks for it). */
export async function resume(): Promise<void> {
  const { session, replaced, seated } = store.getState();
  store.redraw();
  if (replaced || !session || seated) return;
  const ack = await request('reconnect', { sessionToken: session.sessionToken });
  if (store.getState().session !== session) {
    // The seat was forgotten meanwhile: drop the binding (a fresh socket holds no seat).
    if (ack.ok) restartConnection();
    return;
  }
  if (ack.ok) {
    setUrlRoom(ack.data.roomCode);
    store.seatResumed();
    return;
  }
  if (ack.error.code === 'INVALID_SESSION' || ack.error.code === 'ROOM_NOT_FOUND') {
    if (invitedRoom() === session.roomCode) setUrlRoom(null);
    store.seatForgotten('Your previous table has ended.');
    return;
  }
  if (ack.error.code === 'ALREADY_IN_ROOM') {
    // This socket already holds the seat: just fetch the table.
    store.seatAlreadyHeld();
    const state = await request('get_state', {});
    if (state.ok) store.viewReceived(state.data);
    return;
  }
  toast(errorText(ack.error), 'error');
  setTimeout(() => {
    if (isConnected() && !store.getState().seated) void resume();
  }, 2000);
}
