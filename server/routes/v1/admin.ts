import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listAudit } from '../../../sql/postgres/audit.ts';
import { AuditPage, AuditQuery } from '../../schemas/auth.ts';

const errors = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' } } as const;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/admin/audit',
    {
      config: { access: 'admin', auditAction: 'admin.audit.read', tabular: { name: 'audit', tables: [{ path: 'entries', json: ['params'] }] } },
      schema: {
        tags: ['admin'],
        summary: 'The audit log, newest first (administrators only)',
        description: 'Every data request, sign-in and administrative action: who, role, agency, endpoint, parameters, status, rows returned, when. Page with "before".',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errors },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 100;
      // One row more than asked tells whether another page follows.
      const rows = await listAudit(app.ops.db, { limit: limit + 1, before: req.query.before, userId: req.query.userId, action: req.query.action });
      const page = rows.slice(0, limit);
      req.rowsReturned = page.length;
      return {
        entries: page.map((r) => ({
          id: Number(r.id),
          at: r.at.toISOString(),
          userId: r.user_id,
          actor: r.actor,
          role: r.role,
          agency: r.agency,
          action: r.action,
          endpoint: r.endpoint,
          params: r.params,
          status: r.status,
          rowsReturned: r.rows_returned,
          ip: r.ip,
        })),
        next: rows.length > limit ? Number(page[page.length - 1]!.id) : null,
      };
    },
  );
};
export default routes;
