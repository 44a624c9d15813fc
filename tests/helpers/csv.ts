// CSV reading for tests (csv-parse, as the generators read): recounts over the real files are
// computed here, in JavaScript, independently of the DuckDB reading the adapters do.
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../fixtures/generators/world.ts';

export { parseCsv };

/** Header and records of a CSV file as objects keyed by the header's names. */
export function readCsvObjects(file: string): { header: string[]; records: Record<string, string>[] } {
  const [header, ...rest] = parseCsv(readFileSync(file, 'utf8'));
  if (!header) return { header: [], records: [] };
  return {
    header,
    records: rest.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))),
  };
}

/** The raw text of each record of `text` (header first), keeping quoted newlines inside. */
export function csvRecordTexts(text: string): string[] {
  const s = text.replace(/^\uFEFF/, '');
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') {
      out.push(s.slice(start, i).replace(/\r$/, ''));
      start = i + 1;
    }
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}
