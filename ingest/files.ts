import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

/** SHA-256 of a file's bytes, streamed. */
export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: statSync(path).size };
}
