import type { DuckDBConnection } from '@duckdb/node-api';
import { dataGeneration } from '../sql/duckdb.ts';
import type { FastifyInstance } from 'fastify';

/** Runs `fn` on a fresh DuckDB connection and closes it, whatever happens. */
export async function withConn<T>(app: FastifyInstance, fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await app.duck.connect();
  try {
    return await fn(conn);
  } finally {
    conn.closeSync();
  }
}

/**
 * As withConn, but the connection is opened only when `conn()` is first called, and then once:
 * a request answered from per-load memos needs none.
 */
export async function withLazyConn<T>(app: FastifyInstance, fn: (conn: () => Promise<DuckDBConnection>) => Promise<T>): Promise<T> {
  let opened: Promise<DuckDBConnection> | null = null;
  try {
    return await fn(() => (opened ??= app.duck.connect()));
  } finally {
    const o = opened as Promise<DuckDBConnection> | null;
    if (o) (await o.catch(() => null))?.closeSync();
  }
}

const memos = new WeakMap<object, Map<string, { generation: number; value: Promise<unknown> }>>();

/**
 * `fn`'s answer, kept until the next load in this process (sql/duckdb.ts dataGeneration): for
 * what a request needs that only a load can change — an indicator's date range, the areas, the
 * definition versions in a table — which would otherwise be a scan on every request. Kept per
 * DuckDB instance; a failed answer is not kept.
 */
export function perLoad<T>(app: FastifyInstance, key: string, fn: () => Promise<T>): Promise<T> {
  let m = memos.get(app.duck);
  if (!m) memos.set(app.duck, (m = new Map()));
  const g = dataGeneration();
  const hit = m.get(key);
  if (hit && hit.generation === g) return hit.value as Promise<T>;
  const value = fn();
  m.set(key, { generation: g, value });
  value.catch(() => {
    if (m.get(key)?.value === value) m.delete(key);
  });
  return value;
}
