// `npm run api:types`: writes web/src/api-schema.d.ts, the page's types of the HTTP API, from the
// OpenAPI document the server itself builds from its route schemas. The app is built in-process
// (in-memory DuckDB and PGlite, no listening socket) and asked for its document, so the types
// describe exactly what `odstat serve` documents. `--check` writes nothing and exits 1 when the
// committed file is stale (tests/integration/api-client.test.ts does the same).
//
// openapi-typescript (dev dependency) turns an OpenAPI 3.0/3.1 document into TypeScript types,
// with no runtime code: the page keeps its own small fetch wrapper (web/src/api.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../server/app.ts';
import { openDuck } from '../sql/duckdb.ts';
import { openOps } from '../sql/postgres/db.ts';
import { linkageKeyFromBytes } from '../ingest/linkage.ts';

export const API_TYPES_FILE = join(import.meta.dirname, '..', 'web', 'src', 'api-schema.d.ts');

const HEADER = `// Types of the ODStat HTTP API (/api/v1), generated from its OpenAPI document by
// \`npm run api:types\` (scripts/api-types.ts, openapi-typescript). Do not edit by hand: change the
// route schemas in server/ and run it again; a test fails while this file is stale.
`;

/** The OpenAPI document of an app built with the defaults, uploads included. */
export async function openapiDocument(): Promise<Record<string, unknown>> {
  const incoming = mkdtempSync(join(tmpdir(), 'odstat-api-types-'));
  const duck = await openDuck(':memory:');
  const ops = await openOps({ kind: 'memory' });
  const app = await buildApp({
    duck,
    ops,
    defaultJurisdiction: 'nyc',
    webRoot: null,
    // Only so that the upload route is registered and documented; nothing is loaded.
    ingest: { incomingDir: incoming, linkage: linkageKeyFromBytes(Buffer.alloc(32)), maxRejectShare: 0.05, adminToken: 'api-types-unused-token' },
  });
  try {
    await app.ready();
    return structuredClone(app.swagger()) as unknown as Record<string, unknown>;
  } finally {
    await app.close();
    rmSync(incoming, { recursive: true, force: true });
  }
}

/** The text of web/src/api-schema.d.ts for the current route schemas. */
export async function apiTypes(doc?: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS((doc ?? (await openapiDocument())) as unknown as Parameters<typeof openapiTS>[0], { silent: true });
  return `${HEADER}${astToString(ast)}`;
}

async function main(args: string[]): Promise<number> {
  const text = await apiTypes();
  let current = '';
  try {
    current = readFileSync(API_TYPES_FILE, 'utf8');
  } catch {
    // Not written yet.
  }
  if (args.includes('--check')) {
    if (current === text) return 0;
    process.stderr.write(`${API_TYPES_FILE} is stale: run npm run api:types\n`);
    return 1;
  }
  if (current !== text) writeFileSync(API_TYPES_FILE, text);
  process.stdout.write(`${API_TYPES_FILE}: ${current === text ? 'unchanged' : 'written'}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
