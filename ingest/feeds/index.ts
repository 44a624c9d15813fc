// Every feed adapter, one per agency format. `odstat ingest <feed> <file>` picks the adapter of
// that feed whose detect() accepts the file. A new format adds its file and one line here.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kysely } from 'kysely';
import { rows, type Duck } from '../../sql/duckdb.ts';
import type { Database } from '../../sql/postgres/schema.ts';
import { FEED_CSV_OPTIONS, IngestError, csvLineTooLong, csvSniffFailed, recordRefusal, runIngest, type Adapter, type FileSample, type IngestOptions, type IngestReport } from '../run.ts';
import { mortalityAdapter } from './mortality.ts';
import { arrestsAdapter } from './arrests.ts';
import { treatmentAdapter } from './treatment.ts';
import { naloxoneAdapter } from './naloxone.ts';
import { drugcheckUncAdapter } from './drugcheck-unc.ts';
import { drugcheckNycCountsAdapter, drugcheckNycPositivityAdapter } from './drugcheck-nyc.ts';
import { emsTempeAdapter } from './ems-tempe.ts';
import { emsCsvAdapter } from './ems-csv.ts';
import { emsNemsisXmlAdapter } from './ems-nemsis-xml.ts';
import { alleghenyMortalityAdapter } from './mortality-allegheny.ts';
import { connecticutMortalityAdapter } from './mortality-connecticut.ts';
import { phlQuarterlyAgencyAdapter, phlQuarterlyZipAdapter } from './aggregates-philadelphia.ts';

export const ADAPTERS: readonly Adapter[] = [mortalityAdapter, arrestsAdapter, treatmentAdapter, naloxoneAdapter, drugcheckUncAdapter, drugcheckNycCountsAdapter, drugcheckNycPositivityAdapter, emsTempeAdapter, emsCsvAdapter, emsNemsisXmlAdapter, alleghenyMortalityAdapter, connecticutMortalityAdapter, phlQuarterlyZipAdapter, phlQuarterlyAgencyAdapter];

export const FEEDS: readonly string[] = [...new Set(ADAPTERS.map((a) => a.feed))];

export async function sampleFile(conn: DuckDBConnection, file: string): Promise<FileSample> {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(8192);
  let n = 0;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  const head = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
  let columns: string[] | null = null;
  if (!/^\s*</.test(head)) {
    try {
      // The dialect every CSV adapter reads with, given: left to DuckDB's dialect search, a file
      // with a 32.1 MB line took 12.6 s to refuse here, against 0.75 s with it given. The columns
      // of every CSV in fixtures/ come out the same either way.
      const cols = await rows<{ column_name: string }>(
        conn,
        `SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv($path, header = true, ${FEED_CSV_OPTIONS},
                                                                  ignore_errors = true, sample_size = 2048))`,
        { path: file },
      );
      columns = cols.map((c) => c.column_name.trim().toLowerCase());
    } catch (e) {
      // Not "no known format": the adapter's own read would stop at the same line.
      const tooLong = csvLineTooLong(file, e);
      if (tooLong) throw tooLong;
      // A quote left open (or '"5"x') in the first rows stops the sniffer: refused, naming the line.
      const quote = await csvSniffFailed(file, e, { quoteOnly: true });
      if (quote) throw quote;
      columns = null;
    }
  }
  return { columns, head };
}

/** The adapter of `feed` that reads `file`, or an error that says what each format expects. */
export async function chooseAdapter(conn: DuckDBConnection, feed: string, file: string): Promise<Adapter> {
  const candidates = ADAPTERS.filter((a) => a.feed === feed);
  if (candidates.length === 0) throw new IngestError(`unknown feed "${feed}"; feeds: ${FEEDS.join(', ')}`);
  const sample = await sampleFile(conn, file);
  const found = candidates.find((a) => a.detect(sample));
  if (found) return found;
  if (candidates.length === 1) return candidates[0]!; // its stage() names what is missing
  throw new IngestError(
    `${file}: line 1: not a ${feed} file in any known format (${candidates.map((a) => a.format).join(', ')})`,
  );
}

/** Loads one file of `feed`, with the adapter that reads it. */
export async function ingestFeedFile(
  duck: Duck,
  ops: Kysely<Database>,
  feed: string,
  file: string,
  opts: IngestOptions,
): Promise<IngestReport> {
  if (!existsSync(file)) throw new IngestError(`${file}: no such file`);
  const conn = await duck.connect();
  let adapter: Adapter;
  try {
    // The jurisdiction first: a file's format means nothing for a place that is not configured.
    const j = await rows(conn, 'SELECT id FROM jurisdictions WHERE id = $j', { j: opts.jurisdiction });
    if (j.length === 0) throw new IngestError(`unknown jurisdiction "${opts.jurisdiction}"`);
    const known = ADAPTERS.some((a) => a.feed === feed);
    adapter = await chooseAdapter(conn, feed, file).catch(async (e: unknown) => {
      // A file of a known feed refused before its load starts (a format not made out, a quote
      // left open in its first rows) is a refused run like one refused later, so the data status
      // page lists it.
      throw known && e instanceof IngestError ? await recordRefusal(ops, feed, file, opts, e) : e;
    });
  } finally {
    conn.closeSync();
  }
  return runIngest(duck, ops, adapter, file, opts);
}
