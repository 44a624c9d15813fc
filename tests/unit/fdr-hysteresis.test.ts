// False-discovery control across areas (sql/epi/fdr.ts, Benjamini & Hochberg 1995) and alert
// hysteresis (sql/epi/episodes.ts), with the episodes stored in the operational database
// (sql/postgres/alerts.ts) on PGlite — and on a real Postgres server when DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { benjaminiHochberg, bhReject } from '../../sql/epi/fdr.ts';
import { advance, episodes, type Level, type PeriodSignal } from '../../sql/epi/episodes.ts';
import { migrate, openOps, type Ops } from '../../sql/postgres/db.ts';
import { acknowledgeAlert, alertPeriods, listAlerts, recordSignalRun, setThreshold, listThresholds, thresholdMap, type AlertKey, type PeriodResults } from '../../sql/postgres/alerts.ts';
import { isoOfDay, dayNumber } from '../../sql/signals.ts';
import { makeTarget, targetNames, type TestTarget } from '../helpers/pg.ts';
import { openMemoryOps } from '../helpers/pglite.ts';

describe('Benjamini–Hochberg', () => {
  it("matches R's p.adjust(method = 'BH')", () => {
    // R 4.2.2: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.0001, 0.049, 0.06, 0.9), "BH")
    const p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.0001, 0.049, 0.06, 0.9];
    const R = [0.0333333333333333, 0.08, 0.075, 0.025, 0.25, 0.555555555555556, 0.001, 0.0816666666666667, 0.0857142857142857, 0.9];
    Array.from(benjaminiHochberg(p)).forEach((v, i) => expect(v).toBeCloseTo(R[i]!, 14));
    // Ties: p.adjust(c(0.02, 0.02, 0.02, 0.5), "BH")
    expect(Array.from(benjaminiHochberg([0.02, 0.02, 0.02, 0.5]))).toEqual([0.02 * 4 / 3, 0.02 * 4 / 3, 0.02 * 4 / 3, 0.5]);
  });

  it('leaves tests not performed out of m', () => {
    const adj = benjaminiHochberg([0.01, Number.NaN, 0.04]);
    expect(Number.isNaN(adj[1]!)).toBe(true);
    expect(adj[0]).toBeCloseTo(0.02, 15); // m = 2
    expect(adj[2]).toBeCloseTo(0.04, 15);
    expect(Array.from(benjaminiHochberg([]))).toEqual([]);
  });

  it('rejects what the step-up rule rejects: the largest k with p_(k) ≤ kq/m and everything below it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.constantFrom(0.01, 0.05, 0.1), (p, q) => {
        const m = p.length;
        const sorted = p.slice().sort((a, b) => a - b);
        let k = 0;
        for (let i = 1; i <= m; i++) if (sorted[i - 1]! <= (i * q) / m) k = i;
        const cut = k > 0 ? sorted[k - 1]! : -1;
        expect(bhReject(p, q)).toEqual(p.map((v) => v <= cut));
        // Adjusted p-values are at least the raw ones and at most 1, and keep their order.
        const adj = benjaminiHochberg(p);
        p.forEach((v, i) => {
          expect(adj[i]!).toBeGreaterThanOrEqual(v - 1e-15);
          expect(adj[i]!).toBeLessThanOrEqual(1);
        });
        const order = p.map((v, i) => i).sort((a, b) => p[a]! - p[b]!);
        for (let i = 1; i < order.length; i++) expect(adj[order[i]!]!).toBeGreaterThanOrEqual(adj[order[i - 1]!]! - 1e-15);
      }),
    );
  });

  it('with 42 areas, a lone area needs p ≤ 0.05/42 to survive; a citywide rise across many areas gets through with larger p', () => {
    const lone = new Array<number>(42).fill(0.5);
    lone[7] = 0.002;
    expect(bhReject(lone)[7]).toBe(false);
    lone[7] = 0.05 / 42;
    expect(bhReject(lone)[7]).toBe(true);
    const broad = new Array<number>(42).fill(0.5).map((v, i) => (i < 10 ? 0.01 : v));
    expect(bhReject(broad).filter(Boolean)).toHaveLength(10); // 0.01 ≤ 10·0.05/42
  });
});

const sig = (date: string, level: Level, p: number | null = null, observed = 1): PeriodSignal => ({
  date,
  level,
  observed,
  expected: 0.5,
  statistic: null,
  pValue: p,
  pAdjusted: p,
});
const days = (start: string, levels: string): PeriodSignal[] =>
  [...levels].map((ch, i) => sig(isoOfDay(dayNumber(start) + i), ch === 'R' ? 'red' : ch === 'Y' ? 'yellow' : 'none', ch === 'R' ? 0.001 : ch === 'Y' ? 0.03 : 0.5, ch === 'R' ? 5 + i : 1));

describe('hysteresis: one alert per persisting spike', () => {
  it('opens on red only; yellow alone never opens', () => {
    expect(advance(null, sig('2024-01-01', 'yellow', 0.02), 7)).toEqual({ state: null, event: null });
    expect(advance(null, sig('2024-01-01', 'none'), 7).event).toBeNull();
    expect(advance(null, sig('2024-01-01', 'red', 0.001), 7).event).toBe('opened');
  });

  it('a spike red for three days, then yellow, then quiet is one episode that closes on the 7th quiet day', () => {
    const s = days('2024-03-01', 'RRRYY.......R');
    const eps = episodes(s, 7);
    expect(eps).toHaveLength(2);
    const [first, second] = eps;
    expect(first).toMatchObject({ openedOn: '2024-03-01', lastSignalOn: '2024-03-05', closedOn: '2024-03-12', redPeriods: 3, yellowPeriods: 2, quiet: 7 });
    expect(first!.periods.map((p) => p.level)).toEqual(['red', 'red', 'red', 'yellow', 'yellow']);
    // The peak is the smallest p (ties: the largest count).
    expect(first!.peak.date).toBe('2024-03-03');
    expect(first!.latest.date).toBe('2024-03-05');
    // Red again after it closed: a new episode, still open.
    expect(second).toMatchObject({ openedOn: '2024-03-13', closedOn: null, redPeriods: 1 });
  });

  it('gaps shorter than K keep the episode open; quiet days reset on any signal', () => {
    const eps = episodes(days('2024-05-01', 'R......R......Y.......'), 7);
    expect(eps).toHaveLength(1);
    expect(eps[0]).toMatchObject({ openedOn: '2024-05-01', lastSignalOn: '2024-05-15', closedOn: '2024-05-22', redPeriods: 2, yellowPeriods: 1 });
  });

  it('K = 1 closes on the first quiet period', () => {
    expect(episodes(days('2024-01-01', 'RR.R'), 1).map((e) => [e.openedOn, e.closedOn])).toEqual([
      ['2024-01-01', '2024-01-03'],
      ['2024-01-04', null],
    ]);
    expect(() => advance(null, sig('2024-01-01', 'red'), 0)).toThrow(/quietToClose/);
  });

  it('never has two open episodes, and every red period belongs to exactly one episode (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('R', 'Y', '.'), { maxLength: 120 }), fc.integer({ min: 1, max: 10 }), (levels, k) => {
        const s = days('2023-01-01', levels.join(''));
        const eps = episodes(s, k);
        expect(eps.filter((e) => e.closedOn === null).length).toBeLessThanOrEqual(1);
        const reds = s.filter((x) => x.level === 'red').map((x) => x.date);
        expect(eps.flatMap((e) => e.periods.filter((p) => p.level === 'red').map((p) => p.date))).toEqual(reds);
        for (const e of eps) if (e.closedOn) expect(dayNumber(e.closedOn) - dayNumber(e.lastSignalOn)).toBe(k);
      }),
    );
  });
});

const KEY: AlertKey = { jurisdiction: 'nyc', indicator: 'ems.opioid_overdose', method: 'essence', geography: 'event', cadence: 'day' };

/** Periods from per-area level strings (same length), starting on `start`. */
function periods(start: string, byArea: Record<string, string>): PeriodResults[] {
  const n = Math.max(...Object.values(byArea).map((s) => s.length));
  return Array.from({ length: n }, (_, i) => {
    const date = isoOfDay(dayNumber(start) + i);
    const m = new Map<string, PeriodSignal>();
    for (const [area, s] of Object.entries(byArea)) {
      const d = days(date, s[i] ?? '.')[0]!;
      if (d.level !== 'none') m.set(area, d);
    }
    return { date, byArea: m };
  });
}

for (const kind of targetNames()) {
  describe(`alert episodes stored in Postgres (${kind})`, () => {
    let target: TestTarget;
    let ops: Ops;
    beforeAll(async () => {
      target = await makeTarget(kind);
      // In memory: a real PGlite from a migrated snapshot (helpers/pglite.ts); migrate finds nothing to do.
      ops = target.target.kind === 'memory' ? await openMemoryOps() : await openOps(target.target);
      await migrate(ops.db);
    });
    afterAll(async () => {
      await ops?.close();
      await target?.drop();
    });

    it('records one episode per persisting spike, with its periods, and re-running is a no-op', async () => {
      const p = periods('2024-02-20', { '303': 'RRRY....R.......', '101': '..Y.............', total: '.R..............' });
      const s1 = await recordSignalRun(ops.db, KEY, p, { quietToClose: 7, areas: ['101', '303', 'total'] });
      expect(s1).toMatchObject({ processed: 16, opened: 2, closed: 2, through: '2024-03-06' });
      const all = await listAlerts(ops.db, { jurisdiction: 'nyc', indicator: KEY.indicator, limit: 10 });
      // Newest first. 101 was only ever yellow: no episode.
      expect(all.map((a) => [a.area, a.status, a.openedOn, a.closedOn])).toEqual([
        ['total', 'closed', '2024-02-21', '2024-02-28'],
        ['303', 'closed', '2024-02-20', '2024-03-06'],
      ]);
      const a303 = all.find((a) => a.area === '303')!;
      // Red 3 days, yellow 1, 4 quiet, red again (a gap under 7 days): the same episode; then
      // 7 quiet days close it on 2024-03-06.
      expect(a303).toMatchObject({ redPeriods: 4, yellowPeriods: 1, lastSignalOn: '2024-02-28', quietPeriods: 7 });
      expect((await alertPeriods(ops.db, a303.id)).map((x) => [x.date, x.level])).toEqual([
        ['2024-02-20', 'red'],
        ['2024-02-21', 'red'],
        ['2024-02-22', 'red'],
        ['2024-02-23', 'yellow'],
        ['2024-02-28', 'red'],
      ]);
      // Same periods again: nothing after the cursor, nothing changes.
      const s2 = await recordSignalRun(ops.db, KEY, p, { quietToClose: 7, areas: ['101', '303', 'total'] });
      expect(s2).toMatchObject({ processed: 0, opened: 0, closed: 0, through: '2024-03-06' });
      expect(await listAlerts(ops.db, { jurisdiction: 'nyc', limit: 10 })).toHaveLength(2);
    });

    it('continues episodes across runs exactly as one run over the same days would', async () => {
      const key1: AlertKey = { ...KEY, method: 'ears_c1' };
      const key3: AlertKey = { ...KEY, method: 'ears_c2' };
      const levels = { '201': 'RR..Y...........RRRRR.........', '202': '....R..R..R..R..R.............' };
      const whole = periods('2024-06-01', levels);
      await recordSignalRun(ops.db, key1, whole, { quietToClose: 7, areas: ['201', '202'] });
      // The same 30 days in three runs, episodes crossing run boundaries.
      for (const [a, b] of [
        [0, 9],
        [9, 17],
        [17, 30],
      ] as const) {
        await recordSignalRun(ops.db, key3, whole.slice(a, b), { quietToClose: 7, areas: ['201', '202'] });
      }
      const shape = (rows: Awaited<ReturnType<typeof listAlerts>>) =>
        rows.map((r) => [r.area, r.status, r.openedOn, r.lastSignalOn, r.closedOn, r.redPeriods, r.yellowPeriods, r.quietPeriods].join(' ')).sort();
      const one = await listAlerts(ops.db, { jurisdiction: 'nyc', method: 'ears_c1', limit: 50 });
      const three = await listAlerts(ops.db, { jurisdiction: 'nyc', method: 'ears_c2', limit: 50 });
      expect(shape(three)).toEqual(shape(one));
      expect(shape(one)).toEqual([
        '201 closed 2024-06-01 2024-06-05 2024-06-12 2 1 7',
        '201 closed 2024-06-17 2024-06-21 2024-06-28 5 0 7',
        // Red every third day: one episode, not five.
        '202 closed 2024-06-05 2024-06-17 2024-06-24 5 0 7',
      ]);
    });

    it('holds one open episode per detector and area in the database too', async () => {
      const key: AlertKey = { ...KEY, method: 'ears_c3' };
      await recordSignalRun(ops.db, key, periods('2024-07-01', { '105': '..RR' }), { quietToClose: 7, areas: ['105'] });
      const [open] = await listAlerts(ops.db, { jurisdiction: 'nyc', method: 'ears_c3', status: 'open', limit: 1 });
      expect(open).toMatchObject({ area: '105', openedOn: '2024-07-03', redPeriods: 2 });
      await expect(
        ops.db
          .insertInto('signal_alerts')
          .values({
            jurisdiction_id: 'nyc',
            indicator: KEY.indicator,
            method: 'ears_c3',
            geography: 'event',
            cadence: 'day',
            area_id: '105',
            status: 'open',
            opened_on: '2024-07-04',
            last_signal_on: '2024-07-04',
            closed_on: null,
            quiet_periods: 0,
            red_periods: 1,
            yellow_periods: 0,
            peak: JSON.stringify({}),
            latest: JSON.stringify({}),
          })
          .execute(),
      ).rejects.toThrow();
    });

    it('lets an analyst acknowledge and annotate an episode', async () => {
      const [a] = await listAlerts(ops.db, { jurisdiction: 'nyc', areas: ['303'], limit: 1 });
      const r = await acknowledgeAlert(ops.db, a!.id, null, 'naloxone outreach at the shelter on 2/26');
      expect(r).toMatchObject({ note: 'naloxone outreach at the shelter on 2/26', acknowledgedBy: null });
      expect(r!.acknowledgedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    });

    it('keeps ODMAP thresholds per area with a default', async () => {
      await setThreshold(ops.db, { jurisdiction: 'nyc', indicator: KEY.indicator, area: '*', minCount: 6, by: 'test' });
      await setThreshold(ops.db, { jurisdiction: 'nyc', indicator: KEY.indicator, area: '303', minCount: 9, by: 'test' });
      await setThreshold(ops.db, { jurisdiction: 'nyc', indicator: KEY.indicator, area: '303', minCount: 10, by: 'test2' });
      const list = await listThresholds(ops.db, 'nyc', KEY.indicator);
      expect(list.map((t) => [t.area, t.minCount, t.updatedBy])).toEqual([
        ['*', 6, 'test'],
        ['303', 10, 'test2'],
      ]);
      expect([...thresholdMap(list, ['101', '303'])]).toEqual([
        ['101', 6],
        ['303', 10],
      ]);
      await setThreshold(ops.db, { jurisdiction: 'nyc', indicator: KEY.indicator, area: '*', minCount: null, by: 'test' });
      expect([...thresholdMap(await listThresholds(ops.db, 'nyc', KEY.indicator), ['101', '303'])]).toEqual([['303', 10]]);
    });
  });
}
