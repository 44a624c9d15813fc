// The drug-supply view in the URL: ?view=supply&years= (tests/unit/web-supply.test.ts).
export interface SupplyState {
  years: 1 | 2 | 3 | 5;
}
export const DEFAULT_SUPPLY: SupplyState = { years: 3 };

export function readSupply(search: string): SupplyState {
  const y = Number(new URLSearchParams(search).get('years'));
  return { years: y === 1 || y === 2 || y === 3 || y === 5 ? y : DEFAULT_SUPPLY.years };
}

export function writeSupply(s: SupplyState, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  q.set('view', 'supply');
  q.set('years', String(s.years));
  return `?${q.toString()}`;
}
