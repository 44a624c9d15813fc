// The representation layer on its own: negotiation, flattening driven by the response schema
// (nothing the schema does not name reaches CSV or Arrow), CSV quoting and formula guarding,
// Arrow types and nulls.
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { tableFromIPC } from 'apache-arrow';
import { flatten, formatFromAccept, toArrow, toCsv } from '../../server/plugins/app/tabular.ts';
import { parseCsv } from '../helpers/csv.ts';

const Cell = Type.Object({ count: Type.Union([Type.Integer(), Type.Null()]), state: Type.String() });
const Schema = Type.Object({
  jurisdiction: Type.String(),
  info: Type.Object({ note: Type.String() }),
  series: Type.Array(
    Type.Object({
      area: Type.String(),
      name: Type.String(),
      points: Type.Array(
        Type.Object({
          period: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          cell: Cell,
          rate: Type.Union([Type.Number(), Type.Null()]),
          by: Type.Record(Type.String(), Cell),
          tags: Type.Array(Type.Object({ k: Type.String() })),
        }),
      ),
    }),
  ),
});

const body = {
  jurisdiction: 'nyc',
  info: { note: 'n', internal: 'SECRET-1' },
  secretTop: 'SECRET-2',
  series: [
    {
      area: '101',
      name: 'Kingsbridge, "Riverdale"',
      secretArea: 'SECRET-3',
      points: [
        { period: '2024-01-01', cell: { count: 12, state: 'shown', person: 'SECRET-4' }, rate: 1.25, by: { male: { count: null, state: 'suppressed' } }, tags: [{ k: 'a', x: 'SECRET-5' }] },
        { period: '2024-02-01', cell: { count: 0, state: 'zero' }, rate: null, by: { female: { count: 3, state: 'shown' } }, tags: [], extra: 'SECRET-6' },
      ],
    },
    { area: 'total', name: '=HYPERLINK("x")', points: [{ period: '2024-01-01', cell: { count: null, state: 'suppressed' }, rate: -0.5, by: {}, tags: [] }] },
  ],
};

describe('negotiation', () => {
  it.each([
    [undefined, 'json'],
    ['application/json', 'json'],
    ['text/html,application/xhtml+xml,*/*;q=0.8', 'json'],
    ['text/csv', 'csv'],
    ['application/vnd.apache.arrow.stream', 'arrow'],
    ['application/json;q=0.5, text/csv', 'csv'],
    ['text/csv;q=0.2, application/vnd.apache.arrow.stream;q=0.9', 'arrow'],
    ['application/xml', 'json'],
    ['text/csv;q=0', 'json'],
  ])('%s → %s', (accept, want) => {
    expect(formatFromAccept(accept)).toBe(want);
  });
});

describe('flattening', () => {
  const t = flatten(body, Schema, { name: 't', tables: [{ path: 'series', points: 'points' }] });

  it('makes one row per point, the element scalars first, nested fields as name_sub, record keys from the data', () => {
    expect(t.columns.map((c) => `${c.name}:${c.kind}`)).toEqual([
      'area:string', 'name:string', 'period:date', 'cell_count:int', 'cell_state:string', 'rate:float',
      'by_male_count:int', 'by_male_state:string', 'by_female_count:int', 'by_female_state:string', 'tags:json',
    ]);
    expect(t.rows).toHaveLength(3);
    expect(t.rows[1]!.slice(0, 6)).toEqual(['101', 'Kingsbridge, "Riverdale"', '2024-02-01', 0, 'zero', null]);
  });

  it('carries nothing the schema does not name, in columns, JSON cells or metadata', () => {
    const text = JSON.stringify([t.rows, [...t.metadata]]);
    expect(text).not.toMatch(/SECRET/);
    expect(toCsv(t)).not.toMatch(/SECRET/);
    expect(Buffer.from(toArrow(t)).toString('latin1')).not.toMatch(/SECRET/);
    expect(t.metadata.get('info')).toBe('{"note":"n"}');
    expect(t.metadata.get('jurisdiction')).toBe('nyc');
  });

  it('joins a second source on the columns both have', () => {
    const S = Type.Object({
      a: Type.Array(Type.Object({ area: Type.String(), points: Type.Array(Type.Object({ period: Type.String(), x: Type.Integer() })) })),
      b: Type.Array(Type.Object({ area: Type.String(), points: Type.Array(Type.Object({ period: Type.String(), y: Type.Integer() })) })),
    });
    const j = flatten(
      { a: [{ area: '1', points: [{ period: 'p', x: 1 }] }], b: [{ area: '1', points: [{ period: 'p', y: 2 }, { period: 'q', y: 3 }] }] },
      S,
      { name: 'j', tables: [{ path: 'a', points: 'points' }, { path: 'b', points: 'points' }] },
    );
    expect(j.columns.map((c) => c.name)).toEqual(['area', 'period', 'x', 'y']);
    expect(j.rows).toEqual([['1', 'p', 1, 2], ['1', 'q', null, 3]]);
  });
});

describe('writers', () => {
  const t = flatten(body, Schema, { name: 't', tables: [{ path: 'series', points: 'points' }] });

  it('writes RFC 4180 CSV: quoted where needed, empty for null, formulas guarded, numbers as they are', () => {
    const text = toCsv(t);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(t.columns.map((c) => c.name));
    expect(rows[0]!.slice(0, 6)).toEqual(['101', 'Kingsbridge, "Riverdale"', '2024-01-01', '12', 'shown', '1.25']);
    expect(rows[1]!.slice(3, 6)).toEqual(['0', 'zero', '']);
    expect(rows[2]![1]).toBe(`'=HYPERLINK("x")`);
    expect(rows[2]!.slice(3, 6)).toEqual(['', 'suppressed', '-0.5']);
    expect(rows[0]![10]).toBe('[{"k":"a"}]');
  });

  it('writes an Arrow stream with typed columns and nulls where JSON has null', () => {
    const back = tableFromIPC(toArrow(t));
    expect(back.schema.fields.map((f) => String(f.type)).slice(0, 6)).toEqual(['Utf8', 'Utf8', 'Date32<DAY>', 'Int32', 'Utf8', 'Float64']);
    const rows = back.toArray().map((r: { toJSON(): Record<string, unknown> }) => r.toJSON());
    expect(rows[0]).toMatchObject({ area: '101', period: Date.UTC(2024, 0, 1), cell_count: 12, rate: 1.25, by_male_count: null, by_male_state: 'suppressed' });
    expect(rows[1]).toMatchObject({ cell_count: 0, cell_state: 'zero', rate: null });
    expect(rows[2]).toMatchObject({ cell_count: null, cell_state: 'suppressed', rate: -0.5 });
    expect(back.schema.metadata.get('jurisdiction')).toBe('nyc');
  });

  it('writes every column kind, with nulls at any position, as the same values', () => {
    // 37 rows: the validity bits cross byte boundaries; each kind has nulls at its own stride.
    const kinds = ['int', 'float', 'bool', 'date', 'string', 'json'] as const;
    const rows: unknown[][] = [];
    for (let r = 0; r < 37; r++) {
      rows.push([
        r % 5 ? r * 3 - 50 : null,
        r % 4 ? r / 7 : null,
        r % 3 ? r % 2 === 0 : null,
        r % 6 ? `20${10 + (r % 15)}-0${1 + (r % 9)}-1${r % 9}` : null,
        r % 7 ? `é"x,${r}🙂` : null,
        r % 8 ? { a: [r, 'x'] } : null,
      ]);
    }
    const table = { columns: kinds.map((kind) => ({ name: kind, kind })), rows, metadata: new Map([['jurisdiction', 'nyc']]) };
    const back = tableFromIPC(toArrow(table));
    expect(back.schema.fields.map((f) => String(f.type))).toEqual(['Int32', 'Float64', 'Bool', 'Date32<DAY>', 'Utf8', 'Utf8']);
    const got = back.toArray().map((r: { toJSON(): Record<string, unknown> }) => r.toJSON());
    expect(got).toEqual(
      rows.map(([i, f, b, d, str, j]) => ({
        int: i,
        float: f,
        bool: b,
        date: d === null ? null : Date.parse(`${String(d)}T00:00:00Z`),
        string: str,
        json: j === null ? null : JSON.stringify(j),
      })),
    );
  });

  it('writes an empty table with its columns', () => {
    const empty = flatten({ jurisdiction: 'nyc', info: { note: '' }, series: [] }, Schema, { name: 't', tables: [{ path: 'series', points: 'points' }] });
    expect(tableFromIPC(toArrow(empty)).numRows).toBe(0);
    expect(toCsv(empty)).toBe('area,name,period,cell_count,cell_state,rate,tags\r\n');
  });
});
