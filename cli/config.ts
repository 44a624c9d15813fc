// Configuration, from environment variables only (documented in README.md). Nothing here looks
// at NODE_ENV: an embedded laptop run and a server deployment differ only by what is set.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgTarget } from '../sql/postgres/db.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  dataDir: string;
  duckdbPath: string;
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
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${key}=${raw}: expected a whole number from ${min} to ${max}`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.ODSTAT_DATA_DIR || 'data');
  const url = env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(`DATABASE_URL must start with postgres:// (got "${url.slice(0, 20)}…")`);
  const share = env.ODSTAT_MAX_REJECT_SHARE ? Number(env.ODSTAT_MAX_REJECT_SHARE) : 0.05;
  if (!(share >= 0 && share <= 1)) throw new ConfigError(`ODSTAT_MAX_REJECT_SHARE=${env.ODSTAT_MAX_REJECT_SHARE}: expected a number from 0 to 1`);
  const end = env.ODSTAT_FIXTURES_END || null;
  if (end !== null && !/^\d{4}-\d{2}-\d{2}$/.test(end)) throw new ConfigError(`ODSTAT_FIXTURES_END=${end}: expected YYYY-MM-DD`);
  return {
    dataDir,
    duckdbPath: resolve(env.ODSTAT_DUCKDB || join(dataDir, 'odstat.duckdb')),
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
  };
}
