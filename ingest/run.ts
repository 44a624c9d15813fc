// The frame every feed job runs in: hash the file, skip bytes already loaded, record the run in
// Postgres, let the adapter stage and check rows in DuckDB, refuse a file with too many rejects,
// and otherwise commit rows, rejects and the file's hash in one DuckDB transaction.
import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kysely } from 'kysely';
import type { Duck } from '../sql/duckdb.ts';
import { dataChanged, rows } from '../sql/duckdb.ts';
import type { Database } from '../sql/postgres/schema.ts';
import { finishRun, startRun } from '../sql/postgres/ingest-runs.ts';
import { sha256File } from './files.ts';
import { quoteProblem, scanCsv } from './csv-scan.ts';
import type { LinkageKey } from './linkage.ts';

export interface IngestOptions {
  jurisdiction: string;
  /** Key for the keyed hash that links one person across feeds. */
  linkage: LinkageKey;
  actor: string;
  /** Share of rows (0–1) above which the whole file is refused. */
  maxRejectShare: number;
  log?: (line: string) => void;
  /** Fault injection for tests: hold the open load transaction this long before COMMIT. */
  holdBeforeCommitMs?: number;
  /**
   * DuckDB memory budget for the load, e.g. '1GB'. DuckDB's memory_limit is one setting for the
   * whole instance, and by default 80% of the machine's memory: a stage of ten million rows then
   * stays in memory (about 4 GB). With a budget, the instance's limit is lowered to it (never
   * raised) while the file is staged and committed, so the stage spills to DuckDB's temp
   * directory instead, and is set back afterwards. Queries that run meanwhile share the budget.
   */
  memoryLimit?: string;
  /**
   * The name the file goes by (an upload's own name, not the server's copy in its incoming
   * folder): in the run's record, the loaded-files list, the quarantine and every message.
   * Default: the file's own name.
   */
  fileName?: string;
}

export interface IngestReport {
  runId: string;
  feed: string;
  file: string;
  status: 'succeeded' | 'unchanged' | 'refused';
  rowsIn: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsUnassigned: number;
  rejectsByReason: Record<string, number>;
  /** The first rejects, for the command's output: line, field, reason. */
  sampleRejects: { line: number; field: string; reason: string; value: string | null }[];
  definitionVersions: Record<string, string>;
  message: string;
}

export interface StageContext {
  jurisdiction: string;
  linkage: LinkageKey;
  log: (s: string) => void;
  /** Reports progress of a long stage, 0–1. */
  progress?: (fraction: number) => void;
}

/** What an adapter sees of a file to decide whether it reads it. */
export interface FileSample {
  /** Lower-cased, trimmed header names when the file reads as CSV; null otherwise. */
  columns: string[] | null;
  /** The first 8 KiB as text (for XML and other formats). */
  head: string;
}

/**
 * A feed adapter: one agency format of one feed. It stages the file into temp table
 * `stage_checked` (line, reason, field, value, then its own columns) and commits accepted rows.
 */
export interface Adapter {
  feed: string;
  /** Short name of the format, e.g. 'nchs-mcod-csv', 'allegheny-me-csv', 'nemsis-3.5-xml'. */
  format: string;
  /** True when this adapter reads a file that looks like `sample`. */
  detect(sample: FileSample): boolean;
  /** Creates temp table `stage_checked` with columns line, reason, field, value (+ its own). */
  stage(conn: DuckDBConnection, file: string, ctx: StageContext): Promise<void>;
  /** Inserts the accepted rows of `stage_checked` (reason IS NULL), replacing rows with the same natural key. */
  commit(conn: DuckDBConnection, ctx: { jurisdiction: string; runId: string; sha256: string; linkageKeyId: string }): Promise<void>;
  /** Count of accepted rows that could not be placed in any area. */
  unassigned(conn: DuckDBConnection): Promise<number>;
  definitionVersions(conn: DuckDBConnection): Promise<Record<string, string>>;
}

export class IngestError extends Error {
  constructor(
    message: string,
    readonly report?: IngestReport,
  ) {
    super(message);
  }
}

// Loads into one DuckDB database run one at a time, whoever calls. Two loads of the same bytes at
// once would otherwise both pass the loaded_files check before either commits, and the second
// would fail on its primary key (or on a write conflict) instead of reporting 'unchanged'.
// Another process cannot open the file at all (DuckDB's lock), so a per-instance queue suffices.
const loadQueues = new WeakMap<object, Promise<unknown>>();

export function runIngest(
  duck: Duck,
  ops: Kysely<Database>,
  adapter: Adapter,
  fileArg: string,
  opts: IngestOptions,
): Promise<IngestReport> {
  const job = (loadQueues.get(duck.instance) ?? Promise.resolve()).then(() => runIngestNow(duck, ops, adapter, fileArg, opts));
  loadQueues.set(duck.instance, job.catch(() => {}));
  return job;
}

async function runIngestNow(
  duck: Duck,
  ops: Kysely<Database>,
  adapter: Adapter,
  fileArg: string,
  opts: IngestOptions,
): Promise<IngestReport> {
  const log = opts.log ?? (() => {});
  if (opts.memoryLimit !== undefined && memoryBytes(opts.memoryLimit) === null) {
    throw new IngestError(`memory limit "${opts.memoryLimit}" is not a size such as 1GB or 1536MiB`);
  }
  const file = resolve(fileArg);
  if (!existsSync(file) || !statSync(file).isFile()) throw new IngestError(`${fileArg}: no such file`);
  const name = opts.fileName ?? basename(file);
  const conn = await duck.connect();
  let restoreMemory: (() => Promise<void>) | null = null;
  try {
    const juris = await rows(conn, 'SELECT id FROM jurisdictions WHERE id = $j', { j: opts.jurisdiction });
    if (juris.length === 0) throw new IngestError(`unknown jurisdiction "${opts.jurisdiction}"`);

    log(`hashing ${name}`);
    const { sha256, bytes } = await sha256File(file);
    const runId = randomUUID();
    const base = {
      runId,
      feed: adapter.feed,
      file,
      rowsIn: 0,
      rowsAccepted: 0,
      rowsRejected: 0,
      rowsUnassigned: 0,
      rejectsByReason: {},
      sampleRejects: [],
      definitionVersions: await adapter.definitionVersions(conn),
    };
    await startRun(ops, {
      id: runId,
      feed: adapter.feed,
      jurisdiction_id: opts.jurisdiction,
      file_name: name,
      file_sha256: sha256,
      file_bytes: bytes,
      actor: opts.actor,
      status: 'running',
      started_at: new Date(),
      finished_at: null,
      rows_in: null,
      rows_accepted: null,
      rows_rejected: null,
      rows_unassigned: null,
      rejects_by_reason: JSON.stringify({}),
      definition_versions: JSON.stringify(base.definitionVersions),
      message: null,
    });

    try {
      const prior = await rows<{ ingest_run_id: string; loaded_at: string }>(
        conn,
        `SELECT ingest_run_id, strftime(loaded_at, '%Y-%m-%d %H:%M:%S UTC') AS loaded_at
           FROM loaded_files WHERE jurisdiction_id = $j AND feed = $f AND sha256 = $h`,
        { j: opts.jurisdiction, f: adapter.feed, h: sha256 },
      );
      if (prior[0]) {
        const report: IngestReport = {
          ...base,
          status: 'unchanged',
          message: `${name} was already loaded (run ${prior[0].ingest_run_id}, ${prior[0].loaded_at}); nothing changed`,
        };
        await finishRun(ops, runId, { status: 'unchanged', finished_at: new Date(), message: report.message, rows_in: 0, rows_accepted: 0, rows_rejected: 0 });
        return report;
      }

      restoreMemory = opts.memoryLimit ? await limitMemory(conn, opts.memoryLimit) : null;
      log(`reading and checking ${name} in DuckDB`);
      try {
        await adapter.stage(conn, file, { jurisdiction: opts.jurisdiction, linkage: opts.linkage, log });
      } catch (e) {
        throw csvLineTooLong(file, e) ?? (await csvSniffFailed(file, e)) ?? e;
      }
      await rejectLongText(conn);
      const [counts] = await rows<{ rows_in: number; rejected: number }>(
        conn,
        'SELECT count(*)::INTEGER AS rows_in, count(reason)::INTEGER AS rejected FROM stage_checked',
      );
      const reasons = await rows<{ reason: string; n: number }>(
        conn,
        'SELECT reason, count(*)::INTEGER AS n FROM stage_checked WHERE reason IS NOT NULL GROUP BY reason ORDER BY n DESC, reason',
      );
      const sample = await rows<{ line: number; field: string; reason: string; value: string | null }>(
        conn,
        'SELECT line::INTEGER AS line, field, reason, value FROM stage_checked WHERE reason IS NOT NULL ORDER BY line LIMIT 20',
      );
      const rowsIn = counts?.rows_in ?? 0;
      const rejected = counts?.rejected ?? 0;
      const rejectsByReason = Object.fromEntries(reasons.map((r) => [r.reason, r.n]));
      const share = rowsIn === 0 ? 1 : rejected / rowsIn;
      const summary = { ...base, rowsIn, rowsRejected: rejected, rowsAccepted: rowsIn - rejected, rejectsByReason, sampleRejects: sample };

      if (rowsIn === 0 || share > opts.maxRejectShare) {
        const message =
          rowsIn === 0
            ? `${name}: no data rows; nothing loaded`
            : `${name}: ${rejected} of ${rowsIn} rows rejected (${(share * 100).toFixed(1)}%, above the ${(opts.maxRejectShare * 100).toFixed(1)}% limit); the file was refused and nothing was loaded${
                sample[0] ? `; first: line ${sample[0].line}, ${sample[0].field}: ${sample[0].reason}${sample[0].value ? ` (${sample[0].value.slice(0, 120)})` : ''}` : ''
              }`;
        await conn.run('BEGIN TRANSACTION');
        await insertRejects(conn, runId, opts.jurisdiction, adapter.feed, name);
        await conn.run('COMMIT');
        dataChanged();
        await finishRun(ops, runId, {
          status: 'refused',
          finished_at: new Date(),
          rows_in: rowsIn,
          rows_accepted: 0,
          rows_rejected: rejected,
          rejects_by_reason: JSON.stringify(rejectsByReason),
          message,
        });
        throw new IngestError(message, { ...summary, rowsAccepted: 0, status: 'refused', message });
      }

      log(`loading ${rowsIn - rejected} rows`);
      await conn.run('BEGIN TRANSACTION');
      try {
        await adapter.commit(conn, { jurisdiction: opts.jurisdiction, runId, sha256, linkageKeyId: opts.linkage.id });
        await insertRejects(conn, runId, opts.jurisdiction, adapter.feed, name);
        await conn.run(
          `INSERT INTO loaded_files VALUES ($j, $f, $h, $name, $run, $in, $ok, $bad, now())`,
          { j: opts.jurisdiction, f: adapter.feed, h: sha256, name, run: runId, in: rowsIn, ok: rowsIn - rejected, bad: rejected },
        );
        if (opts.holdBeforeCommitMs) {
          log(`holding the load transaction open for ${opts.holdBeforeCommitMs} ms (fault injection)`);
          await new Promise((r) => setTimeout(r, opts.holdBeforeCommitMs));
        }
        await conn.run('COMMIT');
      } catch (e) {
        await conn.run('ROLLBACK');
        throw e;
      }
      dataChanged();
      const unassigned = await adapter.unassigned(conn);
      const message = `${name}: ${rowsIn} rows in, ${rowsIn - rejected} accepted, ${rejected} rejected${unassigned ? `, ${unassigned} with no area` : ''}`;
      await finishRun(ops, runId, {
        status: 'succeeded',
        finished_at: new Date(),
        rows_in: rowsIn,
        rows_accepted: rowsIn - rejected,
        rows_rejected: rejected,
        rows_unassigned: unassigned,
        rejects_by_reason: JSON.stringify(rejectsByReason),
        message,
      });
      return { ...summary, rowsUnassigned: unassigned, status: 'succeeded', message };
    } catch (thrown) {
      const e = named(thrown, file, name);
      // A refusal with a report was recorded where it was decided; any other error is recorded here.
      if (!(e instanceof IngestError && e.report)) {
        await finishRun(ops, runId, {
          status: e instanceof IngestError ? 'refused' : 'failed',
          finished_at: new Date(),
          message: (e as Error).message,
        }).catch(() => {});
      }
      throw e;
    }
  } finally {
    await conn.run('DROP TABLE IF EXISTS stage_checked').catch(() => {});
    await restoreMemory?.().catch(() => {});
    conn.closeSync();
  }
}

/**
 * The longest CSV line, in bytes, a feed read takes (DuckDB read_csv max_line_size; its default is
 * 2,000,000). A line up to this long is read, and a value in it over MAX_TEXT_LENGTH rejects just
 * that row as value_too_long (rejectLongText), like any other bad row. DuckDB's reader stops at a
 * longer line even with ignore_errors, so such a file is refused whole (csvLineTooLong).
 *
 * Why 32,000,000: unless buffer_size is given, DuckDB sizes its read buffer at 16 × max_line_size
 * (measured, DuckDB 1.5: max_line_size 64 MiB asks for a 1 GiB block, even for a 10-byte file),
 * and buffer_size may not be below max_line_size. Its default buffer is 32,000,000 bytes (16 ×
 * the default line), so with both set to 32,000,000 a read uses buffers of the same size as
 * before while taking lines 16 times longer. The longest field of any real feed is 258
 * characters; a longer line than this is a broken file (e.g. a quote left open that runs on).
 */
export const MAX_CSV_LINE_BYTES = 32_000_000;

/**
 * read_csv options every feed CSV read shares (format sniff, header, stage): text columns, the
 * dialect — ',' between fields, '"' around a value, a quote in a value doubled; the grammar
 * ingest/csv-scan.ts mirrors to find records a quote left open would lose — and the line bound with
 * its buffer.
 */
export const FEED_CSV_OPTIONS = `all_varchar = true, delim = ',', quote = '"', escape = '"', max_line_size = ${MAX_CSV_LINE_BYTES}, buffer_size = ${MAX_CSV_LINE_BYTES}`;

/**
 * The longest text value a load keeps, in characters. The longest field of any real feed file in
 * this repository is 258 characters (Connecticut's "Cause of Death"); a value many times longer is
 * a broken export or garbage, not data, and would otherwise be stored and served as it is.
 */
export const MAX_TEXT_LENGTH = 2_000;

/**
 * Rejects, as value_too_long, every staged row an adapter accepted whose text columns hold a value
 * over MAX_TEXT_LENGTH characters (field: the first such column; value: its start and length).
 */
async function rejectLongText(conn: DuckDBConnection): Promise<void> {
  const text = (
    await rows<{ column_name: string }>(
      conn,
      `SELECT column_name FROM (DESCRIBE stage_checked) WHERE column_type = 'VARCHAR' AND column_name NOT IN ('reason', 'field', 'value')`,
    )
  ).map((c) => c.column_name);
  if (text.length === 0) return;
  const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const params: Record<string, string | number> = { max: MAX_TEXT_LENGTH };
  text.forEach((name, i) => (params[`c${i}`] = name));
  const long = text.map((name) => `length(${q(name)}) > $max`);
  const first = (pick: (name: string, i: number) => string) => `CASE ${text.map((name, i) => `WHEN length(${q(name)}) > $max THEN ${pick(name, i)}`).join(' ')} END`;
  await conn.run(
    `UPDATE stage_checked
        SET reason = 'value_too_long',
            field = ${first((_, i) => `$c${i}`)},
            value = ${first((name) => `left(${q(name)}, 60) || '… (' || length(${q(name)}) || ' characters; at most ' || $max || ')'`)}
      WHERE reason IS NULL AND (${long.join(' OR ')})`,
    params,
  );
}

/**
 * A read stopped by a line over MAX_CSV_LINE_BYTES (DuckDB's "Maximum line size of N bytes
 * exceeded"), as a refusal that says so (not as the reader's error, with the line in it), or null.
 */
export function csvLineTooLong(file: string, e: unknown): IngestError | null {
  const m = /Maximum line size of (\d+) bytes exceeded/.exec(e instanceof Error ? e.message : '');
  if (!m) return null;
  return new IngestError(
    `${basename(file)}: a line is longer than ${Number(m[1]).toLocaleString('en-US')} bytes (a huge field, or a quote left open); the file was refused and nothing was loaded`,
  );
}

/**
 * A read stopped by DuckDB's sniffer ("Error when sniffing file …": with the dialect given, it
 * fails when the first rows cannot be split as CSV, e.g. a quote left open in them, or '"5"x'),
 * as a refusal, or null for any other error. The file is read through once (ingest/csv-scan.ts)
 * to name the line of a quote problem; otherwise the message says what is likely. The message
 * starts with the file's path, as the header checks' do (the upload route puts the uploaded
 * name in its place). With `quoteOnly`, null unless a quote problem is named.
 */
export async function csvSniffFailed(file: string, e: unknown, opts: { quoteOnly?: boolean } = {}): Promise<IngestError | null> {
  if (!/Error when sniffing file/.test(e instanceof Error ? e.message : '')) return null;
  const named = await scanCsv(file).then(
    (scan) => quoteProblem(file, scan, null),
    () => null,
  );
  if (named) return new IngestError(named);
  if (opts.quoteOnly) return null;
  return new IngestError(
    `${file}: the CSV reader could not make out the rows of the file's first lines (a quote left open or misplaced, or mixed line endings); the file was refused and nothing was loaded`,
  );
}

const MEMORY_SIZE = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i;
const UNIT: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/**
 * An IngestError whose message names the file by `name` (where an adapter or a check wrote its path
 * or the copy's own name); any other error as it is.
 */
export function named(e: unknown, file: string, name: string): unknown {
  if (!(e instanceof IngestError) || e.report) return e;
  const message = [file, resolve(file), basename(file)].reduce((m, s) => m.replaceAll(s, name), e.message);
  return message === e.message ? e : new IngestError(message);
}

/**
 * Records a file refused before its load could start (runIngest records the others): a run with
 * status refused and the message, naming the file by opts.fileName. Returns the error to throw,
 * with that name in its message.
 */
export async function recordRefusal(ops: Kysely<Database>, feed: string, file: string, opts: IngestOptions, e: IngestError): Promise<IngestError> {
  const name = opts.fileName ?? basename(file);
  const err = named(e, file, name) as IngestError;
  const { sha256, bytes } = await sha256File(file);
  const now = new Date();
  await startRun(ops, {
    id: randomUUID(),
    feed,
    jurisdiction_id: opts.jurisdiction,
    file_name: name,
    file_sha256: sha256,
    file_bytes: bytes,
    actor: opts.actor,
    status: 'refused',
    started_at: now,
    finished_at: now,
    rows_in: null,
    rows_accepted: null,
    rows_rejected: null,
    rows_unassigned: null,
    rejects_by_reason: JSON.stringify({}),
    definition_versions: JSON.stringify({}),
    message: err.message,
  });
  return err;
}

/** Bytes of a DuckDB memory size ('1GB', '18.8 GiB'), or null when it is not one. */
export function memoryBytes(size: string): number | null {
  const m = MEMORY_SIZE.exec(size);
  return m ? Number(m[1]) * UNIT[m[2]!.toLowerCase()]! : null;
}

/**
 * Lowers DuckDB's memory_limit to `limit` when it is higher; returns what sets it back. The value
 * is checked against the size pattern before it is written into the SET statement.
 */
async function limitMemory(conn: DuckDBConnection, limit: string): Promise<(() => Promise<void>) | null> {
  const want = memoryBytes(limit);
  if (want === null) throw new IngestError(`memory limit "${limit}" is not a size such as 1GB or 1536MiB`);
  const [cur] = await rows<{ v: string }>(conn, `SELECT current_setting('memory_limit') AS v`);
  const now = cur ? memoryBytes(cur.v) : null;
  if (now !== null && now <= want) return null;
  await conn.run(`SET GLOBAL memory_limit = '${Math.floor(want)}B'`);
  return async () => {
    // The default limit comes back exactly with RESET; any other only as DuckDB printed it.
    await conn.run('RESET GLOBAL memory_limit');
    const [reset] = await rows<{ v: string }>(conn, `SELECT current_setting('memory_limit') AS v`);
    if (cur && now !== null && reset?.v !== cur.v) await conn.run(`SET GLOBAL memory_limit = '${Math.floor(now)}B'`);
  };
}

async function insertRejects(conn: DuckDBConnection, runId: string, jurisdiction: string, feed: string, fileName: string) {
  await conn.run(
    `INSERT INTO ingest_rejects
       SELECT $run, $j, $f, $name, line, field, reason, left(value, 200) FROM stage_checked WHERE reason IS NOT NULL`,
    { run: runId, j: jurisdiction, f: feed, name: fileName },
  );
}
