// Worker threads for signal work: tasks (a method over one indicator's counts, or a backtest)
// queue and go to whichever worker is free. The server sends what would hold its request thread
// for long — the weekly models (one fit per area and week), backtests — and a batch of every
// indicator × method (the benchmark) uses both cores while the main thread reads the next
// indicator's counts from DuckDB. Daily methods for one request run in the request's thread:
// they take milliseconds, a worker round trip would not pay.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { signalRunFrom, type Counts, type SignalMethod, type SignalOptions, type SignalRun } from '../../sql/signals.ts';
import type { BacktestResult, BacktestSpec } from '../../sql/backtest.ts';
import type { SignalsReply, SignalsTask } from './signals-worker.ts';

const BOOT = fileURLToPath(new URL('./boot.mjs', import.meta.url));
const ENTRY = fileURLToPath(new URL('./signals-worker.ts', import.meta.url));

interface Pending {
  task: SignalsTask;
  resolve: (r: SignalsReply) => void;
  reject: (e: Error) => void;
}

/** A backtest the worker refused for what was asked (its message says what). */
export class BacktestRequestError extends Error {}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  current: Pending | null;
}

export class SignalsPool {
  readonly size: number;
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private next = 0;
  private closed = false;

  constructor(size = Math.max(1, Math.min(2, availableParallelism()))) {
    this.size = size;
  }

  private start(): Slot {
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY } });
    const slot: Slot = { worker, ready: Promise.resolve(), current: null };
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      const onReady = (m: SignalsReply) => {
        if (m.kind !== 'ready') return;
        worker.off('message', onReady);
        worker.off('error', reject);
        worker.unref();
        resolve();
      };
      worker.on('message', onReady);
    });
    worker.on('message', (m: SignalsReply) => {
      const p = slot.current;
      if (!p || m.task !== p.task.task || m.kind === 'ready') return;
      slot.current = null;
      worker.unref();
      if (m.kind === 'error') p.reject(m.userError ? new BacktestRequestError(m.message) : new Error(`signals worker: ${m.message}`));
      else p.resolve(m);
      this.pump();
    });
    worker.on('error', (err) => this.fail(slot, err));
    worker.on('exit', (code) => this.fail(slot, new Error(`signals worker exited (code ${code})`)));
    return slot;
  }

  private fail(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    const p = slot.current;
    slot.current = null;
    if (p) p.reject(err);
    if (!this.closed) this.pump();
  }

  /** Starts the workers now (each loads TypeScript through tsx: a second or two). */
  async warm(): Promise<void> {
    while (this.slots.length < this.size) this.slots.push(this.start());
    await Promise.all(this.slots.map((s) => s.ready));
  }

  /** One method over one indicator's counts, on a worker thread. */
  async run(counts: Counts, method: SignalMethod, options: Partial<SignalOptions> = {}, range?: [number, number]): Promise<SignalRun> {
    const m = await this.submit({ task: this.next++, kind: 'run', counts, method, options, ...(range ? { range } : {}) });
    if (m.kind !== 'run') throw new Error('signals worker: unexpected reply');
    return signalRunFrom({ ...m.run, counts });
  }

  /** A backtest (sql/backtest.ts) on a worker thread. */
  async backtest(daily: Counts, spec: BacktestSpec): Promise<BacktestResult> {
    const m = await this.submit({ task: this.next++, kind: 'backtest', daily, spec });
    if (m.kind !== 'backtest') throw new Error('signals worker: unexpected reply');
    return m.result;
  }

  private submit(task: SignalsTask): Promise<SignalsReply> {
    if (this.closed) return Promise.reject(new Error('the signals workers have been shut down'));
    return new Promise<SignalsReply>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      void this.warm().then(
        () => this.pump(),
        (err: unknown) => {
          for (const p of this.queue.splice(0)) p.reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.current || this.queue.length === 0) continue;
      const p = this.queue.shift()!;
      slot.current = p;
      slot.worker.ref();
      slot.worker.postMessage(p.task);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    for (const p of this.queue.splice(0)) p.reject(new Error('the signals workers have been shut down'));
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
  }
}
