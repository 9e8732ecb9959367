import { FULL_DECK } from '../../game-state/domain/cards';
import { applyAction } from '../../game-state/domain/rules';
import { seededRng } from '../../game-state/domain/rng';
import { roomWith } from '../../game-state/domain/testing';
import type { MatchRecord } from '../../protocol/hokm-protocol';
import { assembleRecord, parseLine } from './assemble';
import { journalFor, PENDING_RECORDS_INDEX } from './journal';
import { verifyRecord } from './replay';
import { simulateMatch, type SimulatedMatchOptions } from './testing';

function recordOf(journal: string[], matchId: string | undefined): MatchRecord {
  const assembled = assembleRecord(journal, matchId ?? '');
  if (!assembled) throw new Error('no record assembled');
  return assembled.record;
}

describe('match records from the journal', () => {
  it('replay through the rules to their stated tricks, points, scores and winner (many random matches)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      // Arrange: a random match, some abandoned, some with the clock acting, some with bots.
      const options: SimulatedMatchOptions = {
        targetScore: (seed % 7) + 1,
        timeouts: seed % 3 === 0 ? 0.2 : 0,
        bots: seed % 4 === 0 ? [2, 3] : [],
        ...(seed % 5 === 0
          ? { abandonAfter: { moves: seed % 90, how: seed % 2 ? 'leave' : 'grace_expired' } }
          : {}),
      };
      const played = simulateMatch(seed, options);

      // Act
      const record = recordOf(played.journal, played.state.match?.matchId);

      // Assert: true to the rules, and to the room as it ended.
      expect(verifyRecord(record)).toEqual([]);
      const end = played.state.match;
      expect(record.scores).toEqual(end?.scores);
      expect(record.winnerTeam).toBe(end?.winnerTeam ?? null);
      expect(record.outcome).toBe(played.state.phase);
      expect(record.hands.flatMap((h) => h.moves)).toHaveLength(played.moves);
      expect(record.hands).toHaveLength(end?.handNumber ?? 0);
      for (const hand of record.hands) {
        expect(Object.values(hand.deal).flat().sort()).toEqual([...FULL_DECK].sort());
        for (const cards of Object.values(hand.deal)) expect(cards).toHaveLength(13);
      }
      const autos = record.hands.flatMap((h) => h.moves).filter((m) => m.auto).length;
      expect(autos).toBe(played.events.filter((e) => e.type === 'turn_timeout').length);
    }
  });

  it('hold no connection id or other server-side seat detail', () => {
    const played = simulateMatch(11, { targetScore: 2, timeouts: 0.5 });
    const text = JSON.stringify(recordOf(played.journal, played.state.match?.matchId));
    expect(text).not.toMatch(/conn-|connectionId|disconnectedAt|timeouts|away/);
    expect(played.journal.join('\n')).not.toMatch(/conn-/);
  });

  it('are not there while the match is played: no prefix of the journal makes a record', () => {
    const played = simulateMatch(5, { targetScore: 1 });
    const matchId = played.state.match?.matchId ?? '';
    for (let n = 0; n < played.journal.length; n++) {
      expect(assembleRecord(played.journal.slice(0, n), matchId)).toBeNull();
    }
    expect(assembleRecord(played.journal, matchId)?.end).toBe(played.journal.length - 1);
  });

  it('keep two matches of one room code apart', () => {
    // Arrange: the code hosts a second match after the first one ended.
    const first = simulateMatch(21, { targetScore: 1, roomCode: 'SAMEQQ' });
    const second = simulateMatch(22, { targetScore: 2, roomCode: 'SAMEQQ' });
    const journal = [...first.journal, ...second.journal];
    const firstId = first.state.match?.matchId ?? '';
    const secondId = second.state.match?.matchId ?? '';

    // Act
    const a = assembleRecord(journal, firstId);
    const b = assembleRecord(journal, secondId);

    // Assert
    expect(a?.record).toEqual(recordOf(first.journal, firstId));
    expect(a?.end).toBe(first.journal.length - 1);
    expect(b?.record).toEqual(recordOf(second.journal, secondId));
    expect(b?.start).toBe(first.journal.length);
    expect(assembleRecord(journal, 'AAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
  });

  it('show a hand cut short before the hokm with no hokm, no tricks and no points', () => {
    const played = simulateMatch(8, { abandonAfter: { moves: 0, how: 'leave' } });
    const record = recordOf(played.journal, played.state.match?.matchId);
    expect(record.outcome).toBe('abandoned');
    expect(record.winnerTeam).toBeNull();
    expect(record.hands).toEqual([
      expect.objectContaining({
        handNumber: 1,
        hokm: null,
        moves: [],
        tricks: [0, 0],
        points: [0, 0],
      }),
    ]);
  });

  it('are caught by the replay when a card, a trick count or a score is changed', () => {
    const played = simulateMatch(3, { targetScore: 2 });
    const record = recordOf(played.journal, played.state.match?.matchId);
    const tampered = (change: (r: MatchRecord) => void): string[] => {
      const copy = structuredClone(record);
      change(copy);
      return verifyRecord(copy);
    };
    expect(tampered((r) => (r.scores = [r.scores[1], r.scores[0]]))).not.toEqual([]);
    expect(tampered((r) => (r.hands[0]!.tricks = [7, 6]))).not.toEqual([]);
    expect(tampered((r) => (r.outcome = 'abandoned'))).not.toEqual([]);
    expect(
      tampered((r) => {
        const deal = r.hands[0]!.deal;
        const [a, b] = Object.keys(deal);
        const first = deal[a!]!;
        const second = deal[b!]!;
        [first[12], second[12]] = [second[12]!, first[12]!];
      }),
    ).not.toEqual([]);
    expect(tampered((r) => r.hands[0]!.moves.reverse())).not.toEqual([]);
  });

  it('cost one short line per move and nothing for a change that is no move', () => {
    // Arrange: a started match.
    const rng = seededRng(4);
    const state = roomWith(4, rng);
    const hakem = state.match?.hakem ?? '';

    // Act
    const hokm = applyAction(state, { type: 'select_hokm', playerId: hakem, suit: 'spades' }, rng);
    const drop = applyAction(state, { type: 'disconnect', playerId: 'p1', at: 5 }, rng);
    if (!hokm.ok || !drop.ok) throw new Error('refused');

    // Assert
    const added = journalFor(state, hokm.state, hokm.events, 1234);
    expect(added?.journal).toHaveLength(1);
    expect(parseLine(added?.journal?.[0] ?? '')).toEqual(['S', hakem, 'spades', 1234, 0]);
    expect(added?.indexes).toBeUndefined();
    expect(journalFor(state, drop.state, drop.events, 1234)).toBeNull();
  });

  it('mark the ending change with a pending entry, found by match id and room', () => {
    const played = simulateMatch(9, { abandonAfter: { moves: 10, how: 'grace_expired' } });
    expect(played.state.phase).toBe('abandoned');
    const before = { ...played.state, phase: 'gameplay' as const };
    const added = journalFor(before, played.state, [], 99);
    expect(added?.indexes).toEqual([
      {
        index: PENDING_RECORDS_INDEX,
        member: `${played.state.match?.matchId}|RECORD`,
        score: 99,
      },
    ]);
  });
});
