// What one indicator of the catalog says about itself. The counting rule lives in SQL
// (sql/duckdb/views/events_<feed>.sql and sql/duckdb/definitions/); the catalog says what each
// id means to a person and which definition version applies.

export type Feed = 'deaths' | 'ems' | 'arrests' | 'treatment' | 'drugcheck' | 'naloxone';

export interface IndicatorDef {
  id: string;
  feed: Feed;
  label: string;
  unit: string;
  definition: string;
  /** Name of the SQL macro that returns the definition version in force. */
  versionMacro: string;
  /** DuckDB table whose rows this feed loads into (to tell whether the feed is loaded). */
  table: string;
  geographies: ('residence' | 'event')[];
}

