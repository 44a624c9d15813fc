// Password hashing with scrypt (node:crypto, OpenSSL's implementation; no extra dependency).
//
// Cost: N = 2^17, r = 8, p = 1 — the OWASP Password Storage Cheat Sheet's first scrypt setting
// (128 MiB and about 0.3 s per hash on a current server core; about 1 s on the shared CI cores).
// A stolen hash then costs an attacker 128 MiB of memory per guess, which is what makes scrypt
// expensive on GPUs. Hashes are self-describing ("scrypt$<N>$<r>$<p>$<salt>$<key>", base64url), so
// a later change of cost still verifies old hashes. At most MAX_CONCURRENT hashes run at once,
// so a burst of sign-ins costs at most 256 MiB and leaves the libuv pool to DuckDB and the files.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_CONCURRENT = 2;

/**
 * NIST SP 800-63B-4 §3.1.1.2: at least 15 characters for a password used alone; at least 64
 * allowed. The upper bound stops a megabyte "password" from being hashed on every attempt.
 */
export const MIN_PASSWORD_LENGTH = 15;
export const MAX_PASSWORD_LENGTH = 1024;

let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function scrypt(password: string, salt: Buffer, params: ScryptParams, keylen: number): Promise<Buffer> {
  // OpenSSL needs 128·N·r bytes plus a little; Node's default cap (32 MiB) is below N = 2^17.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return limited(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCb(password.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, params, KEY_BYTES);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Refuse absurd parameters from a tampered row rather than allocate for them.
  if (!Number.isInteger(Math.log2(N)) || N < 2 ** 10 || N > 2 ** 20 || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return null;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || key.length < 16) return null;
  return { params: { N, r, p }, salt, key };
}

/** True when `password` matches the stored hash; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const h = parse(stored);
  if (!h) return false;
  const key = await scrypt(password, h.salt, h.params, h.key.length);
  return timingSafeEqual(key, h.key);
}

// Computed once per cost, lazily: signing in with an unknown email costs the same scrypt as a
// known one (hashed at `params`, the deployment's cost), so the answer's timing does not tell
// which emails have accounts.
const dummies = new Map<string, Promise<string>>();
export async function burnVerify(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<void> {
  const key = `${params.N}$${params.r}$${params.p}`;
  let dummy = dummies.get(key);
  if (!dummy) {
    dummy = hashPassword('odstat-no-such-account', params);
    dummies.set(key, dummy);
  }
  await verifyPassword(password, await dummy);
}

/** Why a new password is unacceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters (NIST SP 800-63B)`;
  if (password.length > MAX_PASSWORD_LENGTH) return `a password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

/** A random password: 20 characters of base64url, 120 bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
