// The naloxone allocation (server/planner/allocate.ts) and its sentences (explain.ts): kits add up
// exactly, minimums hold, stock counts, need is followed, ties are deterministic, and every
// sentence carries the numbers of its allocation.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, AllocationError, type AllocationInput, type AllocationRow } from '../../server/planner/allocate.ts';
import { explainUnit, type ExplainComponent } from '../../server/planner/explain.ts';

const unitArb = fc.record({
  need: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5000, noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 500 })),
  stock: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
  minimum: fc.integer({ min: 0, max: 40 }),
});

/** Units with ids u0…, and kits at least the sum of their minimums. */
const inputArb = fc
  .tuple(fc.array(unitArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 20_000 }))
  .map(([units, extra]): AllocationInput => ({
    kits: units.reduce((s, u) => s + u.minimum, 0) + extra,
    units: units.map((u, i) => ({ id: `u${i}`, ...u })),
  }));

const PARAMS = { numRuns: 400, seed: 20260107 };

describe('allocate', () => {
  it('adds up to exactly K, every allocation a whole number at least its minimum', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const a = allocate(input);
        expect(a.rows.reduce((s, r) => s + r.kits, 0)).toBe(input.kits);
        a.rows.forEach((r, i) => {
          expect(Number.isInteger(r.kits)).toBe(true);
          expect(r.kits).toBeGreaterThanOrEqual(input.units[i]!.minimum);
          expect(r.kits).toBe(r.minimum + r.extra);
        });
      }),
      PARAMS,
    );
  });

  it('gives a unit that already holds more than its share of the pool only its minimum', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const a = allocate(input);
        for (const r of a.rows) {
          if (r.stock > r.poolShare) {
            expect(r.kits).toBe(r.minimum);
            expect(r.basis).not.toBe('share');
          }
        }
      }),
      PARAMS,
    );
  });

  it('never fills a unit past its share by more than the one kit of rounding', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const a = allocate(input);
        for (const r of a.rows) if (r.extra > 0) expect(r.extra).toBeLessThanOrEqual(Math.floor(r.gap + 1e-9) + 1);
      }),
      PARAMS,
    );
  });

  it('is monotone in need: a unit whose need doubles, the others fixed, gets at least as many kits', () => {
    fc.assert(
      fc.property(inputArb, fc.nat(), fc.constantFrom(2, 3, 1.5), (input, pick, factor) => {
        const j = pick % input.units.length;
        const before = allocate(input).rows[j]!.kits;
        const units = input.units.map((u, i) => (i === j ? { ...u, need: u.need * factor } : u));
        const after = allocate({ ...input, units }).rows[j]!.kits;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
      PARAMS,
    );
  });

  it('follows need: a unit whose need doubles, with no stock or minimums, gets more kits when there are enough to show it', () => {
    const units = [
      { id: 'a', need: 100, minimum: 0 },
      { id: 'b', need: 100, minimum: 0 },
      { id: 'c', need: 200, minimum: 0 },
    ];
    const before = allocate({ kits: 400, units }).rows;
    expect(before.map((r) => r.kits)).toEqual([100, 100, 200]);
    const after = allocate({ kits: 400, units: units.map((u) => (u.id === 'a' ? { ...u, need: 200 } : u)) }).rows;
    expect(after.map((r) => r.kits)).toEqual([160, 80, 160]);
  });

  it('is the largest-remainder method, with ties by need then by order', () => {
    // Quotas 3.5, 3.5, 3: the one kit left goes to the first of the two equal remainders.
    const a = allocate({ kits: 10, units: [{ id: 'x', need: 7, minimum: 0 }, { id: 'y', need: 7, minimum: 0 }, { id: 'z', need: 6, minimum: 0 }] });
    expect(a.rows.map((r) => r.kits)).toEqual([4, 3, 3]);
    expect(a.rows.map((r) => r.remainderKit)).toEqual([true, false, false]);
    // The same units listed the other way round: still by order, so deterministic.
    const b = allocate({ kits: 10, units: [{ id: 'y', need: 7, minimum: 0 }, { id: 'x', need: 7, minimum: 0 }, { id: 'z', need: 6, minimum: 0 }] });
    expect(b.rows.map((r) => [r.id, r.kits])).toEqual([['y', 4], ['x', 3], ['z', 3]]);
    // Quotas 1.4, 1.4, 1.2 ← 3 kits: floors 1,1,1 and none left; 4 kits: one to the first larger remainder.
    const c = allocate({ kits: 4, units: [{ id: 'p', need: 7, minimum: 0 }, { id: 'q', need: 7, minimum: 0 }, { id: 'r', need: 6, minimum: 0 }] });
    expect(c.rows.map((r) => r.kits)).toEqual([2, 1, 1]);
    // Hamilton, not rounding: quotas 0.6 × 3 and 8.2 → 1, 1, 0, 8.
    const d = allocate({ kits: 10, units: [{ id: 'a', need: 6, minimum: 0 }, { id: 'b', need: 6, minimum: 0 }, { id: 'c', need: 6, minimum: 0 }, { id: 'd', need: 82, minimum: 0 }] });
    expect(d.rows.map((r) => r.kits)).toEqual([1, 1, 0, 8]);
  });

  it('takes stock into account: kits go to the units short of their share', () => {
    const a = allocate({
      kits: 100,
      units: [
        { id: 'a', need: 50, stock: 200, minimum: 5 },
        { id: 'b', need: 50, stock: 0, minimum: 5 },
      ],
    });
    // Pool 300, shares 150 and 150: a holds 200 already → its minimum; b gets the rest.
    expect(a.pool).toBe(300);
    expect(a.rows.map((r) => r.kits)).toEqual([5, 95]);
    expect(a.rows[0]!.basis).toBe('stocked');
  });

  it('shares equally when no unit has any need', () => {
    const a = allocate({ kits: 7, units: ['a', 'b', 'c'].map((id) => ({ id, need: 0, minimum: 1 })) });
    expect(a.rows.map((r) => r.kits)).toEqual([3, 2, 2]);
  });

  it('refuses what it cannot do, naming the field', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as AllocationError;
      }
      throw new Error('no error');
    };
    const e = err(() => allocate({ kits: 10, units: ['a', 'b', 'c'].map((id) => ({ id, need: 1, minimum: 4 })) }));
    expect(e).toBeInstanceOf(AllocationError);
    expect(e.field).toBe('kits');
    expect(e.message).toContain('less than the sum of the minimums (12 = 3 units × 4)');
    expect(err(() => allocate({ kits: 1.5, units: [{ id: 'a', need: 1, minimum: 0 }] })).field).toBe('kits');
    expect(err(() => allocate({ kits: 1, units: [] })).field).toBe('units');
    expect(err(() => allocate({ kits: 1, units: [{ id: 'a', need: -1, minimum: 0 }] })).field).toBe('need');
    expect(err(() => allocate({ kits: 1, units: [{ id: 'a', need: 1, minimum: 0, stock: -2 }] })).field).toBe('stock');
    expect(err(() => allocate({ kits: 1, units: [{ id: 'a', need: 1, minimum: 0 }, { id: 'a', need: 1, minimum: 0 }] })).field).toBe('units');
  });
});

// ── sentences ────────────────────────────────────────────────────────────────────────────────────

const num = (s: string) => Number(s.replaceAll(',', ''));

/** The numbers a sentence states, read back from its text. */
function parse(sentence: string) {
  const m = {
    kits: /^[^:]+: ([\d,]+) kits?\./.exec(sentence),
    need: /Forecast need for \d{4}-\d{2} ([\d,.]+) \(([\d.]+)% of the total/.exec(sentence),
    share: /its share of the ([\d,]+) kits held after the plan \(([\d,]+) new \+ ([\d,]+) in stock\) is ([\d,.]+)/.exec(sentence),
    gets: /gets (?:only its minimum )?([\d,]+) \+ ([\d,]+)/.exec(sentence),
    minimum: /minimum (?:is|of) ([\d,]+)/.exec(sentence),
    holds: /holds ([\d,]+)/.exec(sentence),
    gapPct: /\(([\d.]+)% of them/.exec(sentence),
  };
  return m;
}

describe('explanations', () => {
  const comps = (): ExplainComponent[] => [
    { label: 'EMS suspected opioid overdoses', weight: 1, forecast: 123.4, lastMonth: { value: 120, state: 'shown' }, threshold: 0 },
    { label: 'drug overdose deaths', weight: 3, forecast: 18.2, lastMonth: { value: 17, state: 'shown' }, threshold: 0 },
  ];
  const ctx = { month: '2026-01', lastMonth: '2025-12', digits: 1 };

  it('states the numbers of its allocation, for any allocation', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const a = allocate(input);
        for (const r of a.rows) {
          const s = explainUnit(`Unit ${r.id}`, r, a, comps(), 1.234, ctx);
          const p = parse(s);
          expect(num(p.kits![1]!)).toBe(r.kits);
          expect(num(p.need![1]!)).toBeCloseTo(r.need, 1);
          expect(Number(p.need![2])).toBeCloseTo(100 * r.needShare, 1);
          expect(num(p.share![1]!)).toBe(a.pool);
          expect(num(p.share![2]!)).toBe(a.kits);
          expect(num(p.share![3]!)).toBe(a.stockTotal);
          expect(num(p.share![4]!)).toBeCloseTo(r.poolShare, 1);
          expect(num(p.gets![1]!)).toBe(r.minimum);
          expect(num(p.gets![2]!)).toBe(r.extra);
          expect(num(p.gets![1]!) + num(p.gets![2]!)).toBe(r.kits);
          expect(num(p.minimum![1]!)).toBe(r.minimum);
          if (r.stockKnown) expect(num(p.holds![1]!)).toBe(r.stock);
          else expect(s).toContain('its stock is not known');
          if (r.basis === 'share') expect(Number(p.gapPct![1])).toBeCloseTo(100 * r.gapShare, 1);
          expect(s).toContain('rising 1.2% a month');
        }
      }),
      { ...PARAMS, numRuns: 150 },
    );
  });

  it('says "fewer than 10" for a small hidden count and never shows its value', () => {
    const a = allocate({ kits: 10, units: [{ id: 'a', need: 5, minimum: 0 }] });
    const s = explainUnit('A', a.rows[0]!, a, [
      { label: 'drug overdose deaths', weight: 3, forecast: 4, lastMonth: { value: null, state: 'small' }, threshold: 10 },
      { label: 'EMS suspected opioid overdoses', weight: 1, forecast: 44, lastMonth: { value: null, state: 'withheld' }, threshold: 10 },
    ], -2, { ...ctx, digits: 0 });
    expect(s).toContain('4 drug overdose deaths × 3 + 44 EMS suspected opioid overdoses × 1');
    expect(s).toContain('in 2025-12 fewer than 10 drug overdose deaths and EMS suspected opioid overdoses suppressed');
    expect(s).not.toMatch(/\b[1-9] drug overdose deaths and/);
    expect(s).toContain('falling 2.0% a month');
  });

  it('explains a stocked unit and a unit at its minimum in words that match', () => {
    const a = allocate({ kits: 100, units: [{ id: 'a', need: 50, stock: 200, minimum: 5 }, { id: 'b', need: 50, minimum: 5 }, { id: 'c', need: 0, minimum: 3 }] });
    const [sa, , sc] = a.rows.map((r: AllocationRow) => explainUnit(r.id, r, a, comps(), null, ctx));
    expect(sa).toMatch(/^a: 5 kits\..*it holds 200 already, which with its minimum of 5 covers that share, so it gets only its minimum 5 \+ 0\.$/);
    expect(sc).toMatch(/^c: 3 kits\..*its minimum is 3, which covers its share, so it gets only its minimum 3 \+ 0\.$/);
  });
});
