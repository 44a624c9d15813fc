// Which view is on screen, from the URL. Moving between views pushes a history entry (the Back
// button returns to the previous view); a view's own changes replace the current one (see each
// view's url-state.ts), so Back does not step through every slider position.
import { viewOf, viewSearch, type ViewId } from './routes.ts';

export class Router {
  search = $state(location.search);
  readonly view: ViewId = $derived(viewOf(this.search));

  constructor() {
    window.addEventListener('popstate', () => {
      this.search = location.search;
    });
  }

  href(view: ViewId, params: Record<string, string | null | undefined> = {}): string {
    return `${location.pathname}${viewSearch(view, this.search, params)}`;
  }

  go(view: ViewId, params: Record<string, string | null | undefined> = {}): void {
    const search = viewSearch(view, location.search, params);
    history.pushState(null, '', `${location.pathname}${search}`);
    this.search = search;
    window.scrollTo(0, 0);
  }

  /** A click on a link made by href(): handled here unless the person asked for a new tab. */
  follow(e: MouseEvent, view: ViewId, params: Record<string, string | null | undefined> = {}): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    this.go(view, params);
  }
}
