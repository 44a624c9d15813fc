// Data access for the planner: the saved plans (newest first), the plan on screen, and making a
// new one (POST /api/v1/plans, which computes and saves it). The plan shown stays on screen while
// another loads.
import { errorMessage, isAbort } from '../../api.ts';
import type { Catalog } from '../../shell/catalog.svelte.ts';
import type { Session } from '../../shell/session.svelte.ts';
import { listAndDetail } from '../../shell/list-and-detail.svelte.ts';
import { plannerApi, type Plan, type PlanSummary } from './planner-api.ts';
import { isMember, planRequest } from './planner.ts';
import { readPlanner, writePlanner, type PlannerState } from './url-state.ts';

export class PlannerModel {
  view: PlannerState = $state(readPlanner(location.search));
  plans: PlanSummary[] = $state.raw([]);
  plan: Plan | null = $state.raw(null);
  listLoading = $state(true);
  planLoading = $state(false);
  busy = $state(false);
  listError: string | null = $state(null);
  planError: string | null = $state(null);
  formError: string | null = $state(null);

  readonly catalog: Catalog;
  readonly session: Session;

  constructor(catalog: Catalog, session: Session) {
    this.catalog = catalog;
    this.session = session;

    listAndDetail({
      jurisdiction: () => this.catalog.jurisdiction?.id ?? null,
      allowed: () => isMember(this.session.me?.role),
      notAllowed: () => (this.listLoading = false),
      loadList: (j, signal) => this.loadList(j, signal),
      selected: () => this.view.plan,
      loadOne: (id, signal) => this.loadPlan(id, signal),
      search: (current) => writePlanner(this.view, current),
    });
  }

  private async loadList(jurisdiction: string, signal: AbortSignal): Promise<void> {
    this.listLoading = true;
    try {
      const res = await plannerApi.list({ jurisdiction, limit: 20 }, signal);
      if (signal.aborted) return;
      this.plans = res.plans;
      this.listError = null;
      // No plan in the URL: the newest one.
      if (this.view.plan === null && res.plans[0]) this.view.plan = res.plans[0].id;
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.listError = errorMessage(err);
    } finally {
      if (!signal.aborted) this.listLoading = false;
    }
  }

  private async loadPlan(id: number, signal: AbortSignal): Promise<void> {
    if (this.plan?.id === id) return;
    this.planLoading = true;
    try {
      const p = await plannerApi.get(id, signal);
      if (signal.aborted) return;
      this.plan = p;
      this.planError = null;
    } catch (err) {
      if (isAbort(err) || signal.aborted) return;
      this.planError = errorMessage(err);
    } finally {
      if (!signal.aborted) this.planLoading = false;
    }
  }

  async run(): Promise<boolean> {
    const csrf = this.session.me?.csrfToken;
    const req = planRequest(this.view, this.catalog.jurisdiction?.id ?? null);
    if ('error' in req) {
      this.formError = req.error;
      return false;
    }
    if (!csrf) {
      this.formError = 'Sign in again to make a plan.';
      return false;
    }
    this.busy = true;
    this.formError = null;
    try {
      const p = await plannerApi.create(req.body, csrf);
      this.plan = p;
      this.view.plan = p.id;
      this.plans = [
        { id: p.id, jurisdiction: p.jurisdiction, month: p.month, kits: p.kits, unitKind: p.unitKind, units: p.units.length, createdAt: p.createdAt, createdBy: p.createdBy, dataVersion: p.dataVersion },
        ...this.plans.filter((x) => x.id !== p.id),
      ];
      return true;
    } catch (err) {
      this.formError = errorMessage(err);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
