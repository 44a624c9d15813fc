// The planner view's pure parts: the URL round trip, the request from the form, the bars and the
// table from a plan, and what a role with a small-cell threshold is told.
import { describe, expect, it } from 'vitest';
import {
  allocationBars,
  canMakePlans,
  isMember,
  MEMBERS_ONLY_NOTE,
  makerNote,
  methodText,
  niceScale,
  planRequest,
  planSummaryText,
  planTable,
  restrictedNote,
  stockUnits,
  trendText,
} from '../../web/src/views/planner/planner.ts';
import { DEFAULT_PLANNER, formatStock, parseStock, readPlanner, writePlanner } from '../../web/src/views/planner/url-state.ts';
import type { Plan, PlanUnit } from '../../web/src/views/planner/planner-api.ts';

function unit(id: string, kits: number, over: Partial<PlanUnit> = {}): PlanUnit {
  return {
    id,
    name: `Unit ${id}`,
    areas: [id],
    kits,
    minimum: 10,
    stock: null,
    need: kits * 2,
    needShare: 0.25,
    poolShare: kits,
    gap: kits - 10,
    gapShare: 0.25,
    extra: kits - 10,
    remainderKit: false,
    basis: 'share',
    trendPct: 1.2,
    trendPerMonth: null,
    components: {
      'ems.opioid_overdose': { weight: 1, forecast: 30, lastMonth: 31, lastMonthState: 'shown', lastMonthText: '31' },
      'deaths.any_drug': { weight: 3, forecast: 5, lastMonth: null, lastMonthState: 'suppressed', lastMonthText: 'fewer than 10' },
    },
    explanation: `Unit ${id}: ${kits} kits. Because.`,
    ...over,
  };
}

function plan(over: Partial<Plan> = {}): Plan {
  return {
    id: 7,
    jurisdiction: 'nyc',
    month: '2026-01',
    kits: 200,
    createdAt: '2026-01-05T14:03:00.000Z',
    createdBy: { email: 'a@x.org', role: 'analyst', agency: 'Health Department' },
    dataVersion: { files: 6, lastRun: 'r1', lastLoadedAt: '2026-01-04T10:00:00Z', feeds: {} },
    definitionVersions: {},
    synthetic: true,
    restricted: false,
    lastMonth: '2025-12',
    firstMonth: '2020-01',
    horizon: 1,
    unitKind: 'police',
    unitLabel: 'NYPD patrol borough',
    crosswalkNote: 'approximate',
    unmappedAreas: [],
    method: { forecast: 'damped Holt', allocation: 'Largest remainder.', params: { alpha: 0.3, beta: 0.1, phi: 0.9 } },
    sources: [
      { indicator: 'ems.opioid_overdose', label: 'EMS suspected opioid overdoses', weight: 1, geography: 'event' },
      { indicator: 'deaths.any_drug', label: 'drug overdose deaths', weight: 3, geography: 'event' },
    ],
    inputs: { minimum: 10, minimums: {}, stock: {} },
    totals: { kits: 200, pool: 200, stockTotal: 0, minimumTotal: 40, extraKits: 160, totalNeed: 400, totalGap: 160, remainderKits: 1 },
    units: [unit('A', 30), unit('B', 90, { stock: 100 }), unit('C', 50), unit('D', 30)],
    ...over,
  };
}

describe('planner URL state', () => {
  it('round-trips every field, stock included', () => {
    const s = { plan: 12, kits: 5000, minimum: 100, units: 'police' as const, month: '2026-02', stock: { Bronx: 800, 'Brooklyn North': 0, 'Queens South': 25 } };
    const search = writePlanner(s, '?j=nyc&view=overview');
    expect(new URLSearchParams(search).get('view')).toBe('planner');
    expect(new URLSearchParams(search).get('j')).toBe('nyc');
    expect(readPlanner(search)).toEqual(s);
  });

  it('falls back to the defaults on malformed values', () => {
    expect(readPlanner('?view=planner&plan=-1&kits=many&min=x&units=precincts&month=2026-13&stock=%3B%3A5')).toEqual(DEFAULT_PLANNER);
    expect(writePlanner(DEFAULT_PLANNER)).toBe('?view=planner');
  });

  it('reads stock entries and drops the malformed ones', () => {
    expect(parseStock('Bronx:800;Staten Island:12;bad;x:-3;:4')).toEqual({ Bronx: 800, 'Staten Island': 12 });
    expect(formatStock({ b: 2, a: 1 })).toBe('a:1;b:2');
    expect(formatStock({})).toBeNull();
  });
});

describe('the plan request', () => {
  it('needs the kits, and sends only what the form says', () => {
    expect(planRequest(DEFAULT_PLANNER, 'nyc')).toEqual({ error: expect.stringMatching(/number of kits/) });
    expect(planRequest({ ...DEFAULT_PLANNER, kits: 5000 }, 'nyc')).toEqual({ body: { kits: 5000, minimum: 0, jurisdiction: 'nyc' } });
    expect(planRequest({ ...DEFAULT_PLANNER, kits: 5000, minimum: 100, units: 'areas', month: '2026-03', stock: { '101': 40, '102': 0 } }, null)).toEqual({
      body: { kits: 5000, minimum: 100, units: 'areas', month: '2026-03', stock: { '101': 40 } },
    });
  });
});

describe('who makes plans', () => {
  it('analysts, commanders and administrators; partners are told why not', () => {
    expect(['analyst', 'commander', 'admin'].every(canMakePlans)).toBe(true);
    expect(canMakePlans('partner')).toBe(false);
    expect(makerNote('commander')).toBeNull();
    expect(makerNote('partner')).toMatch(/partner.*may read saved plans but not make them/);
  });

  it('tells the public view that plans and meetings are for members', () => {
    expect(isMember('public')).toBe(false);
    expect(isMember(null)).toBe(false);
    expect(['analyst', 'commander', 'partner', 'admin'].every(isMember)).toBe(true);
    expect(makerNote('public')).toBe(MEMBERS_ONLY_NOTE);
  });
});

describe('allocation bars', () => {
  it('sorts most kits first, splits minimum from the rest, and marks stock + kits', () => {
    const { bars, max, ticks } = allocationBars(plan().units, 500);
    expect(bars.map((b) => b.id)).toEqual(['B', 'C', 'A', 'D']);
    expect(max).toBe(200); // B: 100 stock + 90 kits → 190 → 200 in steps of 50
    const b = bars[0]!;
    expect(b.xMin).toBeCloseTo((10 / 200) * 500);
    expect(b.xEnd).toBeCloseTo((90 / 200) * 500);
    expect(b.xHeld).toBeCloseTo((190 / 200) * 500);
    expect(bars[1]!.xHeld).toBeNull();
    expect(b.label).toBe('Unit B: 90 kits (10 minimum + 80 by need), holds 100 now');
    expect(ticks.map((t) => t.value)).toEqual([0, 50, 100, 150, 200]);
  });

  it('steps the axis by 1, 2 or 5 times a power of ten, at most 5 steps', () => {
    expect([0, 1, 3, 21, 240, 251, 999, 2018].map((v) => niceScale(v))).toEqual([
      { max: 1, step: 1 },
      { max: 1, step: 0.2 },
      { max: 3, step: 1 },
      { max: 25, step: 5 },
      { max: 250, step: 50 },
      { max: 300, step: 100 },
      { max: 1000, step: 200 },
      { max: 2500, step: 500 },
    ]);
  });
});

describe('the plan table', () => {
  it('has one row per unit with its counts as the role reads them and its sentence', () => {
    const t = planTable(plan());
    expect(t.rows).toHaveLength(4);
    expect(t.columns.map((c) => c.label)).toEqual([
      'NYPD patrol borough',
      'Kits',
      'Minimum',
      'Above minimum',
      'Stock',
      'Need 2026-01',
      'Share of need',
      'Trend',
      'EMS suspected opioid overdoses, 2025-12',
      'drug overdose deaths, 2025-12',
      'Why',
    ]);
    expect(t.rows[1]).toMatchObject({ unit: 'Unit B', kits: 90, stock: 100, needShare: '25.0%', trend: '+1.2% a month', 'last:deaths.any_drug': 'fewer than 10', explanation: 'Unit B: 90 kits. Because.' });
    expect(t.note).toBeUndefined();
  });

  it('says what is hidden and why when the plan is restricted', () => {
    const p = plan({ restricted: true });
    expect(restrictedNote(plan())).toBeNull();
    expect(restrictedNote(p)).toMatch(/^Small counts are hidden for your role: 4 of 8 unit counts of 2025-12/);
    expect(planTable(p).note).toBe(restrictedNote(p));
  });
});

describe('words', () => {
  it('states the forecast method with its parameters and the allocation', () => {
    expect(methodText(plan())).toBe(
      'Need = EMS suspected opioid overdoses × 1 + drug overdose deaths × 3, each forecast for the plan month (1 month ahead) from 2020-01 to 2025-12 by damped Holt (α 0.3, β 0.1, φ 0.9). Largest remainder.',
    );
    expect(trendText(null)).toBe('no trend');
    expect(trendText(0.01)).toBe('steady');
    expect(trendText(-2.345)).toBe('−2.3% a month');
    expect(planSummaryText({ id: 3, month: '2026-01', kits: 5000, units: 8, unitKind: 'police', createdAt: '2026-01-05T14:03:00Z', createdBy: { email: 'c@x', role: 'commander', agency: 'NYPD' } })).toBe(
      'Plan 3: 5,000 kits for 2026-01, 8 police units — 2026-01-05 14:03 UTC by c@x, NYPD (commander)',
    );
  });

  it('lists stock inputs from the plan shown, or the areas', () => {
    const areas = [{ id: '101', name: 'Kingsbridge' }];
    expect(stockUnits(plan(), null, areas).map((u) => u.id)).toEqual(['A', 'B', 'C', 'D']);
    expect(stockUnits(plan(), 'areas', areas)).toEqual(areas);
    expect(stockUnits(null, 'police', areas)).toEqual([]);
  });
});
