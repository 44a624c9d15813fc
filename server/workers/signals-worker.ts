// Worker thread for signal work too heavy for the request thread: a method over one indicator's
// counts when it fits a model per area and period (negative-binomial, Farrington), a backtest,
// and batch runs (every indicator × method: the benchmark). Results come back as typed arrays,
// transferred, not copied.
import { parentPort } from 'node:worker_threads';
import { runBuffers, runSignals, type Counts, type SignalMethod, type SignalOptions, type SignalRunData } from '../../sql/signals.ts';
import { backtest, type BacktestResult, type BacktestSpec } from '../../sql/backtest.ts';

export type SignalsTask =
  | { task: number; kind: 'run'; counts: Counts; method: SignalMethod; options: Partial<SignalOptions>; range?: [number, number] }
  | { task: number; kind: 'backtest'; daily: Counts; spec: BacktestSpec };

export type SignalsReply =
  | { task: number; kind: 'ready' }
  | { task: number; kind: 'run'; run: Omit<SignalRunData, 'counts'> }
  | { task: number; kind: 'backtest'; result: BacktestResult }
  | { task: number; kind: 'error'; message: string; userError: boolean };

if (!parentPort) throw new Error('signals-worker.ts runs as a worker thread');
const port = parentPort;
port.on('message', (t: SignalsTask) => {
  try {
    if (t.kind === 'backtest') {
      port.postMessage({ task: t.task, kind: 'backtest', result: backtest(t.daily, t.spec) } satisfies SignalsReply);
      return;
    }
    const { adjusted: _adjusted, counts: _counts, ...run } = runSignals(t.counts, t.method, t.options, t.range);
    const own = new Set<ArrayBufferLike>([t.counts.total.buffer, ...t.counts.byArea.map((a) => a.buffer)]);
    port.postMessage({ task: t.task, kind: 'run', run } satisfies SignalsReply, runBuffers({ ...run, counts: t.counts }).filter((b) => !own.has(b)));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // backtest() says what was wrong with the request in its own words ("backtest: …").
    port.postMessage({ task: t.task, kind: 'error', message, userError: message.startsWith('backtest:') } satisfies SignalsReply);
  }
});
port.postMessage({ task: -1, kind: 'ready' } satisfies SignalsReply);
