// The profile in the URL: ?view=profile&area=&interval=&years= (tests/unit/web-profile.test.ts).
import type { ProfileInterval } from './profile.ts';

export interface ProfileState {
  area: string | null;
  interval: ProfileInterval;
  years: 2 | 3 | 5;
}
export const DEFAULT_PROFILE: ProfileState = { area: null, interval: 'quarter', years: 3 };

const AREA = /^[A-Za-z0-9_-]{1,20}$/;

export function readProfile(search: string): ProfileState {
  const q = new URLSearchParams(search);
  const area = q.get('area');
  const interval = q.get('interval');
  const years = Number(q.get('years'));
  return {
    area: area !== null && AREA.test(area) ? area : null,
    interval: interval === 'month' || interval === 'quarter' || interval === 'year' ? interval : DEFAULT_PROFILE.interval,
    years: years === 2 || years === 3 || years === 5 ? years : DEFAULT_PROFILE.years,
  };
}

export function writeProfile(s: ProfileState, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  q.set('view', 'profile');
  if (s.area === null) q.delete('area');
  else q.set('area', s.area);
  q.set('interval', s.interval);
  q.set('years', String(s.years));
  return `?${q.toString()}`;
}
