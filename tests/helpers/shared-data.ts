// Where the shared acceptance data lives (../shared/data beside the repository in a work tree,
// /work/shared/data on this machine kind when the repository is cloned elsewhere, as CI may do).
// ODSTAT_SHARED_DATA overrides both. Tests that need it fail naming the places they looked.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './fixtures.ts';

const CANDIDATES = [process.env.ODSTAT_SHARED_DATA, join(REPO, '..', 'shared', 'data'), '/work/shared/data'].filter((p): p is string => !!p);

/** The first candidate folder that exists (or the first candidate, so a read names it). */
export const SHARED_DATA = CANDIDATES.find((p) => existsSync(p)) ?? CANDIDATES[0]!;

/** A file of the shared data; throws naming every folder tried when it is not there. */
export function sharedFile(...parts: string[]): string {
  const f = join(SHARED_DATA, ...parts);
  if (!existsSync(f)) throw new Error(`shared acceptance file ${join(...parts)} not found under ${CANDIDATES.join(' or ')} (set ODSTAT_SHARED_DATA)`);
  return f;
}
