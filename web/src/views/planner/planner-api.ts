// Typed calls to the planner routes (/api/v1/plans; docs/planner.md), from the generated
// OpenAPI types (web/src/api-schema.d.ts), through the page's one fetch wrapper.
import { getJson, withQuery, type ApiOk, type ApiQuery } from '../../api.ts';
import type { paths } from '../../api-schema';

/** The JSON request body of `M` on `P`. */
export type ApiBody<P extends keyof paths, M extends 'post' | 'patch'> = paths[P][M] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
/** The JSON body of a `code` answer to `M` on `P`. */
export type ApiAnswer<P extends keyof paths, M extends 'post' | 'patch', Code extends number> = paths[P][M] extends {
  responses: { [K in Code]: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Plan = ApiOk<'/api/v1/plans/{id}'>;
export type PlanUnit = Plan['units'][number];
export type PlanList = ApiOk<'/api/v1/plans'>;
export type PlanSummary = PlanList['plans'][number];
export type PlanRequest = ApiBody<'/api/v1/plans', 'post'>;

/** A state-changing request: JSON body, the session's CSRF token. */
export function send<T>(method: 'POST' | 'PATCH', path: string, body: unknown, csrf: string): Promise<T> {
  return getJson<T>(path, undefined, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) });
}

export const plannerApi = {
  list: (q: ApiQuery<'/api/v1/plans'>, signal?: AbortSignal) => getJson<PlanList>(withQuery('/api/v1/plans', q), signal),
  get: (id: number, signal?: AbortSignal) => getJson<Plan>(`/api/v1/plans/${id}`, signal),
  create: (body: PlanRequest, csrf: string) => send<ApiAnswer<'/api/v1/plans', 'post', 201>>('POST', '/api/v1/plans', body, csrf),
  csvUrl: (id: number) => `/api/v1/plans/${id}.csv`,
};
