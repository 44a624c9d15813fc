// Configuration, from environment variables only (documented in README.md). Nothing here looks
// at NODE_ENV: an embedded laptop run and a server deployment differ only by what is set.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgTarget } from '../sql/postgres/db.ts';
import { DEFAULT_AUDIT_RETENTION_DAYS } from '../server/auth/options.ts';
import { parseThresholds, withThresholds, type PolicyTable } from '../server/policy.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  dataDir: string;
  duckdbPath: string;
  /** DuckDB's memory budget (its `memory_limit`), e.g. "1GB"; null = DuckDB's default, 80% of RAM. */
  duckdbMemoryLimit: string | null;
  pg: PgTarget;
  host: string;
  port: number;
  jurisdictionsDir: string;
  defaultJurisdiction: string;
  webRoot: string;
  fixturesSeed: number;
  /** Last day of generated data; null = the last complete month before today. */
  fixturesEnd: string | null;
  maxRejectShare: number;
  logLevel: string;
  /** File holding the key of the keyed hash that links people across feeds (never in a database). */
  linkageKeyFile: string;
  /** Fault injection, for the crash tests only: hold each load's transaction open this long. */
  holdBeforeCommitMs: number;
  /** Sign-in, sessions, limits, audit and policy (server/auth/options.ts). */
  security: {
    publicView: boolean;
    sessionIdleMinutes: number;
    sessionMaxHours: number;
    loginMaxFailures: number;
    loginLockoutMinutes: number;
    loginPerMinute: number;
    apiPerMinute: number;
    cookieSecure: 'auto' | 'always';
    auditRetentionDays: number;
    policy: PolicyTable;
  };
  /** Fastify trustProxy: false, true, or the proxies' addresses (comma-separated). */
  trustProxy: boolean | string;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${key}=${raw}: expected a whole number from ${min} to ${max}`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(`${key}=${env[key]}: expected true or false`);
}

function policy(env: NodeJS.ProcessEnv): PolicyTable {
  const raw = env.ODSTAT_SUPPRESSION_THRESHOLDS;
  try {
    return withThresholds(raw ? parseThresholds(raw) : {});
  } catch (e) {
    throw new ConfigError(`ODSTAT_SUPPRESSION_THRESHOLDS=${raw}: ${(e as Error).message}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.ODSTAT_DATA_DIR || 'data');
  const url = env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(`DATABASE_URL must start with postgres:// (got "${url.slice(0, 20)}…")`);
  const share = env.ODSTAT_MAX_REJECT_SHARE ? Number(env.ODSTAT_MAX_REJECT_SHARE) : 0.05;
  if (!(share >= 0 && share <= 1)) throw new ConfigError(`ODSTAT_MAX_REJECT_SHARE=${env.ODSTAT_MAX_REJECT_SHARE}: expected a number from 0 to 1`);
  const mem = env.ODSTAT_DUCKDB_MEMORY_LIMIT?.trim() || null;
  if (mem !== null && !/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(mem)) {
    throw new ConfigError(`ODSTAT_DUCKDB_MEMORY_LIMIT=${mem}: expected a size such as 1GB or 1536MiB`);
  }
  const end = env.ODSTAT_FIXTURES_END || null;
  if (end !== null && !/^\d{4}-\d{2}-\d{2}$/.test(end)) throw new ConfigError(`ODSTAT_FIXTURES_END=${end}: expected YYYY-MM-DD`);
  return {
    dataDir,
    duckdbPath: resolve(env.ODSTAT_DUCKDB || join(dataDir, 'odstat.duckdb')),
    duckdbMemoryLimit: mem,
    pg: url ? { kind: 'server', url } : { kind: 'embedded', dir: join(dataDir, 'pg') },
    host: env.ODSTAT_HOST || '127.0.0.1',
    port: int(env, 'ODSTAT_PORT', 8080, 0, 65535),
    jurisdictionsDir: resolve(env.ODSTAT_JURISDICTIONS_DIR || join(REPO_ROOT, 'fixtures', 'jurisdictions')),
    defaultJurisdiction: env.ODSTAT_DEFAULT_JURISDICTION || 'nyc',
    webRoot: resolve(env.ODSTAT_WEB_ROOT || join(REPO_ROOT, 'dist', 'web')),
    fixturesSeed: int(env, 'ODSTAT_FIXTURES_SEED', 20240601, 0, 2 ** 31 - 1),
    fixturesEnd: end,
    maxRejectShare: share,
    logLevel: env.ODSTAT_LOG_LEVEL || 'warn',
    holdBeforeCommitMs: int(env, 'ODSTAT_FAULT_HOLD_COMMIT_MS', 0, 0, 600_000),
    linkageKeyFile: resolve(env.ODSTAT_LINKAGE_KEY_FILE || join(dataDir, 'secrets', 'linkage.key')),
    security: {
      publicView: bool(env, 'ODSTAT_PUBLIC_VIEW', false),
      sessionIdleMinutes: int(env, 'ODSTAT_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      sessionMaxHours: int(env, 'ODSTAT_SESSION_MAX_HOURS', 12, 1, 24 * 30),
      loginMaxFailures: int(env, 'ODSTAT_LOGIN_MAX_FAILURES', 5, 1, 100),
      loginLockoutMinutes: int(env, 'ODSTAT_LOGIN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
      loginPerMinute: int(env, 'ODSTAT_LOGIN_RATE_PER_MINUTE', 10, 1, 10_000),
      apiPerMinute: int(env, 'ODSTAT_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
      cookieSecure: bool(env, 'ODSTAT_COOKIE_SECURE', false) ? 'always' : 'auto',
      auditRetentionDays: int(env, 'ODSTAT_AUDIT_RETENTION_DAYS', DEFAULT_AUDIT_RETENTION_DAYS, 0, 100 * 365),
      policy: policy(env),
    },
    trustProxy: trustProxy(env.ODSTAT_TRUST_PROXY),
  };
}

function trustProxy(raw: string | undefined): boolean | string {
  const v = raw?.trim() ?? '';
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (!/^[0-9a-fA-F.:/, ]+$/.test(v)) throw new ConfigError(`ODSTAT_TRUST_PROXY=${raw}: expected true, false, or the proxies' addresses (comma-separated)`);
  return v;
}
