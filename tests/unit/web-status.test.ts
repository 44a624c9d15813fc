// The data-status view's transforms: freshness by feed, reasons, records with no area.
import { describe, expect, it } from 'vitest';
import { feedRows, feedTable, freshness, percent, reasonLabel, reasonsOf, rejectTable } from '../../web/src/views/status/status.ts';
import type { StatusResponse } from '../../web/src/api.ts';

const NOW = new Date('2026-01-20T15:00:00Z');

function run(feed: string, over: Partial<StatusResponse['runs'][number]> = {}): StatusResponse['runs'][number] {
  return {
    id: `run-${feed}`,
    feed,
    jurisdiction: 'nyc',
    file: `${feed}.csv`,
    status: 'succeeded',
    actor: 'test',
    startedAt: '2026-01-19T10:00:00Z',
    finishedAt: '2026-01-19T10:01:00Z',
    rowsIn: 1000,
    rowsAccepted: 990,
    rowsRejected: 10,
    rowsUnassigned: 25,
    rejectsByReason: {},
    definitionVersions: {},
    message: null,
    ...over,
  };
}

const STATUS: StatusResponse = {
  feeds: [
    {
      feed: 'ems',
      jurisdiction: 'nyc',
      files: 2,
      rowsAccepted: 990,
      rowsRejected: 10,
      rejectsByReason: { invalid_gps: 3, invalid_icd10: 7 },
      latestEvent: '2026-01-15',
      lastLoadedAt: '2026-01-19T10:01:00Z',
      daysSinceLastLoad: 1,
      lastRun: run('ems'),
    },
    {
      feed: 'mortality',
      jurisdiction: 'nyc',
      files: 1,
      rowsAccepted: 500,
      rowsRejected: 0,
      rejectsByReason: {},
      latestEvent: '2025-06-30',
      lastLoadedAt: '2025-08-01T00:00:00Z',
      daysSinceLastLoad: 172,
      lastRun: null,
    },
    {
      feed: 'ems',
      jurisdiction: 'allegheny',
      files: 1,
      rowsAccepted: 1,
      rowsRejected: 0,
      rejectsByReason: {},
      latestEvent: '2026-01-19',
      lastLoadedAt: null,
      daysSinceLastLoad: null,
      lastRun: null,
    },
  ],
  runs: [run('ems'), run('ems', { jurisdiction: 'allegheny', id: 'other' })],
};

describe('freshness', () => {
  it('judges each feed by its own expected lag', () => {
    // EMS is near real time (14 days), deaths wait on toxicology (120 days).
    expect(freshness('ems', '2026-01-15', NOW)).toEqual({ state: 'current', ageDays: 5, lagDays: 14 });
    expect(freshness('ems', '2025-12-27', NOW).state).toBe('late');
    expect(freshness('ems', '2025-12-01', NOW).state).toBe('stale');
    expect(freshness('mortality', '2025-12-01', NOW).state).toBe('current');
    expect(freshness('mortality', '2025-06-30', NOW).state).toBe('late');
    expect(freshness('unknown-feed', '2025-12-01', NOW).lagDays).toBe(60);
    expect(freshness('ems', null, NOW)).toEqual({ state: 'empty', ageDays: null, lagDays: 14 });
  });

  it('counts whole days in UTC, whatever the hour', () => {
    expect(freshness('ems', '2026-01-20', new Date('2026-01-20T23:59:00Z')).ageDays).toBe(0);
    expect(freshness('ems', '2026-01-19', new Date('2026-01-20T00:00:01Z')).ageDays).toBe(1);
  });
});

describe('rejects and records with no area', () => {
  it('labels reason codes for people and sorts the largest first', () => {
    expect(reasonLabel('invalid_icd10')).toBe('Invalid ICD-10');
    expect(reasonLabel('duplicate_pcr_number')).toBe('Duplicate PCR number');
    expect(reasonsOf(STATUS.feeds[0]!).map((r) => [r.code, r.rows])).toEqual([
      ['invalid_icd10', 7],
      ['invalid_gps', 3],
    ]);
  });

  it('keeps the jurisdiction shown and reads the last load’s unassigned rows', () => {
    const rows = feedRows(STATUS, 'nyc', NOW);
    expect(rows.map((r) => r.feed)).toEqual(['mortality', 'ems']); // by label: "Deaths …" before "EMS …"
    const ems = rows.find((r) => r.feed === 'ems')!;
    expect(ems.unassigned).toBe(25);
    expect(ems.unassignedShare).toBeCloseTo(0.025);
    expect(ems.rejectShare).toBeCloseTo(0.01);
    const deaths = rows.find((r) => r.feed === 'mortality')!;
    expect(deaths.unassigned).toBeNull(); // no run on record: not reported, not zero
    expect(deaths.freshness.state).toBe('late');
  });

  it('prefers every stored record (/status/areas) over the last load', () => {
    const areas = {
      jurisdiction: 'nyc',
      feeds: [
        { feed: 'mortality', records: 500, locations: [{ geography: 'residence' as const, unassigned: 20 }, { geography: 'event' as const, unassigned: 7 }] },
        { feed: 'ems', records: 2000, locations: [{ geography: 'event' as const, unassigned: 50 }] },
      ],
    };
    const rows = feedRows(STATUS, 'nyc', NOW, areas);
    const deaths = rows.find((r) => r.feed === 'mortality')!;
    expect([deaths.unassigned, deaths.unassignedShare, deaths.unassignedBy]).toEqual([20, 0.04, 'residence']);
    expect(deaths.otherLocations).toEqual([{ geography: 'event', unassigned: 7 }]);
    expect(rows.find((r) => r.feed === 'ems')!.unassigned).toBe(50);
  });

  it('makes the tables behind the cards and bars', () => {
    const rows = feedRows(STATUS, 'nyc', NOW);
    const t = feedTable(rows, 'c');
    expect(t.rows).toHaveLength(2);
    expect(t.rows.find((r) => r.feed === 'EMS encounters (NEMSIS)')).toMatchObject({ freshness: 'Current', unassigned: 25, reasons: 'Invalid ICD-10: 7; Invalid GPS: 3' });
    expect(rejectTable(rows, 'c').rows).toEqual([
      { feed: 'EMS encounters (NEMSIS)', reason: 'Invalid ICD-10', code: 'invalid_icd10', rows: 7 },
      { feed: 'EMS encounters (NEMSIS)', reason: 'Invalid GPS', code: 'invalid_gps', rows: 3 },
    ]);
  });

  it('formats shares without hiding tiny ones as 0', () => {
    expect(percent(0.0004)).toBe('<0.1%');
    expect(percent(0)).toBe('0.0%');
    expect(percent(null)).toBe('—');
    expect(percent(0.1234, 2)).toBe('12.34%');
  });
});
