// False-discovery control across areas. Benjamini & Hochberg, "Controlling the false discovery
// rate: a practical and powerful approach to multiple testing", J. R. Statist. Soc. B 1995,
// 57(1):289–300. On one day the 42 areas are 42 tests; at q = 0.05 the expected share of false
// alarms among the areas flagged that day is at most 5% (for independent or positively
// dependent tests, Benjamini & Yekutieli 2001 — neighbouring areas' counts are, if anything,
// positively correlated). Adjusted p-values as R's p.adjust(method = "BH").

/**
 * BH-adjusted p-values: p̃_(i) = min_{j ≥ i} min(1, m·p_(j)/j) over the m finite p-values;
 * NaN stays NaN (a test not performed is not counted in m).
 */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const n = p.length;
  const out = new Float64Array(n).fill(Number.NaN);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(p[i]!)) idx.push(i);
  const m = idx.length;
  if (m === 0) return out;
  // Ascending p; ties in input order (the adjusted values of ties are equal anyway).
  idx.sort((a, b) => p[a]! - p[b]! || a - b);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const i = idx[k]!;
    running = Math.min(running, (m * p[i]!) / (k + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}

/** Which tests BH rejects at level q: adjusted p ≤ q. */
export function bhReject(p: ArrayLike<number>, q = 0.05): boolean[] {
  return Array.from(benjaminiHochberg(p), (v) => v <= q);
}
