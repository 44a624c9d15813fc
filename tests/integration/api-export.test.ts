// Arrow IPC and CSV answers of the tabular routes, on the default city with every feed: each
// Arrow stream read back with apache-arrow's tableFromIPC, and each CSV parsed, must hold the same
// rows as the JSON answer to the same URL, value by value; a commander's export must carry no
// count from 1 to 9 and must mark a hidden count apart from a zero.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { tableFromIPC, type Table } from 'apache-arrow';
import { buildApp } from '../../server/app.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';
import { openCity, type City } from '../helpers/city.ts';
import { parseCsv } from '../helpers/csv.ts';

const ARROW = 'application/vnd.apache.arrow.stream';

let city: City;
let app: FastifyInstance;
let analyst: TestSession;
let commander: TestSession;

beforeAll(async () => {
  city = await openCity();
  app = await buildApp({ duck: city.duck, ops: city.ops, defaultJurisdiction: 'nyc', webRoot: null });
  await app.ready();
  analyst = await loginAs(app, 'analyst');
  commander = await loginAs(app, 'commander');
});
afterAll(async () => {
  await app?.close();
  await city?.close();
});

const get = async (s: TestSession, url: string, accept?: string) => {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: s.cookie, ...(accept ? { accept } : {}) } });
  expect(res.statusCode, `${url} (${accept ?? 'json'}): ${res.body.slice(0, 300)}`).toBe(200);
  return res;
};

type Json = Record<string, unknown>;

/** A JSON object as name → value, nested objects spelt name_sub (a null object stays one null). */
function flat(o: Json, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    const name = prefix ? `${prefix}_${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flat(v as Json, name, out);
    else out.set(name, v);
  }
  return out;
}

/**
 * The rows the JSON answer holds, worked out here from its documented shape (not by the server's
 * flattener): one per point of each element of `path` (its scalar fields in front), and, for a
 * second source, its points joined on area and period.
 */
function jsonRows(body: Json, sources: { path: string; points?: string }[]): Map<string, unknown>[] {
  const rowsOf = (src: { path: string; points?: string }) =>
    (body[src.path] as Json[]).flatMap((el) => {
      if (!src.points) return [flat(el)];
      const lead = Object.fromEntries(Object.entries(el).filter(([, v]) => v !== null && typeof v !== 'object'));
      return (el[src.points] as Json[]).map((p) => flat({ ...lead, ...p }));
    });
  const [first, ...more] = sources;
  const rows = rowsOf(first!);
  for (const src of more) {
    for (const r of rowsOf(src)) {
      const into = rows.find((x) => x.get('area') === r.get('area') && x.get('period') === r.get('period'));
      expect(into, `a ${src.path} row without its ${first!.path} row`).toBeDefined();
      for (const [k, v] of r) if (!into!.has(k)) into!.set(k, v);
    }
  }
  return rows;
}

/** The JSON value a column of a row should hold: its own, or null under a null nested object. */
function expected(row: Map<string, unknown>, column: string): unknown {
  if (row.has(column)) return row.get(column);
  for (const [k, v] of row) if (v === null && column.startsWith(`${k}_`)) return null;
  throw new Error(`column ${column} is not in the JSON answer: ${[...row.keys()].join(', ')}`);
}

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

function compareArrow(table: Table, rows: Map<string, unknown>[], label: string): void {
  const columns = table.schema.fields.map((f) => f.name);
  expect(table.numRows, label).toBe(rows.length);
  // Every field of the JSON rows is a column, or (a null nested object) the prefix of its columns.
  for (const r of rows) {
    for (const [k, v] of r) {
      if (!columns.includes(k) && !(v === null && columns.some((c) => c.startsWith(`${k}_`)))) throw new Error(`${label}: the JSON field ${k} has no column`);
    }
  }
  let compared = 0;
  table.toArray().forEach((rec: { toJSON(): Json }, i: number) => {
    const got = rec.toJSON();
    for (const c of columns) {
      const want = expected(rows[i]!, c);
      let v = got[c];
      if (isDate(want) && typeof v === 'number') v = new Date(v).toISOString().slice(0, 10);
      if (v !== want) expect({ label, row: i, column: c, arrow: v }).toEqual({ label, row: i, column: c, arrow: want });
      compared++;
    }
  });
  expect(compared, label).toBeGreaterThan(0);
}

function compareCsv(text: string, rows: Map<string, unknown>[], label: string): string[] {
  const [header, ...records] = parseCsv(text);
  expect(records.length, label).toBe(rows.length);
  records.forEach((rec, i) => {
    header!.forEach((c, j) => {
      const want = expected(rows[i]!, c);
      const cell = rec[j] ?? '';
      const asText = want === null || want === undefined ? '' : typeof want === 'object' ? JSON.stringify(want) : String(want);
      if (cell !== asText) expect({ label, row: i, column: c, csv: cell }).toEqual({ label, row: i, column: c, csv: asText });
    });
  });
  return header!;
}

const ROUTES: { url: string; sources: { path: string; points?: string }[] }[] = [
  { url: '/api/v1/series?indicator=deaths.opioid&interval=month&from=2024-01-01&to=2024-12-31', sources: [{ path: 'series', points: 'points' }] },
  { url: '/api/v1/rates?indicator=deaths.opioid&interval=year&from=2023-01-01&to=2024-12-31', sources: [{ path: 'series', points: 'points' }] },
  { url: '/api/v1/rates?indicator=deaths.any_drug&interval=year&from=2024-01-01&to=2024-12-31&breakdown=sex&areas=101,102', sources: [{ path: 'series', points: 'points' }] },
  { url: '/api/v1/linkage?interval=quarter&from=2024-01-01&to=2024-12-31', sources: [{ path: 'deaths', points: 'points' }, { path: 'events', points: 'points' }] },
  { url: '/api/v1/performance?interval=month&from=2024-01-01&to=2024-06-30', sources: [{ path: 'series', points: 'points' }] },
  { url: '/api/v1/signals?indicator=ems.opioid_overdose&method=ears_c2&from=2025-06-01&date=2025-06-14', sources: [{ path: 'results' }] },
];

describe('Arrow IPC', () => {
  it.each(ROUTES)('$url round-trips through apache-arrow with the values of the JSON answer', async ({ url, sources }) => {
    const json = (await get(analyst, url)).json() as Json;
    const res = await get(analyst, url, ARROW);
    expect(res.headers['content-type']).toBe(ARROW);
    const table = tableFromIPC(res.rawPayload);
    const rows = jsonRows(json, sources);
    expect(rows.length).toBeGreaterThan(0);
    compareArrow(table, rows, url);
    // The answer's own fields ride along as the stream's metadata.
    expect(table.schema.metadata.get('jurisdiction')).toBe('nyc');
    expect(table.schema.metadata.get('synthetic')).toBe('true');
  });

  it('types counts as integers, rates as doubles, periods as dates, and keeps suppressed counts null', async () => {
    const url = '/api/v1/series?indicator=deaths.xylazine&interval=month&from=2024-01-01&to=2024-12-31';
    const table = tableFromIPC((await get(commander, url, ARROW)).rawPayload);
    const type = (n: string) => String(table.schema.fields.find((f) => f.name === n)?.type);
    expect([type('period'), type('count'), type('rate'), type('state')]).toEqual(['Date32<DAY>', 'Int32', 'Float64', 'Utf8']);
    const rows = table.toArray().map((r: { toJSON(): Json }) => r.toJSON());
    const hidden = rows.filter((r) => r.state === 'suppressed');
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((r) => r.count === null && r.rate === null)).toBe(true);
    expect(rows.every((r) => r.count === null || r.count === 0 || (r.count as number) >= 10)).toBe(true);
  });

  it('is asked for by ?format=arrow too, and the format parameter is checked', async () => {
    const url = '/api/v1/series?indicator=deaths.opioid&interval=year';
    const a = await get(analyst, url, ARROW);
    const b = await get(analyst, `${url}&format=arrow`, 'application/json');
    expect(b.headers['content-type']).toBe(ARROW);
    expect(Buffer.compare(a.rawPayload, b.rawPayload)).toBe(0);
    const bad = await app.inject({ method: 'GET', url: `${url}&format=xlsx`, headers: { cookie: analyst.cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/format/);
  });
});

describe('CSV export', () => {
  it.each(ROUTES)('$url as CSV holds the rows and values of the JSON answer', async ({ url, sources }) => {
    const json = (await get(analyst, url)).json() as Json;
    const res = await get(analyst, url, 'text/csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="odstat-[a-z-]+-[A-Za-z0-9._-]*\.csv"$/);
    const header = compareCsv(res.body, jsonRows(json, sources), url);
    expect(header).toContain(sources[0]!.points ? 'period' : 'date');
  });

  it("gives a commander no count from 1 to 9, and a hidden count as an empty field marked 'suppressed', apart from a zero", async () => {
    const url = '/api/v1/series?indicator=deaths.xylazine&interval=month&from=2024-01-01&to=2025-12-31&format=csv';
    const check = (text: string) => {
      const [header, ...records] = parseCsv(text);
      const col = (n: string) => header!.indexOf(n);
      expect(col('count')).toBeGreaterThan(-1);
      expect(col('state')).toBeGreaterThan(-1);
      return records.map((r) => ({ count: r[col('count')]!, state: r[col('state')]!, rate: r[col('rate')]! }));
    };
    const theirs = check((await get(commander, url)).body);
    const small = (c: string) => c !== '' && Number(c) >= 1 && Number(c) <= 9;
    expect(theirs.filter((r) => small(r.count))).toEqual([]);
    const hidden = theirs.filter((r) => r.state === 'suppressed');
    const zeros = theirs.filter((r) => r.state === 'zero');
    expect(hidden.length).toBeGreaterThan(20);
    expect(zeros.length).toBeGreaterThan(0);
    expect(hidden.every((r) => r.count === '' && r.rate === '')).toBe(true);
    expect(zeros.every((r) => r.count === '0')).toBe(true);
    expect(theirs.every((r) => ['shown', 'zero', 'suppressed', 'missing'].includes(r.state))).toBe(true);
    // The same request by the analyst has the small counts: what the commander's export lacks.
    const ours = check((await get(analyst, url)).body);
    expect(ours.filter((r) => small(r.count)).length).toBeGreaterThan(20);
    expect(ours.length).toBe(theirs.length);
  });

  it("applies a commander's suppression to rates and performance counts as well", async () => {
    for (const url of ['/api/v1/rates?indicator=deaths.xylazine&interval=month&from=2024-01-01&to=2024-12-31', '/api/v1/performance?interval=month&from=2024-01-01&to=2024-03-31']) {
      const [header, ...records] = parseCsv((await get(commander, url, 'text/csv')).body);
      const counts = header!.map((h, i) => [h, i] as const).filter(([h]) => h === 'count' || h.endsWith('_count'));
      expect(counts.length, url).toBeGreaterThan(0);
      for (const r of records) for (const [h, i] of counts) expect({ url, h, small: r[i] !== '' && Number(r[i]) >= 1 && Number(r[i]) <= 9 }).toEqual({ url, h, small: false });
    }
  });

  it('exports the other tables a user sees: indicators, areas (without boundaries), data status, alerts', async () => {
    for (const [url, column] of [
      ['/api/v1/indicators', 'definitionVersion'],
      ['/api/v1/jurisdictions', 'dataRange_from'],
      ['/api/v1/jurisdictions/nyc/areas', 'properties_population'],
      ['/api/v1/status', 'lastRun_status'],
      ['/api/v1/alerts?indicator=ems.opioid_overdose&method=ears_c1&refresh=false', 'peak_level'],
    ] as const) {
      const res = await get(commander, url, 'text/csv');
      const [header, ...records] = parseCsv(res.body);
      expect(header, url).toContain(column);
      expect(header!.some((h) => /geometry|coordinates/.test(h)), url).toBe(false);
      if (!url.includes('alerts')) expect(records.length, url).toBeGreaterThan(0);
    }
  });
});
