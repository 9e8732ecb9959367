// What survives a reload, in localStorage: the seat (room code and session token) and the name.
// The token is never logged, rendered or put in a URL; a page without storage just forgets.

/** The seat this browser holds: enough to take it back with `reconnect`. */
export interface StoredSession {
  sessionToken: string;
  roomCode: string;
}

const SESSION_KEY = 'hokm.session';
const NAME_KEY = 'hokm.name';

export function loadSession(): StoredSession | null {
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

export function storeSession(session: StoredSession | null): void {
  try {
    if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    // Private mode without storage: the seat just does not survive a reload.
  }
}

export function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Not important.
  }
}
