// Repository of upload tokens. The token itself is shown once, when created; only its SHA-256 is kept.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export async function createToken(
  db: Kysely<Database>,
  t: { name: string; agency: string; feeds: string[] },
): Promise<{ id: number; token: string }> {
  const token = `odt_${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({ name: t.name, agency: t.agency, feeds: JSON.stringify(t.feeds), token_sha256: tokenHash(token), last_used_at: null, revoked_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token };
}

/** The live token with this secret, marking it used; undefined when unknown or revoked. */
export async function findToken(db: Kysely<Database>, token: string) {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_sha256', '=', tokenHash(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (row) await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  return row;
}

export async function revokeToken(db: Kysely<Database>, id: number): Promise<boolean> {
  const r = await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listTokens(db: Kysely<Database>) {
  return db.selectFrom('api_tokens').select(['id', 'name', 'agency', 'feeds', 'created_at', 'last_used_at', 'revoked_at']).orderBy('id').execute();
}
