// The DuckDB handle: opening the file once per process, applying the schema, and running
// named SQL files from sql/duckdb/ with bound parameters. SQL text is never built from values.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';

const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'duckdb');

export type Params = Record<string, DuckDBValue>;
export type ParamTypes = Record<string, DuckDBType>;

export interface Duck {
  instance: DuckDBInstance;
  /** A connection for reads; DuckDB runs one statement at a time per connection. */
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

/**
 * Opens (or creates) a DuckDB database. `path` ':memory:' gives a private in-memory database;
 * a file path is opened once per process through the instance cache.
 */
/**
 * Bumped after every committed load in this process. The server holds DuckDB's only write lock,
 * so within it this counts every change of the data; answers cached per data version
 * (server/plugins/app/caching.ts) read it instead of querying DuckDB on every request.
 */
let generation = 0;
export const dataGeneration = (): number => generation;
export function dataChanged(): void {
  generation++;
}

export async function openDuck(path: string, options: { threads?: number; memoryLimit?: string | null } = {}): Promise<Duck> {
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  // Past this budget DuckDB spills to temp files (a 10M-row load stays within it); without it,
  // DuckDB may take 80% of the machine's memory.
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  const instance =
    path === ':memory:' ? await DuckDBInstance.create(':memory:', config) : await DuckDBInstance.fromCache(path, config);
  const conn = await instance.connect();
  try {
    await applySchema(conn);
  } finally {
    conn.closeSync();
  }
  return {
    instance,
    connect: () => instance.connect(),
    close: () => instance.closeSync(),
  };
}

/**
 * Schema, definitions (macros) and views, in folder order; every file is idempotent. Then
 * `indicator_events`: the UNION ALL of every feed's `events_<feed>` view (one file per feed in
 * sql/duckdb/views/), so a metric query takes the indicator id as a bound value.
 */
export async function applySchema(conn: DuckDBConnection): Promise<void> {
  for (const folder of ['schema', 'definitions', 'views']) {
    const dir = join(SQL_DIR, folder);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
      await conn.run(readFileSync(join(dir, file), 'utf8'));
    }
  }
  const views = (await conn.runAndReadAll(`SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY view_name`))
    .getRowObjectsJson()
    .map((r) => String(r.view_name))
    // Identifiers from the catalog, allowed only in this exact shape.
    .filter((v) => /^events_[a-z_]+$/.test(v));
  const union = views.map((v) => `SELECT jurisdiction_id, indicator, event_date, residence_area, event_area FROM ${v}`).join('\nUNION ALL\n');
  await conn.run(`CREATE OR REPLACE VIEW indicator_events AS ${union}`);
}

const cache = new Map<string, string>();

/** The text of sql/duckdb/queries/<name>.sql. Names come from code, never from a request. */
export function sqlText(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`invalid query name ${name}`);
    text = readFileSync(join(SQL_DIR, 'queries', `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/**
 * Runs a named query with bound parameters. Rows come back JSON-shaped: DATE as 'YYYY-MM-DD',
 * BIGINT and HUGEINT as strings (cast counts to INTEGER in SQL where a number is wanted).
 */
export async function queryRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  name: string,
  params: Params = {},
  types?: ParamTypes,
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sqlText(name), params, types);
  return reader.getRowObjectsJson() as T[];
}

/** Runs SQL given as text by code (never by a request) with bound parameters. */
export async function rows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
  params: Params = {},
  types?: ParamTypes,
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params, types);
  return reader.getRowObjectsJson() as T[];
}
