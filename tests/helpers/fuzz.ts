// Run counts and seed of the property tests (tests/property/*). ODSTAT_FUZZ_RUNS sets the number
// of generated cases per adapter / per route (the defaults keep the suite quick on two cores);
// ODSTAT_FUZZ_SEED replays a failure: fast-check prints the seed and the path of the failing case.
export const FUZZ_SEED = process.env.ODSTAT_FUZZ_SEED ? Number(process.env.ODSTAT_FUZZ_SEED) : 20261204;

export function fuzzRuns(fallback: number): number {
  const v = process.env.ODSTAT_FUZZ_RUNS;
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`ODSTAT_FUZZ_RUNS=${v}: expected a whole number ≥ 1`);
  return n;
}

/** Per-test totals, printed at the end of each file for docs/reliability.md. */
export const tally = new Map<string, { cases: number; ms: number; outcomes: Record<string, number> }>();

export function count(name: string, outcome: string, ms: number): void {
  const t = tally.get(name) ?? { cases: 0, ms: 0, outcomes: {} };
  t.cases++;
  t.ms += ms;
  t.outcomes[outcome] = (t.outcomes[outcome] ?? 0) + 1;
  tally.set(name, t);
}

export function printTally(title: string): void {
  const lines = [...tally].map(([k, t]) => `  ${k.padEnd(44)} ${String(t.cases).padStart(6)} cases ${(t.ms / 1000).toFixed(1).padStart(7)} s  ${JSON.stringify(t.outcomes)}`);
  const total = [...tally.values()].reduce((a, t) => a + t.cases, 0);
  process.stdout.write(`\n[fuzz] ${title} (seed ${FUZZ_SEED}, ODSTAT_FUZZ_RUNS=${process.env.ODSTAT_FUZZ_RUNS ?? 'default'}): ${total} cases\n${lines.join('\n')}\n`);
}
