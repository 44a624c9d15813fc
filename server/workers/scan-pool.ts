// Worker threads for the space–time scan, off the request thread. The Monte Carlo replicates of a
// scan are split into contiguous slices, one per worker (two on the 2-core machine), and their
// maxima joined in replicate order; the observed scan and the p-values are computed here
// (assembleScan), which is cheap. Workers start on first use and stay up for the next scan.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { PreparedScan } from '../../sql/epi/scan.ts';
import type { ScanReply, ScanTask } from './scan-worker.ts';

const BOOT = fileURLToPath(new URL('./boot.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL('./scan-worker.ts', import.meta.url));

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
}

export class ScanPool {
  readonly size: number;
  private slots: Slot[] = [];
  private nextTask = 0;
  private closed = false;

  constructor(size = Math.max(1, Math.min(2, availableParallelism()))) {
    this.size = size;
  }

  private start(): Slot {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY } });
    const slot: Slot = { worker, ready: Promise.resolve(), busy: false };
    // A worker keeps the process alive only while it has work (loading or a slice of a scan).
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: ScanReply) => {
        if (m.task !== -1) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        worker.unref();
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    // An idle worker that dies is dropped; the next scan starts a new one.
    worker.once('exit', () => {
      if (!slot.busy) this.drop(slot);
    });
    return slot;
  }

  /** Starts the workers now (they load TypeScript through tsx, about a second or two each). */
  async warm(): Promise<void> {
    while (this.slots.length < this.size) this.slots.push(this.start());
    const slots = this.slots.slice();
    const results = await Promise.allSettled(slots.map((s) => s.ready));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ slot: slots[i]!, reason: r.reason as unknown }] : []));
    for (const f of failed) this.drop(f.slot);
    if (failed.length > 0) throw failed[0]!.reason instanceof Error ? failed[0]!.reason : new Error(String(failed[0]!.reason));
  }

  /**
   * Maximum log GLR of replicates 0 … replicates − 1, split across the workers. `onProgress`
   * gets the number of replicates done so far.
   */
  async maxima(prep: PreparedScan, seed: number, replicates: number, onProgress?: (done: number) => void): Promise<Float64Array> {
    if (this.closed) throw new Error('the scan workers have been shut down');
    await this.warm();
    const parts = Math.min(this.size, Math.max(1, replicates));
    const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.round((i * replicates) / parts));
    const done = new Array<number>(parts).fill(0);
    const out = new Float64Array(replicates);
    await Promise.all(
      Array.from({ length: parts }, (_, i) =>
        this.run(this.slots[i]!, { task: this.nextTask++, prep, seed, from: bounds[i]!, to: bounds[i + 1]! }, (d) => {
          done[i] = d;
          onProgress?.(done.reduce((s, v) => s + v, 0));
        }).then((m) => out.set(m, bounds[i]!)),
      ),
    );
    return out;
  }

  private run(slot: Slot, task: ScanTask, onProgress: (done: number) => void): Promise<Float64Array> {
    if (slot.busy) return Promise.reject(new Error('scan worker busy: one scan at a time per pool'));
    slot.busy = true;
    slot.worker.ref();
    return new Promise<Float64Array>((resolve, reject) => {
      const finish = () => {
        slot.busy = false;
        slot.worker.unref();
        slot.worker.off('message', onMessage);
        slot.worker.off('error', onError);
        slot.worker.off('exit', onExit);
      };
      const onMessage = (m: ScanReply) => {
        if (m.task !== task.task) return;
        if (m.kind === 'progress') onProgress(m.done);
        else if (m.kind === 'done') {
          finish();
          resolve(m.maxima);
        } else {
          finish();
          reject(new Error(`scan worker: ${m.message}`));
        }
      };
      const onError = (err: Error) => {
        finish();
        this.drop(slot);
        reject(err);
      };
      const onExit = (code: number) => {
        finish();
        this.drop(slot);
        reject(new Error(`scan worker exited (code ${code})`));
      };
      slot.worker.on('message', onMessage);
      slot.worker.once('error', onError);
      slot.worker.once('exit', onExit);
      slot.worker.postMessage(task);
    });
  }

  private drop(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    void slot.worker.terminate().catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
  }
}
