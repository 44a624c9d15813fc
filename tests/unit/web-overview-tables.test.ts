// The tables behind the overview's map and trend: hidden never reads as blank or zero.
import { describe, expect, it } from 'vitest';
import { mapTableOf, multiplesTableOf, trendTableOf } from '../../web/src/views/overview/tables.ts';
import { toCsv } from '../../web/src/shell/table.ts';
import type { AreaValue } from '../../web/src/views/overview/scales.ts';

const features = [
  { properties: { id: '101', name: 'Kingsbridge', group: 'Bronx' } },
  { properties: { id: '102', name: 'Northeast Bronx', group: 'Bronx' } },
  { properties: { id: '103', name: 'Fordham', group: 'Bronx' } },
  { properties: { id: '104', name: 'Pelham', group: 'Bronx' } },
];
const values = new Map<string, AreaValue>([
  ['101', { value: 2.5, count: 5, state: 'shown' }],
  ['102', { value: null, count: null, state: 'suppressed' }],
  ['103', { value: 0, count: 0, state: 'zero' }],
  ['104', { value: 12.25, count: 30, state: 'shown' }],
]);

describe('the table behind the map', () => {
  it('ranks by value, keeps hidden and zero apart, flags unreliable rates', () => {
    const t = mapTableOf({ features, values, measure: 'rate', caption: 'c', groupLabel: 'Borough', valueLabel: 'Rate' });
    expect(t.rows.map((r) => [r.area, r.value, r.count, r.reliability, r.state])).toEqual([
      ['Pelham', 12.25, 30, '', 'shown'],
      ['Kingsbridge', 2.5, 5, 'unreliable', 'shown'],
      ['Fordham', 0, 0, '', 'zero'],
      ['Northeast Bronx', 'hidden', 'hidden', '', 'hidden'],
    ]);
    expect(toCsv(t).split('\r\n')[0]).toBe('Neighborhood,Id,Borough,Rate,95% lower,95% upper,Count,Fewer than 20,State');
  });

  it('has no rate columns for counts', () => {
    const t = mapTableOf({ features, values, measure: 'count', caption: 'c', groupLabel: 'Borough', valueLabel: 'Count' });
    expect(t.columns.map((c) => c.key)).toEqual(['area', 'id', 'group', 'value', 'state']);
  });
});

describe('the table behind the small multiples', () => {
  it('has one row per area and one column per period, hidden in words', () => {
    const periods = [
      { start: '2024-01-01', end: '2024-12-31', partial: false },
      { start: '2025-01-01', end: '2025-12-31', partial: false },
    ];
    const t = multiplesTableOf({
      areas: [
        { id: '101', name: 'Kingsbridge' },
        { id: '102', name: 'Northeast Bronx' },
      ],
      periods,
      interval: 'year',
      values: new Map([
        ['101', [{ value: 2.456, count: 5, state: 'shown' as const }, { value: 0, count: 0, state: 'zero' as const }]],
        ['102', [{ value: null, count: null, state: 'suppressed' as const }, { value: null, count: null, state: 'missing' as const }]],
      ]),
      measure: 'rate',
      caption: 'c',
    });
    expect(toCsv(t)).toBe('Neighborhood,Id,2024,2025\r\nKingsbridge,101,2.46,0\r\nNortheast Bronx,102,hidden,no data\r\n');
  });
});

describe('the table behind the trend', () => {
  it('has one column per line and says hidden and no data in words', () => {
    const periods = [
      { start: '2024-01-01', end: '2024-01-31', partial: false },
      { start: '2024-02-01', end: '2024-02-29', partial: false },
      { start: '2024-03-01', end: '2024-03-15', partial: true },
    ];
    const t = trendTableOf({
      periods,
      interval: 'month',
      lines: [
        { key: 'total', name: 'New York City', values: [10.123, 11, 4] },
        { key: 'area', name: 'East Harlem', values: [1, null, null] },
      ],
      points: [
        periods.map((p) => ({ period: p.start, count: 1, state: 'shown' as const, population: 1, rate: 1 })),
        [
          { period: '2024-01-01', count: 12, state: 'shown', population: 1, rate: 1 },
          { period: '2024-02-01', count: null, state: 'suppressed', population: 1, rate: null },
          { period: '2024-03-01', count: null, state: 'missing', population: 1, rate: null },
        ],
      ],
      caption: 'c',
    });
    expect(t.rows).toEqual([
      { period: 'January 2024', start: '2024-01-01', total: 10.12, area: 1 },
      { period: 'February 2024', start: '2024-02-01', total: 11, area: 'hidden' },
      { period: 'March 2024 (partial)', start: '2024-03-01', total: 4, area: 'no data' },
    ]);
  });
});
