import { cryptoRng, seededRng } from './rng';

describe('seededRng', () => {
  it('repeats the same sequence for the same seed and differs for neighbouring seeds', () => {
    const draw = (seed: number): number[] => {
      const rng = seededRng(seed);
      return Array.from({ length: 20 }, () => rng.int(1000));
    };

    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(0)).not.toEqual(draw(1));
  });

  it('stays in range and hits every value about equally often', () => {
    const rng = seededRng(7);
    const counts = new Array<number>(7).fill(0);

    let outOfRange = 0;
    for (let i = 0; i < 70000; i++) {
      const n = rng.int(7);
      if (!Number.isInteger(n) || n < 0 || n >= 7) outOfRange++;
      else counts[n]! += 1;
    }

    expect(outOfRange).toBe(0);

    // 10000 expected per value; the standard deviation is about 93.
    for (const n of counts) expect(Math.abs(n - 10000)).toBeLessThan(500);
  });

  it('returns 0 for a range of one and rejects an invalid range', () => {
    const rng = seededRng(1);

    expect(rng.int(1)).toBe(0);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
    expect(() => rng.int(2 ** 33)).toThrow(RangeError);
  });
});

describe('cryptoRng', () => {
  it('draws integers in range', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) seen.add(cryptoRng.int(4));

    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
    expect(cryptoRng.int(1)).toBe(0);
    expect(() => cryptoRng.int(0)).toThrow(RangeError);
  });
});
