// Reading one CSV feed file into a temp stage inside DuckDB, the way the mortality adapter does
// it, shared by the arrests, treatment, naloxone and drug-checking adapters: the header is checked
// against the format's column list, every value is read as text, rows the CSV reader cannot parse
// keep their line in `stage_malformed`, and the others get their line in `stage_rows`.
// Name and date-of-birth columns are never copied: callers turn them into a keyed hash (or an age)
// with `derived` expressions evaluated in the same SELECT that reads the file.
import { LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { rows, type ParamTypes, type Params } from '../../sql/duckdb.ts';
import { FEED_CSV_OPTIONS, IngestError } from '../run.ts';
import { countLines, quoteProblem, scanCsv } from '../csv-scan.ts';

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** A column name from a format's constant, double-quoted for SQL; anything else is refused. */
export function col(name: string): string {
  if (!IDENT.test(name)) throw new Error(`not an allowed column name: ${name}`);
  return `"${name}"`;
}

export interface CsvStageSpec {
  /** Columns the header must carry (normalised: see normaliseHeader). */
  required: readonly string[];
  /** Columns read when the header has them, NULL otherwise. */
  optional?: readonly string[];
  /**
   * Columns computed from the raw row while it is read (e.g. a person key from name and date of
   * birth). Keys are column names; values are SQL text written in code, given which columns exist.
   */
  derived?: (have: ReadonlySet<string>) => Record<string, string>;
  params?: Params;
  types?: ParamTypes;
  /** The file's path for messages, when `file` is a rewritten copy of it. */
  fileName?: string;
}

// normalize_names is not used: DuckDB prefixes every SQL keyword with '_' ('location' →
// '_location', 'program' → '_program'), so header names are normalised here instead and bound.
// FEED_CSV_OPTIONS: the feeds' dialect and line bound (ingest/run.ts).
const READ_OPTIONS = `header = true, ${FEED_CSV_OPTIONS}`;

/** A header name as the stage names it: trimmed, lower case, other than [a-z0-9_] → '_'. */
export function normaliseHeader(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** Normalised header names of `file`, in order (a repeated name gets a suffix _2, _3 …). */
export async function csvHeader(conn: DuckDBConnection, file: string): Promise<string[]> {
  const header = await rows<{ column_name: string }>(
    conn,
    `SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv($path, ${READ_OPTIONS}, ignore_errors = true))`,
    { path: file },
  );
  const seen = new Map<string, number>();
  return header.map((h) => {
    const n = normaliseHeader(h.column_name);
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n}_${k}`;
  });
}

/**
 * Creates temp tables `stage_rows` (line, then every required and optional column as VARCHAR,
 * then the derived columns) and `stage_malformed` (line, value: the reader's error). Returns the
 * set of header columns. Throws an IngestError naming the missing columns when the header lacks
 * a required one.
 */
export async function readCsvStage(conn: DuckDBConnection, file: string, spec: CsvStageSpec): Promise<ReadonlySet<string>> {
  const names = await csvHeader(conn, file);
  const have = new Set(names);
  const missing = spec.required.filter((c) => !have.has(c));
  if (missing.length > 0) {
    throw new IngestError(`${file}: line 1: missing column(s) ${missing.join(', ')}; expected ${spec.required.join(', ')}`);
  }
  const selected = [
    ...spec.required.map((c) => `${col(c)}`),
    ...(spec.optional ?? []).map((c) => (have.has(c) ? col(c) : `NULL::VARCHAR AS ${col(c)}`)),
    ...Object.entries(spec.derived?.(have) ?? {}).map(([name, sql]) => `${sql} AS ${col(name)}`),
  ];
  await conn.run('DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans;');
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stage_read AS
     SELECT row_number() OVER () AS rec, ${selected.join(', ')}
       FROM read_csv($path, ${READ_OPTIONS}, names = $csv_names, ignore_errors = true, store_rejects = true, strict_mode = true)`,
    { path: file, csv_names: listValue(names), ...(spec.params ?? {}) },
    { csv_names: LIST(VARCHAR), ...(spec.types ?? {}) },
  );
  await refuseLostRecords(conn, file, { kept: 'stage_read', headerRow: false, fileName: spec.fileName });
  // DuckDB numbers lines by record (a quoted newline does not start a new one), the header being
  // line 1. Accepted record k sits on the k-th line that the reader did not reject.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stage_malformed AS
     SELECT line, left(arg_min(error_message, column_idx), 200) AS value FROM reject_errors GROUP BY line`,
  );
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE stage_rows AS
     WITH total AS (SELECT (SELECT count(*) FROM stage_read) + (SELECT count(*) FROM stage_malformed) AS n),
          good AS (SELECT l AS line FROM total, range(2, total.n + 2) r(l) WHERE l NOT IN (SELECT line FROM stage_malformed)),
          numbered AS (SELECT row_number() OVER (ORDER BY line) AS rec, line FROM good)
     SELECT n.line, r.* EXCLUDE (rec) FROM stage_read r JOIN numbered n USING (rec)`,
  );
  await conn.run('DROP TABLE stage_read');
  return have;
}

/**
 * Refuses the file (IngestError) when a quote made the CSV reader lose records: call it right
 * after a read_csv with store_rejects, with `kept` the table of the rows it kept (one per record)
 * and `headerRow` true when the header was read as one of them (header = false).
 *
 * With ignore_errors, a quote opened and never closed makes DuckDB take the rest of the file (or
 * of its read buffer) as one field; it reports one "Value with unterminated quote found." reject
 * (error type UNQUOTED VALUE, the same as for '"5"x', which loses nothing) and the records after
 * it are neither kept nor rejected. A stray quote further on that closes it folds the lines
 * between into one record instead, kept or rejected as one. So the records the reader made
 * (kept + rejected lines + the header) are compared with the file's non-blank lines, a quick
 * count; when they differ (a quoted value over several lines, legitimate or not), the file is
 * read through once with the same grammar (ingest/csv-scan.ts) and refused when a quote is never
 * closed, when a quoted value holds whole lines that read as records, when a quoted value over
 * several lines is ended by a quote followed by other text, or when the reader's count differs
 * from the grammar's around a quote problem.
 */
export async function refuseLostRecords(
  conn: DuckDBConnection,
  file: string,
  { kept, headerRow, fileName }: { kept: string; headerRow: boolean; fileName?: string | undefined },
): Promise<void> {
  if (!IDENT.test(kept)) throw new Error(`not an allowed table name: ${kept}`);
  const [c] = await rows<{ kept: number; rejected: number }>(
    conn,
    `SELECT (SELECT count(*) FROM ${kept})::DOUBLE AS kept, (SELECT count(DISTINCT line) FROM reject_errors)::DOUBLE AS rejected`,
  );
  const records = Number(c?.kept ?? 0) + Number(c?.rejected ?? 0) + (headerRow ? 0 : 1);
  if (records === (await countLines(file))) return;
  const problem = quoteProblem(fileName ?? file, await scanCsv(file), records);
  if (problem) throw new IngestError(problem);
}

/** Adds the rows the reader could not parse to `stage_checked` as 'malformed_row' rejects. */
export async function addMalformedRows(conn: DuckDBConnection): Promise<void> {
  await conn.run(
    `INSERT INTO stage_checked (line, reason, field, value)
     SELECT line, 'malformed_row', 'row', value FROM stage_malformed`,
  );
}

/** Drops the temp tables readCsvStage made (stage_checked stays for the frame). */
export async function dropCsvStage(conn: DuckDBConnection, ...more: string[]): Promise<void> {
  for (const t of ['stage_rows', 'stage_malformed', ...more]) {
    if (!IDENT.test(t)) throw new Error(`not an allowed table name: ${t}`);
    await conn.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** Count of accepted staged rows whose `areaColumn` is NULL (Adapter.unassigned). */
export async function countUnassigned(conn: DuckDBConnection, areaColumn: string): Promise<number> {
  const [r] = await rows<{ n: number }>(
    conn,
    `SELECT count(*)::INTEGER AS n FROM stage_checked WHERE reason IS NULL AND ${col(areaColumn)} IS NULL`,
  );
  return r?.n ?? 0;
}

/**
 * SQL for a date field of a generated format: 'YYYY-MM-DD' only, anything else NULL. `expr` is
 * SQL text from code.
 */
export function isoDate(expr: string): string {
  return `CASE WHEN regexp_full_match(trim(${expr}), '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_strptime(trim(${expr}), '%Y-%m-%d')::DATE END`;
}
