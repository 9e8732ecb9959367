import { lifeOfARoom, tableState } from './domain/testing';
import type { MatchState } from './domain/types';
import { encodeMatch } from './match-json';

describe('encodeMatch', () => {
  it('is JSON.stringify of the match, byte for byte, all along a room and after a trip through JSON', () => {
    let matches = 0;
    for (let seed = 1; seed <= 6; seed++) {
      for (const state of lifeOfARoom(seed)) {
        expect(encodeMatch(state.match)).toBe(JSON.stringify(state.match));
        const parsed = JSON.parse(JSON.stringify(state)) as typeof state;
        expect(encodeMatch(parsed.match)).toBe(JSON.stringify(state.match));
        if (state.match) matches++;
      }
    }
    expect(matches).toBeGreaterThan(300);
  });

  it('leaves out fields that are undefined, as JSON.stringify does', () => {
    const match: MatchState = { ...tableState({ hands: [[], [], [], []], hokm: 'spades' }).match! };
    const withHoles = { ...match, matchId: undefined, turnStartedAt: undefined };
    expect(encodeMatch(withHoles)).toBe(JSON.stringify(withHoles));
    expect(encodeMatch(null)).toBe('null');
  });
});
