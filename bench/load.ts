// Benchmark (issue 8): the API under 50 concurrent connections, against a Fastify hello-world
// measured in the same run on the same machine.
//
//   npm run bench:load -- [--duration 60] [--connections 50] [--ems-rows 0] [--data DIR] [--json out.json]
//                          [--only REGEX] [--cpu-prof DIR] [--server-repo DIR] [--postgres URL]
//                          [--generator wrk|autocannon]
//
// 1. A data folder: the default city as a first start makes it (every feed, seeded), in a cached
//    folder under the system's temp dir (odstat-bench-load-<ems rows>, reused by later runs);
//    with --ems-rows N (10000000 for issue 8), an EMS file of about N rows is generated
//    (bench/generate-ems.ts) and loaded with `odstat ingest` while the server is stopped, once
//    (a marker file says it is in).
//    With --postgres URL (a Postgres server's maintenance database, e.g.
//    postgres://postgres@127.0.0.1:5432/postgres), users, sessions and the audit log go to a fresh
//    database odstat_bench_load on that server, as a deployment with DATABASE_URL has them, instead
//    of the embedded PGlite; the analyst and commander are added to it with `odstat user add`.
// 2. `odstat serve` on a free port (rate limit lifted for the run), signed in as the demo analyst
//    and the demo commander (their passwords come from the first start's banner).
// 3. A hello-world Fastify server in a second process.
// 4. The load generator against each endpoint for --duration seconds with --connections
//    connections, the hello-world first: wrk (one thread, its own process; Debian package `wrk`)
//    when installed, else autocannon (--generator autocannon: in this process, exact percentiles
//    from every response time; it needs about a core of its own at these rates). Errors are
//    socket errors, timeouts (no answer within 10 s) and error statuses. Every request says
//    Accept-Encoding: gzip, deflate, br, as browsers do (the server sends kept aggregate answers
//    compressed).
//
// Targets (issue 8): cached aggregate endpoints ≥ 0.4 × hello-world req/s with p99 < 20 ms;
// uncached series queries p95 < 50 ms; zero errors.
import autocannon from 'autocannon';
import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const REPO = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    duration: { type: 'string' },
    connections: { type: 'string' },
    'ems-rows': { type: 'string' },
    data: { type: 'string' },
    json: { type: 'string' },
    only: { type: 'string' },
    // Writes a V8 CPU profile of the server (node --cpu-prof) into this folder when it stops.
    'cpu-prof': { type: 'string' },
    // Serve from another checkout of ODStat (before/after comparisons on the same data).
    'server-repo': { type: 'string' },
    // Users, sessions and audit in a real Postgres server (a fresh database on it) instead of PGlite.
    postgres: { type: 'string' },
    // The load generator: wrk (C, one thread) when it is installed, else autocannon (Node, in this
    // process). On two cores autocannon needs a full core for ~3,000 kept series answers a second
    // (292 µs of its CPU per 24 KB answer) and sets the pace of every row; wrk needs a fraction.
    generator: { type: 'string' },
  },
});
const duration = Number(values.duration ?? 60);
const connections = Number(values.connections ?? 50);
const emsRows = Number(values['ems-rows'] ?? 0);
const dataDir = values.data ?? join(tmpdir(), `odstat-bench-load-${emsRows}`);

const generator = values.generator ?? (spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk');
if (generator !== 'wrk' && generator !== 'autocannon') throw new Error(`--generator is wrk or autocannon, not ${generator}`);

const log = (s: string) => process.stderr.write(`[bench:load] ${s}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

interface Serving {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `odstat serve` on a free port; resolves when it says it is serving. */
async function serve(env: Record<string, string>): Promise<Serving> {
  const port = await freePort();
  const prof = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
  const repo = values['server-repo'] ?? REPO;
  const child = spawn(process.execPath, [...prof, join(repo, 'bin', 'odstat.js'), 'serve'], {
    cwd: repo,
    env: { ...process.env, DATABASE_URL: '', ODSTAT_DATA_DIR: dataDir, ODSTAT_PORT: String(port), ODSTAT_RATE_LIMIT_PER_MINUTE: '1000000', ODSTAT_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/is serving on/.test(out)) {
        clearInterval(timer);
        resolve();
      }
    }, 200);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`odstat serve exited with ${code}:\n${out}`));
    });
  });
  children.push(child);
  return { child, url: `http://127.0.0.1:${port}`, output: () => out };
}

/** The hello-world baseline: Fastify answering {"hello":"world"}, in its own process. */
async function hello(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const code = `import Fastify from 'fastify';
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: ${port}, host: '127.0.0.1' });
process.stdout.write('ready\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { child, url: `http://127.0.0.1:${port}` };
}

async function signIn(base: string, email: string, password: string): Promise<Record<string, string>> {
  const c = await fetch(`${base}/api/v1/auth/csrf`);
  const cookie0 = (c.headers.getSetCookie?.() ?? []).map((x) => x.split(';')[0]).join('; ');
  const { csrfToken: token } = (await c.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': token, cookie: cookie0 },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${email} answered ${res.status}: ${await res.text()}`);
  const set = (res.headers.getSetCookie?.() ?? []).map((x) => x.split(';')[0]);
  const jar = new Map([...cookie0.split('; '), ...set].filter((kv): kv is string => !!kv).map((kv) => [kv.split('=')[0]!, kv] as const));
  return { cookie: [...jar.values()].join('; ') };
}

interface Target {
  name: string;
  kind: 'baseline' | 'cached aggregate' | 'uncached series' | 'other';
  url: string;
  headers?: Record<string, string>;
  /** A new path for every request (uncached queries). */
  path?: () => string;
}

interface Measured {
  name: string;
  kind: Target['kind'];
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** CPU time the serving process spent per answered request (user + system, µs): on a shared
   * machine this says what a request costs the server better than req/s does. */
  cpuUsPerRequest: number;
  /** The same for the serving process's main (request) thread alone. */
  mainUsPerRequest: number;
  /** CPU time of this process (autocannon, the load generator) per answered request: near
   * 1e6 / req/s, it is the generator that sets the pace, not the server. */
  clientUsPerRequest: number;
}

/** User + system CPU seconds of a process so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid: number | undefined, mainThreadOnly = false): number {
  try {
    const f = readFileSync(mainThreadOnly ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    // proc(5): utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

async function measure(t: Target, pid: number | undefined): Promise<Measured> {
  return generator === 'wrk' ? measureWrk(t, pid) : measureAutocannon(t, pid);
}

const lua = (s: string) => JSON.stringify(s); // a JSON string is a valid Lua string literal for these (ASCII) values

/**
 * wrk (Debian's wrk 4.1) with one thread and `connections` connections for `duration` seconds. Its
 * Lua script sets the headers, sends the target's paths in order (uncached targets: made in
 * advance from the same seeded sequence) and writes the summary as JSON: requests, errors (connect,
 * read, write, timeout, and status ≥ 400, as wrk counts them), and latency percentiles from
 * wrk's histogram (1 µs resolution). The load generator's CPU is wrk's own (bash `times`).
 */
async function measureWrk(t: Target, pid: number | undefined): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'odstat-wrk-'));
  const out = join(dir, 'summary.json');
  const headers = { 'accept-encoding': 'gzip, deflate, br', ...(t.headers ?? {}) };
  let paths: string[] = [];
  if (t.path) {
    // Enough for the fastest uncached target with room to spare; wrk cycles if it runs out (the
    // repeat share below says so).
    paths = Array.from({ length: Math.min(600_000, duration * 8_000) }, () => t.path!());
    writeFileSync(join(dir, 'paths.txt'), `${paths.join('\n')}\n`);
  }
  const script = [
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`),
    'local threads = {}',
    'function setup(thread) table.insert(threads, thread) end',
    ...(t.path
      ? [
          'local paths = {}',
          `for line in io.lines(${lua(join(dir, 'paths.txt'))}) do paths[#paths + 1] = line end`,
          'sent = 0',
          'function request() sent = sent + 1; return wrk.format(nil, paths[(sent - 1) % #paths + 1]) end',
        ]
      : ['sent = 0']),
    'function done(summary, latency, requests)',
    '  local s = 0',
    '  for _, th in ipairs(threads) do s = s + (th:get("sent") or 0) end',
    '  local e = summary.errors',
    `  local f = io.open(${lua(out)}, "w")`,
    '  f:write(string.format(\'{"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"sent":%d}\',',
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(95), latency:percentile(99), s))',
    '  f:close()',
    'end',
  ].join('\n');
  writeFileSync(join(dir, 'script.lua'), script);
  const cpu0 = cpuSeconds(pid);
  const main0 = cpuSeconds(pid, true);
  const run = spawn('bash', ['-c', 'wrk "$@" >&2; times', 'wrk', '-t', '1', '-c', String(connections), '-d', `${duration}s`, '--timeout', '10s', '-s', join(dir, 'script.lua'), t.url], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  run.stdout!.on('data', (d) => (stdout += d));
  run.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => run.once('exit', r));
  const cpu = cpuSeconds(pid) - cpu0;
  const main = cpuSeconds(pid, true) - main0;
  if (code !== 0 || !existsSync(out)) throw new Error(`wrk failed (${code}): ${stderr}`);
  const w = JSON.parse(readFileSync(out, 'utf8')) as Record<'requests' | 'durationUs' | 'connect' | 'read' | 'write' | 'status' | 'timeout' | 'p50' | 'p95' | 'p99' | 'sent', number>;
  rmSync(dir, { recursive: true, force: true });
  // bash `times`: the shell's user and system time, then its children's (wrk's): "0m1.234s 0m0.567s".
  const childTimes = (stdout.trim().split('\n')[1] ?? '').split(' ').map((x) => {
    const m = /(\d+)m([\d.]+)s/.exec(x);
    return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  });
  if (t.path) {
    const sent = paths.slice(0, Math.min(w.sent, paths.length));
    const distinct = new Set(sent).size;
    log(`${t.name}: ${distinct} new of ${w.sent} requests sent (${((100 * (w.sent - distinct)) / Math.max(1, w.sent)).toFixed(1)}% repeats)`);
  }
  const seconds = w.durationUs / 1e6;
  const errors = w.connect + w.read + w.write + w.status + w.timeout;
  return {
    name: t.name,
    kind: t.kind,
    requests: w.requests,
    reqPerSec: w.requests / seconds,
    p50: w.p50 / 1000,
    p95: w.p95 / 1000,
    p99: w.p99 / 1000,
    errors,
    timeouts: w.timeout,
    // wrk counts answers with a status of 400 or more as errors (`status`) and nothing else.
    non2xx: 0,
    cpuUsPerRequest: (cpu / Math.max(1, w.requests)) * 1e6,
    mainUsPerRequest: (main / Math.max(1, w.requests)) * 1e6,
    clientUsPerRequest: (((childTimes[0] ?? Number.NaN) + (childTimes[1] ?? Number.NaN)) / Math.max(1, w.requests)) * 1e6,
  };
}

async function measureAutocannon(t: Target, pid: number | undefined): Promise<Measured> {
  const times: number[] = [];
  let non2xx = 0;
  let inst!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    inst = autocannon(
      {
        url: t.url,
        connections,
        duration,
        // As a browser asks: compressed answers welcome.
        headers: { 'accept-encoding': 'gzip, deflate, br', ...(t.headers ?? {}) },
        ...(t.path ? { requests: [{ setupRequest: (r: autocannon.Request) => ({ ...r, path: t.path!() }) }] } : {}),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  inst.on('response', (_client, status, _bytes, ms) => {
    times.push(ms);
    if (status < 200 || status > 299) non2xx++;
  });
  const cpu0 = cpuSeconds(pid);
  const main0 = cpuSeconds(pid, true);
  const client0 = process.cpuUsage();
  const r = await done;
  const cpu = cpuSeconds(pid) - cpu0;
  const main = cpuSeconds(pid, true) - main0;
  const client = process.cpuUsage(client0);
  const sorted = Float64Array.from(times).sort();
  return {
    name: t.name,
    kind: t.kind,
    requests: times.length,
    reqPerSec: times.length / duration,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    // autocannon counts a timeout (no answer within 10 s) in both `errors` and `timeouts`.
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx,
    cpuUsPerRequest: (cpu / Math.max(1, times.length)) * 1e6,
    mainUsPerRequest: (main / Math.max(1, times.length)) * 1e6,
    clientUsPerRequest: (client.user + client.system) / Math.max(1, times.length),
  };
}

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
});

// ── 1. data ─────────────────────────────────────────────────────────────────────────────────────
mkdirSync(dataDir, { recursive: true });
const fresh = !existsSync(join(dataDir, 'odstat.duckdb'));
log(`data folder ${dataDir}${fresh ? ' (first start: generating and loading the default city)' : ' (reused)'}`);
let server = await serve({});
const banner = server.output();
if (fresh) writeFileSync(join(dataDir, 'bench-banner.txt'), banner);
const bannerText = fresh ? banner : readFileSync(join(dataDir, 'bench-banner.txt'), 'utf8');
const password = (role: string) => {
  const m = new RegExp(`${role}\\s+(\\S+@\\S+)\\s+password: (\\S+)`).exec(bannerText);
  if (!m) throw new Error(`no ${role} password in the first start's banner (delete ${dataDir} to start afresh)`);
  return { email: m[1]!, password: m[2]! };
};
// Done once per data folder: a marker says the EMS file is in (a failed or interrupted load is
// made again on the next run).
const emsLoaded = join(dataDir, `ems-${emsRows}.loaded`);
if (emsRows > 0 && !existsSync(emsLoaded)) {
  const file = join(dataDir, `ems-${emsRows}.csv`);
  if (!existsSync(`${file}.done`)) {
    log(`generating an EMS file of about ${emsRows} rows`);
    execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(REPO, 'bench', 'generate-ems.ts'), '--rows', String(emsRows), '--out', file, '--seed', '7'], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    writeFileSync(`${file}.done`, new Date().toISOString());
  }
  // With the server stopped, `odstat ingest` loads the file itself (a load of millions of rows
  // outlasts the HTTP client's five-minute wait when it is sent to a live server).
  server.child.kill('SIGTERM');
  await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)));
  log('loading it with odstat ingest');
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'odstat.js'), 'ingest', 'ems', file], {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: '', ODSTAT_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 4 * 3600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stderr.write(r.stdout + r.stderr);
  // The same file loaded by an earlier, interrupted run is a success too.
  if (r.status !== 0 && !/already loaded/i.test(r.stdout + r.stderr)) throw new Error(`odstat ingest failed (${r.status})`);
  writeFileSync(emsLoaded, new Date().toISOString());
  log(`loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  server = await serve({});
}

// ── 2. sessions ─────────────────────────────────────────────────────────────────────────────────
let accounts = { analyst: password('analyst'), commander: password('commander') };
if (values.postgres) {
  // A fresh operational database on the Postgres server, with the two accounts added to it.
  const admin = new pg.Client({ connectionString: values.postgres });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS odstat_bench_load WITH (FORCE)');
  await admin.query('CREATE DATABASE odstat_bench_load');
  await admin.end();
  const url = new URL(values.postgres);
  url.pathname = '/odstat_bench_load';
  const databaseUrl = url.toString();
  accounts = {
    analyst: { email: 'bench.analyst@example.org', password: 'bench analyst passphrase 1' },
    commander: { email: 'bench.commander@example.org', password: 'bench commander passphrase 1' },
  };
  server.child.kill('SIGTERM');
  await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)));
  for (const [role, a] of Object.entries(accounts)) {
    const r = spawnSync(
      process.execPath,
      [join(REPO, 'bin', 'odstat.js'), 'user', 'add', '--email', a.email, '--name', `Bench ${role}`, '--role', role, '--agency', 'Bench', '--password-stdin'],
      { cwd: REPO, env: { ...process.env, ODSTAT_DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, input: `${a.password}\n`, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`odstat user add ${role} failed: ${r.stderr}`);
  }
  server = await serve({ DATABASE_URL: databaseUrl });
  log(`operational database: ${url.host}/odstat_bench_load (Postgres server)`);
}
const analyst = await signIn(server.url, accounts.analyst.email, accounts.analyst.password);
const commander = await signIn(server.url, accounts.commander.email, accounts.commander.password);
const base = server.url;
const { jurisdictions } = (await (await fetch(`${base}/api/v1/jurisdictions`, { headers: analyst })).json()) as { jurisdictions: { id: string; dataRange: { from: string; to: string } | null }[] };
const nyc = jurisdictions.find((j) => j.id === 'nyc')!;
const DAY = 86_400_000;
const first = Date.parse(`${nyc.dataRange!.from}T00:00:00Z`);
const days = Math.round((Date.parse(`${nyc.dataRange!.to}T00:00:00Z`) - first) / DAY);

// Seeded choice of uncached ranges, the same sequence every run (mulberry32). Any first day and
// any length from 4 weeks to 2 years within the data: millions of distinct ranges per indicator,
// so a request rarely repeats one already answered (and kept) — the run reports the share.
let seed = 12345;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const randomRange = () => {
  const start = Math.floor(rnd() * (days - 28));
  const length = 28 + Math.floor(rnd() * Math.min(730, days - start - 28));
  return { from: iso(first + start * DAY), to: iso(first + (start + length) * DAY) };
};
const asked = new Set<string>();
let askedTotal = 0;
let askedRepeats = 0;
/** Counts a path sent (the run reports how many were new). */
const ask = (path: string) => {
  if (asked.has(path)) askedRepeats++;
  asked.add(path);
  askedTotal++;
  return path;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const areaIds = (
  (await (await fetch(`${base}/api/v1/jurisdictions/nyc/areas`, { headers: analyst })).json()) as { features: { properties: { id: string } }[] }
).features.map((f) => f.properties.id);
const indicators = ['deaths.any_drug&geography=residence', 'deaths.opioid&geography=residence', 'ems.opioid_overdose&geography=event', 'ems.naloxone_given&geography=event'];

/** A weekly series for a new indicator and range each request (the seeded sequence above), as the analyst. */
function uncachedSeries(what: string, o: { oneArea?: boolean; tail?: string }): Target {
  return {
    name: `GET /api/v1/series, a new indicator × range each request, ${what} (analyst)`,
    kind: 'uncached series',
    url: `${base}/api/v1/series`,
    headers: analyst,
    path: () => {
      const r = randomRange();
      const indicator = pick(indicators);
      const areas = o.oneArea ? `&areas=${pick(areaIds)}` : '';
      return ask(`/api/v1/series?jurisdiction=nyc&indicator=${indicator}&interval=week${areas}&from=${r.from}&to=${r.to}${o.tail ?? ''}`);
    },
  };
}

// ── 3. baseline ─────────────────────────────────────────────────────────────────────────────────
const hw = await hello();
const targets: Target[] = [
  { name: 'hello-world (Fastify, same machine)', kind: 'baseline', url: `${hw.url}/` },
  { name: 'GET /api/v1/series deaths by month (analyst)', kind: 'cached aggregate', url: `${base}/api/v1/series?jurisdiction=nyc&indicator=deaths.any_drug&interval=month`, headers: analyst },
  { name: 'GET /api/v1/series EMS by month (commander, suppressed)', kind: 'cached aggregate', url: `${base}/api/v1/series?jurisdiction=nyc&indicator=ems.opioid_overdose&geography=event&interval=month`, headers: commander },
  { name: 'GET /api/v1/jurisdictions/nyc/areas', kind: 'cached aggregate', url: `${base}/api/v1/jurisdictions/nyc/areas`, headers: analyst },
  uncachedSeries('every area weekly', {}),
  // The same answers as Apache Arrow (the API's columnar representation, server/plugins/app/tabular.ts).
  uncachedSeries('every area weekly, as Arrow', { tail: '&format=arrow' }),
  // What the neighborhood profile and a drill-down ask: one area against the city.
  uncachedSeries('one area and the city weekly', { oneArea: true }),
  { name: 'GET /api/v1/rates age-adjusted by year (analyst)', kind: 'other', url: `${base}/api/v1/rates?jurisdiction=nyc&indicator=deaths.any_drug&interval=year&adjust=age`, headers: analyst },
  { name: 'GET /api/v1/status', kind: 'other', url: `${base}/api/v1/status?jurisdiction=nyc`, headers: analyst },
];
const only = values.only ? new RegExp(values.only) : null;

// Every target answers 200 once before it is measured: a wrong URL is a bench bug, not a figure.
for (const t of targets) {
  const url = t.path ? `${base}${t.path()}` : t.url;
  const res = await fetch(url, { headers: t.headers ?? {} });
  if (res.status !== 200) throw new Error(`${t.name}: ${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  log(`${t.name}: ${(await res.arrayBuffer()).byteLength} bytes`);
}

const load0 = loadavg()[0]!;
const results: Measured[] = [];
for (const t of targets) {
  if (only && t.kind !== 'baseline' && !only.test(t.name)) continue;
  log(`${t.name}: ${connections} connections for ${duration} s`);
  results.push(await measure(t, t.kind === 'baseline' ? hw.child.pid : server.child.pid));
  if (t.path && generator === 'autocannon') {
    log(`${t.name}: ${askedTotal - askedRepeats} new of ${askedTotal} requests sent (${((100 * askedRepeats) / Math.max(1, askedTotal)).toFixed(1)}% repeats)`);
    askedTotal = 0;
    askedRepeats = 0;
  }
}
hw.child.kill('SIGTERM');
server.child.kill('SIGTERM');
// The server closes its databases (and writes its CPU profile, with --cpu-prof) before it exits.
await new Promise((r) => (server.child.exitCode !== null ? r(null) : server.child.once('exit', r)));

const helloRps = results[0]!.reqPerSec;
const rows = results.map((r) => ({ ...r, ratio: r.reqPerSec / helloRps }));
const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—');
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; load average ${load0.toFixed(2)} at start`;
const lines = [
  `machine: ${machine}; load generator: ${generator === 'wrk' ? 'wrk, one thread' : 'autocannon, in the bench process'}; ${connections} connections, ${duration} s each; EMS rows added: ${emsRows}; operational database: ${values.postgres ? 'Postgres server' : 'embedded PGlite'}`,
  '',
  '| endpoint | kind | req/s | × hello | p50 ms | p95 ms | p99 ms | errors | server CPU µs/req | main thread µs/req | load generator µs/req |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.name} | ${r.kind} | ${fmt(r.reqPerSec, 0)} | ${fmt(r.ratio, 2)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${r.errors + r.non2xx} | ${fmt(r.cpuUsPerRequest, 0)} | ${fmt(r.mainUsPerRequest, 0)} | ${fmt(r.clientUsPerRequest, 0)} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (values.json) writeFileSync(values.json, JSON.stringify({ machine, generator, connections, duration, emsRows, operational: values.postgres ? 'postgres' : 'pglite', results: rows }, null, 2));
process.exit(0);
