import { randomBytes, randomInt } from 'node:crypto';

/** The protocol's room-code alphabet: no 0/O, 1/I to misread. */
export const ROOM_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const ROOM_CODE_LENGTH = 6;
const ROOM_CODE = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`);

/** A fresh room code from a cryptographically secure source. */
export function newRoomCode(): string {
  let code = '';
  for (let i = 0; i < ROOM_CODE_LENGTH; i++)
    code += ROOM_CODE_ALPHABET[randomInt(ROOM_CODE_ALPHABET.length)];
  return code;
}

/** Upper-cases client input; null when it cannot be a room code. */
export function normalizeRoomCode(input: string): string | null {
  const code = input.trim().toUpperCase();
  return ROOM_CODE.test(code) ? code : null;
}

/** A session token: 256 random bits, URL-safe. Only its SHA-256 is ever stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A player id: public, random, unrelated to the token. */
export function newPlayerId(): string {
  return `p_${randomBytes(9).toString('base64url')}`;
}
