// The table behind a chart: the same rows the chart draws, shown as an HTML table and
// downloadable as CSV. Pure (no DOM): unit-tested in tests/unit/web-shell.test.ts.

export type Cell = string | number | null;

export interface Column {
  key: string;
  label: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
}

export interface TableData {
  caption: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  /** A note under the table, e.g. what "hidden" means. */
  note?: string;
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF between records. */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  // A leading =, +, -, @ makes spreadsheets evaluate the cell (CSV injection, OWASP): quote it
  // with a leading apostrophe, unless it is a plain number.
  const guarded = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

export function toCsv(t: Pick<TableData, 'columns' | 'rows'>): string {
  const lines = [t.columns.map((c) => csvField(c.label)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => csvField(r[c.key] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name from a title: "EMS overdoses, March 2024" → "ems-overdoses-march-2024.csv". */
export function csvFileName(title: string): string {
  const base = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${base || 'odstat'}.csv`;
}

/** How a hidden or absent value reads in a table (never a bare blank that could pass for 0). */
export function cellText(v: Cell, state?: 'shown' | 'zero' | 'suppressed' | 'missing'): string {
  if (state === 'suppressed') return 'hidden';
  if (state === 'missing') return 'no data';
  if (v === null) return '—';
  return typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : v;
}
