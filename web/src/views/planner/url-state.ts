// The planner in the URL: ?view=planner&plan=ID&kits=&min=&units=&month=&stock=UNIT:N;UNIT:N.
// `plan` is the saved plan on screen; the rest is the form. Strict parsing: anything malformed
// falls back to the default (tests/unit/web-planner.test.ts).

export interface PlannerState {
  /** The saved plan shown. */
  plan: number | null;
  kits: number | null;
  /** Kits every unit gets whatever its need. */
  minimum: number;
  /** null: the server's default (police units where a crosswalk is configured). */
  units: 'police' | 'areas' | null;
  /** YYYY-MM; null: the month after the last whole month of data. */
  month: string | null;
  /** Kits each unit holds now, by unit id (units left out hold none). */
  stock: Record<string, number>;
}

export const DEFAULT_PLANNER: PlannerState = { plan: null, kits: null, minimum: 0, units: null, month: null, stock: {} };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const INT = /^\d{1,9}$/;
/** Unit ids: area ids or police-unit names ("Brooklyn North"); never the separators. */
const UNIT = /^[^:;]{1,60}$/;

export function parseStock(s: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  if (!s) return out;
  for (const part of s.split(';')) {
    const i = part.lastIndexOf(':');
    if (i <= 0) continue;
    const id = part.slice(0, i).trim();
    const n = part.slice(i + 1).trim();
    if (UNIT.test(id) && INT.test(n)) out[id] = Number(n);
  }
  return out;
}

export function formatStock(stock: Record<string, number>): string | null {
  const parts = Object.entries(stock)
    .filter(([id, n]) => UNIT.test(id) && Number.isInteger(n) && n >= 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, n]) => `${id}:${n}`);
  return parts.length ? parts.join(';') : null;
}

export function readPlanner(search: string): PlannerState {
  const q = new URLSearchParams(search);
  const int = (k: string) => {
    const v = q.get(k);
    return v !== null && INT.test(v) ? Number(v) : null;
  };
  const plan = int('plan');
  const units = q.get('units');
  const month = q.get('month');
  return {
    plan: plan !== null && plan > 0 ? plan : null,
    kits: int('kits'),
    minimum: int('min') ?? 0,
    units: units === 'police' || units === 'areas' ? units : null,
    month: month !== null && MONTH.test(month) ? month : null,
    stock: parseStock(q.get('stock')),
  };
}

export function writePlanner(s: PlannerState, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  q.set('view', 'planner');
  const set = (k: string, v: string | null) => (v === null ? q.delete(k) : q.set(k, v));
  set('plan', s.plan === null ? null : String(s.plan));
  set('kits', s.kits === null ? null : String(s.kits));
  set('min', s.minimum > 0 ? String(s.minimum) : null);
  set('units', s.units);
  set('month', s.month);
  set('stock', formatStock(s.stock));
  return `?${q.toString()}`;
}
