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
  const rate = opts.measure !== 'count';
  const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 100) / 100);
  const rows = opts.features
    .map((f) => {
      const v = opts.values.get(f.properties.id);
      return { f, v, sort: v && v.value !== null && v.state !== 'suppressed' ? v.value : -Infinity };
    })
    .sort((a, b) => b.sort - a.sort || a.f.properties.name.localeCompare(b.f.properties.name))
    .map(({ f, v }) => {
      const shown = v && v.state !== 'suppressed' && v.state !== 'missing' && v.value !== null;
      const unreliable = v?.unreliable ?? (v?.count != null && v.count > 0 && v.count < UNRELIABLE_BELOW);
      return {
        area: f.properties.name,
        id: f.properties.id,
        group: f.properties.group,
        value: valueText(v, opts.measure),
        ...(rate
          ? {
              lower: shown ? round(v.lower) : null,
              upper: shown ? round(v.upper) : null,
              count: v?.state === 'suppressed' ? 'hidden' : (v?.count ?? 'no data'),
              reliability: shown && unreliable ? 'unreliable' : '',
            }
          : {}),
        state: STATE_TEXT[v?.state ?? 'missing'],
      };
    });
  return {
    caption: opts.caption,
    columns: [
      { key: 'area', label: 'Neighborhood' },
      { key: 'id', label: 'Id' },
      { key: 'group', label: opts.groupLabel },
      { key: 'value', label: opts.valueLabel, numeric: true },
      ...(rate
        ? [
            { key: 'lower', label: '95% lower', numeric: true },
            { key: 'upper', label: '95% upper', numeric: true },
            { key: 'count', label: 'Count', numeric: true },
            { key: 'reliability', label: `Fewer than ${UNRELIABLE_BELOW}` },
          ]
        : []),
      { key: 'state', label: 'State' },
    ],
    rows,
    note: 'hidden: a small count (or one that would reveal it) withheld for your role; no data: nothing loaded covers the period; 0 is a true zero. unreliable: a rate from fewer than 20 events (CDC WONDER).',
  };
}

/** The table behind the small multiples: one row per area, one column per period. */
export function multiplesTableOf(opts: {
  areas: readonly { id: string; name: string }[];
  periods: readonly Period[];
  interval: Interval;
  values: Map<string, readonly AreaValue[]>;
  measure: Measure;
  caption: string;
}): TableData {
  const columns = [
    { key: 'area', label: 'Neighborhood' },
    { key: 'id', label: 'Id' },
    ...opts.periods.map((p, i) => ({ key: `p${i}`, label: periodLabel(p, opts.interval), numeric: true })),
  ];
  const rows = opts.areas.map((a) => {
    const row: Record<string, string | number | null> = { area: a.name, id: a.id };
    const list = opts.values.get(a.id) ?? [];
    opts.periods.forEach((_, i) => {
      row[`p${i}`] = valueText(list[i], opts.measure);
    });
    return row;
  });
  return {
    caption: opts.caption,
    columns,
    rows,
    note: 'hidden: withheld for your role; no data: nothing loaded covers the period.',
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

