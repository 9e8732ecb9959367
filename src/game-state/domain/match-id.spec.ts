import { isMatchId, MATCH_ID_PATTERN, newMatchId } from './match-id';
import { cryptoRng, seededRng } from './rng';
import { applyOk, roomWith } from './testing';
import { viewFor } from './view';

describe('match ids', () => {
  it('are 16 bytes of the rng as 22 base64url characters', () => {
    // Arrange: an rng that answers the bytes 0..15 in order.
    let next = 0;
    const counting = { int: (max: number) => next++ % max };

    // Act
    const id = newMatchId(counting);

    // Assert: the base64url of 00 01 02 ... 0f, without padding.
    expect(id).toBe(Buffer.from(Array.from({ length: 16 }, (_, i) => i)).toString('base64url'));
    expect(id).toMatch(MATCH_ID_PATTERN);
  });

  it('encode every byte value as Node does', () => {
    for (let seed = 0; seed < 200; seed++) {
      const bytes: number[] = [];
      const rng = seededRng(seed);
      const recording = {
        int: (max: number) => (bytes.push(rng.int(max)), bytes.at(-1) as number),
      };
      expect(newMatchId(recording)).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('do not repeat over many crypto draws', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newMatchId(cryptoRng)));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(isMatchId(id)).toBe(true);
  });

  it('tell a well-formed id from anything else', () => {
    expect(isMatchId('AAAAAAAAAAAAAAAAAAAAAA')).toBe(true);
    expect(isMatchId('AAAAAAAAAAAAAAAAAAAAA')).toBe(false);
    expect(isMatchId('AAAAAAAAAAAAAAAAAAAAAA=')).toBe(false);
    expect(isMatchId('AAAAAAAAAAAAAAAAAAAA+/')).toBe(false);
    expect(isMatchId(42)).toBe(false);
  });

  it('are set when the match starts, shown to every player, and new for every match', () => {
    // Arrange + Act: two rooms whose fourth join starts a match, from the same seeded rng.
    const rng = seededRng(7);
    const waiting = roomWith(3, rng);
    expect(viewFor(waiting, 'p0').matchId).toBeNull();
    const first = applyOk(waiting, { type: 'join', playerId: 'p3', name: 'Player 3' }, rng).state;
    const second = roomWith(4, rng);

    // Assert
    const id = first.match?.matchId;
    expect(id).toMatch(MATCH_ID_PATTERN);
    for (const p of first.players) expect(viewFor(first, p.playerId).matchId).toBe(id);
    expect(second.match?.matchId).toMatch(MATCH_ID_PATTERN);
    expect(second.match?.matchId).not.toBe(id);
  });
});
