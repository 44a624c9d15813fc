// The monthly brief (issue 7, item 3; docs/brief.md): one month's headline figures against the month
// before and a year earlier, the map, new and continuing hotspots with their explanations, drug-supply
// changes, the naloxone plan and the last meeting's action items. The first render of a month is
// frozen in Postgres (briefs, migration 0006) with the data and definition versions it used, per
// suppression policy; later renders return the snapshot, so a past brief reads the same after new
// loads. Analysts and administrators may refresh: a new version, the old ones kept.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Brief, BriefParams, BriefQuery, BriefRefresh, ServiceSession, ServiceSessionRequest, type BriefFigures } from '../../schemas/brief.ts';
import { badRequest, errorResponses, forbidden, HttpError, notFound } from '../../http.ts';
import { POLICY_FEEDS, policyFor, type Role } from '../../policy.ts';
import { withConn } from '../../duck.ts';
import { dataVersion, definitionVersions, type DataVersion } from '../../planner/data.ts';
import { getBrief, insertBrief, isDuplicate, listBriefVersions, type BriefRow } from '../../../sql/postgres/briefs.ts';
import { createUser, findUserByEmail } from '../../../sql/postgres/users.ts';
import { createSession } from '../../../sql/postgres/sessions.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { COOKIE_PATH, SESSION_COOKIE } from '../../plugins/external/security.ts';
import { assembleBrief, HEADLINE_INDICATORS, MAP_INDICATOR, NoDataError, SUPPLY_INDICATORS } from '../../brief/assemble.ts';
import { describePolicyTable, MonthError, parseMonth, policyKey } from '../../brief/figures.ts';

export interface BriefRouteOptions {
  defaultJurisdiction: string;
  /** The local administrator token (`odstat serve`): lets `odstat brief` get a service session. */
  adminToken: string | null;
}

/** Who may make a new version of a frozen brief. */
const REFRESHERS: readonly Role[] = ['analyst', 'admin'];
/** Service sessions for `odstat brief` last long enough to print, no longer. */
const SERVICE_SESSION_MS = 15 * 60_000;

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const routes: FastifyPluginAsyncTypebox<BriefRouteOptions> = async (app, opts) => {
  const roleOf = (req: FastifyRequest): Role => {
    const r = req.auth.role;
    if (r === null) throw new HttpError(401, 'sign in first (POST /api/v1/auth/login)');
    return r;
  };
  const policyOf = (r: Role) => {
    const table = Object.fromEntries(POLICY_FEEDS.map((f) => [f, policyFor(r, f, app.security.policy)]));
    return { key: policyKey(table), description: `the ${r} role: ${describePolicyTable(table)}`, table };
  };
  const monthOf = (s: string) => {
    try {
      return parseMonth(s);
    } catch (e) {
      if (e instanceof MonthError) throw badRequest(e.message);
      throw e;
    }
  };

  const versionNow = (jurisdiction: string) => withConn(app, (c) => dataVersion(c, jurisdiction));

  /** Assembles the month as the caller sees it and stores it as the next version. */
  const freeze = async (req: FastifyRequest, jurisdiction: string, month: string, reason: 'first' | 'refresh'): Promise<BriefRow<BriefFigures, DataVersion>> => {
    const r = roleOf(req);
    const policy = policyOf(r);
    // The data version before and after: a load finishing in between would mix two versions.
    for (let attempt = 0; ; attempt++) {
      const before = await versionNow(jurisdiction);
      let figures: BriefFigures;
      try {
        figures = await assembleBrief(app, req, jurisdiction, month);
      } catch (e) {
        if (e instanceof NoDataError) throw notFound(e.message);
        throw e;
      }
      const after = await versionNow(jurisdiction);
      if (before.lastRun !== after.lastRun && attempt < 2) continue;
      const indicators = [...HEADLINE_INDICATORS, MAP_INDICATOR, ...SUPPLY_INDICATORS];
      const defs = await withConn(app, (c) => definitionVersions(c, [...new Set(indicators)]));
      try {
        const { version } = await insertBrief(app.ops.db, {
          jurisdiction,
          month,
          policyKey: policy.key,
          reason,
          createdBy: { id: req.auth.user?.id ?? null, email: req.auth.user?.email ?? null, role: r },
          policy: { key: policy.key, description: policy.description, table: policy.table },
          figures,
          dataVersion: after,
          definitionVersions: defs,
        });
        return (await getBrief<BriefFigures, DataVersion>(app.ops.db, { jurisdiction, month, policyKey: policy.key }, version))!;
      } catch (e) {
        // Another reader under the same policy froze it first: theirs is the brief.
        if (reason === 'first' && isDuplicate(e)) {
          const row = await getBrief<BriefFigures, DataVersion>(app.ops.db, { jurisdiction, month, policyKey: policy.key });
          if (row) return row;
        }
        throw e;
      }
    }
  };

  const respond = async (req: FastifyRequest, row: BriefRow<BriefFigures, DataVersion>) => {
    const now = await versionNow(row.jurisdiction);
    const p = row.policy as { key: string; description: string };
    req.auditExtra = { month: row.month, version: row.version, policyKey: row.policyKey };
    return {
      id: row.id,
      jurisdiction: row.jurisdiction,
      month: row.month,
      version: row.version,
      versions: await listBriefVersions(app.ops.db, row),
      frozenAt: row.createdAt,
      frozenBy: { email: row.createdBy.email, role: row.createdBy.role },
      reason: row.reason,
      policy: { key: p.key, description: p.description },
      dataVersion: row.dataVersion,
      definitionVersions: row.definitionVersions,
      newerData: now.lastRun !== row.dataVersion.lastRun || now.files !== row.dataVersion.files,
      figures: row.figures,
    };
  };

  app.get(
    '/briefs/:month',
    {
      config: { access: 'members', auditAction: 'briefs.read' },
      schema: {
        tags: ['briefs'],
        summary: 'The monthly brief: frozen at its first render, per suppression policy',
        description:
          'Headline figures against the month before and a year earlier, the map, new and continuing hotspots, drug-supply changes, the naloxone plan and the last meeting’s action items, as the reader’s role may see them. The first request for a month stores a snapshot with the data and definition versions; later requests return it unchanged after new loads (`newerData` says when there are). `version` reads an earlier snapshot. 404 when no data cover the month.',
        params: BriefParams,
        querystring: BriefQuery,
        response: { 200: Brief, ...errorResponses },
      },
    },
    async (req) => {
      const r = roleOf(req);
      const month = monthOf(req.params.month);
      const jurisdiction = req.query.jurisdiction ?? opts.defaultJurisdiction;
      const key = { jurisdiction, month, policyKey: policyOf(r).key };
      if (req.query.version !== undefined) {
        const row = await getBrief<BriefFigures, DataVersion>(app.ops.db, key, req.query.version);
        if (!row) throw notFound(`no version ${req.query.version} of the ${month} brief for this role`);
        return respond(req, row);
      }
      const row = (await getBrief<BriefFigures, DataVersion>(app.ops.db, key)) ?? (await freeze(req, jurisdiction, month, 'first'));
      return respond(req, row);
    },
  );

  app.post(
    '/briefs/:month/refresh',
    {
      config: { access: 'members', auditAction: 'briefs.refresh' },
      schema: {
        tags: ['briefs'],
        summary: 'A new version of the month’s brief on the data loaded now (analysts, administrators)',
        description: 'The earlier versions are kept and stay readable (`?version=`). Only the snapshot for the caller’s suppression policy is made; readers under another policy get a new one on their next request only if they have none.',
        params: BriefParams,
        body: BriefRefresh,
        response: { 201: Brief, ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = roleOf(req);
      if (!REFRESHERS.includes(r)) throw forbidden(`the ${r} role may read briefs but not refresh them (analysts and administrators do)`);
      const month = monthOf(req.params.month);
      const jurisdiction = req.body?.jurisdiction ?? opts.defaultJurisdiction;
      const row = await freeze(req, jurisdiction, month, 'refresh');
      reply.code(201);
      return respond(req, row);
    },
  );

  // `odstat brief` prints the page through headless Chromium as a service account of the chosen
  // role, with a short session minted here against the local administrator token (the file only
  // the data directory's owner can read), so nobody types a password. Audited as every request.
  app.post(
    '/briefs/service-session',
    {
      config: { access: 'token', auditAction: 'briefs.service-session' },
      schema: {
        tags: ['briefs'],
        summary: 'A short session for `odstat brief` (local administrator token only)',
        body: ServiceSessionRequest,
        response: { 201: ServiceSession, ...errorResponses },
      },
    },
    async (req, reply) => {
      const m = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '');
      if (!m || !opts.adminToken || !sameSecret(m[1]!, opts.adminToken)) throw new HttpError(401, 'the local administrator token is required (Authorization: Bearer …)');
      const role = req.body.role;
      const email = `odstat-brief-${role}@service.invalid`;
      let user = await findUserByEmail(app.ops.db, email);
      if (!user) {
        // Nobody signs in as this account: its password is random and never shown.
        user = await createUser(app.ops.db, {
          email,
          name: `odstat brief (${role})`,
          role,
          agency: 'ODStat service',
          passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
        });
      }
      if (user.disabled_at) throw forbidden(`${email} is disabled; enable it (odstat user enable ${email}) to print briefs as ${role}`);
      if (user.role !== role) throw forbidden(`${email} has the role ${user.role}, not ${role}`);
      const s = await createSession(app.ops.db, { userId: user.id, maxAgeMs: SERVICE_SESSION_MS, ip: req.ip, userAgent: 'odstat brief' });
      req.auditWho = { actor: 'local administrator (odstat brief)', role: 'admin', agency: null };
      req.auditExtra = { serviceAccount: email, serviceRole: role };
      reply.code(201);
      return { cookie: { name: SESSION_COOKIE, value: s.id, path: COOKIE_PATH }, email, role, expiresAt: s.expiresAt.toISOString() };
    },
  );
};

export default routes;
