// The hotspots view's transforms: ranking, why counts are hidden, agreement, the URL, the chart.
import { describe, expect, it } from 'vitest';
import {
  agreementFor,
  agreementSummary,
  agreementText,
  clusterAreas,
  clusterCounts,
  clusterTable,
  clusterWindow,
  drugcheckSummary,
  rankClusters,
  scanDays,
  companionIndicators,
  formatP,
  hiddenCountsNote,
  hotspotTable,
  monthsAround,
  observedVsExpected,
  rankHotspots,
  signalChart,
  sortAlerts,
  windowFrom,
  type SignalRow,
} from '../../web/src/views/hotspots/hotspots.ts';
import { DEFAULT_HOTSPOTS, readHotspots, writeHotspots } from '../../web/src/views/hotspots/url-state.ts';
import type { Alert, Cluster } from '../../web/src/api.ts';

function row(area: string, date: string, over: Partial<SignalRow> = {}): SignalRow {
  return {
    area,
    name: `Area ${area}`,
    date,
    periodEnd: date,
    observed: 3,
    state: 'shown',
    expected: 1,
    threshold: null,
    statistic: 1,
    pValue: 0.2,
    pAdjusted: 0.5,
    level: 'none',
    method: 'essence',
    model: 'ewma',
    suppressed: false,
    ...over,
  };
}

describe('ranking this period’s signals', () => {
  const rows = [
    row('101', '2025-11-29'),
    row('101', '2025-11-30', { level: 'yellow', pValue: 0.01, pAdjusted: 0.2 }),
    row('102', '2025-11-29', { level: 'red', pValue: 0.0001, pAdjusted: 0.004, observed: 9, expected: 1.5 }),
    row('102', '2025-11-30', { level: 'yellow', pValue: 0.02, pAdjusted: 0.3 }),
    row('103', '2025-11-29', { level: 'yellow', pValue: 0.001, pAdjusted: 0.04 }),
    row('104', '2025-11-30'),
    row('total', '2025-11-30', { name: 'Total', observed: 40, expected: 35 }),
  ];

  it('puts red before yellow before none, then the smaller adjusted p', () => {
    const { areas, total } = rankHotspots(rows);
    expect(areas.map((h) => [h.area, h.level])).toEqual([
      ['102', 'red'],
      ['103', 'yellow'],
      ['101', 'yellow'],
      ['104', 'none'],
    ]);
    expect(total?.area).toBe('total');
    const a102 = areas[0]!;
    expect([a102.red, a102.yellow, a102.peak.date, a102.latest.date]).toEqual([1, 1, '2025-11-29', '2025-11-30']);
  });

  it('makes the table behind the list, with hidden counts in words', () => {
    const t = hotspotTable(rankHotspots([row('101', '2025-11-30', { observed: null, expected: null, suppressed: true })]).areas, 'c');
    expect(t.rows[0]).toMatchObject({ name: 'Area 101', observed: 'hidden', expected: 'hidden', level: 'No signal' });
  });

  it('says observed against expected, or that it is hidden', () => {
    expect(observedVsExpected({ observed: 6, expected: 0.6, suppressed: false })).toBe('observed 6 against 0.6 expected (10.0×)');
    expect(observedVsExpected({ observed: null, expected: null, suppressed: true })).toBe('observed count hidden');
    expect(formatP(0.00001)).toBe('< 0.0001');
    expect(formatP(0.0004)).toBe('0.0004');
    expect(formatP(0.0123)).toBe('0.012');
    expect(formatP(null)).toBe('—');
  });
});

describe('why counts are hidden', () => {
  const hidden = [row('101', '2025-11-30', { observed: null, expected: null, suppressed: true, state: 'suppressed' })];
  it('tells a commander that daily counts are not served to the role, and what is shown instead', () => {
    const note = hiddenCountsNote('commander', 'day', hidden)!;
    expect(note).toMatch(/hidden for your role \(commander\)/);
    expect(note).toMatch(/daily counts/);
    expect(note).toMatch(/whole months/);
    expect(note).toMatch(/p-values/);
  });
  it('says nothing when nothing is hidden, and a shorter word for a few small cells', () => {
    expect(hiddenCountsNote('analyst', 'day', [row('101', '2025-11-30')])).toBeNull();
    expect(hiddenCountsNote('commander', 'week', [...hidden, row('102', '2025-11-30')])).toMatch(/^Some counts are hidden/);
  });
});

describe('agreement across feeds', () => {
  it('picks the headline indicator of each other feed', () => {
    const available = ['ems.opioid_overdose', 'ems.naloxone_given', 'deaths.any_drug', 'deaths.opioid', 'naloxone.kits_distributed', 'arrests.drug', 'treatment.opioid_admissions'].map((id) => ({
      id,
      feed: id.split('.')[0]!,
    }));
    expect(companionIndicators('ems.opioid_overdose', available)).toEqual(['ems.naloxone_given', 'deaths.any_drug', 'naloxone.kits_distributed', 'arrests.drug']);
    expect(companionIndicators('deaths.opioid', available)).toEqual(['ems.opioid_overdose', 'naloxone.kits_distributed', 'arrests.drug']);
    expect(companionIndicators('deaths.opioid', available.filter((i) => i.feed !== 'arrests'))).toEqual(['ems.opioid_overdose', 'naloxone.kits_distributed']);
  });

  it('reports the strongest level of each other feed in the area', () => {
    const others = [
      { indicator: 'deaths.any_drug', label: 'Deaths', results: [row('101', 'd1', { level: 'yellow' }), row('101', 'd2', { level: 'red', pAdjusted: 0.01 }), row('102', 'd1', { level: 'red' })] },
      { indicator: 'arrests.drug', label: 'Arrests', results: [row('102', 'd1', { level: 'red' })] },
    ];
    const list = agreementFor('101', others);
    expect(list.map(({ indicator, label, level, periods }) => ({ indicator, label, level, periods }))).toEqual([
      { indicator: 'deaths.any_drug', label: 'Deaths', level: 'red', periods: 2 },
      { indicator: 'arrests.drug', label: 'Arrests', level: 'none', periods: 0 },
    ]);
    expect(list[0]!.peak?.date).toBe('d2');
    expect(list[1]!.peak).toBeNull();
  });

  it('says in words whether each feed agrees, and how many do', () => {
    const others = [
      { indicator: 'deaths.any_drug', label: 'Overdose deaths', results: [row('101', '2025-11-23', { level: 'red', observed: 4, expected: 0.5, pValue: 0.0004 })] },
      { indicator: 'arrests.drug', label: 'Drug arrests', results: [row('101', '2025-11-23', { pValue: 0.4 })] },
      { indicator: 'naloxone.kits_distributed', label: 'Naloxone kits', results: [] },
    ];
    const list = agreementFor('101', others);
    expect(agreementText(list[0]!, 'days')).toBe('Overdose deaths: rose too — red on 2025-11-23, observed 4 against 0.5 expected (8.0×), p 0.0004; 1 day signalling.');
    expect(agreementText(list[1]!, 'days')).toBe('Drug arrests: no signal in the period (smallest p 0.400) — does not agree.');
    expect(agreementText(list[2]!, 'days')).toBe('Naloxone kits: no result for this neighborhood in the period.');
    expect(agreementSummary(list)).toBe('1 of 3 other feeds signal here in this period: Overdose deaths.');
    expect(agreementSummary([])).toBe('No other feed to compare with.');
    // Hidden counts (a commander): the level and p, never a count.
    const hidden = agreementFor('101', [{ ...others[0]!, results: [row('101', '2025-11-23', { level: 'red', observed: null, expected: null, suppressed: true, pValue: 0.0004 })] }]);
    expect(agreementText(hidden[0]!, 'days')).toBe('Overdose deaths: rose too — red on 2025-11-23, p 0.0004; 1 day signalling.');
  });
});

describe('space–time clusters', () => {
  const cl = (over: Partial<Cluster>): Cluster => ({
    center: { id: '106', name: 'High Bridge - Morrisania' },
    areas: [{ id: '106', name: 'High Bridge - Morrisania' }],
    radiusKm: 0,
    start: '2025-11-22',
    end: '2025-11-26',
    days: 5,
    observed: 30,
    expected: 8.05,
    relativeRisk: 3.7252,
    llr: 28.06,
    pValue: 0.001,
    suppressed: false,
    ...over,
  });

  it('ranks by p then log likelihood ratio and marks p < 0.05 significant', () => {
    const r = rankClusters([cl({ pValue: 0.6, llr: 3, center: { id: '209', name: 'Bensonhurst' } }), cl({}), cl({ pValue: 0.6, llr: 5, center: { id: '307', name: 'Gramercy' } })]);
    expect(r.map((c) => [c.rank, c.center.id, c.significant])).toEqual([
      [1, '106', true],
      [2, '307', false],
      [3, '209', false],
    ]);
  });

  it('explains where, when, observed against expected and p; hidden counts said so', () => {
    expect(clusterWindow(cl({}))).toBe('22 Nov 2025 to 26 Nov 2025 (5 days)');
    expect(clusterWindow(cl({ start: '2025-11-26', days: 1 }))).toBe('26 Nov 2025 (1 day)');
    expect(clusterAreas(cl({}))).toBe('High Bridge - Morrisania');
    expect(
      clusterAreas(cl({ radiusKm: 3.29, areas: [{ id: '209', name: 'Bensonhurst' }, { id: '206', name: 'Borough Park' }], center: { id: '209', name: 'Bensonhurst' } })),
    ).toBe('Bensonhurst and 1 neighbor within 3.3 km (Bensonhurst, Borough Park)');
    expect(clusterCounts(cl({}))).toBe('observed 30 against 8.1 expected (relative risk 3.7)');
    expect(clusterCounts(cl({ observed: null, expected: null, suppressed: true }))).toBe('counts hidden for your role; relative risk 3.7');
    const t = clusterTable(rankClusters([cl({ observed: null, expected: null, suppressed: true })]), 'c');
    expect(t.rows[0]).toMatchObject({ rank: 1, observed: 'hidden', expected: 'hidden', significant: 'yes', p: 0.001 });
    expect(scanDays(1)).toBe(7);
    expect(scanDays(28)).toBe(28);
  });
});

describe('drug checking in the period', () => {
  const labels = { 'drugcheck.samples_tested': 'samples tested', 'drugcheck.fentanyl_positive': 'fentanyl found' };
  const month = (period: string, tested: number | null, fent: number | null, state = 'shown') => ({
    period,
    cells: {
      'drugcheck.samples_tested': { count: tested, state: tested === null ? state : 'shown' },
      'drugcheck.fentanyl_positive': { count: fent, state: fent === null ? state : 'shown' },
    },
  });

  it('sums the months the window touches', () => {
    const months = [month('2025-09-01', 9, 9), month('2025-10-01', 4, 3), month('2025-11-01', 6, 5)];
    expect(drugcheckSummary(months, '2025-11-20', '2025-11-26', labels)).toBe('Nov 2025: samples tested 6, fentanyl found 5.');
    expect(drugcheckSummary(months, '2025-10-30', '2025-11-26', labels)).toBe('Oct 2025 to Nov 2025: samples tested 10, fentanyl found 8.');
    expect(drugcheckSummary(months, '2024-01-01', '2024-01-07', labels)).toBe('No drug-checking months cover this period.');
  });

  it('says hidden for a hidden month, never a smaller sum', () => {
    const months = [month('2025-11-01', 12, null, 'suppressed')];
    expect(drugcheckSummary(months, '2025-11-20', '2025-11-26', labels)).toBe('Nov 2025: samples tested 12, fentanyl found hidden (hidden: small counts withheld for your role).');
  });
});

describe('windows and dates', () => {
  it('counts the window back from its last day, in whole weeks for weekly methods', () => {
    expect(windowFrom('2025-11-30', 7, 'day')).toBe('2025-11-24');
    expect(windowFrom('2025-11-30', 1, 'day')).toBe('2025-11-30');
    expect(windowFrom('2025-11-30', 1, 'week')).toBe('2025-11-24');
    expect(windowFrom('2025-11-30', 28, 'week')).toBe('2025-11-03');
    expect(windowFrom('2024-03-02', 7, 'day')).toBe('2024-02-25');
  });
  it('widens to whole months for roles served by month', () => {
    expect(monthsAround('2025-11-24', '2025-11-30')).toEqual({ from: '2025-09-01', to: '2025-11-30' });
    expect(monthsAround('2024-01-28', '2024-02-03', 0)).toEqual({ from: '2024-01-01', to: '2024-02-29' });
  });
});

describe('the hotspots URL', () => {
  it('round-trips, and falls back to defaults on anything malformed', () => {
    const s = { indicator: 'deaths.opioid', method: 'farrington' as const, date: '2025-11-30', window: 28 as const, area: '106', all: true };
    expect(readHotspots(writeHotspots(s))).toEqual(s);
    expect(readHotspots('?view=hotspots&method=bogus&window=5&date=yesterday&area=<x>&indicator=DROP')).toEqual(DEFAULT_HOTSPOTS);
    expect(new URLSearchParams(writeHotspots(DEFAULT_HOTSPOTS, '?j=nyc')).get('j')).toBe('nyc');
  });
});

describe('the observed-against-expected chart', () => {
  it('draws counts when they are shown and the statistic when they are hidden', () => {
    const shown = signalChart([row('1', '2025-11-29', { observed: 2, expected: 1 }), row('1', '2025-11-30', { observed: 6, expected: 1, level: 'red' })], 400, 200);
    expect(shown.mode).toBe('counts');
    expect(shown.bars).toHaveLength(2);
    expect(shown.bars[1]!.height).toBeGreaterThan(shown.bars[0]!.height);
    expect(shown.expected).toMatch(/^M[\d.]+,[\d.]+L/);
    const hidden = signalChart([row('1', '2025-11-30', { observed: null, expected: null, statistic: 2.5, suppressed: true })], 400, 200);
    expect(hidden.mode).toBe('statistic');
    expect(hidden.expected).toBe('');
    expect(hidden.bars[0]!.label).toMatch(/statistic 2.50/);
  });
});

describe('alert episodes', () => {
  const base = { jurisdiction: 'nyc', indicator: 'ems.opioid_overdose', method: 'essence', geography: 'event', cadence: 'day', closedOn: null, redPeriods: 1, yellowPeriods: 0, quietPeriods: 0, acknowledgedBy: null, note: null } as const;
  const period = { date: '2025-11-30', level: 'red', observed: 5, expected: 1, statistic: 3, pValue: 0.001, pAdjusted: 0.01, suppressed: false } as const;
  const alert = (id: number, over: Partial<Alert>): Alert => ({ ...base, id, area: String(id), areaName: `A${id}`, status: 'open', openedOn: '2025-11-01', lastSignalOn: '2025-11-30', peak: period, latest: period, acknowledgedAt: null, ...over });
  it('lists open and unacknowledged first, then the most recent', () => {
    const sorted = sortAlerts([
      alert(1, { status: 'closed', lastSignalOn: '2025-12-01' }),
      alert(2, { acknowledgedAt: '2025-12-01T00:00:00Z' }),
      alert(3, { lastSignalOn: '2025-11-20' }),
      alert(4, {}),
    ]);
    expect(sorted.map((a) => a.id)).toEqual([4, 3, 2, 1]);
  });
});
