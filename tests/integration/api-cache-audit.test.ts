// Cache validators on the aggregate GETs (ETag from data version + role + URL + representation,
// 304 on If-None-Match, a new tag after every load), and the audit rows of agency uploads and
// exports. Loads go through the upload route, as an agency's would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, utf8 } from '../../server/plugins/app/caching.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { createToken } from '../../sql/postgres/api-tokens.ts';
import { loginAs, type TestSession } from '../helpers/auth.ts';
import { openStores, tempDir, TEST_LINKAGE, writeMortality } from '../helpers/fixtures.ts';

const ADMIN_TOKEN = 'local-admin-token-for-cache-tests';
const SERIES = '/api/v1/series?indicator=deaths.opioid&interval=month';

let app: FastifyInstance;
let analyst: TestSession;
let commander: TestSession;
let token: string;
let tokenId: number;
let emsToken: string;
const files: Record<string, Buffer> = {};

beforeAll(async () => {
  const { duck, ops, nyc } = await openStores();
  const dir = tempDir();
  files.first = readFileSync(writeMortality(nyc, join(dir), { years: 1, end: '2024-12-31' }).file);
  const other = tempDir();
  files.second = readFileSync(writeMortality(nyc, other, { years: 1, end: '2025-12-31', seed: 11 }).file);
  app = await buildApp({
    duck,
    ops,
    defaultJurisdiction: 'nyc',
    webRoot: null,
    ingest: { incomingDir: join(dir, 'incoming'), linkage: TEST_LINKAGE, maxRejectShare: 0.05, adminToken: ADMIN_TOKEN },
  });
  await app.ready();
  analyst = await loginAs(app, 'analyst');
  commander = await loginAs(app, 'commander');
  ({ id: tokenId, token } = await createToken(ops.db, { name: 'ME nightly', agency: 'Medical Examiner', feeds: ['mortality'] }));
  ({ token: emsToken } = await createToken(ops.db, { name: 'EMS', agency: 'FDNY EMS', feeds: ['ems'] }));
});
afterAll(async () => {
  await app?.close();
});

const upload = (bearer: string | null, body: Buffer, name: string) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/uploads/mortality?filename=${name}`,
    headers: { 'content-type': 'text/csv', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    payload: body,
  });

const get = (s: TestSession, url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers: { cookie: s.cookie, ...headers } });

describe('ETag and Cache-Control on aggregate GETs', () => {
  let first: string;

  beforeAll(async () => {
    const r = await upload(token, files.first!, 'me-2024.csv');
    expect(r.statusCode, r.body).toBe(200);
  });

  it('sends a strong ETag, private caching and Vary: Cookie, Accept', async () => {
    const res = await get(analyst, SERIES);
    expect(res.statusCode).toBe(200);
    first = res.headers.etag as string;
    expect(first).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(res.headers['cache-control']).toBe('private, max-age=60');
    expect(String(res.headers.vary).split(/,\s*/)).toEqual(expect.arrayContaining(['Cookie', 'Accept']));
    // The same request again: the same tag.
    expect((await get(analyst, SERIES)).headers.etag).toBe(first);
  });

  it('answers 304, with no body, when If-None-Match holds the tag (also weak, or in a list)', async () => {
    for (const inm of [first, `W/${first}`, `"nope", ${first}`, '*']) {
      const res = await get(analyst, SERIES, { 'if-none-match': inm });
      expect({ inm, status: res.statusCode }).toEqual({ inm, status: 304 });
      expect(res.body).toBe('');
      expect(res.headers.etag).toBe(first);
      expect(res.headers['cache-control']).toBe('private, max-age=60');
    }
    const stale = await get(analyst, SERIES, { 'if-none-match': '"something-else"' });
    expect(stale.statusCode).toBe(200);
    expect(stale.json().series.length).toBeGreaterThan(1);
  });

  it('gives another role, another URL and another representation another tag', async () => {
    const tags = new Set([
      first,
      (await get(commander, SERIES)).headers.etag,
      (await get(analyst, `${SERIES}&areas=101`)).headers.etag,
      (await get(analyst, SERIES, { accept: 'text/csv' })).headers.etag,
      (await get(analyst, SERIES, { accept: 'application/vnd.apache.arrow.stream' })).headers.etag,
    ]);
    expect(tags.size).toBe(5);
    // A commander's tag does not validate the analyst's answer, nor the reverse.
    expect((await get(commander, SERIES, { 'if-none-match': first })).statusCode).toBe(200);
  });

  it('changes the tag when a new file is loaded, and not when a file already loaded is sent again', async () => {
    const again = await upload(token, files.first!, 'me-2024-again.csv');
    expect(again.json().status).toBe('unchanged');
    expect((await get(analyst, SERIES)).headers.etag).toBe(first);
    const before = (await get(analyst, SERIES)).json();

    const loaded = await upload(token, files.second!, 'me-2025.csv');
    expect(loaded.statusCode, loaded.body).toBe(200);
    expect(loaded.json().status).toBe('succeeded');
    const after = await get(analyst, SERIES, { 'if-none-match': first });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(first);
    // And the answer did change with it.
    expect(after.json().to).not.toBe(before.to);
    expect((await get(analyst, SERIES, { 'if-none-match': after.headers.etag as string })).statusCode).toBe(304);
  });

  it('covers every aggregate GET, and only successful answers', async () => {
    for (const url of [
      '/api/v1/jurisdictions',
      '/api/v1/jurisdictions/nyc/areas',
      '/api/v1/indicators',
      '/api/v1/rates?indicator=deaths.opioid&interval=year',
      '/api/v1/linkage?interval=year',
      '/api/v1/performance?interval=year',
      '/api/v1/signals?indicator=deaths.any_drug&method=ears_c1',
    ]) {
      const res = await get(analyst, url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect({ url, etag: /^"[A-Za-z0-9_-]{32}"$/.test(String(res.headers.etag)) }).toEqual({ url, etag: true });
      expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
      expect((await get(analyst, url, { 'if-none-match': res.headers.etag as string })).statusCode).toBe(304);
    }
    expect((await get(analyst, '/api/v1/jurisdictions/nyc/areas')).headers['cache-control']).toBe('private, max-age=3600');
    const bad = await get(analyst, '/api/v1/series?indicator=deaths.nothing');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers.etag).toBeUndefined();
    expect(bad.headers['cache-control']).toBeUndefined();
    // Operational detail and the audit log are not cached.
    expect((await get(analyst, '/api/v1/status')).headers.etag).toBeUndefined();
  });

  it('changes the tag of a threshold-method signal when an alert threshold changes', async () => {
    const url = '/api/v1/signals?indicator=deaths.any_drug&method=threshold';
    const before = (await get(analyst, url)).headers.etag;
    const put = await app.inject({ method: 'PUT', url: '/api/v1/alerts/thresholds', headers: analyst.headers, payload: { indicator: 'deaths.any_drug', area: '*', minCount: 3 } });
    expect(put.statusCode, put.body).toBe(200);
    const after = (await get(analyst, url)).headers.etag;
    expect(after).not.toBe(before);
    // Other methods do not read the thresholds.
    const essence = '/api/v1/signals?indicator=deaths.any_drug&method=ears_c1';
    const e1 = (await get(analyst, essence)).headers.etag;
    await app.inject({ method: 'PUT', url: '/api/v1/alerts/thresholds', headers: analyst.headers, payload: { indicator: 'deaths.any_drug', area: '*', minCount: 4 } });
    expect((await get(analyst, essence)).headers.etag).toBe(e1);
  });
});

describe('data status between loads', () => {
  const status = async () => {
    const r = await get(analyst, '/api/v1/status');
    expect(r.statusCode).toBe(200);
    const f = (r.json() as { feeds: { feed: string; jurisdiction: string; files: number; rowsRejected: number }[] }).feeds.find((x) => x.feed === 'mortality' && x.jurisdiction === 'nyc');
    return { files: f?.files ?? 0, rowsRejected: f?.rowsRejected ?? 0 };
  };

  it('shows each new load and each refused file at once (its answer is kept only until the next load)', async () => {
    const before = await status();
    expect(await status()).toEqual(before);
    const third = tempDir();
    const file = readFileSync(writeMortality((await openStores()).nyc, third, { years: 1, end: '2023-12-31', seed: 5 }).file);
    expect((await upload(token, file, 'me-2023.csv')).json().status).toBe('succeeded');
    const after = await status();
    expect(after.files).toBe(before.files + 1);
    // A file of nothing but bad rows is refused, and its rejected rows are counted.
    const junk = Buffer.from(`${file.toString().split('\n')[0]}\n${'x,'.repeat(5)}x\n${'y,'.repeat(5)}y\n`);
    expect((await upload(token, junk, 'junk.csv')).statusCode).toBeGreaterThanOrEqual(400);
    const refused = await status();
    expect(refused.files).toBe(after.files);
    expect(refused.rowsRejected).toBeGreaterThan(after.rowsRejected);
  });
});

describe('audit log of uploads and exports', () => {
  const rowsOf = async (action: string) => {
    await app.audit.flush();
    return app.ops.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  };

  it("writes every upload with the token, its agency, the feed, the file and what the load did", async () => {
    const ups = await rowsOf('ingest.upload');
    const ok = ups.find((r) => (r.params as { query: { filename?: string } }).query.filename === 'me-2025.csv')!;
    expect(ok).toMatchObject({
      actor: `token ${tokenId} (ME nightly, Medical Examiner)`,
      role: 'upload-token',
      agency: 'Medical Examiner',
      user_id: null,
      endpoint: 'POST /api/v1/uploads/:feed',
      status: 200,
    });
    expect(ok.params).toMatchObject({ params: { feed: 'mortality' }, outcome: 'succeeded', rowsRejected: expect.any(Number) });
    expect((ok.params as { rowsAccepted: number }).rowsAccepted).toBeGreaterThan(100);
    const again = ups.find((r) => (r.params as { query: { filename?: string } }).query.filename === 'me-2024-again.csv')!;
    expect(again.params).toMatchObject({ outcome: 'unchanged' });
  });

  it('writes refused uploads too: no token, an unknown token, a token for another feed, and the local administrator', async () => {
    expect((await upload(null, Buffer.from('x'), 'none.csv')).statusCode).toBe(401);
    expect((await upload('odt_made-up', Buffer.from('x'), 'guess.csv')).statusCode).toBe(401);
    expect((await upload(emsToken, files.first!, 'wrong-feed.csv')).statusCode).toBe(403);
    expect((await upload(ADMIN_TOKEN, Buffer.from('a,b\n1,2\n'), 'admin.csv')).statusCode).toBe(400);
    const ups = await rowsOf('ingest.upload');
    const by = (name: string) => ups.find((r) => (r.params as { query: { filename?: string } }).query.filename === name);
    expect(by('none.csv')).toMatchObject({ status: 401, role: 'anonymous', actor: null });
    expect(by('guess.csv')).toMatchObject({ status: 401, role: 'anonymous', actor: null });
    expect(by('wrong-feed.csv')).toMatchObject({ status: 403, role: 'upload-token', agency: 'FDNY EMS', actor: expect.stringMatching(/^token \d+ \(EMS, FDNY EMS\)$/) });
    expect(by('admin.csv')).toMatchObject({ status: 400, role: 'admin', actor: 'local administrator (odstat ingest)' });
    // The secret itself is never written.
    expect(JSON.stringify(ups)).not.toContain(token);
    expect(JSON.stringify(ups)).not.toContain(ADMIN_TOKEN);
  });

  it('replays a kept answer byte for byte, with its headers, and still writes each request to the log', async () => {
    const url = `${SERIES}&from=2024-07-01&to=2024-09-30`;
    const a = await get(commander, url);
    const b = await get(commander, url);
    expect(b.statusCode).toBe(200);
    expect(b.rawPayload.equals(a.rawPayload)).toBe(true);
    for (const h of ['etag', 'content-type', 'cache-control', 'vary']) expect(b.headers[h], h).toBe(a.headers[h]);
    // Another representation and another role are answers of their own.
    const csv = await get(commander, url, { accept: 'text/csv' });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment/);
    const csv2 = await get(commander, url, { accept: 'text/csv' });
    expect(csv2.body).toBe(csv.body);
    expect(csv2.headers['content-disposition']).toBe(csv.headers['content-disposition']);
    expect((await get(analyst, url)).body).not.toBe(a.body);
    await app.audit.flush();
    const reads = (await rowsOf('data.read')).filter((r) => r.user_id === commander.user.id && (r.params as { query: { from?: string } }).query.from === '2024-07-01');
    expect(reads).toHaveLength(4);
    expect(new Set(reads.map((r) => r.rows_returned))).toEqual(new Set([a.json().series.reduce((n: number, s: { points: unknown[] }) => n + s.points.length, 0)]));
  });

  it('sends kept answers gzip-compressed to clients that accept it, the same JSON once inflated', async () => {
    const url = `${SERIES}&from=2024-10-01&to=2024-12-31`;
    const plain = await get(commander, url);
    for (const round of [1, 2]) {
      const gz = await get(commander, url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(gz.headers['content-encoding'], `round ${round}`).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(gz.headers.etag).toBe(plain.headers.etag);
    }
    expect(String(plain.headers.vary)).toMatch(/Accept-Encoding/);
    const refused = await get(commander, url, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.rawPayload.equals(plain.rawPayload)).toBe(true);
    expect([acceptsGzip('*'), acceptsGzip('br, *;q=0'), acceptsGzip(undefined), acceptsGzip(['deflate', 'GZIP;q=0.5'])]).toEqual([true, false, false, true]);
    // The kept bytes of an answer are its UTF-8, whatever its characters.
    for (const text of ['', 'plain', 'é ü 東京 🙂 \u0000 "q"', 'x'.repeat(300_000) + '🙂']) expect(utf8(text).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it('marks exports in the log, whether asked by Accept or by format, and logs revalidations', async () => {
    await get(commander, `${SERIES}&from=2024-01-01&to=2024-06-30`, { accept: 'text/csv' });
    await get(commander, `${SERIES}&from=2024-01-01&to=2024-03-31&format=arrow`);
    const reads = (await rowsOf('data.read')).filter((r) => r.user_id === commander.user.id);
    const csv = reads.find((r) => (r.params as { query: { to?: string } }).query.to === '2024-06-30')!;
    expect(csv).toMatchObject({ status: 200, endpoint: 'GET /api/v1/series' });
    expect(csv.params).toMatchObject({ format: 'csv' });
    expect(csv.rows_returned).toBeGreaterThan(0);
    const arrow = reads.find((r) => (r.params as { query: { to?: string } }).query.to === '2024-03-31')!;
    expect(arrow.params).toMatchObject({ format: 'arrow', query: { format: 'arrow' } });
    const notModified = (await rowsOf('data.read')).filter((r) => r.status === 304);
    expect(notModified.length).toBeGreaterThan(0);
  });
});

describe('one new answer for requests that ask for it at the same moment', () => {
  it('makes it once and sends it to every one of them', async () => {
    const url = '/api/v1/series?indicator=deaths.opioid&interval=week&from=2024-02-03&to=2024-05-06';
    const before = app.answerStats();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => get(analyst, url, i % 2 ? { 'accept-encoding': 'gzip' } : {})));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
    const bodies = answers.map((a) => (a.headers['content-encoding'] === 'gzip' ? gunzipSync(a.rawPayload).toString() : a.body));
    expect(new Set(bodies).size).toBe(1);
    expect((JSON.parse(bodies[0]!) as { series: unknown[] }).series.length).toBeGreaterThan(1);
    const after = app.answerStats();
    expect(after.made - before.made).toBe(1);
    expect(after.waitedFor - before.waitedFor).toBe(7);
  });

  it('lets the others make their own when the first is not kept', async () => {
    // An area the jurisdiction does not have: refused by the handler, so not kept; the requests
    // that waited for it are each answered on their own, and none is left waiting.
    const url = '/api/v1/series?indicator=deaths.opioid&interval=week&from=2024-02-03&to=2024-05-06&areas=no-such-area';
    const before = app.answerStats();
    const answers = await Promise.all(Array.from({ length: 4 }, () => get(analyst, url)));
    const codes = answers.map((a) => a.statusCode);
    expect(codes.every((c) => c >= 400 && c < 500 && c === codes[0])).toBe(true);
    expect(app.answerStats().made - before.made).toBe(4);
  });
});

describe('an audit row Postgres cannot take does not stop the audit log', () => {
  it('writes a request that carried U+0000, and every request after it', async () => {
    const res = await get(analyst, '/api/v1/indicators?note=a%00b');
    expect(res.statusCode).toBe(200);
    const after = await get(analyst, '/api/v1/indicators?note=after-nul');
    expect(after.statusCode).toBe(200);
    await app.audit.flush();
    expect(app.audit.queued()).toBe(0);
    const rows = await app.ops.db.selectFrom('audit_log').select(['params']).where('endpoint', '=', 'GET /api/v1/indicators').orderBy('id').execute();
    const notes = rows.map((r) => (r.params as { query?: { note?: string } }).query?.note);
    expect(notes).toEqual(expect.arrayContaining(['a\ufffdb', 'after-nul']));
  });

  it('writes the rows of a refused batch one by one, and the refused row without its parameters', async () => {
    const base = { userId: null, actor: 'fuzz', role: 'analyst', agency: null, action: 'test.refused', endpoint: 'GET /x', status: 200, ip: null, at: new Date() };
    // rows_returned is an integer column: 2^40 does not fit, so Postgres refuses the whole batch.
    app.audit.write({ ...base, params: { n: 1 }, rowsReturned: 2 ** 40, requestId: 'too-big' });
    app.audit.write({ ...base, params: { n: 2 }, rowsReturned: 5, requestId: 'fine' });
    await app.audit.flush();
    expect(app.audit.queued()).toBe(0);
    const rows = await app.ops.db.selectFrom('audit_log').selectAll().where('action', '=', 'test.refused').orderBy('request_id').execute();
    expect(rows.map((r) => [r.request_id, r.rows_returned])).toEqual([
      ['fine', 5],
      ['too-big', null],
    ]);
    expect(rows[1]!.params).toMatchObject({ unwritable: expect.stringMatching(/out of range/) });
    expect(rows[0]!.params).toEqual({ n: 2 });
  });
});
