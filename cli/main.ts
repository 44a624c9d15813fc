// odstat — the command-line program (PRODUCT.md, public interfaces).
import { parseArgs } from 'node:util';
import { basename, join, resolve } from 'node:path';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Presets, SingleBar } from 'cli-progress';
import { findLiveServer, loadAdminToken, loadCsrfKey, removeServerInfo, writeServerInfo, type ServerInfo } from './local-server.ts';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { ensureWebBuilt } from './web-build.ts';
import { bootstrap, loadJurisdictions, writeFixtures } from './bootstrap.ts';
import { openDuck, type Duck } from '../sql/duckdb.ts';
import { describeTarget, migrate, openOps, type Ops } from '../sql/postgres/db.ts';
import { IngestError, type IngestReport } from '../ingest/run.ts';
import { FEEDS, ingestFeedFile } from '../ingest/feeds/index.ts';
import { loadLinkageKey } from '../ingest/linkage.ts';
import { createToken, listTokens, revokeToken } from '../sql/postgres/api-tokens.ts';
import { ConfigError as JurisdictionConfigError } from '../ingest/jurisdiction.ts';
import { createUser, findUserByEmail, listUsers, normalizeEmail, setDisabled, setPassword, USER_ROLES } from '../sql/postgres/users.ts';
import { writeAudit } from '../sql/postgres/audit.ts';
import type { UserRole } from '../sql/postgres/schema.ts';
import { generatePassword, hashPassword, passwordProblem } from '../server/auth/passwords.ts';

const USAGE = `odstat — overdose data dashboard for a multi-agency working group

Usage:
  odstat serve                                   start the dashboard (first start loads the default city)
  odstat ingest <feed> <file…> [--jurisdiction ID]
                                                 load agency files; feeds: ${FEEDS.join(', ')}
  odstat fixtures [--out DIR] [--seed N] [--end YYYY-MM-DD]
                                                 write the default city's synthetic feeds and manifest
  odstat token add --name NAME --agency AGENCY --feeds FEED[,FEED…]
                                                 an upload token for an agency's automated pushes (shown once)
  odstat token list | odstat token revoke ID
  odstat user add --email E --name N --role R --agency A [--password-stdin]
                                                 an account (roles: ${USER_ROLES.join(', ')}); the password is
                                                 read from stdin or generated and shown once
  odstat user list | odstat user disable EMAIL | odstat user enable EMAIL
  odstat user password EMAIL [--password-stdin]  set a new password (ends the account's sessions)
  odstat brief --month YYYY-MM --out FILE.pdf [--jurisdiction ID] [--role partner|commander|analyst] [--paper letter|a4]
                                                 print the month's brief to PDF (headless Chromium; ODSTAT_CHROMIUM)
  odstat help                                    this text

Configuration is by environment variable; see README.md (ODSTAT_DATA_DIR, DATABASE_URL, ODSTAT_PORT, …).`;

const say = (s: string) => process.stdout.write(`${s}\n`);
const warn = (s: string) => process.stderr.write(`${s}\n`);
const stamp = (s: string) => say(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(loadConfig());
      case 'ingest':
        return await ingest(loadConfig(), rest);
      case 'fixtures':
        return await fixtures(loadConfig(), rest);
      case 'token':
        return await tokens(loadConfig(), rest);
      case 'user':
        return await users(loadConfig(), rest);
      case 'brief':
        return await (await import('./brief.ts')).briefCommand(loadConfig(), rest, { openStores, say, warn, stamp });
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        say(USAGE);
        return command === undefined ? 2 : 0;
      default:
        warn(`odstat: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ConfigError || e instanceof JurisdictionConfigError || e instanceof IngestError) {
      warn(`odstat: ${e.message}`);
      return 1;
    }
    warn(`odstat: ${explain(e)}`);
    return 1;
  }
}

/** Turns the errors people meet into sentences that say what to do. */
function explain(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Could not set lock on file/i.test(msg)) {
    return `the DuckDB file is in use by another process (is "odstat serve" running?). Stop it, then run this again.\n  (${msg.split('\n')[0]})`;
  }
  const notDuck = /The file "([^"]+)" exists, but it is not a valid DuckDB database file/.exec(msg);
  if (notDuck) {
    return `${notDuck[1]} is not a valid DuckDB database file: it is damaged, or another program wrote it. Restore it from a backup, or move it aside and start again (the default city is then generated and loaded afresh; other loads must be repeated).`;
  }
  if (/ECONNREFUSED/.test(msg)) return `cannot reach Postgres (${msg}). Check DATABASE_URL, or unset it to use the embedded database.`;
  return msg;
}

async function openStores(cfg: Config): Promise<{ duck: Duck; ops: Ops }> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(cfg.dataDir, { recursive: true });
  // DuckDB first: its file lock is what keeps a second process off the embedded Postgres too
  // (PGlite has no lock of its own, and two processes on one PGlite directory would corrupt it).
  const duck = await openDuck(cfg.duckdbPath, { memoryLimit: cfg.duckdbMemoryLimit });
  let ops: Ops | undefined;
  try {
    ops = await openOps(cfg.pg);
    const applied = await migrate(ops.db);
    if (applied.length > 0) stamp(`migrated ${describeTarget(cfg.pg)}: ${applied.join(', ')}`);
    return { duck, ops };
  } catch (e) {
    await ops?.close();
    duck.close();
    throw e;
  }
}

async function serve(cfg: Config): Promise<number> {
  const started = Date.now();
  await ensureWebBuilt(cfg.webRoot, stamp);
  const { duck, ops } = await openStores(cfg);
  stamp(`data: ${cfg.duckdbPath}; operational database: ${describeTarget(cfg.pg)}`);
  try {
    await bootstrap(cfg, duck, ops, stamp);
  } catch (e) {
    duck.close();
    await ops.close();
    throw e;
  }
  const { buildApp } = await import('../server/app.ts');
  const app = await buildApp({
    duck,
    ops,
    defaultJurisdiction: cfg.defaultJurisdiction,
    webRoot: cfg.webRoot,
    logger: { level: cfg.logLevel },
    ingest: {
      incomingDir: join(cfg.dataDir, 'incoming'),
      linkage: loadLinkageKey(cfg.linkageKeyFile),
      maxRejectShare: cfg.maxRejectShare,
      adminToken: loadAdminToken(cfg.dataDir),
      holdBeforeCommitMs: cfg.holdBeforeCommitMs,
    },
    security: { ...cfg.security, csrfKey: loadCsrfKey(cfg.dataDir) },
    trustProxy: cfg.trustProxy,
  });
  const shutdown = async (signal: string) => {
    stamp(`${signal}: closing`);
    removeServerInfo(cfg.dataDir, process.pid);
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ host: cfg.host, port: cfg.port });
  const shown = cfg.host === '0.0.0.0' ? 'localhost' : cfg.host;
  const port = (app.server.address() as { port: number }).port;
  writeServerInfo(cfg.dataDir, { pid: process.pid, url: `http://${cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host}:${port}` });
  stamp(`ODStat is serving on http://${shown}:${port} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return new Promise<number>(() => {});
}

async function ingest(cfg: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { jurisdiction: { type: 'string', short: 'j' } },
  });
  const [feed, ...files] = positionals;
  if (!feed || files.length === 0) {
    warn(`odstat ingest: usage: odstat ingest <feed> <file…> [--jurisdiction ID]; feeds: ${FEEDS.join(', ')}`);
    return 2;
  }
  if (!FEEDS.includes(feed)) {
    warn(`odstat ingest: unknown feed "${feed}"; feeds: ${FEEDS.join(', ')}`);
    return 2;
  }
  const jurisdiction = values.jurisdiction ?? cfg.defaultJurisdiction;
  const server = await findLiveServer(cfg.dataDir);
  if (server) return ingestThroughServer(cfg, server, feed, files, jurisdiction);
  const linkage = loadLinkageKey(cfg.linkageKeyFile);
  const { duck, ops } = await openStores(cfg);
  let failed = 0;
  try {
    await loadJurisdictions(duck, cfg.jurisdictionsDir);
    for (const f of files) {
      try {
        const report = await ingestFeedFile(duck, ops.db, feed, resolve(f), {
          jurisdiction,
          actor: `odstat ingest (${process.env.USER ?? 'unknown user'})`,
          maxRejectShare: cfg.maxRejectShare,
          linkage,
          holdBeforeCommitMs: cfg.holdBeforeCommitMs,
          log: stamp,
        });
        printReport(report);
      } catch (e) {
        failed++;
        if (e instanceof IngestError && e.report) printReport(e.report);
        warn(`odstat ingest: ${e instanceof IngestError ? e.message : explain(e)}`);
      }
    }
  } finally {
    duck.close();
    await ops.close();
  }
  return failed > 0 ? 1 : 0;
}

/** Sends each file to the running server, which owns the DuckDB file; shows upload progress. */
async function ingestThroughServer(cfg: Config, server: ServerInfo, feed: string, files: string[], jurisdiction: string): Promise<number> {
  stamp(`a server is running on this data directory (${server.url}, pid ${server.pid}): sending the files to it`);
  const token = loadAdminToken(cfg.dataDir);
  let failed = 0;
  for (const f of files) {
    const path = resolve(f);
    if (!existsSync(path) || !statSync(path).isFile()) {
      warn(`odstat ingest: ${f}: no such file`);
      failed++;
      continue;
    }
    const size = statSync(path).size;
    const bar = progressBar(`upload ${basename(path)}`, size);
    const url = new URL(`/api/v1/uploads/${encodeURIComponent(feed)}`, server.url);
    url.searchParams.set('jurisdiction', jurisdiction);
    url.searchParams.set('filename', basename(path).replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 200));
    try {
      // node:http, not fetch: fetch stops waiting for the answer's headers after five minutes,
      // and the server answers when the load is committed, which for a 10M-row file takes longer.
      const res = await postFile(url, path, { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, (sent) => bar.update(sent));
      bar.stop();
      const json = JSON.parse(res.body) as IngestReport & { message: string };
      if (res.status === 200 || res.status === 422) {
        printReport({ ...json, file: path });
        if (res.status === 422) {
          warn(`odstat ingest: ${json.message}`);
          failed++;
        }
      } else {
        warn(`odstat ingest: ${basename(path)}: the server answered ${res.status}: ${json.message}`);
        failed++;
      }
    } catch (e) {
      bar.stop();
      warn(`odstat ingest: ${basename(path)}: ${(e as Error).message}`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}

/** POSTs a file as the request body and waits, with no time limit, for the whole answer. */
function postFile(url: URL, path: string, headers: Record<string, string>, progress: (sent: number) => void): Promise<{ status: number; body: string }> {
  return new Promise((resolveAnswer, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': String(statSync(path).size) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    let sent = 0;
    createReadStream(path)
      .on('data', (chunk) => {
        sent += chunk.length;
        progress(sent);
      })
      .on('error', (e) => req.destroy(e))
      .pipe(req);
  });
}

/** A progress bar on a terminal; silent when output goes to a file or a pipe. */
function progressBar(label: string, total: number): { update(n: number): void; stop(): void } {
  if (!process.stdout.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} bytes`, hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0);
  return { update: (n) => bar.update(n), stop: () => bar.stop() };
}

function printReport(r: IngestReport): void {
  say(`${basename(r.file)} → ${r.feed}: ${r.status}`);
  if (r.status === 'unchanged') {
    say(`  ${r.message}`);
    return;
  }
  say(`  rows in ${r.rowsIn}, accepted ${r.rowsAccepted}, rejected ${r.rowsRejected}${r.rowsUnassigned ? `, no area ${r.rowsUnassigned}` : ''}`);
  for (const [reason, n] of Object.entries(r.rejectsByReason)) say(`  rejected, ${reason}: ${n}`);
  for (const s of r.sampleRejects.slice(0, 10)) {
    say(`    ${basename(r.file)}:${s.line} ${s.field}: ${s.reason}${s.value !== null ? ` (${JSON.stringify(s.value)})` : ''}`);
  }
  if (r.sampleRejects.length > 10) say(`    … see data status for every rejected row`);
  say(`  definitions: ${Object.entries(r.definitionVersions).map(([k, v]) => `${k} ${v}`).join(', ')}; run ${r.runId}`);
}

async function tokens(cfg: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, agency: { type: 'string' }, feeds: { type: 'string' } },
  });
  const [sub, id] = positionals;
  const store = await openAdminStore(cfg, 'odstat token');
  if (!store) return 1;
  const { ops } = store;
  const audit = (action: string, params: Record<string, unknown>) =>
    writeAudit(ops.db, { userId: null, actor: cliActor('token'), role: 'admin', agency: null, action, endpoint: 'cli', params });
  try {
    if (sub === 'add') {
      const feeds = (values.feeds ?? '').split(',').map((f) => f.trim()).filter(Boolean);
      const unknown = feeds.filter((f) => !FEEDS.includes(f));
      if (!values.name || !values.agency || feeds.length === 0 || unknown.length > 0) {
        warn(`odstat token add: needs --name, --agency and --feeds from ${FEEDS.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
        return 2;
      }
      const t = await createToken(ops.db, { name: values.name, agency: values.agency, feeds });
      await audit('token.add', { id: t.id, name: values.name, agency: values.agency, feeds });
      say(`token ${t.id} for ${values.agency} (${feeds.join(', ')}). It is shown only now; keep it secret:\n${t.token}`);
      return 0;
    }
    if (sub === 'list') {
      for (const t of await listTokens(ops.db)) {
        say(`${t.id}\t${t.name}\t${t.agency}\t${t.feeds.join(',')}\t${t.revoked_at ? 'revoked' : 'active'}\tlast used ${t.last_used_at?.toISOString() ?? 'never'}`);
      }
      return 0;
    }
    if (sub === 'revoke' && id && /^\d+$/.test(id)) {
      if (await revokeToken(ops.db, Number(id))) {
        await audit('token.revoke', { id: Number(id) });
        say(`token ${id} revoked`);
        return 0;
      }
      warn(`odstat token revoke: no active token ${id}`);
      return 1;
    }
    warn('odstat token: usage: odstat token add --name N --agency A --feeds F[,F…] | list | revoke ID');
    return 2;
  } finally {
    await store.close();
  }
}

const cliActor = (cmd: string) => `odstat ${cmd} (${process.env.USER ?? 'unknown user'})`;

/**
 * The operational database for an administrative command. A Postgres server is shared: open it
 * alone, even while `odstat serve` runs. The embedded one has no lock of its own, so it is opened
 * with the DuckDB file (whose lock keeps a second process off) and never while the server runs.
 */
async function openAdminStore(cfg: Config, cmd: string): Promise<{ ops: Ops; close(): Promise<void> } | null> {
  if (cfg.pg.kind === 'server') {
    const ops = await openOps(cfg.pg);
    try {
      await migrate(ops.db);
    } catch (e) {
      await ops.close();
      throw e;
    }
    return { ops, close: () => ops.close() };
  }
  if (await findLiveServer(cfg.dataDir)) {
    warn(`${cmd}: the server is running on the embedded database; stop it first (or use DATABASE_URL with a Postgres server)`);
    return null;
  }
  const { duck, ops } = await openStores(cfg);
  return {
    ops,
    close: async () => {
      duck.close();
      await ops.close();
    },
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The new password: from stdin, or generated (and then shown once). */
async function newPassword(fromStdin: boolean): Promise<{ password: string; generated: boolean } | { problem: string }> {
  if (!fromStdin) return { password: generatePassword(), generated: true };
  const password = await readStdin();
  const problem = passwordProblem(password);
  return problem ? { problem } : { password, generated: false };
}

async function users(cfg: Config, args: string[]): Promise<number> {
  const usage = 'odstat user: usage: odstat user add --email E --name N --role R --agency A [--password-stdin] | list | disable EMAIL | enable EMAIL | password EMAIL [--password-stdin]';
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      agency: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  const [sub, target] = positionals;
  if (sub === 'add') {
    const missing = (['email', 'name', 'role', 'agency'] as const).filter((k) => !values[k]?.trim());
    if (missing.length > 0) {
      warn(`odstat user add: missing ${missing.map((k) => `--${k}`).join(', ')}`);
      return 2;
    }
    if (!USER_ROLES.includes(values.role as UserRole)) {
      warn(`odstat user add: unknown role "${values.role}"; roles: ${USER_ROLES.join(', ')} (the public view needs no account: ODSTAT_PUBLIC_VIEW=true)`);
      return 2;
    }
    if (!/^[^\s@]+@[^\s@]+$/.test(values.email!.trim()) || values.email!.length > 254) {
      warn(`odstat user add: "${values.email}" is not an email address`);
      return 2;
    }
  } else if (!(sub === 'list' || (['disable', 'enable', 'password'].includes(sub ?? '') && target))) {
    warn(usage);
    return 2;
  }
  // Read stdin before touching the database, so a bad password changes nothing.
  const pw = sub === 'add' || sub === 'password' ? await newPassword(values['password-stdin']) : null;
  if (pw && 'problem' in pw) {
    warn(`odstat user ${sub}: ${pw.problem}`);
    return 2;
  }
  const store = await openAdminStore(cfg, 'odstat user');
  if (!store) return 1;
  const { ops } = store;
  const audit = (action: string, params: Record<string, unknown>) =>
    writeAudit(ops.db, { userId: null, actor: cliActor(`user ${sub}`), role: 'admin', agency: null, action, endpoint: 'cli', params });
  try {
    if (sub === 'add' && pw && 'password' in pw) {
      const email = normalizeEmail(values.email!);
      if (await findUserByEmail(ops.db, email)) {
        warn(`odstat user add: ${email} already has an account`);
        return 1;
      }
      const u = await createUser(ops.db, {
        email,
        name: values.name!.trim(),
        role: values.role as UserRole,
        agency: values.agency!.trim(),
        passwordHash: await hashPassword(pw.password),
      });
      await audit('user.add', { email, role: u.role, agency: u.agency });
      say(`user ${u.id} added: ${u.email} (${u.role}, ${u.agency})`);
      if (pw.generated) say(`password, shown only now (hand it over by a safe channel):\n${pw.password}`);
      return 0;
    }
    if (sub === 'list') {
      for (const u of await listUsers(ops.db)) {
        say(
          [u.id, u.email, u.display_name, u.role, u.agency, u.disabled_at ? 'disabled' : 'active', `last sign-in ${u.last_login_at?.toISOString() ?? 'never'}`].join('\t'),
        );
      }
      return 0;
    }
    if ((sub === 'disable' || sub === 'enable') && target) {
      if (!(await setDisabled(ops.db, target, sub === 'disable'))) {
        warn(`odstat user ${sub}: no account ${normalizeEmail(target)}`);
        return 1;
      }
      await audit(`user.${sub}`, { email: normalizeEmail(target) });
      say(sub === 'disable' ? `${normalizeEmail(target)} disabled; its sessions have ended` : `${normalizeEmail(target)} enabled`);
      return 0;
    }
    if (sub === 'password' && target && pw && 'password' in pw) {
      if (!(await setPassword(ops.db, target, await hashPassword(pw.password)))) {
        warn(`odstat user password: no account ${normalizeEmail(target)}`);
        return 1;
      }
      await audit('user.password', { email: normalizeEmail(target) });
      say(`new password set for ${normalizeEmail(target)}; its sessions have ended`);
      if (pw.generated) say(`password, shown only now (hand it over by a safe channel):\n${pw.password}`);
      return 0;
    }
    warn(usage);
    return 2;
  } finally {
    await store.close();
  }
}

async function fixtures(cfg: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { out: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' }, jurisdiction: { type: 'string', short: 'j' } },
  });
  const seed = values.seed !== undefined ? Number(values.seed) : cfg.fixturesSeed;
  if (!Number.isInteger(seed) || seed < 0) {
    warn(`odstat fixtures: --seed must be a whole number (got ${values.seed})`);
    return 2;
  }
  if (values.end !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.end)) {
    warn(`odstat fixtures: --end must be YYYY-MM-DD (got ${values.end})`);
    return 2;
  }
  const id = values.jurisdiction ?? cfg.defaultJurisdiction;
  const duck = await openDuck(':memory:');
  try {
    const loaded = await loadJurisdictions(duck, cfg.jurisdictionsDir);
    const j = loaded.find((x) => x.config.id === id);
    if (!j) {
      warn(`odstat fixtures: unknown jurisdiction "${id}"`);
      return 2;
    }
    const out = resolve(values.out ?? `fixtures-out/${id}`);
    const files = writeFixtures(j, out, { seed, end: values.end ?? cfg.fixturesEnd });
    say([...files.feeds.map((f) => `wrote ${f.file} (${f.feed})`), `wrote ${files.manifest}`].join('\n'));
    return 0;
  } finally {
    duck.close();
  }
}
