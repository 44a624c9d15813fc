// Benchmark: the synthetic default city's EMS file at a given size, streamed to disk.
//
//   node --expose-gc --import tsx bench/generate-ems.ts [--rows 1000000] [--out /tmp/ems.csv] [--seed N] [--end YYYY-MM-DD]
//
// Generates every feed (generateAll), choosing `scale` so the EMS file has about --rows rows
// (scale multiplies the EMS background only), then writes the EMS rows in chunks while sampling
// the process's resident memory. Prints one JSON line: rows, seconds (wall and CPU) for the eager
// part and for the streamed write, rows per second, peak RSS and the file size. A first run at
// scale 0 measures the part of the EMS file that does not depend on scale; it is collected
// (--expose-gc) before the measured run, and the peak RSS counts the measured run only.
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { generateAll, withGeography } from '../fixtures/generators/all.ts';
import { EMS_BACKGROUND_PER_DAY } from '../fixtures/generators/ems.ts';
import { writeCsvFile } from '../fixtures/generators/world.ts';
import { openDuck } from '../sql/duckdb.ts';
import { loadJurisdiction } from '../ingest/jurisdiction.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' } },
});
const target = Number(values.rows ?? 1_000_000);
const out = values.out ?? join(tmpdir(), 'odstat-bench-ems.csv');
const seed = Number(values.seed ?? 20240601);
const end = values.end ?? '2026-10-31';
const dir = join(import.meta.dirname, '..', 'fixtures', 'jurisdictions', 'nyc');

const duck = await openDuck(':memory:');
const conn = await duck.connect();
const nyc = await loadJurisdiction(conn, dir);
conn.closeSync();
duck.close();
const areas = withGeography(
  nyc.areas.map((a) => ({ id: a.id, name: a.name, group: a.group ?? '', population: a.population ?? 0 })),
  dir,
);

let peakRss = process.memoryUsage().rss;
const sample = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sample, 50);

// The overdose-related part of the EMS file does not depend on scale: measure it at scale 0.
let probe: ReturnType<typeof generateAll> | null = generateAll({ seed, end, areas, scale: 0 });
const days = (Date.parse(probe.manifest.end) - Date.parse(probe.manifest.start)) / 86_400_000 + 1;
const eagerRows = probe.feeds.ems.rowCount;
probe = null;
const scale = Math.max(0, (target - eagerRows) / (EMS_BACKGROUND_PER_DAY * days));
(globalThis as { gc?: () => void }).gc?.();
peakRss = process.memoryUsage().rss;

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const all = generateAll({ seed, end, areas, scale });
const eagerWall = (performance.now() - t0) / 1000;
const eagerCpu = process.cpuUsage(cpu0).user / 1e6;

const cpu1 = process.cpuUsage();
const t1 = performance.now();
let n = 0;
function* counted(): Generator<readonly string[]> {
  for (const r of all.feeds.ems.rows) {
    if (++n % 50_000 === 0) sample();
    yield r;
  }
}
const written = writeCsvFile(out, all.feeds.ems.columns, counted());
const streamWall = (performance.now() - t1) / 1000;
const streamCpu = process.cpuUsage(cpu1).user / 1e6;
clearInterval(timer);
sample();

console.log(
  JSON.stringify({
    file: out,
    scale: Number(scale.toFixed(3)),
    rows: written,
    expectedRows: all.feeds.ems.rowCount,
    eager: { wallSeconds: Number(eagerWall.toFixed(2)), cpuSeconds: Number(eagerCpu.toFixed(2)) },
    stream: { wallSeconds: Number(streamWall.toFixed(2)), cpuSeconds: Number(streamCpu.toFixed(2)), rowsPerSecond: Math.round(written / streamWall) },
    peakRssMB: Math.round(peakRss / 1e6),
    fileMB: Math.round(statSync(out).size / 1e6),
    backgroundIdentityRepeats: all.emsBackgroundIdentityRepeats(),
  }),
);
