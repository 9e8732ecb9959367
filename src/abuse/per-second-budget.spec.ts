import type { Logger } from '@nestjs/common';
import type { AbuseMetrics, RefusalReason } from './abuse.metrics';
import { PerSecondBudget } from './per-second-budget';

describe('PerSecondBudget', () => {
  let counts: Map<string, number>;
  let failing: boolean;
  let refused: RefusalReason[];
  let warnings: unknown[][];
  let budget: PerSecondBudget;

  beforeEach(() => {
    counts = new Map();
    failing = false;
    refused = [];
    warnings = [];
    const metrics = { refused: (reason: RefusalReason) => refused.push(reason) };
    const logger = { warn: (...args: unknown[]) => warnings.push(args) };
    budget = new PerSecondBudget(
      {
        count: (key) => {
          if (failing) return Promise.reject(new Error('Connection is closed.'));
          const n = (counts.get(key) ?? 0) + 1;
          counts.set(key, n);
          return Promise.resolve(n);
        },
        perSecond: 2,
        setting: 'thingsPerSecond',
        reason: 'listing_rate',
        overLine: 'address over its thing rate',
        counted: 'things',
      },
      metrics as unknown as AbuseMetrics,
      logger as unknown as Logger,
    );
  });

  it('admits the budget, refuses the rest, each refusal counted and the address logged once', async () => {
    const answers = [];
    for (let n = 0; n < 5; n++) answers.push(await budget.admit('203.0.113.1'));
    expect(answers).toEqual([true, true, false, false, false]);
    expect(await budget.admit('203.0.113.2')).toBe(true);
    expect(refused).toEqual(['listing_rate', 'listing_rate', 'listing_rate']);
    expect(warnings).toEqual([
      [{ address: '203.0.113.1', thingsPerSecond: 2 }, 'address over its thing rate'],
    ]);
  });

  it('admits everything while the store fails, with one warning until it answers again', async () => {
    failing = true;
    for (let n = 0; n < 4; n++) expect(await budget.admit('203.0.113.1')).toBe(true);
    expect(warnings).toEqual([
      [{ err: new Error('Connection is closed.') }, 'things not counted while the store fails'],
    ]);
    failing = false;
    expect(await budget.admit('203.0.113.1')).toBe(true);
    failing = true;
    await budget.admit('203.0.113.1');
    expect(warnings).toHaveLength(2);
    expect(refused).toEqual([]);
  });
});
