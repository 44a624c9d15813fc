// Worker thread of the space–time permutation scan: computes the maximum log GLR of a slice of
// Monte Carlo replicates (sql/epi/scan.ts replicateMaxima), in chunks so the job can report
// progress. Replicate r always draws from its own seeded generator, so how replicates are split
// across workers does not change the result.
import { parentPort } from 'node:worker_threads';
import { replicateMaxima, type PreparedScan } from '../../sql/epi/scan.ts';

export interface ScanTask {
  task: number;
  prep: PreparedScan;
  seed: number;
  from: number;
  to: number;
}

export type ScanReply =
  | { task: number; kind: 'progress'; done: number }
  | { task: number; kind: 'done'; maxima: Float64Array }
  | { task: number; kind: 'error'; message: string };

const CHUNK = 25;

if (!parentPort) throw new Error('scan-worker.ts runs as a worker thread');
const port = parentPort;
port.on('message', (t: ScanTask) => {
  try {
    const out = new Float64Array(t.to - t.from);
    for (let r = t.from; r < t.to; r += CHUNK) {
      const end = Math.min(t.to, r + CHUNK);
      out.set(replicateMaxima(t.prep, t.seed, r, end), r - t.from);
      port.postMessage({ task: t.task, kind: 'progress', done: end - t.from } satisfies ScanReply);
    }
    port.postMessage({ task: t.task, kind: 'done', maxima: out } satisfies ScanReply, [out.buffer]);
  } catch (err) {
    port.postMessage({ task: t.task, kind: 'error', message: err instanceof Error ? err.message : String(err) } satisfies ScanReply);
  }
});
port.postMessage({ task: -1, kind: 'progress', done: 0 } satisfies ScanReply);
