// The Fastify application: external plugins (databases, OpenAPI), then app plugins, then routes,
// in that fixed order. Configuration comes in explicitly; nothing switches on NODE_ENV.
import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Duck } from '../sql/duckdb.ts';
import type { Ops } from '../sql/postgres/db.ts';
import duckdb from './plugins/external/duckdb.ts';
import ops from './plugins/external/ops.ts';
import openapi from './plugins/external/openapi.ts';
import web from './plugins/external/web.ts';
import errors from './plugins/errors.ts';
import health from './routes/health.ts';
import jurisdictions from './routes/v1/jurisdictions.ts';
import indicators from './routes/v1/indicators.ts';
import seriesRoutes from './routes/v1/series.ts';
import uploads from './routes/v1/uploads.ts';
import status from './routes/v1/status.ts';
import ingest, { type IngestConfig } from './plugins/app/ingest.ts';
import security from './plugins/external/security.ts';
import auth from './plugins/app/auth.ts';
import audit from './plugins/app/audit.ts';
import authRoutes from './routes/v1/auth.ts';
import adminRoutes from './routes/v1/admin.ts';
import { securityDefaults, type SecurityOptions } from './auth/options.ts';
import tabular from './plugins/app/tabular.ts';
import caching from './plugins/app/caching.ts';

export interface AppOptions {
  /** Open handles; the app owns them from here and closes them on close. */
  duck: Duck;
  ops: Ops;
  defaultJurisdiction: string;
  /** Folder of the built page; null serves the API only. */
  webRoot: string | null;
  logger?: FastifyServerOptions['logger'];
  /** Loading files through the server (uploads, `odstat ingest` while serving); null turns it off. */
  ingest?: IngestConfig | null;
  /** Sign-in, sessions, rate limits, audit retention, the role policy; unset fields take the defaults. */
  security?: Partial<SecurityOptions>;
  /** Behind a reverse proxy: trust its X-Forwarded-For/-Proto (Fastify's trustProxy), for addresses and TLS. */
  trustProxy?: boolean | string | string[];
}

export async function buildApp(opts: AppOptions) {
  const securityOptions: SecurityOptions = { ...securityDefaults(), ...opts.security };
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1_048_576,
    trustProxy: opts.trustProxy ?? false,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(duckdb, { duck: opts.duck });
  await app.register(ops, { ops: opts.ops });
  await app.register(security, { security: securityOptions });
  // Before any route: tabular routes get their `format` parameter as they are added.
  await app.register(tabular);
  await app.register(openapi);
  await app.register(errors);
  await app.register(auth, { security: securityOptions });
  await app.register(audit, { retentionDays: securityOptions.auditRetentionDays });
  await app.register(caching);
  if (opts.ingest) await app.register(ingest, { config: opts.ingest });

  await app.register(health);
  await app.register(
    async (v1) => {
      // Every route here: who is asking and may they (route config.access, closed by default),
      // a CSRF token on state-changing requests, and a row in the audit log.
      v1.addHook('onRequest', v1.authenticate);
      v1.addHook('onRequest', v1.checkCsrf);
      v1.addHook('onResponse', v1.auditResponse);
      await v1.register(authRoutes);
      await v1.register(adminRoutes);
      await v1.register(jurisdictions);
      await v1.register(indicators);
      await v1.register(seriesRoutes, { defaultJurisdiction: opts.defaultJurisdiction });
      await v1.register((await import('./routes/v1/metrics.ts')).default, { defaultJurisdiction: opts.defaultJurisdiction });
      await v1.register((await import('./routes/v1/signals.ts')).default, { defaultJurisdiction: opts.defaultJurisdiction });
      await v1.register((await import('./routes/v1/planner.ts')).default, { defaultJurisdiction: opts.defaultJurisdiction });
      await v1.register((await import('./routes/v1/meetings.ts')).default, { defaultJurisdiction: opts.defaultJurisdiction });
      // The monthly brief, frozen per month and suppression policy (issue 7, item 3; docs/brief.md).
      await v1.register((await import('./routes/v1/briefs.ts')).default, { defaultJurisdiction: opts.defaultJurisdiction, adminToken: opts.ingest?.adminToken ?? null });
      await v1.register(status);
      // Records outside every area, per feed, for the page's data-status view (issue 6).
      await v1.register((await import('./routes/v1/status-areas.ts')).default, { defaultJurisdiction: opts.defaultJurisdiction });
      // Drug checking beyond the served indicators, for the page's drug-supply view (issue 6).
      await v1.register((await import('./routes/v1/drug-supply.ts')).default, { defaultJurisdiction: opts.defaultJurisdiction });
      if (opts.ingest) await v1.register(uploads, { defaultJurisdiction: opts.defaultJurisdiction });
    },
    { prefix: '/api/v1' },
  );
  if (opts.webRoot) await app.register(web, { root: opts.webRoot });
  return app;
}
