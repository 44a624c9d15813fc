// Profile: where the EMS pipeline's time goes. Loads one EMS file (flat CSV or NEMSIS XML) into a
// fresh DuckDB file with the default city, times every SQL statement the pipeline runs (wall and
// CPU seconds of the whole process), and prints the steps, the slowest statements and the peak
// resident memory.
//
//   node --import tsx bench/profile-ingest.ts --file FILE [--memory-limit 1GB]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBConnection } from '@duckdb/node-api';
import { openDuck } from '../sql/duckdb.ts';
import { migrate, openOps } from '../sql/postgres/db.ts';
import { loadJurisdiction } from '../ingest/jurisdiction.ts';
import { ingestFeedFile } from '../ingest/feeds/index.ts';
import { linkageKeyFromBytes } from '../ingest/linkage.ts';

const { values } = parseArgs({ options: { file: { type: 'string' }, 'memory-limit': { type: 'string' } } });
if (!values.file) throw new Error('--file FILE');
const repo = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'odstat-profile-'));
const duck = await openDuck(join(work, 'p.duckdb'));
const ops = await openOps({ kind: 'memory' });
await migrate(ops.db);
const c = await duck.connect();
await loadJurisdiction(c, join(repo, 'fixtures', 'jurisdictions', 'nyc'));
c.closeSync();

let peakRss = process.memoryUsage().rss;
const rssBefore = peakRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const log: { s: number; cpu: number; sql: string }[] = [];
const proto = DuckDBConnection.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
let depth = 0;
for (const m of ['run', 'runAndReadAll']) {
  const orig = proto[m]!;
  proto[m] = async function (this: unknown, ...a: unknown[]) {
    // runAndReadAll calls run: time the outer call only.
    if (depth > 0) return orig.apply(this, a);
    depth++;
    const t = performance.now();
    const c0 = process.cpuUsage();
    try {
      return await orig.apply(this, a);
    } finally {
      depth--;
      const c1 = process.cpuUsage(c0);
      log.push({ s: (performance.now() - t) / 1000, cpu: (c1.user + c1.system) / 1e6, sql: String(a[0]).replace(/\s+/g, ' ').slice(0, 140) });
    }
  };
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const stamps: string[] = [];
const r = await ingestFeedFile(duck, ops.db, 'ems', values.file, {
  jurisdiction: 'nyc', actor: 'profile', maxRejectShare: 0.05,
  ...(values['memory-limit'] ? { memoryLimit: values['memory-limit'] } : {}),
  linkage: linkageKeyFromBytes(Buffer.from('odstat-benchmark-linkage-key-32b')),
  log: (l) => stamps.push(`${((performance.now() - t0) / 1000).toFixed(2)}s ${l}`),
});
const total = (performance.now() - t0) / 1000;
const cpuAll = process.cpuUsage(cpu0);
clearInterval(sampler);
duck.close();
await ops.close();
rmSync(work, { recursive: true, force: true });
for (const s of stamps) console.log(s);
const sqlTotal = log.reduce((a, b) => a + b.s, 0);
for (const l of [...log].sort((a, b) => b.s - a.s).slice(0, 25)) console.log(`${l.s.toFixed(2).padStart(7)}s cpu ${l.cpu.toFixed(2).padStart(6)}s  ${l.sql}`);
console.log(`total ${total.toFixed(2)}s (cpu ${((cpuAll.user + cpuAll.system) / 1e6).toFixed(2)}s), SQL ${sqlTotal.toFixed(2)}s over ${log.length} statements; rows in ${r.rowsIn}, accepted ${r.rowsAccepted}, unassigned ${r.rowsUnassigned}; peak RSS ${Math.round(peakRss / 1e6)} MB (${Math.round(rssBefore / 1e6)} MB before the load)`);
