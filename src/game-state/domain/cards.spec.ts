import { FULL_DECK, isCard, rankOf, rankValue, shuffle, sortHand, suitOf } from './cards';
import { seededRng } from './rng';
import type { Card } from './types';

describe('FULL_DECK', () => {
  it('holds 52 distinct cards, 13 of each suit', () => {
    const suits = FULL_DECK.map(suitOf);

    expect(FULL_DECK).toHaveLength(52);
    expect(new Set(FULL_DECK).size).toBe(52);
    for (const suit of ['hearts', 'diamonds', 'clubs', 'spades']) {
      expect(suits.filter((s) => s === suit)).toHaveLength(13);
    }
    expect(FULL_DECK).toContain('10_spades');
    expect(FULL_DECK).toContain('A_hearts');
  });
});

describe('isCard', () => {
  it('accepts exactly the 52 card strings', () => {
    expect(FULL_DECK.every((c) => isCard(c))).toBe(true);
    for (const bad of [
      '',
      'A_heart',
      '1_hearts',
      '11_clubs',
      'a_hearts',
      'A_Hearts',
      ' A_hearts',
      'A-hearts',
      'hearts',
      14,
      null,
      undefined,
      {},
      ['A_hearts'],
    ]) {
      expect(isCard(bad)).toBe(false);
    }
  });
});

describe('suitOf, rankOf, rankValue', () => {
  it('reads the suit and orders ranks 2 low to ace high', () => {
    expect(suitOf('10_spades')).toBe('spades');
    expect(rankOf('10_spades')).toBe('10');
    expect(rankValue('2_clubs')).toBe(2);
    expect(rankValue('10_clubs')).toBe(10);
    expect(rankValue('J_clubs')).toBe(11);
    expect(rankValue('Q_clubs')).toBe(12);
    expect(rankValue('K_clubs')).toBe(13);
    expect(rankValue('A_clubs')).toBe(14);
  });
});

describe('sortHand', () => {
  it('groups by suit (spades, hearts, clubs, diamonds) and sorts each from 2 up to A', () => {
    const hand: Card[] = ['A_hearts', '2_diamonds', '10_spades', 'J_hearts', '3_spades', 'K_clubs'];

    const sorted = sortHand(hand);

    expect(sorted).toEqual([
      '3_spades',
      '10_spades',
      'J_hearts',
      'A_hearts',
      'K_clubs',
      '2_diamonds',
    ]);
    expect(hand[0]).toBe('A_hearts');
  });
});

describe('shuffle', () => {
  it('returns a permutation and leaves the input alone', () => {
    const shuffled = shuffle(FULL_DECK, seededRng(5));

    expect([...shuffled].sort()).toEqual([...FULL_DECK].sort());
    expect(shuffled).not.toEqual(FULL_DECK);
    expect(FULL_DECK[0]).toBe('2_hearts');
  });

  it('puts every item in every position about equally often', () => {
    const rng = seededRng(99);
    const runs = 24000;
    const counts = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);

    for (let i = 0; i < runs; i++) {
      shuffle([0, 1, 2, 3], rng).forEach((item, pos) => {
        counts[item]![pos]! += 1;
      });
    }

    // Expected 6000 per cell; 5 standard deviations (~335) is far beyond chance.
    for (const row of counts) for (const n of row) expect(Math.abs(n - runs / 4)).toBeLessThan(350);
  });
});
