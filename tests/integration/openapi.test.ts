// The OpenAPI document at /api/docs/json validates as OpenAPI 3 (@readme/openapi-parser: the
// OpenAPI Initiative's JSON Schemas for 3.0/3.1 plus its own checks of path parameters, operation
// ids and security schemes), documents the CSV/Arrow and 304 answers, and the page's generated
// types (web/src/api-schema.d.ts) are what `npm run api:types` makes of it today.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { compileErrors, validate } from '@readme/openapi-parser';
import { buildApp } from '../../server/app.ts';
import { API_TYPES_FILE, apiTypes } from '../../scripts/api-types.ts';
import { openStores, tempDir, TEST_LINKAGE } from '../helpers/fixtures.ts';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, unknown> }> }>>;
};

let app: FastifyInstance;
let doc: Doc;

beforeAll(async () => {
  const { duck, ops } = await openStores();
  app = await buildApp({
    duck,
    ops,
    defaultJurisdiction: 'nyc',
    webRoot: null,
    ingest: { incomingDir: tempDir(), linkage: TEST_LINKAGE, maxRejectShare: 0.05, adminToken: 'openapi-test-token' },
  });
  await app.ready();
  const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
  expect(res.statusCode).toBe(200);
  doc = res.json() as Doc;
});
afterAll(async () => {
  await app?.close();
});

const check = async (d: unknown) => {
  const r = await validate(structuredClone(d) as Parameters<typeof validate>[0]);
  return { valid: r.valid, errors: r.valid ? '' : compileErrors(r), warnings: r.warnings };
};

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1, without warnings', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const r = await check(doc);
    expect(r.errors).toBe('');
    expect(r.valid).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('is checked for real: the validator refuses a broken copy', async () => {
    const broken = structuredClone(doc) as Doc & { info?: unknown };
    // An operation with a path parameter it does not declare, and no info object.
    broken.paths['/api/v1/things/{thing}'] = { get: { responses: { 200: { description: 'x' } as never } } };
    delete broken.info;
    const r = await check(broken);
    expect(r.valid).toBe(false);
  });

  it('documents every route of the API', () => {
    for (const p of [
      '/api/v1/series',
      '/api/v1/rates',
      '/api/v1/linkage',
      '/api/v1/performance',
      '/api/v1/signals',
      '/api/v1/alerts',
      '/api/v1/status',
      '/api/v1/indicators',
      '/api/v1/jurisdictions',
      '/api/v1/jurisdictions/{id}/areas',
      '/api/v1/uploads/{feed}',
      '/api/v1/admin/audit',
      '/api/v1/auth/login',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('documents JSON, CSV and Arrow answers and the format parameter of the tabular routes, and 304 of the cached ones', () => {
    for (const p of ['/api/v1/series', '/api/v1/rates', '/api/v1/linkage', '/api/v1/performance', '/api/v1/signals', '/api/v1/alerts', '/api/v1/status', '/api/v1/admin/audit']) {
      const op = doc.paths[p]!.get!;
      expect(Object.keys(op.responses['200']!.content ?? {}).sort(), p).toEqual(['application/json', 'application/vnd.apache.arrow.stream', 'text/csv']);
      expect(op.parameters?.find((x) => x.name === 'format' && x.in === 'query'), p).toBeDefined();
    }
    for (const p of ['/api/v1/series', '/api/v1/rates', '/api/v1/linkage', '/api/v1/performance', '/api/v1/signals', '/api/v1/indicators', '/api/v1/jurisdictions']) {
      expect(doc.paths[p]!.get!.responses['304'], p).toBeDefined();
    }
    // Not cached: operational status and the audit log.
    expect(doc.paths['/api/v1/status']!.get!.responses['304']).toBeUndefined();
  });
});

describe('the generated client types', () => {
  it('web/src/api-schema.d.ts is what npm run api:types writes from the current route schemas', async () => {
    const fresh = await apiTypes();
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    // On failure: run `npm run api:types` and commit web/src/api-schema.d.ts.
    expect(committed === fresh, 'web/src/api-schema.d.ts is stale: run npm run api:types').toBe(true);
    expect(committed).toMatch(/"\/api\/v1\/series": \{/);
  });

  it('would notice a change of the schemas', async () => {
    const changed = structuredClone(doc);
    const series = changed.paths['/api/v1/series']!.get!;
    series.parameters = [...(series.parameters ?? []), { name: 'newParameter', in: 'query' } as never];
    expect(await apiTypes(changed as never)).not.toBe(readFileSync(API_TYPES_FILE, 'utf8'));
  });
});
