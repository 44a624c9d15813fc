import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellState, suppressCube, TOTAL_ROW, type Level } from '../../server/privacy/suppress.ts';
import { attack } from '../helpers/attack.ts';

const LEVELS: Level[] = ['month', 'quarter', 'year'];

const months = (n: number, start = 2024) =>
  Array.from({ length: n }, (_, i) => `${start + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);

describe('small-cell suppression of the published cube', () => {
  it('hides a lone small count together with a partner in its period and in its quarter', () => {
    const cube = suppressCube(
      { rows: ['a', 'b', 'c', 'none'], months: months(3), counts: [[20, 30, 40], [15, 4, 25], [30, 30, 30], [0, 0, 1]] },
      10,
    );
    const m = cube.hidden.month;
    expect(m[1]![1]).toBe(true); // b, Feb: 4
    expect(m[3]![2]).toBe(true); // none, Mar: 1
    expect(cube.rows.at(-1)).toBe(TOTAL_ROW);
    // No relation is left with a single hidden member, and nothing hidden can be solved for.
    expect(attack(cube)).toEqual([]);
    const hiddenCount = LEVELS.reduce((s, l) => s + cube.hidden[l].flat().filter(Boolean).length, 0);
    expect(hiddenCount).toBeGreaterThanOrEqual(4);
  });

  it('shows zeros as zero, missing months as missing, and hides nothing for a threshold of 0', () => {
    const cube = suppressCube({ rows: ['a', 'none'], months: months(2), counts: [[0, null], [3, null]] }, 0);
    expect(cube.hidden.month.flat().some(Boolean)).toBe(false);
    expect(cellState(cube.values.month[0]![0]!, false)).toBe('zero');
    expect(cellState(cube.values.month[0]![1] ?? null, false)).toBe('missing');
    expect(cellState(3, true)).toBe('suppressed');
    expect(cellState(12, false)).toBe('shown');
  });

  it('leaves no hidden value recoverable, over any combination of relations (property, 300 seeded cubes)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 3, max: 15 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (nRows, nMonths, seed) => {
          let s = seed;
          const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
          const counts = Array.from({ length: nRows }, () =>
            Array.from({ length: nMonths }, () => (rnd() < 0.3 ? 0 : Math.floor(rnd() ** 2 * 40))),
          );
          const cube = suppressCube({ rows: [...Array(nRows - 1).keys()].map(String).concat('none'), months: months(nMonths), counts }, 10);
          for (const l of LEVELS) cube.values[l].forEach((row, r) => row.forEach((v, c) => {
            if (v !== null && v > 0 && v < 10) expect(cube.hidden[l][r]![c]).toBe(true);
          }));
          expect(attack(cube)).toEqual([]);
        },
      ),
      { numRuns: 300, seed: 20241124 },
    );
  });
});
