// Repository of alerts: signal episodes (one per detector and area while it lasts, with its red
// and yellow periods), how far each detector has been run, and the ODMAP-style count thresholds
// set per area. The hysteresis rule is sql/epi/episodes.ts; this file stores its state between runs.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { advance, type EpisodeState, type PeriodSignal } from '../epi/episodes.ts';

export interface AlertKey {
  jurisdiction: string;
  indicator: string;
  method: string;
  geography: string;
  cadence: 'day' | 'week';
}

/** One period of a detector run: the areas with a result (an area without one is quiet). */
export interface PeriodResults {
  date: string;
  byArea: ReadonlyMap<string, PeriodSignal>;
}

export interface RunSummary {
  /** Periods after the cursor that this call processed. */
  processed: number;
  opened: number;
  updated: number;
  closed: number;
  /** The cursor after the call. */
  through: string | null;
}

export interface AlertRow {
  id: number;
  jurisdiction: string;
  indicator: string;
  method: string;
  geography: string;
  cadence: 'day' | 'week';
  area: string;
  status: 'open' | 'closed';
  openedOn: string;
  lastSignalOn: string;
  closedOn: string | null;
  quietPeriods: number;
  redPeriods: number;
  yellowPeriods: number;
  peak: PeriodSignal;
  latest: PeriodSignal;
  acknowledgedAt: string | null;
  acknowledgedBy: number | null;
  note: string | null;
}

const ALERT_COLUMNS = [
  'id',
  'jurisdiction_id',
  'indicator',
  'method',
  'geography',
  'cadence',
  'area_id',
  'status',
  sql<string>`opened_on::text`.as('opened_on'),
  sql<string>`last_signal_on::text`.as('last_signal_on'),
  sql<string | null>`closed_on::text`.as('closed_on'),
  'quiet_periods',
  'red_periods',
  'yellow_periods',
  'peak',
  'latest',
  'acknowledged_at',
  'acknowledged_by',
  'note',
] as const;

type Db = Kysely<Database> | Transaction<Database>;

function toAlert(r: {
  id: number;
  jurisdiction_id: string;
  indicator: string;
  method: string;
  geography: string;
  cadence: 'day' | 'week';
  area_id: string;
  status: 'open' | 'closed';
  opened_on: string;
  last_signal_on: string;
  closed_on: string | null;
  quiet_periods: number;
  red_periods: number;
  yellow_periods: number;
  peak: Record<string, unknown>;
  latest: Record<string, unknown>;
  acknowledged_at: Date | null;
  acknowledged_by: number | null;
  note: string | null;
}): AlertRow {
  return {
    id: r.id,
    jurisdiction: r.jurisdiction_id,
    indicator: r.indicator,
    method: r.method,
    geography: r.geography,
    cadence: r.cadence,
    area: r.area_id,
    status: r.status,
    openedOn: r.opened_on,
    lastSignalOn: r.last_signal_on,
    closedOn: r.closed_on,
    quietPeriods: r.quiet_periods,
    redPeriods: r.red_periods,
    yellowPeriods: r.yellow_periods,
    peak: r.peak as unknown as PeriodSignal,
    latest: r.latest as unknown as PeriodSignal,
    acknowledgedAt: r.acknowledged_at ? new Date(r.acknowledged_at).toISOString() : null,
    acknowledgedBy: r.acknowledged_by,
    note: r.note,
  };
}

const quietSignal = (date: string): PeriodSignal => ({ date, level: 'none', observed: null, expected: null, statistic: null, pValue: null, pAdjusted: null });

/**
 * Runs the hysteresis over the periods after the detector's cursor, for every area in `areas`
 * and every area with an open episode, and stores the result: new episodes, updated ones, closed
 * ones, their red and yellow periods, and the new cursor. Periods at or before the cursor are
 * skipped, so running the same detector again over overlapping dates changes nothing.
 */
export async function recordSignalRun(
  db: Kysely<Database>,
  key: AlertKey,
  periods: readonly PeriodResults[],
  opts: { quietToClose: number; areas: readonly string[] },
): Promise<RunSummary> {
  return db.transaction().execute(async (trx) => {
    const where = { jurisdiction_id: key.jurisdiction, indicator: key.indicator, method: key.method, geography: key.geography };
    await trx.insertInto('signal_cursors').values({ ...where, evaluated_through: null }).onConflict((oc) => oc.doNothing()).execute();
    // Serialises concurrent runs of one detector (a second waits, then finds the work done).
    const cursor = await trx
      .selectFrom('signal_cursors')
      .select(sql<string | null>`evaluated_through::text`.as('through'))
      .where('jurisdiction_id', '=', key.jurisdiction)
      .where('indicator', '=', key.indicator)
      .where('method', '=', key.method)
      .where('geography', '=', key.geography)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const todo = periods.filter((p) => cursor.through === null || p.date > cursor.through).slice().sort((a, b) => (a.date < b.date ? -1 : 1));
    const summary: RunSummary = { processed: todo.length, opened: 0, updated: 0, closed: 0, through: cursor.through };
    if (todo.length === 0) return summary;

    const openRows = await trx
      .selectFrom('signal_alerts')
      .select(ALERT_COLUMNS)
      .where('jurisdiction_id', '=', key.jurisdiction)
      .where('indicator', '=', key.indicator)
      .where('method', '=', key.method)
      .where('geography', '=', key.geography)
      .where('status', '=', 'open')
      .execute();
    const open = new Map(openRows.map((r) => [r.area_id, toAlert(r)]));
    const areas = [...new Set([...opts.areas, ...open.keys()])];

    for (const area of areas) {
      const existing = open.get(area);
      let id: number | null = existing?.id ?? null;
      let state: EpisodeState | null = existing
        ? {
            openedOn: existing.openedOn,
            lastSignalOn: existing.lastSignalOn,
            quiet: existing.quietPeriods,
            redPeriods: existing.redPeriods,
            yellowPeriods: existing.yellowPeriods,
            peak: existing.peak,
            latest: existing.latest,
          }
        : null;
      let pending: PeriodSignal[] = [];
      let touched = false;
      for (const p of todo) {
        const s = p.byArea.get(area) ?? quietSignal(p.date);
        const r = advance(state, s, opts.quietToClose);
        if (r.event === 'opened') {
          id = null;
          pending = [s];
          touched = true;
          summary.opened++;
        } else if (r.event === 'updated') {
          pending.push(s);
          touched = true;
        } else if (r.event === 'quiet') touched = true;
        else if (r.event === 'closed') {
          await writeEpisode(trx, key, area, id, r.closed!.state, r.closed!.closedOn, pending);
          if (id !== null) summary.updated++;
          summary.closed++;
          id = null;
          pending = [];
          touched = false;
        }
        state = r.state;
      }
      if (state && touched) {
        const wasOpen = id !== null;
        await writeEpisode(trx, key, area, id, state, null, pending);
        if (wasOpen) summary.updated++;
      }
    }
    const through = todo[todo.length - 1]!.date;
    await trx
      .updateTable('signal_cursors')
      .set({ evaluated_through: through, updated_at: sql`now()` })
      .where('jurisdiction_id', '=', key.jurisdiction)
      .where('indicator', '=', key.indicator)
      .where('method', '=', key.method)
      .where('geography', '=', key.geography)
      .execute();
    summary.through = through;
    return summary;
  });
}

async function writeEpisode(
  trx: Transaction<Database>,
  key: AlertKey,
  area: string,
  id: number | null,
  state: EpisodeState,
  closedOn: string | null,
  periods: readonly PeriodSignal[],
): Promise<number> {
  const values = {
    status: closedOn === null ? ('open' as const) : ('closed' as const),
    last_signal_on: state.lastSignalOn,
    closed_on: closedOn,
    quiet_periods: state.quiet,
    red_periods: state.redPeriods,
    yellow_periods: state.yellowPeriods,
    peak: JSON.stringify(state.peak),
    latest: JSON.stringify(state.latest),
  };
  let alertId: number;
  if (id === null) {
    const row = await trx
      .insertInto('signal_alerts')
      .values({
        jurisdiction_id: key.jurisdiction,
        indicator: key.indicator,
        method: key.method,
        geography: key.geography,
        cadence: key.cadence,
        area_id: area,
        opened_on: state.openedOn,
        ...values,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    alertId = row.id;
  } else {
    await trx.updateTable('signal_alerts').set({ ...values, updated_at: sql`now()` }).where('id', '=', id).execute();
    alertId = id;
  }
  const rows = periods
    .filter((p) => p.level !== 'none')
    .map((p) => ({
      alert_id: alertId,
      period: p.date,
      level: p.level as 'red' | 'yellow',
      observed: p.observed,
      expected: p.expected,
      statistic: p.statistic,
      p_value: p.pValue,
      p_adjusted: p.pAdjusted,
    }));
  for (let i = 0; i < rows.length; i += 500) {
    await trx.insertInto('signal_alert_periods').values(rows.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute();
  }
  return alertId;
}

export interface AlertFilter {
  jurisdiction: string;
  indicator?: string | undefined;
  method?: string | undefined;
  geography?: string | undefined;
  status?: 'open' | 'closed' | undefined;
  areas?: readonly string[] | undefined;
  /** Episodes that were open at some time in [from, to]. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
}

/** Newest first (by opening date, then id). */
export async function listAlerts(db: Db, f: AlertFilter): Promise<AlertRow[]> {
  let q = db.selectFrom('signal_alerts').select(ALERT_COLUMNS).where('jurisdiction_id', '=', f.jurisdiction);
  if (f.indicator !== undefined) q = q.where('indicator', '=', f.indicator);
  if (f.method !== undefined) q = q.where('method', '=', f.method);
  if (f.geography !== undefined) q = q.where('geography', '=', f.geography);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.areas !== undefined && f.areas.length > 0) q = q.where('area_id', 'in', [...f.areas]);
  if (f.to !== undefined) q = q.where('opened_on', '<=', f.to);
  if (f.from !== undefined) {
    const from = f.from;
    q = q.where((eb) => eb.or([eb('closed_on', 'is', null), eb('closed_on', '>=', from)]));
  }
  const rows = await q.orderBy('opened_on', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  return rows.map(toAlert);
}

export async function getAlert(db: Db, id: number): Promise<AlertRow | undefined> {
  const r = await db.selectFrom('signal_alerts').select(ALERT_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r ? toAlert(r) : undefined;
}

/** The red and yellow periods of an episode, oldest first. */
export async function alertPeriods(db: Db, id: number): Promise<PeriodSignal[]> {
  const rows = await db
    .selectFrom('signal_alert_periods')
    .select([sql<string>`period::text`.as('period'), 'level', 'observed', 'expected', 'statistic', 'p_value', 'p_adjusted'])
    .where('alert_id', '=', id)
    .orderBy('period')
    .execute();
  return rows.map((r) => ({
    date: r.period,
    level: r.level,
    observed: r.observed,
    expected: r.expected,
    statistic: r.statistic,
    pValue: r.p_value,
    pAdjusted: r.p_adjusted,
  }));
}

/** An analyst's acknowledgement, with an optional note (replacing an earlier one). */
export async function acknowledgeAlert(db: Db, id: number, userId: number | null, note: string | null): Promise<AlertRow | undefined> {
  await db
    .updateTable('signal_alerts')
    .set({ acknowledged_at: sql`now()`, acknowledged_by: userId, note, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
  return getAlert(db, id);
}

/** Cursor of one detector: the last period its alerts have been run through. */
export async function signalCursor(db: Db, key: Omit<AlertKey, 'cadence'>): Promise<string | null> {
  const r = await db
    .selectFrom('signal_cursors')
    .select(sql<string | null>`evaluated_through::text`.as('through'))
    .where('jurisdiction_id', '=', key.jurisdiction)
    .where('indicator', '=', key.indicator)
    .where('method', '=', key.method)
    .where('geography', '=', key.geography)
    .executeTakeFirst();
  return r?.through ?? null;
}

// ── ODMAP-style thresholds ─────────────────────────────────────────────────────────────────────

export interface ThresholdRow {
  area: string;
  minCount: number;
  updatedAt: string;
  updatedBy: string;
}

export async function listThresholds(db: Db, jurisdiction: string, indicator: string): Promise<ThresholdRow[]> {
  const rows = await db
    .selectFrom('alert_thresholds')
    .select(['area_id', 'min_count', 'updated_at', 'updated_by'])
    .where('jurisdiction_id', '=', jurisdiction)
    .where('indicator', '=', indicator)
    .orderBy('area_id')
    .execute();
  return rows.map((r) => ({ area: r.area_id, minCount: r.min_count, updatedAt: new Date(r.updated_at).toISOString(), updatedBy: r.updated_by }));
}

/** Sets (or, with minCount null, removes) the threshold of one area, '*' (default) or 'total'. */
export async function setThreshold(
  db: Db,
  t: { jurisdiction: string; indicator: string; area: string; minCount: number | null; by: string },
): Promise<void> {
  if (t.minCount === null) {
    await db
      .deleteFrom('alert_thresholds')
      .where('jurisdiction_id', '=', t.jurisdiction)
      .where('indicator', '=', t.indicator)
      .where('area_id', '=', t.area)
      .execute();
    return;
  }
  await db
    .insertInto('alert_thresholds')
    .values({ jurisdiction_id: t.jurisdiction, indicator: t.indicator, area_id: t.area, min_count: t.minCount, updated_by: t.by })
    .onConflict((oc) =>
      oc.columns(['jurisdiction_id', 'indicator', 'area_id']).doUpdateSet({ min_count: t.minCount!, updated_by: t.by, updated_at: sql`now()` }),
    )
    .execute();
}

/** N for each area: its own row, else the '*' default; 'total' only by its own row. */
export function thresholdMap(rows: readonly ThresholdRow[], areas: readonly string[]): Map<string, number> {
  const own = new Map(rows.map((r) => [r.area, r.minCount]));
  const def = own.get('*');
  const out = new Map<string, number>();
  for (const a of areas) {
    const n = own.get(a) ?? (def !== undefined ? def : undefined);
    if (n !== undefined) out.set(a, n);
  }
  const total = own.get('total');
  if (total !== undefined) out.set('total', total);
  return out;
}
