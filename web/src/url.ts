// The address bar: `/?room=CODE` is the invitation link, and names the table you sit at;
// `/?watch=CODE` names the table you watch.

/** A table code from the address bar's `param`, cleaned (`abc234` → `ABC234`), or ''. */
function codeIn(param: string): string {
  const code = new URLSearchParams(location.search).get(param) ?? '';
  return code
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 6);
}

/** The table code of an invitation link (`/?room=abc234` → `ABC234`), or ''. */
export function invitedRoom(): string {
  return codeIn('room');
}

/** The table code of a watch link (`/?watch=abc234` → `ABC234`), or ''. */
export function watchedRoom(): string {
  return codeIn('watch');
}

/** Shows the watched table in the address bar (null: back to `/`), without a navigation. */
export function setUrlWatch(roomCode: string | null): void {
  history.replaceState(null, '', roomCode ? `/?watch=${encodeURIComponent(roomCode)}` : '/');
}

export function watchLink(roomCode: string): string {
  return `${location.origin}/?watch=${encodeURIComponent(roomCode)}`;
}

/** Shows the table in the address bar (null: back to `/`), without a navigation. */
export function setUrlRoom(roomCode: string | null): void {
  history.replaceState(null, '', roomCode ? `/?room=${encodeURIComponent(roomCode)}` : '/');
}

export function shareLink(roomCode: string): string {
  return `${location.origin}/?room=${encodeURIComponent(roomCode)}`;
}
