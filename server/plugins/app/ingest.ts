import { mkdirSync } from 'node:fs';
import fp from 'fastify-plugin';
import type { LinkageKey } from '../../../ingest/linkage.ts';
import type { IngestReport } from '../../../ingest/run.ts';
import { ingestFeedFile } from '../../../ingest/feeds/index.ts';

export interface IngestConfig {
  /** Where uploaded files are kept (they are the record of what each agency sent). */
  incomingDir: string;
  linkage: LinkageKey;
  maxRejectShare: number;
  /** The local administrator's token (from a file beside the data); the `odstat` command uses it. */
  adminToken: string;
  /** Fault injection for crash tests (ODSTAT_FAULT_HOLD_COMMIT_MS); 0 in normal use. */
  holdBeforeCommitMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    ingest: {
      config: IngestConfig;
      /**
       * Loads one file, known by `fileName` (an upload's own name; default the file's). Loads run
       * one at a time, so two pushes of the same file cannot both write it.
       */
      run(feed: string, file: string, jurisdiction: string, actor: string, fileName?: string): Promise<IngestReport>;
    };
  }
}

/**
 * The server owns the DuckDB file (one writer process per file), so loads that arrive while it
 * runs — `odstat ingest` or an agency's upload — run here, queued. A load commits in one DuckDB
 * transaction: readers keep seeing the previous data until it commits.
 */
export default fp<{ config: IngestConfig }>(
  async (app, opts) => {
    mkdirSync(opts.config.incomingDir, { recursive: true });
    let tail: Promise<unknown> = Promise.resolve();
    app.decorate('ingest', {
      config: opts.config,
      run(feed, file, jurisdiction, actor, fileName) {
        const job = tail.then(() =>
          ingestFeedFile(app.duck, app.ops.db, feed, file, {
            jurisdiction,
            actor,
            ...(fileName === undefined ? {} : { fileName }),
            maxRejectShare: opts.config.maxRejectShare,
            linkage: opts.config.linkage,
            holdBeforeCommitMs: opts.config.holdBeforeCommitMs ?? 0,
            log: (s) => app.log.info({ feed, file }, s),
          }),
        );
        tail = job.catch(() => {});
        return job;
      },
    });
  },
  { name: 'ingest', dependencies: ['duckdb', 'ops'] },
);
