// Suppression as an attacker meets it: a commander asks the API every way it allows — all areas,
// one area at a time, totals, months, quarters, years, overlapping ranges — and tries to solve
// for a hidden count from everything it was given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { runIngest } from '../../ingest/run.ts';
import { mortalityAdapter } from '../../ingest/feeds/mortality.ts';
import type { SeriesResponse } from '../../server/schemas/v1.ts';
import type { Cube, Level } from '../../server/privacy/suppress.ts';
import { attack } from '../helpers/attack.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';
import { INGEST, openStores, tempDir, writeMortality } from '../helpers/fixtures.ts';

describe('suppression through the API, for a commander', () => {
  let app: FastifyInstance;
  let commander: TestSession;
  let analyst: TestSession;

  beforeAll(async () => {
    const { duck, ops, nyc } = await openStores();
    const { file } = writeMortality(nyc, tempDir(), { years: 2 });
    await runIngest(duck, ops.db, mortalityAdapter, file, INGEST);
    app = await buildApp({ duck, ops, defaultJurisdiction: 'nyc', webRoot: null });
    await app.ready();
    commander = await loginAs(app, 'commander');
    analyst = await loginAs(app, 'analyst');
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = async (who: TestSession, q: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/series?indicator=deaths.xylazine&${q}`, headers: { cookie: who.cookie } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SeriesResponse;
  };

  it('shows the analyst every count and the commander none from 1 to 9', async () => {
    const a = await get(analyst, 'interval=month');
    const c = await get(commander, 'interval=month');
    const small = a.series.flatMap((s) => s.points).filter((p) => p.count !== null && p.count > 0 && p.count < 10);
    expect(small.length).toBeGreaterThan(50);
    const cPoints = c.series.flatMap((s) => s.points);
    expect(cPoints.every((p) => p.count === null || p.count === 0 || p.count >= 10)).toBe(true);
    expect(cPoints.filter((p) => p.state === 'suppressed').length).toBeGreaterThanOrEqual(small.length);
    expect(cPoints.filter((p) => p.state === 'suppressed').every((p) => p.count === null && p.rate === null)).toBe(true);
  });

  it('refuses the commander days, weeks and ranges that cut a month', async () => {
    for (const q of ['interval=day', 'interval=week', 'interval=month&from=2024-01-15&to=2024-03-31']) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/series?indicator=deaths.xylazine&${q}`, headers: { cookie: commander.cookie } });
      expect(res.statusCode).toBe(403);
    }
  });

  it('gives away no hidden count, whatever the commander asks and however it combines the answers', async () => {
    const full = await get(analyst, 'interval=month');
    const months = full.periods.map((p) => p.start);
    const rowsOf = full.series.map((s) => (s.area === 'total' ? 'total' : s.area));
    // Rows of the attacker's table: every area, the no-area row (never served per period), the total.
    const rowIds = [...rowsOf.filter((r) => r !== 'total'), '(no area)', 'total'];
    const quarters = [...new Set(months.map((m) => `${m.slice(0, 5)}${String(Math.floor((Number(m.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`))];
    const years = [...new Set(months.map((m) => `${m.slice(0, 4)}-01-01`))];
    const periods: Record<Level, string[]> = { month: months, quarter: quarters, year: years };
    const served: Cube = { rows: rowIds, periods, values: { month: [], quarter: [], year: [] }, hidden: { month: [], quarter: [], year: [] } };
    for (const l of ['month', 'quarter', 'year'] as Level[]) {
      served.values[l] = rowIds.map(() => periods[l].map(() => 0));
      served.hidden[l] = rowIds.map(() => periods[l].map(() => true));
    }
    const take = (l: Level, res: SeriesResponse) => {
      for (const s of res.series) {
        const r = rowIds.indexOf(s.area);
        for (const p of s.points) {
          const c = periods[l].indexOf(p.period);
          if (c < 0 || r < 0) continue;
          if (p.state !== 'suppressed' && p.state !== 'missing') {
            served.hidden[l][r]![c] = false;
            served.values[l][r]![c] = p.count!;
          }
        }
      }
    };
    const first = months[0]!;
    const last = full.periods.at(-1)!.end;
    for (const l of ['month', 'quarter', 'year'] as Level[]) {
      take(l, await get(commander, `interval=${l}`));
      take(l, await get(commander, `interval=${l}&from=${first}&to=${last}&areas=303,107`));
      for (const a of ['303', '107', '105', '101']) take(l, await get(commander, `interval=${l}&areas=${a}&total=false`));
      take(l, await get(commander, `interval=${l}&from=${months[3]}&to=${last}`));
    }
    // What the analyst knows (the truth) says which cells were really hidden from the commander.
    const recovered = attack(served).filter((id) => {
      const [l, area, period] = id.split(':') as [Level, string, string];
      const truth = full.series.find((s) => s.area === area)?.points.find((p) => p.period === period);
      return l === 'month' && truth !== undefined && truth.count !== null && truth.count > 0 && truth.count < 10;
    });
    expect(recovered).toEqual([]);
  });
});
