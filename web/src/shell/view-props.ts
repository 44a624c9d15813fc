// What App passes every view.
import type { Catalog } from './catalog.svelte.ts';
import type { Router } from './router.svelte.ts';
import type { Session } from './session.svelte.ts';

export interface ViewProps {
  catalog: Catalog;
  router: Router;
  session: Session;
}
