// Rates for display (web/src/shell/format.ts) and the views' formatters built on it: a rate of
// exactly zero reads "0", never "0.0"; hidden and missing values keep their own words.
import { describe, expect, it } from 'vitest';
import { formatRate } from '../../web/src/shell/format.ts';
import { areaTip, formatValue } from '../../web/src/views/overview/scales.ts';
import { formatMeasure } from '../../web/src/views/profile/profile.ts';
import { rateNumber, rateText } from '../../web/src/views/brief/brief.ts';

describe('formatRate', () => {
  it('reads a true zero as "0", at any number of decimals', () => {
    expect(formatRate(0)).toBe('0');
    expect(formatRate(-0)).toBe('0');
    expect(formatRate(0, 1)).toBe('0');
    expect(formatRate(0, 2)).toBe('0');
  });

  it('keeps two decimals under 10 and one from 10, or the digits asked for', () => {
    expect(formatRate(0.004)).toBe('0.00');
    expect(formatRate(0.05)).toBe('0.05');
    expect(formatRate(2.345)).toBe('2.35');
    expect(formatRate(10)).toBe('10.0');
    expect(formatRate(299.71)).toBe('299.7');
    expect(formatRate(1204.46)).toBe('1,204.5');
    expect(formatRate(3.14159, 1)).toBe('3.1');
    expect(formatRate(31.4159, 2)).toBe('31.42');
  });
});

describe('rates in the views', () => {
  it('overview: a zero rate is "0", a zero count "0", missing stays "no data"', () => {
    expect(formatValue(0, 'rate')).toBe('0');
    expect(formatValue(0, 'adjusted')).toBe('0');
    expect(formatValue(0, 'count')).toBe('0');
    expect(formatValue(null, 'rate')).toBe('no data');
    expect(formatValue(Number.NaN, 'rate')).toBe('no data');
  });

  it('overview tooltip: the interval of a zero rate starts at 0; hidden stays hidden', () => {
    const zero = areaTip('Area', { value: 0, count: 0, population: 50_000, state: 'zero', lower: 0, upper: 7.38 }, 'rate', 'deaths', 'June 2025');
    expect(zero.value).toBe('0 per 100,000 (0 deaths)');
    const low = areaTip('Area', { value: 2, count: 1, population: 50_000, state: 'shown', lower: 0, upper: 11.14 }, 'rate', 'deaths', 'June 2025');
    expect(low.details[0]).toBe('95% interval 0 to 11.1');
    const hidden = areaTip('Area', { value: null, count: null, population: 50_000, state: 'suppressed' }, 'rate', 'deaths', 'June 2025');
    expect(hidden.value).toBe('Hidden for your role');
  });

  it('profile: a zero rate is "0"; no value stays "—"', () => {
    expect(formatMeasure(0, 'rate')).toBe('0');
    expect(formatMeasure(2.345, 'rate')).toBe('2.35');
    expect(formatMeasure(null, 'rate')).toBe('—');
  });

  it('brief: a zero month reads "0 per 100,000"; a hidden one shows no number', () => {
    expect(rateNumber({ month: '2025-11', count: 0, state: 'zero', rate: 0, partial: false })).toBe('0');
    expect(rateText({ month: '2025-11', count: 0, state: 'zero', rate: 0, partial: false })).toBe('0 per 100,000');
    expect(rateNumber({ month: '2025-11', count: null, state: 'suppressed', rate: null, partial: false })).toBe('');
    expect(rateNumber({ month: '2025-11', count: null, state: 'missing', rate: null, partial: false })).toBe('');
  });
});
