// A match as the JSON the store keeps, built from parts already encoded where they are unchanged.
import type { Card, MatchState } from './domain/types';

// The rules never write to a hand or a finished trick once a state holds it (a change replaces
// them), and a move keeps the other hands and the last trick as they were: each is encoded once.
const encodedParts = new WeakMap<object, string>();

function encodedOnce(part: object): string {
  let json = encodedParts.get(part);
  if (json === undefined) {
    json = JSON.stringify(part);
    encodedParts.set(part, json);
  }
  return json;
}

function encodeHands(hands: Record<string, readonly Card[]>): string {
  let out = '';
  for (const playerId of Object.keys(hands)) {
    const hand = hands[playerId];
    if (hand === undefined) continue;
    out += `${out ? ',' : ''}${JSON.stringify(playerId)}:${encodedOnce(hand)}`;
  }
  return `{${out}}`;
}

/**
 * `JSON.stringify(match)`, byte for byte, with each hand and the last trick taken from a cache
 * of parts encoded before (keyed by the part itself, so a new hand is encoded anew).
 */
export function encodeMatch(match: MatchState | null): string {
  if (match === null) return 'null';
  let out = '';
  for (const key of Object.keys(match) as Array<keyof MatchState>) {
    const value = match[key];
    if (value === undefined) continue;
    const json =
      key === 'hands'
        ? encodeHands(match.hands)
        : key === 'lastTrick' && match.lastTrick !== null
          ? encodedOnce(match.lastTrick)
          : JSON.stringify(value);
    out += `${out ? ',' : ''}"${key}":${json}`;
  }
  return `{${out}}`;
}
