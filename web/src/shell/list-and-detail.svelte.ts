// The loading pattern of the views that list saved things and open one (planner: plans;
// meetings: meetings): the list is read for the jurisdiction in view, the selected one whenever
// the selection changes, each request aborted when what it was for changes; the view's state is
// written back to the URL. Only for roles allowed to see them; the list stops "loading" otherwise.
import { untrack } from 'svelte';

export interface ListAndDetail {
  /** The jurisdiction in view (null until the catalog has one). */
  jurisdiction(): string | null;
  /** Whether the signed-in role may see the list at all. */
  allowed(): boolean;
  /** Called instead of loading the list when the role may not. */
  notAllowed(): void;
  loadList(jurisdiction: string, signal: AbortSignal): Promise<void>;
  /** The selected item's id, or null. */
  selected(): number | null;
  loadOne(id: number, signal: AbortSignal): Promise<void>;
  /** The URL query for the view's state, given the current one (which it may keep parts of). */
  search(current: string): string;
}

/** Sets up the three effects; call from a model's constructor (a component's initialisation). */
export function listAndDetail(d: ListAndDetail): void {
  $effect(() => {
    const jurisdiction = d.jurisdiction();
    if (!jurisdiction) return;
    if (!d.allowed()) {
      d.notAllowed();
      return;
    }
    const ctrl = new AbortController();
    untrack(() => void d.loadList(jurisdiction, ctrl.signal));
    return () => ctrl.abort();
  });

  $effect(() => {
    const id = d.selected();
    if (id === null || !d.allowed()) return;
    const ctrl = new AbortController();
    untrack(() => void d.loadOne(id, ctrl.signal));
    return () => ctrl.abort();
  });

  $effect(() => {
    const search = d.search(untrack(() => location.search));
    if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}`);
  });
}
