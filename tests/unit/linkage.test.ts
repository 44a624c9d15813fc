import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuck, rows } from '../../sql/duckdb.ts';
import { linkageKeyFromBytes, linkageParams, loadLinkageKey } from '../../ingest/linkage.ts';

describe('person linkage key (HMAC-SHA256 in DuckDB)', () => {
  const key = Buffer.from('a-test-key-of-more-than-16-bytes');
  const k = linkageKeyFromBytes(key);

  async function personKey(last: string | null, first: string | null, dob: string | null, kk = k) {
    const duck = await openDuck(':memory:');
    const c = await duck.connect();
    try {
      const p = linkageParams(kk);
      const [r] = await rows<{ h: string | null }>(
        c,
        'SELECT person_key($link_ipad, $link_opad, $last::VARCHAR, $first::VARCHAR, $dob::DATE) AS h',
        { ...p.values, last, first, dob },
        p.types,
      );
      return r?.h ?? null;
    } finally {
      c.closeSync();
      duck.close();
    }
  }

  it('equals RFC 2104 HMAC-SHA256 of the normalised identity, as node:crypto computes it', async () => {
    const expected = createHmac('sha256', key).update('oconnor|mariajose|1980-02-29').digest('hex');
    expect(await personKey("O'Connor ", 'María José', '1980-02-29')).toBe(expected);
  });

  it('differs with another key, and is null when a part is missing', async () => {
    const other = linkageKeyFromBytes(Buffer.from('another-key-of-more-than-16-byte'));
    const a = await personKey('Doe', 'Jane', '1970-01-01');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await personKey('Doe', 'Jane', '1970-01-01', other)).not.toBe(a);
    expect(await personKey(null, 'Jane', '1970-01-01')).toBeNull();
    expect(await personKey('Doe', 'Jane', null)).toBeNull();
  });

  it('creates a key file readable only by its owner, and reads the same key back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'odstat-key-'));
    const path = join(dir, 'secrets', 'linkage.key');
    const a = loadLinkageKey(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadLinkageKey(path).id).toBe(a.id);
    expect(readFileSync(path, 'utf8')).not.toContain(a.id);
  });

  it('gives processes that start together on a new folder one and the same key', async () => {
    // The server and `odstat ingest` may both be first on a new data folder. Four processes, from
    // the same instant, each create (or read) the keys of the same 300 new folders in the same
    // order, so they meet on many of them: every folder must end with one key, read whole by all.
    const dir = mkdtempSync(join(tmpdir(), 'odstat-key-race-'));
    const N = 300;
    const start = Date.now() + 2000;
    const code = `import { loadLinkageKey } from ${JSON.stringify(new URL('../../ingest/linkage.ts', import.meta.url).href)};
      const out = [];
      while (Date.now() < ${start}) {}
      for (let i = 0; i < ${N}; i++) {
        try { out.push(loadLinkageKey(${JSON.stringify(dir)} + '/' + i + '/linkage.key').id); } catch (e) { out.push('ERROR ' + e.message); }
      }
      process.stdout.write(JSON.stringify(out));`;
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        new Promise<string[]>((resolve, reject) =>
          execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as string[]))),
        ),
      ),
    );
    const errors = runs.flat().filter((id) => id.startsWith('ERROR'));
    const split = Array.from({ length: N }, (_, i) => i).filter((i) => new Set(runs.map((r) => r[i])).size > 1);
    expect({ errors: errors.slice(0, 3), foldersWithTwoKeys: split.length }).toEqual({ errors: [], foldersWithTwoKeys: 0 });
    expect(runs[0]![0]).toBe(loadLinkageKey(join(dir, '0', 'linkage.key')).id);
    expect(readdirSync(join(dir, '0'))).toEqual(['linkage.key']);
  });
});
