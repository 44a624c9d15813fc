// How `odstat` commands find a server running on the same data directory: `odstat serve` writes
// $ODSTAT_DATA_DIR/server.json (pid and URL) while it listens, and a token file that only the
// data directory's owner can read. A command that finds a live server sends its work there,
// because DuckDB lets one process write a database file.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ServerInfo {
  pid: number;
  url: string;
}

export const serverInfoPath = (dataDir: string) => join(dataDir, 'server.json');
export const adminTokenPath = (dataDir: string) => join(dataDir, 'secrets', 'admin.token');

export function writeServerInfo(dataDir: string, info: ServerInfo): void {
  writeFileSync(serverInfoPath(dataDir), `${JSON.stringify(info)}\n`, { mode: 0o644 });
}

export function removeServerInfo(dataDir: string, pid: number): void {
  const info = readServerInfo(dataDir);
  if (info?.pid === pid) rmSync(serverInfoPath(dataDir), { force: true });
}

export function readServerInfo(dataDir: string): ServerInfo | null {
  try {
    const info = JSON.parse(readFileSync(serverInfoPath(dataDir), 'utf8')) as ServerInfo;
    return typeof info.pid === 'number' && typeof info.url === 'string' ? info : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The server on this data directory, if one is running and answers. */
export async function findLiveServer(dataDir: string): Promise<ServerInfo | null> {
  const info = readServerInfo(dataDir);
  if (!info || !alive(info.pid)) return null;
  try {
    const res = await fetch(new URL('/healthz', info.url), { signal: AbortSignal.timeout(3000) });
    return res.ok ? info : null;
  } catch {
    return null;
  }
}

/** The local administrator token, created (0600) on first use. */
export function loadAdminToken(dataDir: string): string {
  return loadSecret(adminTokenPath(dataDir));
}

/** Key of the CSRF tokens' HMAC, kept beside the data so tokens outlive a restart. */
export function loadCsrfKey(dataDir: string): string {
  return loadSecret(join(dataDir, 'secrets', 'csrf.key'));
}

function loadSecret(path: string): string {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return readFileSync(path, 'utf8').trim();
}
