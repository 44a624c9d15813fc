// Once per `vitest run`: build the page if its sources changed, so browser tests serve what the
// sources say. Building here (not in each test) keeps the suite's time down.
import { join } from 'node:path';
import { ensureWebBuilt } from '../cli/web-build.ts';
import { REPO_ROOT } from '../cli/config.ts';

export default async function setup(): Promise<void> {
  process.env.TZ = 'America/New_York';
  await ensureWebBuilt(join(REPO_ROOT, 'dist', 'web'), (s) => process.stdout.write(`[global-setup] ${s}\n`));
}
