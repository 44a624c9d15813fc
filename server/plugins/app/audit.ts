import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, onResponseHookHandler } from 'fastify';
import { pruneAudit, writeAudit, type AuditRecord } from '../../../sql/postgres/audit.ts';
import { pruneSessions } from '../../../sql/postgres/sessions.ts';
import { accessOf } from './auth.ts';

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
      /** Resolves when every queued row is written (tests; shutdown). */
      flush(): Promise<void>;
      /** Deletes rows past the retention period, ended sessions and old sign-in attempts. */
      prune(): Promise<void>;
    };
    /** onResponse hook of /api/v1: every data and admin request, allowed or refused. */
    auditResponse: onResponseHookHandler;
  }
}

const DAY = 86_400_000;
/** Sign-in attempts matter for lockout (minutes); the audit log keeps the failures themselves. */
const ATTEMPTS_KEPT_DAYS = 30;

export default fp<{ retentionDays: number }>(
  async (app, opts) => {
    const pending = new Set<Promise<void>>();
    const write = (r: AuditRecord) => {
      const p: Promise<void> = writeAudit(app.ops.db, r)
        .catch((err: unknown) => app.log.error({ err, action: r.action }, 'audit write failed'))
        .finally(() => pending.delete(p));
      pending.add(p);
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
      flush: async () => {
        while (pending.size > 0) await Promise.all([...pending]);
      },
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

    let timer: NodeJS.Timeout | null = null;
    app.addHook('onReady', async () => {
      await prune();
      timer = setInterval(() => void prune().catch((err: unknown) => app.log.error({ err }, 'audit prune failed')), DAY);
      timer.unref();
    });
    // Runs before the database closes (hooks close in reverse order of registration).
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
      await app.audit.flush();
    });
  },
  { name: 'audit', dependencies: ['ops', 'auth'] },
);
