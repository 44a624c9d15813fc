// Benchmark: the EMS feed through the whole ingest pipeline, against DuckDB's bare read of the same
// file in the same run (and NEMSIS XML against a bare streaming parse of the same bytes).
//
//   npm run bench:ingest -- [--rows 1000000] [--csv FILE] [--xml-reports 20000] [--memory-limit 1GB]
//
// The CSV is made by bench/generate-ems.ts (the seeded default city, EMS background scaled to
// about --rows rows) unless --csv names an existing file. Prints one JSON line per measurement and
// a summary with the ratio bare / pipeline (1 = as fast as the bare read; the target is ≥ 0.5) and
// the process's peak resident memory (target < 2 GB). CPU seconds (all threads of the process)
// are given next to wall seconds: on a shared machine they move much less with its load.
// --memory-limit passes a DuckDB memory budget to the loads (IngestOptions.memoryLimit).
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SaxesParser } from 'saxes';
import { openDuck, rows } from '../sql/duckdb.ts';
import { migrate, openOps } from '../sql/postgres/db.ts';
import { loadJurisdiction } from '../ingest/jurisdiction.ts';
import { ingestFeedFile } from '../ingest/feeds/index.ts';
import { linkageKeyFromBytes } from '../ingest/linkage.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string' }, csv: { type: 'string' }, 'xml-reports': { type: 'string' }, 'memory-limit': { type: 'string' } },
});
const target = Number(values.rows ?? 1_000_000);
const repo = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'odstat-bench-ingest-'));

let peakRss = process.memoryUsage().rss;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const csv = values.csv ?? join(work, 'ems.csv');
if (!values.csv || !existsSync(csv)) {
  execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(repo, 'bench', 'generate-ems.ts'), '--rows', String(target), '--out', csv], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
const bytes = statSync(csv).size;

async function time<T>(fn: () => Promise<T>): Promise<{ s: number; cpu: number; v: T }> {
  const t = performance.now();
  const c = process.cpuUsage();
  const v = await fn();
  const u = process.cpuUsage(c);
  return { s: (performance.now() - t) / 1000, cpu: (u.user + u.system) / 1e6, v };
}
const load0 = loadavg()[0]!;
const memoryLimit = values['memory-limit'];

// Bare read: DuckDB's read_csv of the same file, every field as text (as the pipeline reads it),
// each field's value built and looked at once (the longest per column), nothing kept. The target
// ratio is against this read. A plain count(*) of the file is also given: it might have let DuckDB
// skip building the values, but measured the same here (0.61 s against 0.46 s at 1M rows).
const bareDuck = await openDuck(':memory:');
const bc = await bareDuck.connect();
const bareCount = await time(async () =>
  (await rows<{ n: number }>(bc, `SELECT count(*)::INTEGER AS n FROM (SELECT * FROM read_csv($p, header = true, all_varchar = true))`, { p: csv }))[0]!.n,
);
const bare = await time(async () => {
  await rows(bc, `SELECT max(length(COLUMNS(*))) FROM read_csv($p, header = true, all_varchar = true)`, { p: csv });
  return bareCount.v;
});
bc.closeSync();
bareDuck.close();

// For scale, not the target: the same file read into a table of a DuckDB file, every field as
// text, nothing checked — what storing the rows costs at all.
const loadDuck = await openDuck(join(work, 'bare-load.duckdb'));
const lc = await loadDuck.connect();
const bareLoad = await time(() => lc.run(`CREATE TABLE raw AS SELECT * FROM read_csv($p, header = true, all_varchar = true)`, { p: csv }));
lc.closeSync();
loadDuck.close();

// The pipeline: hash, check every field, place every point in an area, key, commit.
const duck = await openDuck(join(work, 'bench.duckdb'));
const ops = await openOps({ kind: 'memory' });
await migrate(ops.db);
const conn = await duck.connect();
await loadJurisdiction(conn, join(repo, 'fixtures', 'jurisdictions', 'nyc'));
conn.closeSync();
const linkage = linkageKeyFromBytes(Buffer.from('odstat-benchmark-linkage-key-32b'));
const pipe = await time(() =>
  ingestFeedFile(duck, ops.db, 'ems', csv, { jurisdiction: 'nyc', actor: 'bench', maxRejectShare: 0.05, linkage, ...(memoryLimit ? { memoryLimit } : {}) }),
);
duck.close();
await ops.close();

const result: Record<string, unknown> = {
  what: 'ems csv',
  rows: bare.v,
  mb: +(bytes / 1e6).toFixed(1),
  bareReadS: +bare.s.toFixed(2),
  pipelineS: +pipe.s.toFixed(2),
  ratio: +(bare.s / pipe.s).toFixed(3),
  bareCountS: +bareCount.s.toFixed(2),
  ratioToCount: +(bareCount.s / pipe.s).toFixed(3),
  bareCpuS: +bare.cpu.toFixed(2),
  bareLoadS: +bareLoad.s.toFixed(2),
  bareLoadCpuS: +bareLoad.cpu.toFixed(2),
  pipelineCpuS: +pipe.cpu.toFixed(2),
  accepted: pipe.v.rowsAccepted,
  ...(memoryLimit ? { memoryLimit } : {}),
};

// NEMSIS XML: many patient care reports made from the overdose test case, parsed bare vs loaded.
const reports = Number(values['xml-reports'] ?? 20_000);
if (reports > 0) {
  const sample = readFileSync(join(repo, 'fixtures', 'samples', 'nemsis', '2025-EMS-1-Overdose_v351.full.xml'), 'utf8');
  const open = sample.indexOf('<PatientCareReport');
  const close = sample.indexOf('</PatientCareReport>') + '</PatientCareReport>'.length;
  const pcr = sample.slice(open, close);
  const xml = join(work, 'ems.xml');
  const parts = [sample.slice(0, open)];
  for (let i = 0; i < reports; i++) parts.push(pcr.replace(/<eRecord\.01>[^<]*<\/eRecord\.01>/, `<eRecord.01>BENCH-${i}</eRecord.01>`));
  parts.push(sample.slice(close));
  writeFileSync(xml, parts.join(''));
  const bareXml = await time(
    () =>
      new Promise<number>((resolve, reject) => {
        const p = new SaxesParser({ xmlns: true, position: true });
        let n = 0;
        p.on('opentag', () => n++);
        p.on('error', reject);
        createReadStream(xml, { encoding: 'utf8', highWaterMark: 64 * 1024 })
          .on('data', (c) => p.write(c as string))
          .on('end', () => {
            p.close();
            resolve(n);
          })
          .on('error', reject);
      }),
  );
  const d2 = await openDuck(join(work, 'bench-xml.duckdb'));
  const o2 = await openOps({ kind: 'memory' });
  await migrate(o2.db);
  const c2 = await d2.connect();
  await loadJurisdiction(c2, join(repo, 'fixtures', 'jurisdictions', 'nyc'));
  c2.closeSync();
  const pipeXml = await time(() =>
    ingestFeedFile(d2, o2.db, 'ems', xml, { jurisdiction: 'nyc', actor: 'bench', maxRejectShare: 0.05, linkage, ...(memoryLimit ? { memoryLimit } : {}) }),
  );
  d2.close();
  await o2.close();
  Object.assign(result, {
    xmlReports: reports,
    xmlMb: +(statSync(xml).size / 1e6).toFixed(1),
    xmlBareParseS: +bareXml.s.toFixed(2),
    xmlPipelineS: +pipeXml.s.toFixed(2),
    xmlRatio: +(bareXml.s / pipeXml.s).toFixed(3),
    xmlBareCpuS: +bareXml.cpu.toFixed(2),
    xmlPipelineCpuS: +pipeXml.cpu.toFixed(2),
    xmlAccepted: pipeXml.v.rowsAccepted,
  });
}
clearInterval(timer);
result.peakRssMb = Math.round(peakRss / 1e6);
result.loadAverage = [+load0.toFixed(2), +loadavg()[0]!.toFixed(2)];
// The generated CSV (when not given with --csv), the XML and the databases.
rmSync(work, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result)}\n`);
