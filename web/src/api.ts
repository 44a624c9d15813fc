// A small typed client for /api/v1. The types come from the server's schemas (type-only
// imports, erased at build), so the page and the API cannot drift apart silently.
import type {
  AreaCollection,
  ErrorBody,
  IndicatorList,
  JurisdictionList,
  SeriesQuery,
  SeriesResponse,
} from '../../server/schemas/v1.ts';

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

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: 'application/json' }, signal: signal ?? null });
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

export function seriesUrl(q: SeriesQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(q)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  return `/api/v1/series?${params.toString()}`;
}

export const api = {
  jurisdictions: (signal?: AbortSignal) => getJson<JurisdictionList>('/api/v1/jurisdictions', signal),
  areas: (jurisdictionId: string, signal?: AbortSignal) =>
    getJson<AreaCollection>(`/api/v1/jurisdictions/${encodeURIComponent(jurisdictionId)}/areas`, signal),
  indicators: (signal?: AbortSignal) => getJson<IndicatorList>('/api/v1/indicators', signal),
  series: (q: SeriesQuery, signal?: AbortSignal) => getJson<SeriesResponse>(seriesUrl(q), signal),
};

/** The message to show a person for any failure. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
