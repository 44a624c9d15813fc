import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import { pruneAudit, writeAuditBatch, type AuditRecord } from '../../../sql/postgres/audit.ts';
import { pruneSessions } from '../../../sql/postgres/sessions.ts';
import { accessOf } from './auth.ts';
import { postgresUnreachable } from '../errors.ts';

/** Who made a request that no session stands behind: an upload token (routes with access 'token'). */
export interface AuditWho {
  actor: string;
  role: string;
  agency: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a token-authenticated route once it knows the token; the audit row names it. */
    auditWho: AuditWho | null;
    /** What a route adds to its audit row's parameters (an upload's outcome). */
    auditExtra: Record<string, unknown> | null;
  }
  interface FastifyInstance {
    audit: {
      /** Queues one row; a failed write is logged, never shown to the caller. */
      write(r: AuditRecord): void;
      /** The row for an event of this request (who, role, agency, endpoint, status, address). */
      record(req: FastifyRequest, action: string, params: Record<string, unknown>, status: number | null): void;
      /** Resolves when every queued row is written or Postgres refused them (tests; shutdown). */
      flush(): Promise<void>;
      /** Rows waiting to be written (more than a few only while Postgres is unreachable). */
      queued(): number;
      /** Deletes rows past the retention period, ended sessions and old sign-in attempts. */
      prune(): Promise<void>;
    };
    /** onResponse hook of /api/v1: every data and admin request, allowed or refused. */
    auditResponse: onResponseHookHandler;
  }
}

const DAY = 86_400_000;
/** A batch waits at most this long for more rows. */
const BATCH_DELAY_MS = 100;
const MAX_BATCH = 2000;
/** While Postgres is unreachable: how often to retry, and how many rows to keep meanwhile. */
const RETRY_MS = 2_000;
const MAX_QUEUED = 100_000;
/** Sign-in attempts matter for lockout (minutes); the audit log keeps the failures themselves. */
const ATTEMPTS_KEPT_DAYS = 30;

export default fp<{ retentionDays: number }>(
  async (app, opts) => {
    // Rows are queued and written in batches (one INSERT per batch, at most BATCH_DELAY_MS after the
    // first row of it): one INSERT per request would make Postgres — in-process PGlite on the
    // embedded default — the limit of every data request. When Postgres is unreachable the rows
    // stay queued (in order, up to MAX_QUEUED) and are written when it is back; data requests keep
    // being answered from DuckDB meanwhile. Past MAX_QUEUED the oldest are dropped, with an error
    // in the server log saying how many.
    let queue: AuditRecord[] = [];
    let inflight: Promise<void> | null = null;
    let timer: NodeJS.Timeout | null = null;
    let failing = false;
    let dropped = 0;
    // Through COPY where the store takes it (sql/postgres/audit.ts).
    const store = (rows: readonly AuditRecord[]) => writeAuditBatch(app.ops.db, rows, app.ops.copyRows);
    const drain = async (): Promise<void> => {
      while (queue.length > 0) {
        const batch = queue.slice(0, MAX_BATCH);
        try {
          await store(batch);
        } catch (err) {
          if (postgresUnreachable(err)) {
            if (!failing) app.log.error({ err, queued: queue.length }, 'audit: Postgres refused the audit rows; they are kept and retried');
            failing = true;
            schedule(RETRY_MS);
            return;
          }
          // Postgres is there but refused the batch for what is in it: one row must not hold up
          // every row after it. Each is written on its own; a row refused again is written
          // without its parameters, saying why, so the log still shows the request.
          try {
            await writeOneByOne(batch, err);
          } catch (e) {
            // Postgres went away meanwhile: the batch stays queued (rows written already may be
            // written again when it is back; the log keeps a duplicate rather than a gap).
            failing = true;
            app.log.error({ err: e, queued: queue.length }, 'audit: Postgres refused the audit rows; they are kept and retried');
            schedule(RETRY_MS);
            return;
          }
        }
        if (failing) app.log.warn({ written: batch.length, queued: queue.length - batch.length }, 'audit: Postgres is back; queued audit rows written');
        failing = false;
        queue = queue.slice(batch.length);
      }
    };
    const writeOneByOne = async (batch: AuditRecord[], batchErr: unknown): Promise<void> => {
      app.log.error({ err: batchErr, rows: batch.length }, 'audit: Postgres refused a batch of audit rows for its content; writing them one by one');
      for (const r of batch) {
        try {
          await store([r]);
        } catch (err) {
          if (postgresUnreachable(err)) throw err;
          app.log.error({ err, requestId: r.requestId, endpoint: r.endpoint }, 'audit: row refused; written without its parameters');
          const stripped = { ...r, rowsReturned: null, params: { unwritable: err instanceof Error ? err.message.slice(0, 200) : String(err) } };
          await store([stripped]).catch((e: unknown) => {
            if (postgresUnreachable(e)) throw e;
            app.log.error({ err: e, record: stripped }, 'audit: row refused twice; it is in this log only');
          });
        }
      }
    };
    const run = () => {
      timer = null;
      if (inflight) return;
      inflight = drain().finally(() => (inflight = null));
    };
    function schedule(ms: number) {
      if (timer === null) {
        timer = setTimeout(run, ms);
        timer.unref();
      }
    }
    const write = (r: AuditRecord) => {
      queue.push(r.at ? r : { ...r, at: new Date() });
      if (queue.length > MAX_QUEUED) {
        const over = queue.length - MAX_QUEUED;
        queue = queue.slice(over);
        dropped += over;
        app.log.error({ dropped }, 'audit: queue full while Postgres is unreachable; oldest rows dropped');
      }
      schedule(queue.length >= MAX_BATCH ? 0 : BATCH_DELAY_MS);
    };
    const record = (req: FastifyRequest, action: string, params: Record<string, unknown>, status: number | null) =>
      write({
        userId: req.auth.user?.id ?? null,
        actor: req.auditWho?.actor ?? req.auth.user?.email ?? null,
        role: req.auditWho?.role ?? req.auth.role ?? 'anonymous',
        agency: req.auditWho?.agency ?? req.auth.user?.agency ?? null,
        action,
        endpoint: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`,
        params,
        rowsReturned: req.rowsReturned,
        status,
        ip: req.ip,
        requestId: req.id,
        at: new Date(),
      });
    const prune = async () => {
      const now = Date.now();
      if (opts.retentionDays > 0) {
        const n = await pruneAudit(app.ops.db, new Date(now - opts.retentionDays * DAY));
        if (n > 0) app.log.info(`audit: deleted ${n} row(s) older than ${opts.retentionDays} days`);
      }
      await pruneSessions(app.ops.db, new Date(now - ATTEMPTS_KEPT_DAYS * DAY));
    };
    app.decorate('audit', {
      write,
      record,
      // Writes what is queued now; resolves when it is written or Postgres refused it (logged).
      flush: async () => {
        if (timer) clearTimeout(timer), (timer = null);
        if (inflight) await inflight;
        if (queue.length > 0) await drain();
      },
      queued: () => queue.length,
      prune,
    });

    app.decorateRequest('auditWho', null);
    app.decorateRequest('auditExtra', null);
    app.decorate('auditResponse', async function auditResponse(req: FastifyRequest, reply: FastifyReply) {
      // Open routes (sign-in, CSRF) write their own rows; data, admin and token routes are written here.
      if (accessOf(req) === 'open') return;
      const params: Record<string, unknown> = {
        query: (req.query ?? {}) as Record<string, unknown>,
        params: (req.params ?? {}) as Record<string, unknown>,
        // CSV and Arrow answers are exports: the log says so even when only Accept asked for them.
        ...(req.format && req.format !== 'json' ? { format: req.format } : {}),
        ...(req.auditExtra ?? {}),
      };
      record(req, req.routeOptions.config.auditAction ?? 'data.read', params, reply.statusCode);
    });

    let pruneTimer: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      await prune();
      pruneTimer = setInterval(() => void prune().catch((err: unknown) => app.log.error({ err }, 'audit prune failed')), DAY);
      pruneTimer.unref();
    });
    // Runs before the database closes (hooks close in reverse order of registration).
    app.addHook('onClose', async () => {
      if (pruneTimer) clearInterval(pruneTimer);
      await app.audit.flush();
    });
  },
  { name: 'audit', dependencies: ['ops', 'auth'] },
);
