import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { FEEDS } from '../../../ingest/feeds/index.ts';
import { IngestError } from '../../../ingest/run.ts';
import { findToken } from '../../../sql/postgres/api-tokens.ts';
import { HttpError } from '../../http.ts';

export const UploadReport = Type.Object({
  runId: Type.String(),
  feed: Type.String(),
  file: Type.String({ description: 'The name the file was sent with.' }),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('unchanged'), Type.Literal('refused')]),
  rowsIn: Type.Integer(),
  rowsAccepted: Type.Integer(),
  rowsRejected: Type.Integer(),
  rowsUnassigned: Type.Integer(),
  rejectsByReason: Type.Record(Type.String(), Type.Integer()),
  sampleRejects: Type.Array(
    Type.Object({ line: Type.Integer(), field: Type.String(), reason: Type.String(), value: Type.Union([Type.String(), Type.Null()]) }),
  ),
  definitionVersions: Type.Record(Type.String(), Type.String()),
  message: Type.String(),
});

// An upload may be a whole year of EMS records; the body streams to disk, never into memory.
const MAX_UPLOAD_BYTES = 20 * 1024 ** 3;

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const routes: FastifyPluginAsyncTypebox<{ defaultJurisdiction: string }> = async (app, opts) => {
  // Raw bodies for this route stream through untouched.
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));

  app.post(
    '/uploads/:feed',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      // Authenticated by the upload token below, not by a session. Audited like every data request:
      // which token (or the local administrator), the feed and file, and what the load did.
      config: { access: 'token', auditAction: 'ingest.upload' },
      schema: {
        tags: ['ingest'],
        security: [{ uploadToken: [] }],
        summary: "Push an agency's file (the raw bytes as the body) to be loaded",
        description:
          'Authorization: Bearer <upload token>. The file is kept, checked and loaded all-or-nothing; the answer says rows in, accepted and rejected by reason. 422 when the file is refused.',
        params: Type.Object({ feed: Type.String({ pattern: '^[a-z_]{1,30}$' }) }),
        querystring: Type.Object({
          jurisdiction: Type.Optional(Type.String({ pattern: '^[a-z0-9_-]{1,40}$' })),
          filename: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._ -]{1,200}$', description: 'Name of the file as the agency sent it.' })),
        }),
        response: { 200: UploadReport, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 400: { $ref: 'Error#' }, 422: UploadReport },
      },
    },
    async (req, reply) => {
      const auth = req.headers.authorization ?? '';
      const m = /^Bearer\s+(\S+)$/.exec(auth);
      if (!m) throw new HttpError(401, 'an upload token is required (Authorization: Bearer …)');
      const secret = m[1]!;
      let actor: string;
      if (sameSecret(secret, app.ingest.config.adminToken)) {
        actor = 'local administrator (odstat ingest)';
        req.auditWho = { actor, role: 'admin', agency: null };
      } else {
        const token = await findToken(app.ops.db, secret);
        if (!token) throw new HttpError(401, 'unknown or revoked upload token');
        actor = `token ${token.id} (${token.name}, ${token.agency})`;
        req.auditWho = { actor, role: 'upload-token', agency: token.agency };
        if (!token.feeds.includes(req.params.feed)) {
          throw new HttpError(403, `this token may not upload the "${req.params.feed}" feed`);
        }
      }
      if (!FEEDS.includes(req.params.feed)) throw new HttpError(400, `unknown feed "${req.params.feed}"; feeds: ${FEEDS.join(', ')}`);
      const name = req.query.filename ?? `${req.params.feed}-upload`;
      const path = join(app.ingest.config.incomingDir, `${new Date().toISOString().slice(0, 10)}-${randomUUID()}-${name.replace(/\s+/g, '_')}`);
      await pipeline(req.raw, createWriteStream(path, { flags: 'wx' }));
      const outcome = (r: { runId: string; status: string; rowsIn: number; rowsAccepted: number; rowsRejected: number }) => {
        req.auditExtra = { runId: r.runId, outcome: r.status, rowsIn: r.rowsIn, rowsAccepted: r.rowsAccepted, rowsRejected: r.rowsRejected };
      };
      try {
        const report = await app.ingest.run(req.params.feed, path, req.query.jurisdiction ?? opts.defaultJurisdiction, actor, name);
        outcome(report);
        return { ...report, file: name };
      } catch (e) {
        if (e instanceof IngestError && e.report) {
          outcome(e.report);
          return reply.code(422).send({ ...e.report, file: name });
        }
        if (e instanceof IngestError) {
          await rm(path, { force: true });
          throw new HttpError(400, e.message.replaceAll(path, name));
        }
        throw e;
      }
    },
  );
};
export default routes;
