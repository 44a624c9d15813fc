// `odstat serve` owns the DuckDB file; `odstat ingest` sends its files to it. Loads are atomic for
// readers, and a server killed (SIGKILL) in the middle of a load comes back with the data it had.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { REPO, TEST_END, tempDir } from '../helpers/fixtures.ts';
import { ODSTAT_BIN as ODSTAT, runOdstat, spawnOdstat } from '../helpers/odstat.ts';
import { generateMortality, mortalityCsv } from '../../fixtures/generators/mortality.ts';
import { writeFileSync, readFileSync } from 'node:fs';

interface Server {
  proc: ChildProcess;
  url: string;
  output: () => string;
}

/** Signs in as the demo analyst, whose password the first start printed; returns the cookies. */
async function signIn(url: string, password: string): Promise<string> {
  const pre = await fetch(`${url}/api/v1/auth/csrf`);
  const jar = pre.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const { csrfToken } = (await pre.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie: jar.join('; ') },
    body: JSON.stringify({ email: 'analyst@odstat.example', password }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  return [...jar, ...res.headers.getSetCookie().map((c) => c.split(';')[0]!)].join('; ');
}

function startServer(env: Record<string, string>): Promise<Server> {
  const proc = spawn(process.execPath, [ODSTAT, 'serve'], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: '', ODSTAT_PORT: '0', ODSTAT_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 240_000);
    const check = setInterval(() => {
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ proc, url: m[1]!.replace('localhost', '127.0.0.1'), output: () => out });
      }
    }, 100);
    proc.on('exit', (code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${out}`));
    });
  });
}

async function stop(s: Server | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!s || s.proc.exitCode !== null) return;
  const exited = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill(signal);
  await exited;
}

async function total(url: string, cookie: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/series?indicator=deaths.any_drug&interval=year&areas=101`, { headers: { cookie } });
  const body = (await res.json()) as { series: { area: string; points: { count: number }[] }[] };
  return body.series.find((s) => s.area === 'total')!.points.reduce((a, p) => a + p.count, 0);
}

/**
 * `odstat …` as the real binary, or (`inProcess`) as cli/main.ts's main in this process: the
 * first load and the one cut off by SIGKILL are real processes; the reloads after the restart
 * test what the server does with them, and go through the same HTTP upload either way.
 */
const odstat = (args: string[], env: Record<string, string>, inProcess = false) => (inProcess ? runOdstat(args, env) : spawnOdstat(args, env));

describe('loading while the dashboard runs', { timeout: 240_000 }, () => {
  const data = tempDir('odstat-serve-');
  // The poller below asks as fast as it can: lift the per-address limit for it.
  const env = { ODSTAT_DATA_DIR: data, ODSTAT_FIXTURES_END: TEST_END, ODSTAT_FIXTURES_SEED: '5', ODSTAT_RATE_LIMIT_PER_MINUTE: '1000000' };
  let server: Server | undefined;
  let password: string;
  let cookie: string;
  let extra: string;
  let extraDeaths: number;

  beforeAll(async () => {
    // A second extract: another seed's deaths, renumbered so they are new cases.
    const nyc = JSON.parse(readFileSync(join(REPO, 'fixtures/jurisdictions/nyc/uhf42.geo.json'), 'utf8')) as { features: { properties: { GEOCODE: number; GEONAME: string; BOROUGH: string } }[] };
    const areas = nyc.features.map((f) => ({ id: String(f.properties.GEOCODE), name: f.properties.GEONAME, group: f.properties.BOROUGH, population: 100_000 }));
    const g = generateMortality({ seed: 99, end: TEST_END, areas, years: 1 });
    const rowsOut = g.rows.map((r) => [r[0] ? `X${r[0]}` : '', ...r.slice(1)]);
    mkdirSync(join(data, 'in'), { recursive: true });
    extra = join(data, 'in', 'extract-2.csv');
    writeFileSync(extra, mortalityCsv(rowsOut));
    extraDeaths = Object.values(g.manifest.expected.byYear).reduce((a, y) => a + y.any_drug, 0);
    server = await startServer(env);
    // The embedded default's first start creates demo accounts and prints their passwords.
    expect(server.output()).toMatch(/DEMO ACCOUNTS CREATED/);
    password = /analyst@odstat\.example\s+password: (\S+)/.exec(server.output())![1]!;
    cookie = await signIn(server.url, password);
  }, 300_000);
  afterAll(async () => {
    await stop(server, 'SIGKILL');
  });

  it('sends `odstat ingest` to the running server; readers see the old or the new data, never half', async () => {
    const before = await total(server!.url, cookie);
    expect(before).toBeGreaterThan(5000);
    const seen = new Set<number>();
    let polling = true;
    const poller = (async () => {
      while (polling) seen.add(await total(server!.url, cookie));
    })();
    const r = await odstat(['ingest', 'mortality', extra], env);
    polling = false;
    await poller;
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/a server is running on this data directory/);
    expect(r.stdout).toMatch(/extract-2\.csv → mortality: succeeded/);
    const after = await total(server!.url, cookie);
    expect(after).toBe(before + extraDeaths);
    for (const v of seen) expect([before, after]).toContain(v);
  });

  it('after a SIGKILL in the middle of a load, restarts with the previous data and loads the file again without duplicates', async () => {
    await stop(server);
    server = await startServer({ ...env, ODSTAT_FAULT_HOLD_COMMIT_MS: '60000' });
    // Accounts live in the embedded Postgres: a restart creates no new demo accounts.
    expect(server.output()).not.toMatch(/DEMO ACCOUNTS CREATED/);
    cookie = await signIn(server.url, password);
    const before = await total(server.url, cookie);
    const third = join(data, 'in', 'extract-3.csv');
    writeFileSync(third, readFileSync(extra, 'utf8').replace(/XME-/g, 'YME-'));
    const pending = odstat(['ingest', 'mortality', third], env);
    const t0 = Date.now();
    while (!/holding the load transaction open/.test(server.output())) {
      if (Date.now() - t0 > 60_000) throw new Error(`load never reached its commit:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await stop(server, 'SIGKILL');
    const interrupted = await pending;
    expect(interrupted.code).not.toBe(0);

    server = await startServer(env);
    expect(server.output()).toMatch(/marked 1 ingest run\(s\) left unfinished/);
    cookie = await signIn(server.url, password);
    expect(await total(server.url, cookie)).toBe(before);
    const again = await odstat(['ingest', 'mortality', third], env, true);
    expect(again.stdout).toMatch(/extract-3\.csv → mortality: succeeded/);
    expect(await total(server.url, cookie)).toBe(before + extraDeaths);
    const again2 = await odstat(['ingest', 'mortality', third], env, true);
    expect(again2.stdout).toMatch(/unchanged/);
    expect(await total(server.url, cookie)).toBe(before + extraDeaths);
  });
});
