import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { createToken, revokeToken } from '../../sql/postgres/api-tokens.ts';
import { recentRuns } from '../../sql/postgres/ingest-runs.ts';
import { openStores, tempDir, TEST_LINKAGE, writeMortality } from '../helpers/fixtures.ts';
import { loginAs } from '../helpers/auth.ts';
import { MORTALITY_COLUMNS } from '../../ingest/feeds/mortality.ts';

describe('agency uploads', () => {
  let app: FastifyInstance;
  let file: string;
  let incoming: string;
  let token: string;
  let tokenId: number;
  let emsOnly: string;

  beforeAll(async () => {
    const { duck, ops, nyc } = await openStores();
    const dir = tempDir();
    ({ file } = writeMortality(nyc, dir, { years: 1 }));
    incoming = join(dir, 'incoming');
    app = await buildApp({
      duck,
      ops,
      defaultJurisdiction: 'nyc',
      webRoot: null,
      ingest: { incomingDir: incoming, linkage: TEST_LINKAGE, maxRejectShare: 0.05, adminToken: 'local-admin-token-for-tests' },
    });
    await app.ready();
    ({ id: tokenId, token } = await createToken(ops.db, { name: 'ME nightly', agency: 'Medical Examiner', feeds: ['mortality'] }));
    ({ token: emsOnly } = await createToken(ops.db, { name: 'EMS', agency: 'FDNY EMS', feeds: ['ems'] }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const upload = (auth: string | null, url = '/api/v1/uploads/mortality?filename=me-2025.csv', body: Buffer | string = readFileSync(file)) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'text/csv', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      payload: body,
    });

  /** The newest run: every refusal is one, named as sent (never the server's copy in its incoming folder). */
  const expectRefusedRun = async (name: string, message: RegExp) => {
    const [run] = await recentRuns(app.ops.db, 1);
    expect(run).toMatchObject({ status: 'refused', file_name: name, feed: 'mortality' });
    expect(run!.message).toMatch(message);
    expect(run!.message).not.toMatch(/incoming|[0-9a-f]{8}-[0-9a-f]{4}-/);
  };

  it('refuses an upload without a token, with an unknown token, or outside the token\'s feeds', async () => {
    expect((await upload(null)).statusCode).toBe(401);
    expect((await upload('odt_not-a-token')).statusCode).toBe(401);
    const wrongFeed = await upload(emsOnly);
    expect(wrongFeed.statusCode).toBe(403);
    expect(wrongFeed.json().message).toMatch(/may not upload the "mortality" feed/);
  });

  it("loads an agency's file, keeps it, records who sent it, and says what it rejected", async () => {
    const res = await upload(token);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ feed: 'mortality', file: 'me-2025.csv', status: 'succeeded', rowsRejected: 6 });
    expect(Object.keys(report.rejectsByReason).sort()).toEqual(
      ['date_out_of_range', 'duplicate_case_number', 'invalid_age', 'invalid_date', 'invalid_icd10', 'missing_case_number'],
    );
    expect(readdirSync(incoming).some((f) => f.endsWith('me-2025.csv'))).toBe(true);
    const [run] = await recentRuns(app.ops.db, 1);
    expect(run?.actor).toBe(`token ${tokenId} (ME nightly, Medical Examiner)`);
    const again = await upload(token);
    expect(again.json().status).toBe('unchanged');
  });

  it('answers 422 with the report when the file is refused, and 400 for a file in the wrong shape', async () => {
    const bad = readFileSync(file, 'utf8').split('\n').map((l, i) => (i > 0 && i < 200 ? l.replace(/,\d{4}-\d{2}-\d{2},/, ',not-a-date,') : l)).join('\n');
    const refused = await upload('local-admin-token-for-tests', '/api/v1/uploads/mortality?filename=bad.csv', bad);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ status: 'refused', file: 'bad.csv' });
    await expectRefusedRun('bad.csv', /^bad\.csv: \d+ of \d+ rows rejected/);
    const wrong = await upload('local-admin-token-for-tests', '/api/v1/uploads/mortality?filename=w.csv', 'a,b\n1,2\n');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toMatch(/w\.csv: line 1: not a mortality file in any known format/);
    expect(wrong.json().message).not.toMatch(/incoming/);
    // Refused before its load could start (its format not made out): a refused run all the same.
    await expectRefusedRun('w.csv', /^w\.csv: line 1: not a mortality file in any known format/);
  });

  it('refuses a file with a quote left open, naming the line (in the first rows it was a 500; past them, records were lost)', async () => {
    const values: Record<string, string> = {
      date_of_death: '2024-03-01', age_years: '40', sex: 'M', race_ethnicity: 'White non-Hispanic', residence_area_code: '101',
      injury_area_code: '101', underlying_cause_icd10: 'X42', multiple_causes_icd10: 'T40.1', toxicology_substances: 'heroin',
    };
    const row = (i: number) => MORTALITY_COLUMNS.map((c) => (c === 'case_number' ? `UQ-${i}` : values[c]!));
    const openAt = (line: number) =>
      [MORTALITY_COLUMNS.join(','), ...Array.from({ length: 3000 }, (_, i) => row(i).map((v, j) => (i + 2 === line && j === 3 ? `"${v}` : v)).join(','))].join('\n') + '\n';
    const early = await upload('local-admin-token-for-tests', '/api/v1/uploads/mortality?filename=early-quote.csv', openAt(30));
    expect(early.statusCode).toBe(400);
    expect(early.json().message).toMatch(/^early-quote\.csv: line 30 opens a quote that is never closed.*the file was refused and nothing was loaded/);
    await expectRefusedRun('early-quote.csv', /^early-quote\.csv: line 30 opens a quote that is never closed/);
    const late = await upload('local-admin-token-for-tests', '/api/v1/uploads/mortality?filename=late-quote.csv', openAt(2500));
    expect(late.statusCode).toBe(400);
    expect(late.json().message).toMatch(/^late-quote\.csv: line 2,500 opens a quote that is never closed, .*\(501 more lines\)/);
    await expectRefusedRun('late-quote.csv', /^late-quote\.csv: line 2,500 opens a quote that is never closed/);
    // The generated ME file quotes names and addresses on every line: a quote opened in the last
    // field of line 1,500 is ended by the first quote of line 1,501, which the reader took for one record.
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1499] = lines[1499]!.replace(/,([^,]*)$/, ',"$1');
    const folded = await upload('local-admin-token-for-tests', '/api/v1/uploads/mortality?filename=folded.csv', lines.join('\n'));
    expect(folded.statusCode).toBe(400);
    expect(folded.json().message).toMatch(/^folded\.csv: line 1,500 opens a quote that runs on to line 1,501, where a quote followed by other text ends it/);
  });

  it('takes a token, not a session: no CSRF token needed, and a signed-in browser without a token is refused', async () => {
    const { cookie } = await loginAs(app, 'admin');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/uploads/mortality?filename=x.csv',
      headers: { 'content-type': 'text/csv', cookie },
      payload: 'a,b\n',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/upload token/);
  });

  it('stops accepting a revoked token', async () => {
    await revokeToken(app.ops.db, tokenId);
    expect((await upload(token)).statusCode).toBe(401);
  });
});
