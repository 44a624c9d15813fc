// Presentation mode's pure parts: the URL, which meeting a month means, the slides (one finding
// each) and the keys.
import { describe, expect, it } from 'vitest';
import { announce, buildSlides, meetingForMonth, readPresent, slideForKey, writePresent, type SignalFinding } from '../../web/src/views/present/present.ts';
import { meeting } from '../helpers/web-meeting.ts';

describe('present URL state', () => {
  it('round-trips month, meeting and slide; slide 1 is left out', () => {
    const s = { month: '2025-12', meeting: 4, slide: 3 };
    expect(readPresent(writePresent(s, '?j=nyc'))).toEqual(s);
    expect(writePresent({ month: '2025-12', meeting: null, slide: 1 })).toBe('?view=present&month=2025-12');
    expect(readPresent('?view=present&month=2025-13&meeting=x&slide=0')).toEqual({ month: null, meeting: null, slide: 1 });
  });
});

describe('the meeting of a month', () => {
  const list = [
    { id: 1, date: '2025-11-04' },
    { id: 2, date: '2025-12-02' },
    { id: 3, date: '2025-12-16' },
  ];
  it('is the latest held in it; no month: the newest; none held: null', () => {
    expect(meetingForMonth(list, '2025-12')).toBe(3);
    expect(meetingForMonth(list, '2025-11')).toBe(1);
    expect(meetingForMonth(list, null)).toBe(3);
    expect(meetingForMonth(list, '2026-01')).toBeNull();
  });
});

const finding = (over: Partial<SignalFinding> = {}): SignalFinding => ({
  indicatorLabel: 'EMS suspected opioid overdoses',
  areaName: 'East Harlem',
  method: 'essence',
  cadence: 'day',
  status: 'open',
  openedOn: '2025-12-20',
  lastSignalOn: '2025-12-28',
  closedOn: null,
  redPeriods: 3,
  yellowPeriods: 1,
  peakObserved: null,
  peakExpected: null,
  note: null,
  ...over,
});

describe('slides', () => {
  it('from a meeting: title, open carried-over items, each signal, the clusters note, this meeting’s items', () => {
    const slides = buildSlides({ month: '2025-12', jurisdictionName: 'New York City', synthetic: true, meeting: meeting(), signals: [], plan: null });
    expect(slides.map((s) => s.kind)).toEqual(['title', 'actions', 'signal', 'clusters', 'actions']);
    expect(slides[0]!.headline).toBe('Overdose working group — 2025-12-02');
    expect(slides[0]!.lines).toContain('Present: Health Department, Police Department.');
    expect(slides[0]!.lines).toContain('Synthetic data: generated for testing, not real records.');
    expect(slides[1]!.headline).toBe('1 action item still open, 1 overdue');
    expect(slides[2]!.headline).toBe('EMS suspected opioid overdoses rose in High Bridge - Morrisania');
    expect(slides[2]!.lines).toContain('At its peak: 13 observed against 2.5 expected.');
    expect(slides[4]!.headline).toBe('2 action items raised');
  });

  it('without a meeting: the month’s alerts, strongest open first, capped, the hidden peak said', () => {
    const signals = [finding({ areaName: 'A', status: 'closed', closedOn: '2025-12-10', redPeriods: 9 }), finding({ areaName: 'B', redPeriods: 1 }), finding({ areaName: 'C', redPeriods: 5 })];
    const slides = buildSlides({ month: '2025-12', jurisdictionName: 'NYC', synthetic: false, meeting: null, signals, plan: null, maxSignals: 2 });
    expect(slides.map((s) => s.headline)).toEqual([
      'Overdose working group — 2025-12',
      'EMS suspected opioid overdoses rising in C',
      'EMS suspected opioid overdoses rising in B',
      '1 more alert episode in the period',
    ]);
    expect(slides[1]!.lines).toContain('Peak counts hidden for your role (small-cell rule).');
  });

  it('says so when there is nothing to present', () => {
    const slides = buildSlides({ month: '2026-03', jurisdictionName: 'NYC', synthetic: false, meeting: null, signals: [], plan: null });
    expect(slides.map((s) => s.kind)).toEqual(['title', 'empty']);
  });
});

describe('keys', () => {
  it('advance, go back, jump to the ends, exit; ignore others; never leave the deck', () => {
    expect(['ArrowRight', ' ', 'PageDown', 'ArrowDown', 'Enter'].map((k) => slideForKey(k, 2, 5))).toEqual([3, 3, 3, 3, 3]);
    expect(['ArrowLeft', 'PageUp', 'ArrowUp', 'Backspace'].map((k) => slideForKey(k, 2, 5))).toEqual([1, 1, 1, 1]);
    expect(slideForKey('ArrowRight', 5, 5)).toBe(5);
    expect(slideForKey('ArrowLeft', 1, 5)).toBe(1);
    expect(slideForKey('Home', 4, 5)).toBe(1);
    expect(slideForKey('End', 1, 5)).toBe(5);
    expect(slideForKey('Escape', 3, 5)).toBe('exit');
    expect(slideForKey('a', 3, 5)).toBeNull();
  });

  it('announces the slide', () => {
    expect(announce({ kind: 'plan', eyebrow: 'Naloxone plan 3', headline: '5,000 kits', lines: [], source: '' }, 2, 7)).toBe('Slide 2 of 7. Naloxone plan 3: 5,000 kits.');
  });
});
