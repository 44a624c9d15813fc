import { rows, type Duck, type Params } from '../../sql/duckdb.ts';

/** The rows of one query on a connection of its own, closed after (parameters bound, never pasted). */
export async function duckRows<T>(duck: Duck, sql: string, params: Params = {}): Promise<T[]> {
  const c = await duck.connect();
  try {
    return await rows<T>(c, sql, params);
  } finally {
    c.closeSync();
  }
}
