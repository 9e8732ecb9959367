// The Hokm browser client: one page, rendered from the server's `state` push (authoritative).
// The session token lives in localStorage only; it is never logged, rendered or put in a URL.
//
// Modules: state/ (the store, what survives a reload), connection/ (the socket, keeping the
// seat), actions (what a click or key does), router + views/ (what is drawn), ui/ (the chrome,
// toast, live region, focus).
import { leaveTable } from './actions.js';
import { startSeatKeeping } from './connection/seat.js';
import { render, startRouter } from './router.js';
import * as store from './state/store.js';
import { initChrome } from './ui/chrome.js';
import { setUrlWatch, watchedRoom } from './url.js';
import { watchAgain } from './watch-actions.js';

initChrome(() => leaveTable(true));
startRouter();
// A watch link (`/?watch=CODE`) watches that table, unless this browser holds a seat to take back.
if (watchedRoom() && !store.getState().session) {
  store.watchStarted(watchedRoom());
  setUrlWatch(watchedRoom());
}
startSeatKeeping({ watchAgain });
render();
