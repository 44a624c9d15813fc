// Shared by tests/unit/epi-*.test.ts: read a golden file made by fixtures/golden/make-golden.R and
// track the largest differences against it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export const GOLDEN_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'golden');

export interface GeneratedBy {
  R: string;
  surveillance: string;
  epitools: string;
  MASS: string;
  jsonlite: string;
}

export function readGolden<T>(name: string): T & { generatedBy: GeneratedBy } {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, name), 'utf8')) as T & { generatedBy: GeneratedBy };
}

/** Largest absolute and relative differences seen per statistic. */
export class DiffTracker {
  readonly max = new Map<string, { abs: number; rel: number; n: number }>();

  /**
   * Compare one value: equal when |ours − R| ≤ tol · max(1, |R|) — absolute for values below 1,
   * relative above. null on either side must be null on both.
   */
  check(stat: string, ours: number | null | undefined, ref: number | null | undefined, tol: number, where = ''): void {
    const m = this.max.get(stat) ?? { abs: 0, rel: 0, n: 0 };
    m.n++;
    this.max.set(stat, m);
    if (ref === null || ref === undefined || ours === null || ours === undefined) {
      expect(ours ?? null, `${stat} ${where}: R ${String(ref)}, ours ${String(ours)}`).toBe(ref ?? null);
      return;
    }
    const abs = Math.abs(ours - ref);
    const rel = ref === 0 ? (ours === 0 ? 0 : Number.POSITIVE_INFINITY) : abs / Math.abs(ref);
    m.abs = Math.max(m.abs, abs);
    if (Math.abs(ref) > 1e-300) m.rel = Math.max(m.rel, rel);
    expect(abs, `${stat} ${where}: R ${ref}, ours ${ours}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(ref)));
  }

  report(): string {
    return [...this.max].map(([k, v]) => `${k}: n=${v.n} max abs ${v.abs.toExponential(2)} max rel ${v.rel.toExponential(2)}`).join('\n');
  }
}
