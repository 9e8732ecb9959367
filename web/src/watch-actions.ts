// What a spectator asks for: watch a table by its code, stop watching, take a free seat of the
// table being watched. A spectator holds no seat: nothing here touches the stored session.
import { joinTable } from './actions.js';
import { request } from './connection/socket.js';
import * as store from './state/store.js';
import { errorText } from './ui/messages.js';
import { toast } from './ui/toast.js';
import { setUrlWatch } from './url.js';

/** Watches the table with that code (resolves once answered). */
export async function watchTable(roomCode: string): Promise<void> {
  store.watchStarted(roomCode);
  setUrlWatch(roomCode);
  await sendWatch(roomCode);
}

/** Watches the table again on a new connection (the server forgets a spectator that dropped). */
export async function watchAgain(): Promise<void> {
  const roomCode = store.getState().watching;
  if (roomCode) await sendWatch(roomCode);
}

/** Stops watching and goes back to the lobby. */
export async function stopWatching(): Promise<void> {
  await request('leave', {});
  setUrlWatch(null);
  store.watchEnded();
}

/**
 * "Take a seat": stops watching the waiting table and joins it. If the seat went to someone else
 * meanwhile, the table is watched again.
 */
export async function takeSeat(name: string): Promise<void> {
  const roomCode = store.getState().watching;
  if (!roomCode) return;
  const left = await request('leave', {});
  if (!left.ok && left.error.code !== 'NOT_IN_ROOM') {
    toast(errorText(left.error), 'error');
    return;
  }
  // The watching screen stays until the seat is granted, then the table takes over.
  await joinTable(roomCode, name);
  if (store.getState().seated) store.watchEnded();
  else await sendWatch(roomCode);
}

async function sendWatch(roomCode: string): Promise<void> {
  const ack = await request('watch', { roomCode });
  // Another request changed what this tab does meanwhile: this answer is not wanted any more.
  if (store.getState().watching !== roomCode) return;
  if (ack.ok) return;
  if (ack.error.code === 'ALREADY_IN_ROOM') {
    // This connection already watches (a repeated request): the table as it is now.
    const now = await request('get_state', {});
    if (now.ok) store.viewReceived(now.data);
    return;
  }
  setUrlWatch(null);
  store.watchEnded(watchRefusal(ack.error.code, errorText(ack.error)));
}

function watchRefusal(code: string, fallback: string): string {
  if (code === 'ROOM_NOT_FOUND')
    return 'No table has that code any more, so there is nothing to watch.';
  if (code === 'ROOM_FULL')
    return 'That table has as many spectators as it can take. Try again later.';
  return fallback;
}
