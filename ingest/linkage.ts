// The linkage key: 32 random bytes in a file outside the database (default
// $ODSTAT_DATA_DIR/secrets/linkage.key, mode 0600), created on first use. Rotating it means
// replacing the file and re-loading the feeds whose links should survive: person keys made with
// different keys never match, and each row records the key id it was made with.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BLOB, blobValue, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

export interface LinkageKey {
  /** First 12 hex digits of SHA-256 of the key: names the key without revealing it. */
  id: string;
  ipad: Buffer;
  opad: Buffer;
}

const BLOCK = 64; // SHA-256 block size in bytes (RFC 2104)

export function linkageKeyFromBytes(key: Buffer): LinkageKey {
  if (key.length < 16) throw new Error('the linkage key must be at least 16 bytes');
  const k = key.length > BLOCK ? createHash('sha256').update(key).digest() : key;
  const block = Buffer.alloc(BLOCK);
  k.copy(block);
  return {
    id: createHash('sha256').update(key).digest('hex').slice(0, 12),
    ipad: Buffer.from(block.map((b) => b ^ 0x36)),
    opad: Buffer.from(block.map((b) => b ^ 0x5c)),
  };
}

/** Reads the key file, creating it with a fresh random key when it does not exist. */
export function loadLinkageKey(path: string): LinkageKey {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Written whole to a file of its own, then linked into place: link() fails if the key exists,
    // so two processes starting together on a new data folder (the server and `odstat ingest`)
    // both end up reading the one key that got there first — never an empty file, never two keys.
    const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600);
    try {
      linkSync(tmp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
  }
  const text = readFileSync(path, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length < 16 || key.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw new Error(`${path}: the linkage key must be base64 of at least 16 bytes`);
  }
  return linkageKeyFromBytes(key);
}

/** Parameters to bind wherever SQL calls person_key($link_ipad, $link_opad, …). */
export function linkageParams(k: LinkageKey): { values: Record<string, DuckDBValue>; types: Record<string, DuckDBType> } {
  return {
    values: { link_ipad: blobValue(k.ipad), link_opad: blobValue(k.opad) },
    types: { link_ipad: BLOB, link_opad: BLOB },
  };
}
