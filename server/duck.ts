import type { DuckDBConnection } from '@duckdb/node-api';
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
