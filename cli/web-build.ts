// Builds the page with Vite when dist/web is missing or older than its sources, so `npm start`
// on a fresh clone needs no separate build step. A deployment image builds it once at image time.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './config.ts';

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, e)));
  return newest;
}

export function webBuildIsStale(webRoot: string): boolean {
  const index = join(webRoot, 'index.html');
  if (!existsSync(index)) return true;
  const sources = [join(REPO_ROOT, 'web'), join(REPO_ROOT, 'vite.config.ts'), join(REPO_ROOT, 'server', 'schemas')];
  const built = statSync(index).mtimeMs;
  return sources.some((s) => existsSync(s) && newestMtime(s) > built);
}

export async function ensureWebBuilt(webRoot: string, log: (s: string) => void): Promise<void> {
  if (!webBuildIsStale(webRoot)) return;
  if (!existsSync(join(REPO_ROOT, 'web'))) {
    throw new Error(`the web app is not built at ${webRoot} and its sources are not here to build it`);
  }
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new Error(`the web app at ${webRoot} is missing or stale and Vite is not installed (run "npm install", then "npm run build")`);
  }
  const started = Date.now();
  log('building the web app (vite)…');
  await vite.build({ configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: webRoot, emptyOutDir: true } });
  log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
