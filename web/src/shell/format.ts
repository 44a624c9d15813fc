// Rates as every view shows them. A rate of exactly zero is a true zero (no events in a known
// population) and reads "0": "0.0" or "0.00" would read as a small rate rounded down. Hidden
// (suppressed) and missing values are not numbers and never reach here: each view words them.
const one = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * A rate (per 100,000, or per event) for display: "0" for exactly zero; otherwise `digits`
 * decimals, or by default two under 10 and one from 10 ("2.34", "299.7", "1,204.5").
 */
export function formatRate(v: number, digits?: 1 | 2): string {
  if (v === 0) return '0';
  const d = digits ?? (Math.abs(v) < 10 ? 2 : 1);
  return (d === 1 ? one : two).format(v);
}
