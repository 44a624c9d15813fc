// One representation layer for every tabular route: the handler returns its JSON body, and this
// plugin answers it as JSON (default), as an Arrow IPC stream (Accept:
// application/vnd.apache.arrow.stream, or ?format=arrow) or as CSV (Accept: text/csv, or
// ?format=csv), one row per area × period (or per entry of a list).
//
// A route opts in with `config.tabular`: which arrays of its body hold the rows. The columns come
// from the route's own response schema, never from the object the handler built, so an export
// carries exactly the fields the JSON answer does (fast-json-stringify drops anything else there)
// and nothing more: a field the schema does not name cannot leak through CSV or Arrow. Suppression
// is already applied in the body; a hidden count is a null value with state 'suppressed' in every
// representation (an empty CSV field, an Arrow null), never a 0.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { Bool, DateDay, Float64, Int32, makeData, makeVector, Schema, Table, tableToIPC, Utf8, type Vector } from 'apache-arrow';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';
export type Format = 'json' | 'csv' | 'arrow';

/** Where the rows of a tabular body are. */
export interface TableSource {
  /** Property of the body holding an array. */
  path: string;
  /**
   * Property of each element holding an array of points: one row per point, carrying the
   * element's scalar fields (area, name, stratum) in front of the point's own.
   */
  points?: string;
  /** Fields of the row left out (GeoJSON geometry; nested arrays). */
  omit?: string[];
  /** Fields of the row kept whole, as one JSON text column (the audit log's parameters). */
  json?: string[];
}

export interface TabularSpec {
  /** Stem of the CSV file name, e.g. "series". */
  name: string;
  /**
   * The arrays holding rows. Several are joined on the columns they share (area, name, period):
   * /linkage's deaths and unique events of one area and period make one row.
   */
  tables: TableSource[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's body is a table: CSV and Arrow besides JSON (server/plugins/app/tabular.ts). */
    tabular?: TabularSpec;
  }
  interface FastifyRequest {
    /** The representation negotiated for this request (format parameter, then Accept). */
    format: Format | null;
  }
}

/** The `format` query parameter every tabular route takes. */
export const FORMAT_PARAM = {
  type: 'string',
  enum: ['json', 'csv', 'arrow'],
  description: `Representation: json (default), csv (a file download), or arrow (an Arrow IPC stream, ${ARROW_STREAM}). Overrides the Accept header.`,
} as const;

// ── negotiation ──────────────────────────────────────────────────────────────────────────────────

const MEDIA: Record<string, Format> = {
  'application/json': 'json',
  'application/*': 'json',
  '*/*': 'json',
  'text/csv': 'csv',
  'text/*': 'csv',
  [ARROW_STREAM]: 'arrow',
};

/** The format asked for by an Accept header, by quality then order; JSON when nothing known is listed. */
export function formatFromAccept(accept: string | undefined): Format {
  if (!accept) return 'json';
  const ranges = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find((m) => m)?.[1];
      return { type: (type ?? '').trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.q > 0 && MEDIA[r.type] !== undefined)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranges[0] ? MEDIA[ranges[0].type]! : 'json';
}

/** The negotiated format of a request to a tabular route (JSON for any other route). */
export function formatOf(req: FastifyRequest): Format {
  if (req.format) return req.format;
  let f: Format = 'json';
  if (req.routeOptions.config.tabular) {
    const asked = (req.query as { format?: unknown } | undefined)?.format;
    f = asked === 'csv' || asked === 'arrow' || asked === 'json' ? asked : formatFromAccept(req.headers.accept);
  }
  req.format = f;
  return f;
}

// ── the table ────────────────────────────────────────────────────────────────────────────────────

/** The subset of JSON Schema the response schemas use (TypeBox output). */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  const?: unknown;
}

export type ColumnKind = 'int' | 'float' | 'bool' | 'date' | 'string' | 'json';
export interface Column {
  name: string;
  kind: ColumnKind;
}
export interface FlatTable {
  columns: Column[];
  rows: unknown[][];
  /** Top-level scalar fields of the body (jurisdiction, indicator, definition version, …). */
  metadata: Map<string, string>;
}

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** The schema without its null alternative (a nullable field is a nullable column). */
function nonNull(s: JsonSchema): JsonSchema {
  if (!s.anyOf) return s;
  const rest = s.anyOf.filter((x) => x.type !== 'null');
  if (rest.length === 1) return nonNull(rest[0]!);
  return { anyOf: rest };
}

const isObject = (s: JsonSchema) => s.type === 'object' && (s.properties !== undefined || s.patternProperties !== undefined);

function leafKind(schema: JsonSchema): ColumnKind {
  const s = nonNull(schema);
  if (s.anyOf) {
    const kinds = new Set(s.anyOf.map(leafKind));
    if (kinds.size === 1) return [...kinds][0]!;
    if ([...kinds].every((k) => k === 'int' || k === 'float')) return 'float';
    return 'json';
  }
  switch (s.type) {
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'boolean':
      return 'bool';
    case 'string':
      return s.pattern === DATE_PATTERN ? 'date' : 'string';
    default:
      return 'json';
  }
}

/**
 * `value` cut down to what `schema` names, as fast-json-stringify serialises it for JSON: the
 * fields of an object schema only; records, arrays and unions followed through. What the schema
 * leaves open (Unknown) is kept whole.
 */
export function prune(schema: JsonSchema | undefined, value: unknown): unknown {
  if (!schema || value === null || value === undefined || typeof value !== 'object') return value;
  const s = nonNull(schema);
  if (Array.isArray(value)) return s.items ? value.map((v) => prune(s.items, v)) : value;
  if (s.anyOf) {
    const objectSchema = s.anyOf.find((x) => x.type === 'object');
    return objectSchema ? prune(objectSchema, value) : value;
  }
  const o = value as Record<string, unknown>;
  if (s.properties) return Object.fromEntries(Object.keys(s.properties).filter((k) => o[k] !== undefined).map((k) => [k, prune(s.properties![k], o[k])]));
  if (s.patternProperties) {
    const v = Object.values(s.patternProperties)[0];
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, prune(v, x)]));
  }
  return value;
}

type Getter = (row: unknown) => unknown;
const at = (get: Getter, key: string): Getter => (row) => {
  const v = get(row);
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
};

/** Columns of `schema` at `prefix`, nested objects flattened (name_subname); record keys from the rows. */
function columnsOf(schema: JsonSchema, rows: unknown[], prefix: string, get: Getter, out: { column: Column; get: Getter }[]): void {
  const s = nonNull(schema);
  const join = (k: string) => (prefix ? `${prefix}_${k}` : k);
  if (isObject(s) && s.properties) {
    for (const [k, sub] of Object.entries(s.properties)) columnsOf(sub, rows, join(k), at(get, k), out);
    return;
  }
  if (isObject(s) && s.patternProperties) {
    const value = Object.values(s.patternProperties)[0]!;
    const keys = new Set<string>();
    for (const r of rows) {
      const v = get(r);
      if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) keys.add(k);
    }
    for (const k of keys) columnsOf(value, rows, join(k), at(get, k), out);
    return;
  }
  const kind = leafKind(s);
  // A nested array or object kept as JSON text carries only what its schema names.
  out.push({ column: { name: prefix, kind }, get: kind === 'json' ? (r) => prune(s, get(r)) : get });
}

/** Rows and columns of one source array of the body. */
function sourceTable(body: Record<string, unknown>, schema: JsonSchema, src: TableSource): { columns: Column[]; rows: unknown[][] } {
  const arraySchema = schema.properties?.[src.path];
  const itemSchema = arraySchema?.items ? nonNull(arraySchema.items) : undefined;
  if (!itemSchema?.properties) throw new Error(`tabular: the response schema has no array of objects "${src.path}"`);
  const items = (Array.isArray(body[src.path]) ? body[src.path] : []) as Record<string, unknown>[];
  let rowSchema: JsonSchema;
  let objects: unknown[];
  if (src.points) {
    const pointSchema = itemSchema.properties[src.points]?.items;
    const point = pointSchema ? nonNull(pointSchema) : undefined;
    if (!point?.properties) throw new Error(`tabular: "${src.path}" has no array of objects "${src.points}"`);
    // The element's scalar fields (area, name, stratum) lead each of its points' rows.
    const scalars = Object.entries(itemSchema.properties).filter(([, s]) => {
      const n = nonNull(s);
      return n.type !== 'object' && n.type !== 'array';
    });
    rowSchema = { type: 'object', properties: { ...Object.fromEntries(scalars), ...point.properties } };
    // One object per point, its fields set in the same order every time (one shape for V8: a
    // spread of a per-element object made every row a slow dictionary, 3 µs a row).
    const leadKeys = scalars.map(([k]) => k);
    const pointKeys = Object.keys(point.properties);
    objects = [];
    for (const item of items) {
      const pts = Array.isArray(item[src.points]) ? (item[src.points] as Record<string, unknown>[]) : [];
      for (const p of pts) {
        const row: Record<string, unknown> = {};
        for (const k of leadKeys) row[k] = item[k];
        for (const k of pointKeys) row[k] = p[k];
        objects.push(row);
      }
    }
  } else {
    rowSchema = itemSchema;
    objects = items;
  }
  if (src.omit) rowSchema = { ...rowSchema, properties: Object.fromEntries(Object.entries(rowSchema.properties!).filter(([k]) => !src.omit!.includes(k))) };
  if (src.json) rowSchema = { ...rowSchema, properties: Object.fromEntries(Object.entries(rowSchema.properties!).map(([k, v]) => [k, src.json!.includes(k) ? {} : v])) };
  const cols: { column: Column; get: Getter }[] = [];
  columnsOf(rowSchema, objects, '', (r) => r, cols);
  const names = new Set<string>();
  for (const { column } of cols) {
    if (names.has(column.name)) throw new Error(`tabular: two fields flatten to the column "${column.name}"`);
    names.add(column.name);
  }
  return { columns: cols.map((c) => c.column), rows: objects.map((o) => cols.map((c) => c.get(o) ?? null)) };
}

/** The body as one table: its sources joined on their shared columns, in the order of the first. */
export function flatten(body: Record<string, unknown>, responseSchema: unknown, spec: TabularSpec): FlatTable {
  const schema = responseSchema as JsonSchema;
  let acc: { columns: Column[]; rows: unknown[][] } | null = null;
  for (const src of spec.tables) {
    const t = sourceTable(body, schema, src);
    if (!acc) {
      acc = t;
      continue;
    }
    const prev: { columns: Column[]; rows: unknown[][] } = acc;
    const shared = t.columns.filter((c) => prev.columns.some((p) => p.name === c.name)).map((c) => c.name);
    const keyAt = (cols: Column[]) => shared.map((n) => cols.findIndex((c) => c.name === n));
    const [ka, kb] = [keyAt(prev.columns), keyAt(t.columns)];
    const added = t.columns.map((c, i) => ({ c, i })).filter(({ c }) => !shared.includes(c.name));
    const index = new Map(prev.rows.map((r, i) => [JSON.stringify(ka.map((k) => r[k])), i]));
    const rows = prev.rows.map((r) => [...r, ...added.map(() => null)]);
    for (const r of t.rows) {
      const i = index.get(JSON.stringify(kb.map((k) => r[k])));
      if (i !== undefined) {
        added.forEach(({ i: j }, n) => (rows[i]![prev.columns.length + n] = r[j]));
      } else {
        const row: unknown[] = prev.columns.map((c) => (shared.includes(c.name) ? r[kb[shared.indexOf(c.name)]!] : null));
        rows.push([...row, ...added.map(({ i: j }) => r[j])]);
      }
    }
    acc = { columns: [...prev.columns, ...added.map(({ c }) => c)], rows };
  }
  const metadata = new Map<string, string>();
  const tablePaths = new Set(spec.tables.map((t) => t.path));
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    const v = body[k];
    if (tablePaths.has(k) || v === undefined || Array.isArray(v) || nonNull(s).type === 'array') continue;
    metadata.set(k, typeof v === 'string' ? v : JSON.stringify(prune(s, v)));
  }
  return { columns: acc?.columns ?? [], rows: acc?.rows ?? [], metadata };
}

// ── writers ──────────────────────────────────────────────────────────────────────────────────────

/**
 * RFC 4180 CSV: a header, CRLF line ends, fields quoted where they hold a comma, quote or line
 * break. A null (suppressed or missing) is an empty field, distinct from 0; dates stay YYYY-MM-DD.
 * Text starting with = + - @ or a tab is prefixed with ' so that a spreadsheet never runs it as a
 * formula (OWASP, CSV injection); numbers are written as they are.
 */
export function toCsv(t: FlatTable): string {
  const cell = (v: unknown, kind: ColumnKind): string => {
    if (v === null || v === undefined) return '';
    let s = kind === 'json' ? JSON.stringify(v) : String(v);
    if ((kind === 'string' || kind === 'json') && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [t.columns.map((c) => cell(c.name, 'string')).join(',')];
  for (const r of t.rows) lines.push(r.map((v, i) => cell(v, t.columns[i]!.kind)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Validity bits (Arrow: 1 = a value, least significant bit first) and the count of nulls. */
function validity(values: readonly unknown[]): { bits: Uint8Array | undefined; nulls: number } {
  const bits = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nulls++;
    else bits[i >> 3]! |= 1 << (i & 7);
  }
  return { bits: nulls > 0 ? bits : undefined, nulls };
}

const DAY_MS = 86_400_000;

/** One column as an Arrow vector, written straight into typed arrays. */
function arrowColumn(kind: ColumnKind, values: readonly unknown[]): Vector {
  const length = values.length;
  const { bits: nullBitmap, nulls: nullCount } = validity(values);
  const present = (v: unknown) => v !== null && v !== undefined;
  switch (kind) {
    case 'int':
    case 'float':
    case 'date': {
      const data = kind === 'float' ? new Float64Array(length) : new Int32Array(length);
      for (let i = 0; i < length; i++) {
        const v = values[i];
        if (!present(v)) continue;
        // Date32: days since 1970-01-01 (Arrow DateUnit.DAY).
        data[i] = kind === 'date' ? Math.floor(Date.parse(`${String(v)}T00:00:00Z`) / DAY_MS) : Number(v);
      }
      const type = kind === 'float' ? new Float64() : kind === 'int' ? new Int32() : new DateDay();
      return makeVector(makeData({ type, length, nullCount, nullBitmap, data } as never));
    }
    case 'bool': {
      const data = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (values[i] === true || (present(values[i]) && Boolean(values[i]))) data[i >> 3]! |= 1 << (i & 7);
      return makeVector(makeData({ type: new Bool(), length, nullCount, nullBitmap, data }));
    }
    default: {
      // Utf8: the texts end to end, with where each starts (byte offsets, one more than values).
      const texts = values.map((v) => (!present(v) ? '' : kind === 'json' ? JSON.stringify(v) : String(v)));
      const valueOffsets = new Int32Array(length + 1);
      let at = 0;
      for (let i = 0; i < length; i++) {
        at += Buffer.byteLength(texts[i]!, 'utf8');
        valueOffsets[i + 1] = at;
      }
      const data = Buffer.from(texts.join(''), 'utf8');
      return makeVector(makeData({ type: new Utf8(), length, nullCount, nullBitmap, valueOffsets, data }));
    }
  }
}

/** An Arrow IPC stream: Int32 counts, Float64 measures, Date32 periods, Utf8 text; nulls where JSON has null. */
export function toArrow(t: FlatTable): Buffer {
  const vectors: Record<string, Vector> = {};
  t.columns.forEach((c, i) => {
    vectors[c.name] = arrowColumn(
      c.kind,
      t.rows.map((r) => r[i] ?? null),
    );
  });
  const plain = new Table(vectors);
  const table = new Table(new Schema(plain.schema.fields, t.metadata), plain.batches);
  const bytes = tableToIPC(table, 'stream');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A download name from the route and the parameters that say what was asked: odstat-series-deaths.opioid-month-….csv */
function fileName(req: FastifyRequest, spec: TabularSpec): string {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const p = (req.params ?? {}) as Record<string, unknown>;
  const parts = ['odstat', spec.name, ...['id', 'jurisdiction', 'indicator', 'method', 'interval', 'breakdown', 'from', 'to', 'date'].map((k) => p[k] ?? q[k])]
    .filter((v) => v !== undefined && v !== null && v !== '')
    .map((v) => String(v).replace(/[^A-Za-z0-9._-]+/g, '_'));
  return `${parts.join('-').slice(0, 150)}.csv`;
}

// ── the plugin ───────────────────────────────────────────────────────────────────────────────────

/** For the OpenAPI document (server/plugins/external/openapi.ts): a tabular route's 200 in all three media types. */
export function documentTabular(route: { config?: { tabular?: TabularSpec } }, schema: Record<string, unknown>): Record<string, unknown> {
  if (!route.config?.tabular) return schema;
  const response = schema.response as Record<string, unknown> | undefined;
  const ok = response?.['200'] ?? response?.[200];
  if (!response || !ok) return schema;
  const { 200: _drop, ...rest } = response as Record<string | number, unknown>;
  return {
    ...schema,
    response: {
      ...rest,
      200: {
        description: 'The result; as JSON, CSV or Arrow by the Accept header or the format parameter.',
        content: {
          'application/json': { schema: ok },
          'text/csv': { schema: { type: 'string', description: 'One row per area × period (per entry for lists), nested fields flattened as name_subname; suppressed and missing values are empty fields, with the state column saying which.' } },
          [ARROW_STREAM]: { schema: { type: 'string', format: 'binary', description: 'Arrow IPC stream of the same rows and columns as the CSV; the top-level fields of the JSON answer are the schema metadata.' } },
        },
      },
    },
  };
}

export default fp(
  async (app) => {
    app.decorateRequest('format', null);

    // Every tabular route takes ?format=…, validated like its other parameters (400 naming it).
    app.addHook('onRoute', (route: RouteOptions) => {
      if (!route.config?.tabular) return;
      const schema = (route.schema ?? {}) as Record<string, unknown>;
      const qs = (schema.querystring ?? { type: 'object', properties: {} }) as { properties?: Record<string, unknown> };
      route.schema = { ...schema, querystring: { ...qs, properties: { ...qs.properties, format: FORMAT_PARAM } } };
    });

    app.addHook('preSerialization', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const spec = req.routeOptions.config.tabular;
      if (!spec || reply.statusCode !== 200 || payload === null || typeof payload !== 'object') return payload;
      const format = formatOf(req);
      if (format === 'json') return payload;
      const response = (req.routeOptions.schema?.response ?? {}) as Record<string | number, unknown>;
      const table = flatten(payload as Record<string, unknown>, response[200] ?? response['200'], spec);
      if (format === 'csv') {
        const text = toCsv(table);
        reply.header('content-type', 'text/csv; charset=utf-8; header=present');
        reply.header('content-disposition', `attachment; filename="${fileName(req, spec)}"`);
        reply.serializer(() => text);
      } else {
        const bytes = toArrow(table);
        reply.header('content-type', ARROW_STREAM);
        reply.serializer((() => bytes) as unknown as (p: unknown) => string);
      }
      return payload;
    });
  },
  { name: 'tabular' },
);
