// Running the `odstat` command from tests, two ways:
// - spawnOdstat: the real binary (node bin/odstat.js, tsx loader, its own process), for the
//   tests that prove the installed command works end to end; each costs a Node start and a
//   TypeScript load of the whole CLI (several seconds on the shared CI cores);
// - runOdstat: the same `main(argv)` the binary calls, in the test's process, with the same
//   environment variables, stdin, stdout, stderr and exit code; for tests about a command's logic.
// Both leave DATABASE_URL empty unless `env` sets it (the embedded database is the default).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { REPO } from './fixtures.ts';

export interface OdstatResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const ODSTAT_BIN = join(REPO, 'bin', 'odstat.js');

export function spawnOdstat(args: string[], env: Record<string, string>, opts: { stdin?: string; timeout?: number } = {}): Promise<OdstatResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [ODSTAT_BIN, ...args],
      { cwd: REPO, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: opts.timeout ?? 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
    child.stdin!.end(opts.stdin ?? '');
  });
}

let busy = false;

/**
 * `odstat …` in this process: process.env gets `env` (and DATABASE_URL '' unless given) for the
 * call, process.stdin reads `stdin` (empty if not given), and what the command writes to
 * process.stdout and process.stderr is captured. One call at a time per process.
 */
export async function runOdstat(args: string[], env: Record<string, string>, opts: { stdin?: string } = {}): Promise<OdstatResult> {
  if (busy) throw new Error('runOdstat: one call at a time');
  busy = true;
  const { main } = await import('../../cli/main.ts');
  const vars = { DATABASE_URL: '', ...env };
  const savedEnv = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const stdinDescriptor = Object.getOwnPropertyDescriptor(process, 'stdin');
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  const capture = (append: (s: string) => void) =>
    ((chunk: string | Uint8Array, encoding?: unknown, cb?: unknown) => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') (done as () => void)();
      return true;
    }) as typeof process.stdout.write;
  try {
    Object.assign(process.env, vars);
    Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(opts.stdin ?? '')]), configurable: true, enumerable: true, writable: true });
    process.stdout.write = capture((s) => (stdout += s));
    process.stderr.write = capture((s) => (stderr += s));
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    if (stdinDescriptor) Object.defineProperty(process, 'stdin', stdinDescriptor);
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    busy = false;
  }
}
