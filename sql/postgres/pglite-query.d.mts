import type { PGlite, Results } from '@electric-sql/pglite';
/** One PGlite query; `COPY … FROM '/dev/blob'` with one string parameter reads that string as its input (pglite-query.mjs). */
export function pgliteQuery(lite: Pick<PGlite, 'query'>, sql: string, params: unknown[]): Promise<Results<unknown>>;
