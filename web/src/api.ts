// A small typed client for /api/v1. The types come from the server's schemas (type-only
// imports, erased at build), so the page and the API cannot drift apart silently.
import type { ErrorBody, SeriesQuery } from '../../server/schemas/v1.ts';
import type { ClusterJob as ClusterJobBody, ClusterRequest } from '../../server/schemas/signals.ts';
// Generated from the server's OpenAPI document (npm run api:types; a test fails when it is stale).
import type { paths } from './api-schema';

/** The JSON body of a 200 answer to GET `P`, as the OpenAPI document describes it. */
export type ApiOk<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } } ? T : never;
/** The query parameters of GET `P` (the representation is always JSON here: no `format`). */
export type ApiQuery<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? Omit<NonNullable<Q>, 'format'> : never;
/** The JSON body of a 200 answer to POST `P`. */
export type ApiPostOk<P extends keyof paths> = paths[P] extends { post: { responses: { 200: { content: { 'application/json': infer T } } } } } ? T : never;

export type {
  AreaCollection,
  AreaProperties,
  Indicator,
  IndicatorList,
  Interval,
  Jurisdiction,
  JurisdictionList,
  Period,
  Series,
  SeriesPoint,
  SeriesQuery,
  SeriesResponse,
} from '../../server/schemas/v1.ts';

/** A failed request, carrying the API's own `message` when the body was an ErrorBody. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string';
}

export async function getJson<T>(path: string, signal?: AbortSignal, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers }, signal: signal ?? null });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, `Could not reach the ODStat server (${path.split('?')[0]}).`);
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's HTML error page, say): reported below by status.
  }
  // The session ended (idle or signed out elsewhere): the shell shows the sign-in form.
  if (res.status === 401) window.dispatchEvent(new Event('odstat:signed-out'));
  if (!res.ok) {
    const message = isErrorBody(body) ? body.message : `${res.status} ${res.statusText || 'error'} from ${path.split('?')[0]}`;
    throw new ApiError(res.status, message);
  }
  if (body === undefined) throw new ApiError(res.status, `The server sent no JSON for ${path.split('?')[0]}.`);
  return body as T;
}

/** `path?key=value…`, leaving out undefined and null values. */
export function withQuery(path: string, q: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export function seriesUrl(q: SeriesQuery): string {
  return withQuery('/api/v1/series', q);
}

export const api = {
  jurisdictions: (signal?: AbortSignal) => getJson<ApiOk<'/api/v1/jurisdictions'>>('/api/v1/jurisdictions', signal),
  areas: (jurisdictionId: string, signal?: AbortSignal) =>
    getJson<ApiOk<'/api/v1/jurisdictions/{id}/areas'>>(`/api/v1/jurisdictions/${encodeURIComponent(jurisdictionId)}/areas`, signal),
  indicators: (signal?: AbortSignal) => getJson<ApiOk<'/api/v1/indicators'>>('/api/v1/indicators', signal),
  series: (q: SeriesQuery, signal?: AbortSignal) => getJson<ApiOk<'/api/v1/series'>>(seriesUrl(q), signal),
  status: (signal?: AbortSignal) => getJson<ApiOk<'/api/v1/status'>>('/api/v1/status', signal),
  drugSupply: (q: ApiQuery<'/api/v1/drug-supply'>, signal?: AbortSignal) =>
    getJson<ApiOk<'/api/v1/drug-supply'>>(withQuery('/api/v1/drug-supply', q), signal),
  statusAreas: (q: ApiQuery<'/api/v1/status/areas'>, signal?: AbortSignal) =>
    getJson<ApiOk<'/api/v1/status/areas'>>(withQuery('/api/v1/status/areas', q), signal),
  signals: (q: ApiQuery<'/api/v1/signals'>, signal?: AbortSignal) =>
    getJson<ApiOk<'/api/v1/signals'>>(withQuery('/api/v1/signals', q), signal),
  alerts: (q: ApiQuery<'/api/v1/alerts'>, signal?: AbortSignal) => getJson<ApiOk<'/api/v1/alerts'>>(withQuery('/api/v1/alerts', q), signal),
  rates: (q: ApiQuery<'/api/v1/rates'>, signal?: AbortSignal) => getJson<ApiOk<'/api/v1/rates'>>(withQuery('/api/v1/rates', q), signal),
  performance: (q: ApiQuery<'/api/v1/performance'>, signal?: AbortSignal) =>
    getJson<ApiOk<'/api/v1/performance'>>(withQuery('/api/v1/performance', q), signal),
  /** Analysts only; the server refuses anyone else (403). `csrf` is the session's token. */
  acknowledgeAlert: (id: number, note: string | null, csrf: string) =>
    getJson<ApiPostOk<'/api/v1/alerts/{id}/acknowledge'>>(`/api/v1/alerts/${id}/acknowledge`, undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ note }),
    }),
  /** Signed-in members only (the server answers 401/403 otherwise). Answers 202 with the job. */
  startClusterScan: (body: ClusterRequest, csrf: string, signal?: AbortSignal) =>
    getJson<ClusterJobBody>('/api/v1/clusters', signal, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    }),
  clusterJob: (id: string, signal?: AbortSignal) => getJson<ClusterJobBody>(`/api/v1/clusters/${encodeURIComponent(id)}`, signal),
};

export type ClusterJob = ClusterJobBody;
export type Cluster = NonNullable<ClusterJob['result']>['clusters'][number];
export type StatusResponse = ApiOk<'/api/v1/status'>;
export type StatusAreasResponse = ApiOk<'/api/v1/status/areas'>;
export type DrugSupplyResponse = ApiOk<'/api/v1/drug-supply'>;
export type SignalsResponse = ApiOk<'/api/v1/signals'>;
export type AlertsResponse = ApiOk<'/api/v1/alerts'>;
export type Alert = AlertsResponse['alerts'][number];
export type RatesResponse = ApiOk<'/api/v1/rates'>;
export type PerformanceResponse = ApiOk<'/api/v1/performance'>;

/**
 * The geography to ask a series by: the indicator's first (/series defaults to residence, which
 * event-only indicators such as EMS and drug checking do not have).
 */
export function geographyOf(ind: { geographies: string[] } | null | undefined): 'residence' | 'event' | undefined {
  const g = ind?.geographies[0];
  return g === 'residence' || g === 'event' ? g : undefined;
}

/** The message to show a person for any failure. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
