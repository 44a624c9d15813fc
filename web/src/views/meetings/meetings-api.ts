// Typed calls to the meeting routes (/api/v1/meetings; docs/planner.md § Meetings).
import { getJson, withQuery, type ApiOk, type ApiQuery } from '../../api.ts';
import { send, type ApiAnswer, type ApiBody } from '../planner/planner-api.ts';

export type Meeting = ApiOk<'/api/v1/meetings/{id}'>;
export type MeetingList = ApiOk<'/api/v1/meetings'>;
export type MeetingSummary = MeetingList['meetings'][number];
export type ActionItem = Meeting['actions'][number];
export type ActionStatus = ActionItem['status'];
export type MeetingCreate = ApiBody<'/api/v1/meetings', 'post'>;
export type MeetingUpdate = ApiBody<'/api/v1/meetings/{id}', 'patch'>;
export type ActionCreate = ApiBody<'/api/v1/meetings/{id}/actions', 'post'>;
export type ActionUpdate = ApiBody<'/api/v1/meetings/{id}/actions/{actionId}', 'patch'>;

export const meetingsApi = {
  list: (q: ApiQuery<'/api/v1/meetings'>, signal?: AbortSignal) => getJson<MeetingList>(withQuery('/api/v1/meetings', q), signal),
  get: (id: number, signal?: AbortSignal) => getJson<Meeting>(`/api/v1/meetings/${id}`, signal),
  create: (body: MeetingCreate, csrf: string) => send<ApiAnswer<'/api/v1/meetings', 'post', 201>>('POST', '/api/v1/meetings', body, csrf),
  update: (id: number, body: MeetingUpdate, csrf: string) => send<ApiAnswer<'/api/v1/meetings/{id}', 'patch', 200>>('PATCH', `/api/v1/meetings/${id}`, body, csrf),
  addAction: (id: number, body: ActionCreate, csrf: string) =>
    send<ApiAnswer<'/api/v1/meetings/{id}/actions', 'post', 201>>('POST', `/api/v1/meetings/${id}/actions`, body, csrf),
  updateAction: (id: number, actionId: number, body: ActionUpdate, csrf: string) =>
    send<ApiAnswer<'/api/v1/meetings/{id}/actions/{actionId}', 'patch', 200>>('PATCH', `/api/v1/meetings/${id}/actions/${actionId}`, body, csrf),
};
