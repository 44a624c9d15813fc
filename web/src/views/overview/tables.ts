// The tables behind the overview's map and trend (pure: tests/unit/web-overview-tables.test.ts).
// A hidden count reads "hidden" and an absent one "no data", never a blank that could pass for 0;
// the CSV carries the same words in a state column.
import type { Interval, Period, SeriesPoint } from '../../api.ts';
import type { TableData } from '../../shell/table.ts';
import { periodLabel, UNRELIABLE_BELOW, type AreaValue, type Measure } from './scales.ts';

const STATE_TEXT: Record<SeriesPoint['state'], string> = { shown: 'shown', zero: 'zero', suppressed: 'hidden', missing: 'no data' };

function valueText(v: AreaValue | undefined, measure: Measure): string | number {
  if (!v || v.state === 'missing') return 'no data';
  if (v.state === 'suppressed') return 'hidden';
  if (v.value === null) return 'no data';
  return measure === 'count' ? v.value : Math.round(v.value * 100) / 100;
}

export function mapTableOf(opts: {
  features: readonly { properties: { id: string; name: string; group: string | null } }[];
  values: Map<string, AreaValue>;
  measure: Measure;
  caption: string;
  groupLabel: string;
  valueLabel: string;
}): TableData {
  const rate = opts.measure === 'rate';
  const rows = opts.features
    .map((f) => {
      const v = opts.values.get(f.properties.id);
      return { f, v, sort: v && v.value !== null && v.state !== 'suppressed' ? v.value : -Infinity };
    })
    .sort((a, b) => b.sort - a.sort || a.f.properties.name.localeCompare(b.f.properties.name))
    .map(({ f, v }) => ({
      area: f.properties.name,
      id: f.properties.id,
      group: f.properties.group,
      value: valueText(v, opts.measure),
      ...(rate ? { count: v?.state === 'suppressed' ? 'hidden' : (v?.count ?? 'no data') } : {}),
      ...(rate ? { reliability: v?.count != null && v.count > 0 && v.count < UNRELIABLE_BELOW ? 'unreliable' : '' } : {}),
      state: STATE_TEXT[v?.state ?? 'missing'],
    }));
  return {
    caption: opts.caption,
    columns: [
      { key: 'area', label: 'Neighborhood' },
      { key: 'id', label: 'Id' },
      { key: 'group', label: opts.groupLabel },
      { key: 'value', label: opts.valueLabel, numeric: true },
      ...(rate ? [{ key: 'count', label: 'Count', numeric: true }, { key: 'reliability', label: `Fewer than ${UNRELIABLE_BELOW}` }] : []),
      { key: 'state', label: 'State' },
    ],
    rows,
    note: 'hidden: a small count (or one that would reveal it) withheld for your role; no data: nothing loaded covers the period; 0 is a true zero.',
  };
}

export function trendTableOf(opts: {
  periods: readonly Period[];
  interval: Interval;
  lines: readonly { key: string; name: string; values: readonly (number | null)[] }[];
  /** The points of each line, in the same order, for their states. */
  points: readonly (readonly SeriesPoint[])[];
  caption: string;
}): TableData {
  const columns = [
    { key: 'period', label: 'Period' },
    { key: 'start', label: 'Start' },
    ...opts.lines.map((l) => ({ key: l.key, label: l.name, numeric: true })),
  ];
  const rows = opts.periods.map((p, i) => {
    const row: Record<string, string | number | null> = { period: periodLabel(p, opts.interval), start: p.start };
    opts.lines.forEach((l, k) => {
      const state = opts.points[k]?.[i]?.state;
      const v = l.values[i] ?? null;
      row[l.key] = state === 'suppressed' ? 'hidden' : state === 'missing' || v === null ? 'no data' : Math.round(v * 100) / 100;
    });
    return row;
  });
  return { caption: opts.caption, columns, rows };
}

