// The page's shell, without a DOM: which view a URL opens, and the table/CSV behind every chart.
import { describe, expect, it } from 'vitest';
import { viewOf, viewSearch, VIEWS } from '../../web/src/shell/routes.ts';
import { cellText, csvField, csvFileName, toCsv } from '../../web/src/shell/table.ts';

describe('query-string router', () => {
  it('opens the overview without a view, and for an unknown one', () => {
    expect(viewOf('')).toBe('overview');
    expect(viewOf('?indicator=deaths.opioid')).toBe('overview');
    expect(viewOf('?view=nope')).toBe('overview');
    expect(viewOf('?view=status')).toBe('status');
    for (const v of VIEWS) expect(viewOf(viewSearch(v.id, ''))).toBe(v.id);
  });

  it('carries the jurisdiction to the next view and drops the previous view’s parameters', () => {
    expect(viewSearch('hotspots', '?j=nyc&indicator=deaths.opioid&period=2024-01-01')).toBe('?view=hotspots&j=nyc');
    expect(viewSearch('overview', '?view=status&j=nyc')).toBe('?j=nyc');
    expect(viewSearch('overview', '?view=status')).toBe('');
    expect(viewSearch('profile', '', { area: '303', j: null, x: undefined })).toBe('?view=profile&area=303');
  });

  it('lets an explicit parameter win over the carried one', () => {
    expect(viewSearch('profile', '?j=nyc', { j: 'allegheny' })).toBe('?view=profile&j=allegheny');
  });
});

describe('CSV behind a chart', () => {
  it('quotes what RFC 4180 says to quote, and leaves nulls empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(3.5)).toBe('3.5');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-3')).toBe('-3');
    expect(csvField(-3)).toBe('-3');
  });

  it('writes a header and one line per row, CRLF-terminated, in column order', () => {
    const csv = toCsv({
      columns: [
        { key: 'area', label: 'Neighborhood' },
        { key: 'n', label: 'Count', numeric: true },
      ],
      rows: [
        { area: 'East Harlem', n: 12 },
        { area: 'Chelsea, Clinton', n: 'hidden', extra: 'ignored' },
      ],
    });
    expect(csv).toBe('Neighborhood,Count\r\nEast Harlem,12\r\n"Chelsea, Clinton",hidden\r\n');
  });

  it('names the file after the chart', () => {
    expect(csvFileName('Drug overdose deaths by neighborhood, März 2024')).toBe('drug-overdose-deaths-by-neighborhood-marz-2024.csv');
    expect(csvFileName('***')).toBe('odstat.csv');
  });

  it('never shows a hidden or absent value as a blank', () => {
    expect(cellText(null, 'suppressed')).toBe('hidden');
    expect(cellText(null, 'missing')).toBe('no data');
    expect(cellText(null)).toBe('—');
    expect(cellText(1234.567)).toBe('1,234.57');
  });
});
