// Pure transforms of the brief page (web/src/views/brief/brief.ts): the month in the URL, words for
// figures (never a number for a hidden cell) and changes, the map's values, action items in order.
import { describe, expect, it } from 'vitest';
import {
  actionStatusText,
  changeText,
  dataVersionLines,
  defaultMonth,
  figureText,
  mapValues,
  monthLabel,
  monthParam,
  orderedActions,
  rateNumber,
  rateText,
  topAreas,
  type BriefAction,
} from '../../web/src/views/brief/brief.ts';

describe('the brief page', () => {
  it('reads the month from the URL, and defaults to the last whole month of data', () => {
    expect(monthParam('?view=brief&month=2025-11')).toBe('2025-11');
    expect(monthParam('?view=brief&month=2025-13')).toBeNull();
    expect(monthParam('?view=brief')).toBeNull();
    expect(defaultMonth('2025-12-31')).toBe('2025-12');
    expect(defaultMonth('2025-12-30')).toBe('2025-11');
    expect(defaultMonth('2026-01-06')).toBe('2025-12');
    expect(defaultMonth('2024-02-29')).toBe('2024-02');
    expect(defaultMonth(null)).toBeNull();
    expect(monthLabel('2025-11')).toBe('November 2025');
  });

  it('says hidden or no data instead of a number, and formats changes with their direction', () => {
    expect(figureText({ month: '2025-11', count: 1234, state: 'shown', rate: 1.5, partial: false })).toBe('1,234');
    expect(figureText({ month: '2025-11', count: 0, state: 'zero', rate: 0, partial: false })).toBe('0');
    expect(figureText({ month: '2025-11', count: null, state: 'suppressed', rate: null, partial: false })).toBe('hidden');
    expect(figureText({ month: '2025-11', count: null, state: 'missing', rate: null, partial: false })).toBe('no data');
    expect(figureText(null)).toBe('no data');
    expect(changeText(12.5)).toEqual({ text: '+12.5%', direction: 'up' });
    expect(changeText(-3)).toEqual({ text: '−3.0%', direction: 'down' });
    expect(changeText(0)).toEqual({ text: 'no change', direction: 'flat' });
    expect(changeText(null)).toEqual({ text: '—', direction: 'none' });
    expect(rateText({ month: '2025-11', count: 30, state: 'shown', rate: 3.456, partial: false })).toBe('3.46 per 100,000');
    expect(rateText({ month: '2025-11', count: null, state: 'suppressed', rate: null, partial: false })).toBe('');
    expect(rateNumber({ month: '2025-11', count: 26379, state: 'shown', rate: 299.71, partial: false })).toBe('299.7');
  });

  it('colours the map by rate, counts hidden areas, and never lists a hidden area among the highest', () => {
    const map = {
      indicator: 'ems.opioid_overdose',
      label: 'EMS suspected opioid overdoses',
      geography: 'event',
      areas: [
        { id: '101', name: 'A', count: 40, state: 'shown' as const, rate: 20 },
        { id: '102', name: 'B', count: null, state: 'suppressed' as const, rate: null },
        { id: '103', name: 'C', count: 0, state: 'zero' as const, rate: 0 },
        { id: '104', name: 'D', count: 12, state: 'shown' as const, rate: 5 },
      ],
    };
    const m = mapValues(map);
    expect(m.hidden).toBe(1);
    expect(m.values.get('102')).toEqual({ value: null, count: null, state: 'suppressed' });
    expect(m.values.get('103')!.value).toBe(0);
    expect(m.classes.colours.length).toBe(5);
    expect(topAreas(map).map((a) => a.id)).toEqual(['101', '104']);
  });

  it('puts open items first, overdue at the top, and says each status in words', () => {
    const a = (id: number, status: BriefAction['status'], overdue = false, dueDate: string | null = null): BriefAction => ({
      id,
      ownerAgency: 'NYPD',
      description: 'x',
      dueDate,
      status,
      overdue,
      closedOn: status === 'open' ? null : '2025-11-20',
      carriedOver: false,
    });
    const list = [a(1, 'done'), a(2, 'open', false, '2025-12-15'), a(3, 'dropped'), a(4, 'open', true, '2025-11-01'), a(5, 'open', false, '2025-12-01')];
    expect(orderedActions(list).map((x) => x.id)).toEqual([4, 5, 2, 1, 3]);
    expect(actionStatusText(a(4, 'open', true))).toBe('Open, overdue');
    expect(actionStatusText(a(1, 'done'))).toBe('Done (2025-11-20)');
    expect(actionStatusText(a(3, 'dropped'))).toBe('Dropped (2025-11-20)');
  });

  it('writes one data-version line per feed', () => {
    expect(
      dataVersionLines({
        files: 2,
        lastRun: 'r2',
        lastLoadedAt: '2026-01-02T10:00:00Z',
        feeds: {
          mortality: { files: 1, lastRun: 'abcdef123456', lastLoadedAt: '2026-01-02T10:00:00Z' },
          ems: { files: 1, lastRun: '0123456789ab', lastLoadedAt: '2026-01-01T09:00:00Z' },
        },
      }),
    ).toEqual(['ems: 1 file, last load 2026-01-01 (run 01234567)', 'mortality: 1 file, last load 2026-01-02 (run abcdef12)']);
  });
});
