// Pure parts of the monthly brief (server/brief/figures.ts): months, the policy key snapshots are
// stored under, figures and changes from a monthly series, hotspots split into new and continuing
// with their explanations, the last meeting.
import { describe, expect, it } from 'vitest';
import { addMonths, describePolicyTable, explainAlert, lastMeetingBy, monthEnd, monthFigure, MonthError, parseMonth, percentChange, policyKey, splitHotspots, type AlertLike } from '../../server/brief/figures.ts';
import { DEFAULT_POLICY, POLICY_FEEDS, withThresholds } from '../../server/policy.ts';

const table = (role: keyof typeof DEFAULT_POLICY, t = DEFAULT_POLICY) => Object.fromEntries(POLICY_FEEDS.map((f) => [f, t[role][f]]));

describe('months', () => {
  it('accepts YYYY-MM and says what is wrong with anything else', () => {
    expect(parseMonth('2025-11')).toBe('2025-11');
    expect(() => parseMonth('2025-13')).toThrow(MonthError);
    expect(() => parseMonth('2025-13')).toThrow(/01 to 12/);
    expect(() => parseMonth('Nov 2025')).toThrow(/expected YYYY-MM/);
    expect(() => parseMonth('2025-1')).toThrow(/expected YYYY-MM/);
  });
  it('steps across years and knows month ends, leap years included', () => {
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2025-11', -12)).toBe('2024-11');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(monthEnd('2024-02')).toBe('2024-02-29');
    expect(monthEnd('2025-02')).toBe('2025-02-28');
    expect(monthEnd('2025-11')).toBe('2025-11-30');
  });
});

describe('policy key', () => {
  it('is shared by roles with the same policy and differs where a role sees more or the thresholds differ', () => {
    expect(policyKey(table('commander'))).toBe(policyKey(table('partner')));
    expect(policyKey(table('commander'))).toBe(policyKey(table('admin')));
    expect(policyKey(table('analyst'))).not.toBe(policyKey(table('commander')));
    const stricter = withThresholds({ deaths: 12, treatment: 13 });
    expect(policyKey(table('commander', stricter))).not.toBe(policyKey(table('commander')));
  });
  it('describes a role’s policy once per group of feeds with the same rule', () => {
    expect(describePolicyTable(table('commander'))).toBe(
      'arrests, deaths, drugcheck, ems, naloxone: by area, by month or longer, counts 1–9 hidden; treatment: by area, by month or longer, counts 1–10 hidden',
    );
    expect(describePolicyTable(table('analyst'))).toBe('arrests, deaths, drugcheck, ems, naloxone, treatment: by area, by any period, nothing hidden');
  });
  it('does not depend on the order of the feeds', () => {
    const t = table('commander');
    const reversed = Object.fromEntries(Object.entries(t).reverse());
    expect(policyKey(reversed)).toBe(policyKey(t));
  });
});

describe('figures and changes', () => {
  const res = {
    periods: [
      { start: '2024-11-01', end: '2024-11-30', partial: false },
      { start: '2025-10-01', end: '2025-10-31', partial: false },
      { start: '2025-11-01', end: '2025-11-30', partial: true },
    ],
    series: [
      {
        area: 'total',
        points: [
          { period: '2024-11-01', count: 200, state: 'shown' as const, rate: 2.3456 },
          { period: '2025-10-01', count: null, state: 'suppressed' as const, rate: null },
          { period: '2025-11-01', count: 250, state: 'shown' as const, rate: 2.9 },
        ],
      },
    ],
  };
  it('reads a month’s figure, with its state, rounded rate and partial flag', () => {
    expect(monthFigure(res, '2025-11')).toEqual({ month: '2025-11', count: 250, state: 'shown', rate: 2.9, partial: true });
    expect(monthFigure(res, '2024-11')!.rate).toBe(2.35);
    expect(monthFigure(res, '2025-10')).toEqual({ month: '2025-10', count: null, state: 'suppressed', rate: null, partial: false });
    expect(monthFigure(res, '2023-01')).toBeNull();
    expect(monthFigure(res, '2025-11', '101')).toBeNull();
  });
  it('gives a percent change only when both counts are known and the earlier is not 0', () => {
    expect(percentChange(250, 200)).toBe(25);
    expect(percentChange(100, 300)).toBe(-66.7);
    expect(percentChange(250, null)).toBeNull();
    expect(percentChange(null, 200)).toBeNull();
    expect(percentChange(5, 0)).toBeNull();
    expect(percentChange(0, 5)).toBe(-100);
  });
});

describe('hotspots', () => {
  const base: AlertLike = {
    id: 1,
    indicator: 'ems.opioid_overdose',
    method: 'essence',
    cadence: 'day',
    area: '106',
    areaName: 'High Bridge - Morrisania',
    status: 'open',
    openedOn: '2025-11-22',
    lastSignalOn: '2025-12-02',
    closedOn: null,
    redPeriods: 2,
    yellowPeriods: 3,
    peak: { date: '2025-11-22', level: 'red', observed: 13, expected: 2.5, statistic: 5.12, pValue: 0.0000123, suppressed: false },
    note: null,
  };
  const labels = new Map([['ems.opioid_overdose', 'EMS suspected opioid overdoses']]);

  it('explains an episode with observed against expected where the role may see them', () => {
    expect(explainAlert(base, 'EMS suspected opioid overdoses')).toBe(
      'peak 2025-11-22: 13 EMS suspected opioid overdoses observed against 2.5 expected (statistic 5.12, p < 0.001); 2 red and 3 yellow days by ESSENCE regression/EWMA; open since 2025-11-22, last signal 2025-12-02.',
    );
  });
  it('says the daily counts are not shown where they were withheld', () => {
    const hidden = { ...base, peak: { ...base.peak, observed: null, expected: null, statistic: null, pValue: null, suppressed: true } };
    const s = explainAlert(hidden, 'EMS suspected opioid overdoses');
    expect(s).not.toMatch(/observed|13|2\.5/);
    expect(s).toMatch(/not shown for this role/);
  });
  it('splits episodes open in the month into new and continuing, as of the month’s end', () => {
    const alerts: AlertLike[] = [
      base,
      { ...base, id: 2, area: '101', areaName: 'Kingsbridge - Riverdale', openedOn: '2025-10-20', closedOn: '2025-11-05', status: 'closed', redPeriods: 5 },
      { ...base, id: 3, area: '102', openedOn: '2025-09-01', closedOn: '2025-10-10', status: 'closed' },
      { ...base, id: 4, area: '103', openedOn: '2025-12-03' },
      { ...base, id: 5, area: '104', openedOn: '2025-11-02', closedOn: '2025-12-20', status: 'closed', redPeriods: 9 },
    ];
    const s = splitHotspots(alerts, '2025-11', labels);
    expect(s.new.map((h) => h.alertId)).toEqual([5, 1]);
    expect(s.continuing.map((h) => h.alertId)).toEqual([2]);
    // Closed after the month: still open at its end, and its last signal is cut to the month.
    const h5 = s.new[0]!;
    expect([h5.status, h5.closedOn, h5.lastSignalOn]).toEqual(['open', null, '2025-11-30']);
    expect(s.continuing[0]!.status).toBe('closed');
  });
});

describe('last meeting', () => {
  it('is the latest on or before the month’s end', () => {
    const ms = [
      { id: 1, date: '2025-10-16' },
      { id: 2, date: '2025-11-20' },
      { id: 3, date: '2025-12-18' },
    ];
    expect(lastMeetingBy(ms, '2025-11')!.id).toBe(2);
    expect(lastMeetingBy(ms, '2025-12')!.id).toBe(3);
    expect(lastMeetingBy(ms, '2025-09')).toBeNull();
    expect(lastMeetingBy([...ms, { id: 4, date: '2025-11-20' }], '2025-11')!.id).toBe(4);
  });
});
