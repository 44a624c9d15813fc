// Bad input, at scale (issue 8 item 3): property-based loads through every ingest adapter, on a
// real in-memory DuckDB and PGlite. Each case starts from valid rows of the adapter's own format
// (the generated default city for the generated formats, the real sample files for the others),
// then mutates them: values known to be invalid in a named column (dates in 1800 or 2200 or
// 2023-02-30, wrong types, unknown codes, missing ids), arbitrary values (unicode, binary, SQL,
// 1–3 MB fields), rows with a cell too few or too many, and whole-file damage (truncated
// mid-line or mid-character, Latin-1, UTF-16, BOM, CRLF, NUL bytes, a required column dropped,
// an extra column, empty, header only). NEMSIS XML gets truncation, billion-laughs and external
// entities, deep nesting, huge text nodes and re-encoding.
//
// Properties, every case:
//   * the load ends in a report or an IngestError with a message: never another exception;
//   * rows in = accepted + rejected, and (when the file's records are intact) rows in = the
//     records written;
//   * a row given a known-invalid value is rejected (its line is in ingest_rejects) or the file is
//     refused;
//   * the rows the run loaded number exactly the accepted rows, and all satisfy the table's
//     validation rules (checked by a DuckDB query over what was loaded).
// ODSTAT_FUZZ_RUNS sets the cases per adapter; ODSTAT_FUZZ_SEED replays (tests/helpers/fuzz.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duck, Params } from '../../sql/duckdb.ts';
import type { Ops } from '../../sql/postgres/db.ts';
import { ingestFeedFile } from '../../ingest/feeds/index.ts';
import { IngestError, MAX_CSV_LINE_BYTES, MAX_TEXT_LENGTH, type IngestReport } from '../../ingest/run.ts';
import { loadJurisdiction } from '../../ingest/jurisdiction.ts';
import { generateAll, withGeography, writeAll } from '../../fixtures/generators/all.ts';
import { INGEST, NYC_DIR, REPO, openStores, tempDir } from '../helpers/fixtures.ts';
import { csvLine } from '../helpers/feed-csv.ts';
import { parseCsv } from '../helpers/csv.ts';
import { FUZZ_SEED, count, fuzzRuns, printTally } from '../helpers/fuzz.ts';
import { duckRows } from '../helpers/duck.ts';

const RUNS = fuzzRuns(6);
const SAMPLES = join(REPO, 'fixtures', 'samples');
const ROWS = 12;

interface Spec {
  name: string;
  feed: string;
  jurisdiction: string;
  header: string[];
  rows: string[][];
  /** The table the adapter loads, whose rows carry ingest_run_id. */
  table: string;
  /** Rows loaded per accepted record: 1, or null when one record becomes several (or none). */
  perRecord: 1 | null;
  /** Column → values that must get the row rejected whatever else the row holds. */
  bad: Record<string, string[]>;
  /** SQL condition every loaded row of `table` satisfies (the adapter's validation rules). */
  valid: string;
  /** Rows in are counted per table cell (row label × quarter), not per record. */
  cells?: boolean;
  /** The file name ends so (a format that reads meaning from the name, e.g. DPH's "incident"). */
  fileName?: string;
  /** Recognised by a row's content (DPH's agency table by its "EMS" row): mutating that row may leave the file unrecognised. */
  detectedByContent?: boolean;
}

const DATES_OUT = ['1800-01-01', '2200-01-01', '2023-02-30', '2023-13-01', 'yesterday', '12/31/2022'];
const SQL_INJECTION = [`'; DROP TABLE mortality_deaths; --`, `1' OR '1'='1`, `"; SELECT * FROM loaded_files; --`, `$j`, `\\x00`, `Robert'); DROP TABLE ems_encounters;--`];

const specs: Spec[] = [];

function sampleRows(file: string, n = ROWS, skipLines: ReadonlySet<number> = new Set()): { header: string[]; rows: string[][] } {
  const [header = [], ...records] = parseCsv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  return { header, rows: records.filter((r, i) => !skipLines.has(i + 2) && !(r.length === 1 && r[0] === '')).slice(0, n) };
}

/** Text of a CSV file: header and rows (each row as given: a cell more or less stays so). */
const csvText = (header: string[], body: string[][], eol = '\n') => [csvLine(header), ...body.map((r) => csvLine(r))].join(eol) + eol;

type FileDamage = 'none' | 'bom' | 'crlf' | 'extra_col' | 'latin1' | 'utf16le' | 'utf16be_bom' | 'truncate' | 'nul' | 'drop_required_col' | 'empty' | 'header_only' | 'open_quote';
/** Damage that keeps every record as written (so the record count and lines are known). */
const INTACT: readonly FileDamage[] = ['none', 'bom', 'crlf', 'extra_col'];

const garbage = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SQL_INJECTION) },
  { weight: 2, arbitrary: fc.oneof(fc.integer().map(String), fc.double().map(String), fc.bigInt().map(String)) },
  { weight: 2, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom(...DATES_OUT, '', ' ', 'NULL', 'NaN', 'Infinity', '-0', '0x1F', '1e309', '\u202e', '\uFEFF', '"', '""', ',', '\n', '\r') },
  // Just over the longest text a load keeps (ingest/run.ts MAX_TEXT_LENGTH), up to 50,000 characters.
  { weight: 2, arbitrary: fc.integer({ min: 2_001, max: 50_000 }).map((n) => 'long text '.repeat(Math.ceil(n / 10)).slice(0, n)) },
  // 1 MB of ASCII; 1M two-byte characters (2 MB, DuckDB's default line limit); 3 MB. Lines up to
  // MAX_CSV_LINE_BYTES (32,000,000) are read, so a row holding these is judged like any other.
  { weight: 1, arbitrary: fc.constantFrom(1, 2, 3).map((mb) => (mb === 2 ? 'é'.repeat(1 << 20) : 'x'.repeat(mb << 20))) },
);

function caseArb(spec: Spec) {
  const badCols = Object.keys(spec.bad);
  const bad = fc.constantFrom(...badCols).chain((c) => fc.record({ kind: fc.constant('bad' as const), col: fc.constant(c), value: fc.constantFrom(...spec.bad[c]!) }));
  const any = fc.record({ kind: fc.constant('any' as const), col: fc.constantFrom(...spec.header), value: garbage });
  return fc.record({
    nRows: fc.integer({ min: 1, max: spec.rows.length }),
    cells: fc.array(fc.record({ row: fc.nat(), m: fc.oneof(bad, any) }), { maxLength: 3 }),
    shape: fc.option(fc.record({ row: fc.nat(), kind: fc.constantFrom('drop_cell', 'extra_cell') }), { freq: 4 }),
    damage: fc.oneof(
      { weight: 6, arbitrary: fc.constant<FileDamage>('none') },
      { weight: 4, arbitrary: fc.constantFrom<FileDamage>('bom', 'crlf', 'extra_col', 'latin1', 'utf16le', 'utf16be_bom', 'truncate', 'nul', 'drop_required_col', 'empty', 'header_only') },
      { weight: 2, arbitrary: fc.constant<FileDamage>('open_quote') },
    ),
    cut: fc.double({ min: 0, max: 1, noNaN: true }),
    /** 'open_quote': the rows padded to 3,000, so the quote can fall past the rows DuckDB's sniffer reads. */
    late: fc.boolean(),
    maxRejectShare: fc.constantFrom(1, 0.05),
  });
}

type Case = ReturnType<typeof caseArb> extends fc.Arbitrary<infer T> ? T : never;

/**
 * The file's bytes, which records (0-based) must be rejected when the file is intact, how many
 * records it holds when that is known, and for 'open_quote' whether the open quote has lines
 * after it (openQuoteMidFile: then the rest of the file would be one value, and the file must be
 * refused whole).
 */
function build(spec: Spec, c: Case): { bytes: Buffer; mustReject: Set<number>; records: number | null; overOldLimit: boolean; openQuoteMidFile: boolean } {
  const body = spec.rows.slice(0, c.nRows).map((r) => [...r]);
  const header = [...spec.header];
  const badCell = new Set<string>();
  for (const { row, m } of c.cells) {
    const i = row % body.length;
    const j = header.indexOf(m.col);
    body[i]![j] = m.value;
    if (m.kind === 'bad') badCell.add(`${i}:${j}`);
    else badCell.delete(`${i}:${j}`);
  }
  const mustReject = new Set([...badCell].map((k) => Number(k.split(':')[0])));
  if (c.shape) {
    const i = c.shape.row % body.length;
    if (c.shape.kind === 'drop_cell') body[i]!.pop();
    else body[i]!.push('extra');
    mustReject.add(i);
  }
  let text: string;
  let openQuoteMidFile = false;
  switch (c.damage) {
    case 'open_quote': {
      // A quote opening a field and never closed: no quote follows it in the file. It goes in a
      // row after the last one holding a quote (such rows need none), picked by the cut, else in
      // the last cell of the last row. Mid-file, the reader would take the rest as one value.
      // `late`: quote-free copies of the rows follow them, up to 3,000 records.
      if (c.late) {
        const plain = body.map((r) => r.map((v) => v.replace(/[",\r\n]/g, '')));
        for (let k = 0; body.length < 3000; k++) body.push([...plain[k % plain.length]!]);
      }
      const lines = body.map((r) => csvLine(r));
      let lastQuoted = -1;
      lines.forEach((l, i) => {
        if (l.includes('"')) lastQuoted = i;
      });
      const free = body.length - 1 - lastQuoted;
      const i = free > 0 ? lastQuoted + 1 + Math.min(free - 1, Math.floor(c.cut * free)) : body.length - 1;
      const row = [...body[i]!];
      const j = free > 0 ? Math.floor(c.cut * 997) % row.length : row.length - 1;
      const mark = 'OPENQUOTEMARK7';
      const value = row[j]!.replace(/[",\r\n]/g, '');
      row[j] = mark;
      lines[i] = csvLine(row).replace(mark, () => `"${value}`);
      openQuoteMidFile = i < body.length - 1;
      text = [csvLine(header), ...lines].join('\n') + '\n';
      break;
    }
    case 'extra_col':
      text = csvText([...header, 'unexpected_column'], body.map((r) => [...r, 'x']));
      break;
    case 'crlf':
      text = csvText(header, body, '\r\n');
      break;
    case 'drop_required_col': {
      const j = header.indexOf(Object.keys(spec.bad)[0]!);
      text = csvText(header.filter((_, k) => k !== j), body.map((r) => r.filter((_, k) => k !== j)));
      break;
    }
    case 'empty':
      text = '';
      break;
    case 'header_only':
      text = csvLine(header) + '\n';
      break;
    default:
      text = csvText(header, body);
  }
  let bytes: Buffer;
  switch (c.damage) {
    case 'bom':
      bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
      break;
    case 'latin1':
      bytes = Buffer.from(text.replace(/a/g, 'á').replace(/e/g, 'ë'), 'latin1');
      break;
    case 'utf16le':
      bytes = Buffer.from(text, 'utf16le');
      break;
    case 'utf16be_bom':
      bytes = Buffer.from(`\uFEFF${text}`, 'utf16le').swap16();
      break;
    case 'truncate': {
      const b = Buffer.from(text.replace(/a/g, 'ä'));
      bytes = b.subarray(0, Math.floor(b.length * c.cut));
      break;
    }
    case 'nul': {
      const b = Buffer.from(text);
      const at = Math.floor(b.length * c.cut);
      bytes = Buffer.concat([b.subarray(0, at), Buffer.from([0, 0, 0]), b.subarray(at)]);
      break;
    }
    default:
      bytes = Buffer.from(text);
  }
  // No line here comes near MAX_CSV_LINE_BYTES (at most three 3 MB cells), so none refuses the file.
  // overOldLimit: a line over DuckDB's default max_line_size, which used to refuse the file whole.
  const longest = Math.max(...body.map((r) => Buffer.byteLength(csvLine(r))));
  expect(longest).toBeLessThan(MAX_CSV_LINE_BYTES);
  // A quote left open keeps the count of records written (they must all be read, quarantined, or the file refused).
  const known = INTACT.includes(c.damage) || c.damage === 'open_quote';
  return { bytes, mustReject: known ? mustReject : new Set(), records: known ? body.length : null, overOldLimit: longest > 2_000_000, openQuoteMidFile };
}

describe('every ingest adapter, given bad input', { timeout: 3_600_000 }, () => {
  let duck: Duck;
  let ops: Ops;
  const dir = tempDir('odstat-fuzz-ingest-');
  let fileNo = 0;

  const q = <T>(sql: string, params: Params = {}) => duckRows<T>(duck, sql, params);

  /** Loads `bytes` as `feed`; checks the properties that hold for every file; returns the outcome. */
  async function load(feed: string, jurisdiction: string, bytes: Buffer, name: string, maxRejectShare: number) {
    const file = join(dir, `case-${++fileNo}-${name}`);
    writeFileSync(file, bytes);
    let report: IngestReport;
    try {
      report = await ingestFeedFile(duck, ops.db, feed, file, { ...INGEST, jurisdiction, maxRejectShare });
    } catch (e) {
      rmSync(file, { force: true });
      // Only a refusal with a message; anything else would be a 500 from the upload route.
      if (!(e instanceof IngestError)) throw new Error(`unexpected ${(e as Error).constructor.name}: ${(e as Error).message}`, { cause: e });
      expect(e.message.length).toBeGreaterThan(10);
      expect(e.message).not.toMatch(/\n\s+at /);
      if (!e.report) return { kind: 'refused_whole' as const, message: e.message, report: null };
      report = e.report;
    }
    // The seed regenerates any case; a large run would otherwise leave gigabytes behind.
    rmSync(file, { force: true });
    expect(Object.values(report.rejectsByReason).reduce((a, n) => a + n, 0)).toBe(report.rowsRejected);
    // A refused file loads nothing: its report keeps rows in and rejected, with none accepted.
    if (report.status === 'refused') {
      expect(report.rowsAccepted).toBe(0);
      expect(report.rowsRejected).toBeLessThanOrEqual(report.rowsIn);
    } else {
      expect(report.rowsIn).toBe(report.rowsAccepted + report.rowsRejected);
    }
    return { kind: report.status, report, message: report.message };
  }

  beforeAll(async () => {
    let nyc;
    ({ duck, ops, nyc } = await openStores());
    const c = await duck.connect();
    try {
      for (const j of ['allegheny', 'connecticut', 'tempe', 'philadelphia']) await loadJurisdiction(c, join(REPO, 'fixtures', 'jurisdictions', j));
    } finally {
      c.closeSync();
    }
    const areas = withGeography(nyc.areas.map((a) => ({ id: a.id, name: a.name, group: a.group ?? '', population: a.population ?? 0 })), NYC_DIR);
    const g = generateAll({ seed: 3, end: '2025-06-30', years: 1, areas, scale: 0.05 });
    const gen = tempDir('odstat-fuzz-gen-');
    writeAll(g, gen);
    const planted = (feed: keyof typeof g.manifest.plantedRejects) => new Set(g.manifest.plantedRejects[feed].map((r) => r.line));
    const from = (file: string, skip?: ReadonlySet<number>) => sampleRows(file, ROWS, skip);
    const today = 'current_date';
    specs.push(
      {
        name: 'mortality nchs-mcod-csv', feed: 'mortality', jurisdiction: 'nyc', ...from(join(gen, 'mortality.csv'), planted('mortality')),
        table: 'mortality_deaths', perRecord: 1,
        bad: { date_of_death: DATES_OUT, age_years: ['-1', '121', 'forty', '1e9', '99999999999'], sex: ['Q', 'male?'], case_number: ['', '  '], underlying_cause_icd10: ['ZZZ', '', 'X4'] },
        valid: `date_of_death BETWEEN DATE '1999-01-01' AND ${today} AND (age_years IS NULL OR age_years BETWEEN 0 AND 120) AND (sex IS NULL OR sex IN ('M','F')) AND trim(case_number) <> ''`,
      },
      {
        name: 'arrests nibrs-arrests-csv', feed: 'arrests', jurisdiction: 'nyc', ...from(join(gen, 'arrests.csv'), planted('arrests')),
        table: 'arrests_events', perRecord: 1,
        // NIBRS offense codes are checked against the FBI's list: 99Z has the shape and is no code.
        bad: { event_date: DATES_OUT, arrest_id: [''], age: ['-4', '300', 'old'], sex: ['Q'], nibrs_offense: ['9Z', 'ABC', '35AA', '99Z', '35C'], event_type: ['parade'], latitude: ['91', 'north'] },
        valid: `event_date BETWEEN DATE '1999-01-01' AND ${today} AND (jail_release_date IS NULL OR jail_release_date BETWEEN event_date AND ${today})`,
      },
      {
        name: 'treatment teds-a-admissions-csv', feed: 'treatment', jurisdiction: 'nyc', ...from(join(gen, 'treatment.csv'), planted('treatment')),
        table: 'treatment_admissions', perRecord: 1,
        bad: { admission_date: DATES_OUT, admission_id: [''], age: ['-1', '500', 'x'], sex: ['9', 'Q'], primary_substance: ['99', 'heroin'], zip: ['ABCDE', '123'] },
        valid: `admission_date BETWEEN DATE '1999-01-01' AND ${today} AND (discharge_date IS NULL OR discharge_date BETWEEN admission_date AND ${today})`,
      },
      {
        name: 'naloxone naloxone-program-log-csv', feed: 'naloxone', jurisdiction: 'nyc', ...from(join(gen, 'naloxone.csv'), planted('naloxone')),
        table: 'naloxone_events', perRecord: 1,
        bad: { event_date: DATES_OUT, event_id: [''], event_kind: ['giveaway'], kits: ['-2', 'many', '1.5'], agency: [''] },
        valid: `event_date BETWEEN DATE '1999-01-01' AND ${today}`,
      },
      {
        name: 'drugcheck unc-sdal (generated)', feed: 'drugcheck', jurisdiction: 'nyc', ...from(join(gen, 'drugcheck.csv'), planted('drugcheck')),
        table: 'drugcheck_samples', perRecord: 1,
        bad: { date_collect: ['01Jan1800', '01Jan2200', '30Feb2023', 'someday'], sampleid: [''], fentanyl_concentration_pct: ['150', '-3', 'lots'], price_usd: ['free?', '-5'], method: ['magic'] },
        valid: `date_collected BETWEEN DATE '1999-01-01' AND ${today}`,
      },
      {
        name: 'drugcheck unc-sdal (real sample)', feed: 'drugcheck', jurisdiction: 'allegheny', ...from(join(SAMPLES, 'unc-sdal-drugchecking-allegheny', 'analysis_dataset_SAMPLE_10rows.csv')),
        table: 'drugcheck_samples', perRecord: 1,
        bad: { date_collect: ['01Jan1800', '01Jan2200', '30Feb2023', 'someday'], sampleid: [''] },
        valid: `date_collected BETWEEN DATE '1999-01-01' AND ${today}`,
      },
      {
        name: 'ems nemsis-csv', feed: 'ems', jurisdiction: 'nyc', ...from(join(gen, 'ems.csv'), planted('ems')),
        table: 'ems_encounters', perRecord: 1,
        bad: {
          'eRecord.01': ['', 'ab', 'x'.repeat(51)],
          'eTimes.03': ['2200-01-01T00:00:00-05:00', '1800-01-01T00:00:00-05:00', '2023-02-30T10:00:00-05:00', 'noon', '2023-01-01'],
          'ePatient.15': ['0', '121', 'x'],
          'ePatient.25': ['9999999'],
          'eDisposition.27': ['123'],
        },
        valid: `unit_notified_date BETWEEN DATE '1950-01-01' AND current_date + 1 AND length(record_id) BETWEEN 3 AND 50`, // NEMSIS DateTimeType: 1950–2050
      },
      {
        name: 'ems tempe-opioid-ems-csv', feed: 'ems', jurisdiction: 'tempe', ...from(join(SAMPLES, 'tempe', 'Opioid_EMS_Calls.csv')),
        table: 'ems_encounters', perRecord: 1,
        bad: {
          OBJECTID: ['', 'abc', '-1'],
          Incident_Date: ['2200/01/01 00:00:00+00', '2023/02/30 00:00:00+00', 'Tuesday', '1800/01/01 00:00:00+00'],
          Opioid_Use: ['Maybe'],
          Narcan_Given: ['Twice'],
          Patient_Gender: ['Robot'],
          Latitude_Random: ['91', 'north'],
        },
        valid: `unit_notified_date BETWEEN DATE '1950-01-01' AND current_date + 1`, // as every EMS date (NEMSIS DateTimeType)
      },
      {
        name: 'mortality allegheny-me-csv', feed: 'mortality', jurisdiction: 'allegheny', ...from(join(SAMPLES, 'allegheny', 'fatal_overdoses_2007_2025.csv')),
        table: 'mortality_deaths', perRecord: 1,
        bad: { _id: [''], death_date_and_time: ['1800-01-01T00:00:00', '2200-01-01T00:00:00', '2023-02-30T10:00:00', 'last week'], age: ['-3', '130', 'old'], sex: ['Q'] },
        valid: `date_of_death BETWEEN DATE '1999-01-01' AND ${today} AND (age_years IS NULL OR age_years BETWEEN 0 AND 120)`,
      },
      {
        name: 'mortality ct-ocme-adrd-csv', feed: 'mortality', jurisdiction: 'connecticut', ...from(join(SAMPLES, 'connecticut', 'Accidental_Drug_Related_Deaths_2012-2022.csv')),
        table: 'mortality_deaths', perRecord: 1,
        bad: { Date: ['01/01/1800', '01/01/2200', '02/30/2020', 'soon'], Age: ['-3', '130', 'old'], Sex: ['Robot'] },
        valid: `date_of_death BETWEEN DATE '1999-01-01' AND ${today} AND (age_years IS NULL OR age_years BETWEEN 0 AND 120)`,
      },
      {
        name: 'drugcheck nyc monthly counts', feed: 'drugcheck', jurisdiction: 'nyc', ...from(join(SAMPLES, 'nyc-drugchecking', 'data_counts_per_month.csv')),
        table: 'aggregates', perRecord: null,
        bad: { yr_mo: ['Jan 2200', 'Foo 2021', '2021-01', 'Jan 1800'], count: ['-5', 'many'] },
        valid: `period_start BETWEEN DATE '1999-01-01' AND ${today} AND (value IS NULL OR value >= 0)`,
      },
      {
        name: 'drugcheck nyc positivity', feed: 'drugcheck', jurisdiction: 'nyc', ...from(join(SAMPLES, 'nyc-drugchecking', 'data_multipanel_positivity.csv')),
        table: 'aggregates', perRecord: null,
        bad: { yr_mo: ['Jan 2200', 'Foo 2021', 'Jan 1800'], Total_Lab_Fent_Pos: ['-1', '100000', 'x'] },
        valid: `period_start BETWEEN DATE '1999-01-01' AND ${today} AND (value IS NULL OR value >= 0)`,
      },
      {
        name: 'aggregates phl quarterly zip', feed: 'aggregates', jurisdiction: 'philadelphia', ...from(join(SAMPLES, 'philadelphia', 'dph_od_incident_counts.csv')),
        table: 'aggregates', perRecord: null, cells: true, fileName: 'dph_od_incident_counts.csv',
        bad: { X2015Q1: ['-1', 'many', '1.5'], ZIPCODE: [''] },
        valid: `value IS NULL OR value >= 0`, // NULL: suppressed (<6) or not reported (NA)
      },
      {
        name: 'aggregates phl quarterly agency', feed: 'aggregates', jurisdiction: 'philadelphia', ...from(join(SAMPLES, 'philadelphia', 'dph_dash_n_naloxone_admins.csv')),
        table: 'aggregates', perRecord: null, cells: true, fileName: 'dph_dash_n_naloxone_admins.csv', detectedByContent: true,
        bad: { X2015Q1: ['-1', 'many', '1.5'], X: ['Aliens', ''] },
        valid: `value IS NULL OR value >= 0`, // NULL: suppressed (<6) or not reported (NA)
      },
    );
  }, 300_000);

  afterAll(async () => {
    printTally('ingest adapters');
    duck?.close();
    await ops?.close();
  });

  it('has a spec for every adapter format', async () => {
    const { ADAPTERS } = await import('../../ingest/feeds/index.ts');
    const covered = new Set(['nchs-mcod-csv', 'nibrs-arrests-csv', 'teds-a-admissions-csv', 'naloxone-program-log-csv', 'nemsis-csv', 'tempe-opioid-ems-csv', 'allegheny-me-csv', 'ct-ocme-adrd-csv', 'nemsis-3.5-xml', 'phl-dph-quarterly-zip-csv', 'phl-dph-quarterly-agency-csv']);
    const drugcheck = ADAPTERS.filter((a) => a.feed === 'drugcheck').length; // UNC + NYC counts + NYC positivity
    expect(ADAPTERS.filter((a) => !covered.has(a.format) && a.feed !== 'drugcheck').map((a) => a.format)).toEqual([]);
    expect(drugcheck).toBe(3);
    for (const s of specs) for (const c of Object.keys(s.bad)) expect(s.header, s.name).toContain(c);
  });

  it('CSV adapters: refuse with a message or quarantine every bad row; load nothing invalid', async () => {
    // Every adapter runs even when one fails; the failures are reported together.
    const failures: string[] = [];
    const only = process.env.ODSTAT_FUZZ_ONLY;
    for (const spec of specs.filter((s) => !only || only.split(',').some((o) => s.name.includes(o)))) {
      await fc.assert(
        fc.asyncProperty(caseArb(spec), async (c) => {
          const t0 = Date.now();
          const { bytes, mustReject, records, overOldLimit, openQuoteMidFile } = build(spec, c);
          const out = await load(spec.feed, spec.jurisdiction, bytes, spec.fileName ?? 'file.csv', c.maxRejectShare);
          const label =
            c.damage === 'open_quote' ? ` (quote left open ${openQuoteMidFile ? 'mid-file' : 'on the last line'}${c.late ? ', 3,000 rows' : ''})`
            : overOldLimit ? ' (line over 2 MB)'
            : '';
          count(spec.name, `${out.kind}${label}`, Date.now() - t0);
          if (out.kind === 'unchanged') return;
          // A quote left open with lines after it: no record may be lost silently, so the file is
          // refused whole, saying so (DuckDB's reader would take the rest of the file as one value).
          if (openQuoteMidFile && !(spec.detectedByContent && /not a \w+ file in any known format/.test(out.message))) {
            expect(out.kind, `a quote left open mid-file: ${out.message}`).toBe('refused_whole');
            expect(out.message).toMatch(/opens a quote that is never closed/);
          }
          // A 1–3 MB field is read and judged row by row (ingest/run.ts MAX_CSV_LINE_BYTES), never a refusal of the file.
          expect(out.message).not.toMatch(/a line is longer than/);
          if (spec.detectedByContent && !out.report && /not a \w+ file in any known format/.test(out.message)) return;
          if (INTACT.includes(c.damage) && c.damage !== 'extra_col' && !out.report) {
            // An intact file of the right format is never refused whole for its header. (An extra
            // column may be: the NYC monthly counts table is recognised by its two columns.)
            throw new Error(`intact file refused without a report: ${out.message}`);
          }
          if (!out.report) return;
          const r = out.report;
          if (records !== null && !spec.cells) expect(r.rowsIn, 'rows in = records written (no record silently lost)').toBe(records);
          if (mustReject.size > 0) {
            const lines = new Set(
              (await q<{ line: number }>(`SELECT line::INTEGER AS line FROM ingest_rejects WHERE ingest_run_id = $r`, { r: r.runId })).map((x) => x.line),
            );
            for (const i of mustReject) expect(lines.has(i + 2), `record ${i} (line ${i + 2}) holds a bad value and was not rejected`).toBe(true);
          }
          if (r.status !== 'succeeded') return;
          const [loaded] = await q<{ n: number; bad: number }>(
            // Table name from the spec above (code), the run id bound.
            `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE NOT coalesce(${spec.valid}, false))::INTEGER AS bad FROM ${spec.table} WHERE ingest_run_id = $r`,
            { r: r.runId },
          );
          expect(loaded!.bad, 'loaded rows that break the validation rules').toBe(0);
          // No loaded text longer than a load keeps (ingest/run.ts MAX_TEXT_LENGTH), in any column.
          const text = (await q<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${spec.table}) WHERE column_type = 'VARCHAR'`)).map((x) => x.column_name);
          if (text.length > 0) {
            const [longest] = await q<{ n: number | null }>(
              `SELECT max(greatest(${text.map((t) => `coalesce(length("${t}"), 0)`).join(', ')}))::INTEGER AS n FROM ${spec.table} WHERE ingest_run_id = $r`,
              { r: r.runId },
            );
            expect(longest!.n ?? 0, 'longest text value loaded').toBeLessThanOrEqual(MAX_TEXT_LENGTH);
          }
          if (spec.perRecord === 1) expect(loaded!.n, 'rows loaded = rows accepted').toBe(r.rowsAccepted);
        }),
        { numRuns: RUNS, seed: FUZZ_SEED, endOnFailure: true },
      ).catch((e: Error) => failures.push(`${spec.name}: ${e.message}\n  cause: ${(e.cause as Error | undefined)?.message ?? ''}`));
    }
    expect(failures.join('\n\n')).toBe('');
  });

  it('NEMSIS XML: truncated, XML bombs, external entities, deep nesting, huge text, other encodings', async () => {
    const base = readFileSync(join(SAMPLES, 'nemsis', '2025-EMS-1-Overdose_v351.national.xml'), 'utf8');
    const decl = base.indexOf('?>') + 2;
    const pcr = /<eRecord\.01>([^<]*)<\/eRecord\.01>/.exec(base)!;
    const lols = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('');
    const damage = fc.oneof(
      fc.record({ kind: fc.constant('none' as const), id: fc.stringMatching(/^[A-Za-z0-9-]{3,20}$/) }),
      fc.record({ kind: fc.constant('truncate' as const), cut: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ kind: fc.constant('billion_laughs' as const) }),
      fc.record({ kind: fc.constantFrom('xxe_file' as const, 'xxe_http' as const, 'xxe_parameter' as const) }),
      fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 41, max: 200_000 }) }),
      fc.record({ kind: fc.constant('huge_text' as const), mb: fc.integer({ min: 1, max: 4 }), where: fc.constantFrom('pcr', 'comment', 'unread', 'attribute') }),
      fc.record({ kind: fc.constantFrom('latin1' as const, 'utf16le' as const, 'utf16be_bom' as const, 'bom' as const) }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('pcr_value' as const), value: garbage }),
    );
    const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const t0 = Date.now();
        let text = base;
        let bytes: Buffer | null = null;
        const withPcr = (v: string) => base.replace(pcr[0], `<eRecord.01>${v}</eRecord.01>`);
        switch (d.kind) {
          case 'none':
            text = withPcr(d.id);
            break;
          case 'truncate': {
            const b = Buffer.from(withPcr('Überprüfung-ä'));
            bytes = b.subarray(0, Math.floor(b.length * d.cut));
            break;
          }
          case 'billion_laughs':
            text = `${base.slice(0, decl)}\n<!DOCTYPE EMSDataSet [${lols}]>${base.slice(decl)}`.replace(pcr[0], '<eRecord.01>&lol9;</eRecord.01>');
            break;
          case 'xxe_file':
          case 'xxe_http':
          case 'xxe_parameter': {
            const ent =
              d.kind === 'xxe_file' ? '<!ENTITY xxe SYSTEM "file:///etc/passwd">'
              : d.kind === 'xxe_http' ? '<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">'
              : '<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;';
            text = `${base.slice(0, decl)}\n<!DOCTYPE EMSDataSet [${ent}]>${base.slice(decl)}`.replace(pcr[0], '<eRecord.01>&xxe;</eRecord.01>');
            break;
          }
          case 'deep':
            text = base.replace(pcr[0], `${pcr[0]}${'<x>'.repeat(d.depth)}${'</x>'.repeat(d.depth)}`);
            break;
          case 'huge_text': {
            const big = 'A'.repeat(d.mb << 20);
            text =
              d.where === 'pcr' ? withPcr(big)
              : d.where === 'comment' ? base.replace(pcr[0], `${pcr[0]}<!--${big}-->`)
              : d.where === 'attribute' ? base.replace('<eRecord.01>', `<eRecord.01 junk="${big}">`)
              : base.replace('</eRecord.01>', `</eRecord.01><eVitals>${big}</eVitals>`);
            break;
          }
          case 'latin1':
            bytes = Buffer.from(withPcr('Grüße-ä'), 'latin1');
            break;
          case 'utf16le':
            bytes = Buffer.from(base, 'utf16le');
            break;
          case 'utf16be_bom':
            bytes = Buffer.from(`\uFEFF${base}`, 'utf16le').swap16();
            break;
          case 'bom':
            bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(withPcr('bom-test'))]);
            break;
          case 'flip': {
            const b = Buffer.from(base);
            for (const at of d.at) b[Math.floor((b.length - 1) * at)] = d.byte;
            bytes = b;
            break;
          }
          case 'pcr_value':
            text = withPcr(xmlEscape(d.value));
            break;
        }
        const out = await load('ems', 'nyc', bytes ?? Buffer.from(text), 'file.xml', 1);
        count(`ems nemsis-3.5-xml ${d.kind}`, out.kind, Date.now() - t0);
        if (['billion_laughs', 'xxe_file', 'xxe_http', 'xxe_parameter', 'deep', 'utf16le', 'utf16be_bom'].includes(d.kind)) {
          expect(out.kind, `${d.kind} must be refused`).toMatch(/^refused/);
        }
        if (out.report?.status === 'succeeded') {
          const [loaded] = await q<{ n: number; bad: number }>(
            `SELECT count(*)::INTEGER AS n,
                    count(*) FILTER (WHERE NOT (length(record_id) BETWEEN 3 AND 50 AND unit_notified_date <= current_date + 1)
                                        OR record_id LIKE '%root:%')::INTEGER AS bad
               FROM ems_encounters WHERE ingest_run_id = $r`,
            { r: out.report.runId },
          );
          expect(loaded!.bad).toBe(0);
          expect(loaded!.n).toBe(out.report.rowsAccepted);
        }
      }),
      { numRuns: RUNS * 4, seed: FUZZ_SEED, endOnFailure: true },
    );
  });

  it('the process is still answering after every case', async () => {
    expect(await q<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
