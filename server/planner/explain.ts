// One sentence per unit saying why it gets its kits, with the numbers the allocation used
// (docs/planner.md). Pure: the numbers come in already cut to what the reader may see.
import type { Allocation, AllocationRow } from './allocate.ts';

/** A count as a reader sees it: the number, or why it is not shown. */
export interface ShownCount {
  value: number | null;
  state: 'shown' | 'zero' | 'small' | 'withheld' | 'missing';
}

export interface ExplainComponent {
  /** What one event is, plural: "EMS suspected opioid overdoses". */
  label: string;
  weight: number;
  /** Forecast events in the plan month (rounded as the reader sees it). */
  forecast: number;
  /** The last complete month's count, as this reader may see it. */
  lastMonth: ShownCount;
  /** The reader's small-cell threshold for this source's feed (0 = none), for "fewer than N". */
  threshold: number;
}

export interface ExplainContext {
  /** 'YYYY-MM' of the plan. */
  month: string;
  /** 'YYYY-MM' of the last month of data used. */
  lastMonth: string;
  /** Digits after the point of needs and forecasts (1 for analysts, 0 for suppressed roles). */
  digits: number;
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const kitsWord = (n: number) => `${fmt(n)} kit${n === 1 ? '' : 's'}`;

/** A count with its label as words: "297 EMS suspected opioid overdoses", "fewer than 10 …", "… suppressed". */
export function countPhrase(c: ShownCount, label: string, threshold: number): string {
  switch (c.state) {
    case 'shown':
    case 'zero':
      return `${fmt(c.value ?? 0)} ${label}`;
    case 'small':
      return `fewer than ${threshold} ${label}`;
    case 'withheld':
      return `${label} suppressed`;
    case 'missing':
      return `no data on ${label}`;
  }
}

/**
 * The sentence of one unit. Every number in it is a field of `row` (or of the components),
 * formatted: kits, need and its percent, the pool share, stock, minimum and the kits above it.
 */
export function explainUnit(
  name: string,
  row: AllocationRow,
  totals: Pick<Allocation, 'pool' | 'kits' | 'stockTotal' | 'extraKits' | 'totalNeed'>,
  components: readonly ExplainComponent[],
  trendPct: number | null,
  ctx: ExplainContext,
): string {
  const parts = components.map((c) => `${fmt(c.forecast, ctx.digits)} ${c.label} × ${fmt(c.weight, c.weight % 1 === 0 ? 0 : 2)}`);
  const last = components.map((c) => countPhrase(c.lastMonth, c.label, c.threshold));
  const trend =
    trendPct === null ? '' : Math.abs(trendPct) < 0.5 ? ', steady' : `, ${trendPct > 0 ? 'rising' : 'falling'} ${fmt(Math.abs(trendPct), 1)}% a month`;
  const head =
    `${name}: ${kitsWord(row.kits)}. Forecast need for ${ctx.month} ${fmt(row.need, ctx.digits)} ` +
    `(${fmt(100 * row.needShare, 1)}% of the total ${fmt(totals.totalNeed, ctx.digits)}: ${parts.join(' + ')}${trend}; ` +
    `in ${ctx.lastMonth} ${last.join(' and ')})`;
  const pool = `${fmt(totals.pool)} kits held after the plan (${fmt(totals.kits)} new + ${fmt(totals.stockTotal)} in stock)`;
  const stock = row.stockKnown ? `it holds ${fmt(row.stock)}` : 'its stock is not known (taken as 0)';
  let why: string;
  switch (row.basis) {
    case 'share':
      why =
        `its share of the ${pool} is ${fmt(row.poolShare, 1)}, ${stock} and its minimum is ${fmt(row.minimum)}, ` +
        `so it gets ${fmt(row.minimum)} + ${fmt(row.extra)} of the ${fmt(totals.extraKits)} kits above the minimums ` +
        `(${fmt(100 * row.gapShare, 1)}% of them, by its shortfall${row.remainderKit ? ', one by largest remainder' : ''})`;
      break;
    case 'stocked':
      why = `its share of the ${pool} is ${fmt(row.poolShare, 1)}; it holds ${fmt(row.stock)} already, which with its minimum of ${fmt(row.minimum)} covers that share, so it gets only its minimum ${fmt(row.minimum)} + 0`;
      break;
    case 'minimum':
      why = `its share of the ${pool} is ${fmt(row.poolShare, 1)}, ${stock}, and its minimum is ${fmt(row.minimum)}, which covers its share, so it gets only its minimum ${fmt(row.minimum)} + 0`;
      break;
  }
  return `${head}; ${why}.`;
}
