// The address bar: `/?room=CODE` is the invitation link, and names the table you sit at.

/** The table code of an invitation link (`/?room=abc234` → `ABC234`), or ''. */
export function invitedRoom(): string {
  const code = new URLSearchParams(location.search).get('room') ?? '';
  return code
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 6);
}

/** Shows the table in the address bar (null: back to `/`), without a navigation. */
export function setUrlRoom(roomCode: string | null): void {
  history.replaceState(null, '', roomCode ? `/?room=${encodeURIComponent(roomCode)}` : '/');
}

export function shareLink(roomCode: string): string {
  return `${location.origin}/?room=${encodeURIComponent(roomCode)}`;
}
