// Entry of every worker thread: the server runs TypeScript through tsx's loader (bin/odstat.js),
// and a worker thread does not inherit loader hooks, so it registers tsx itself and then imports
// the TypeScript worker named in workerData.entry.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
