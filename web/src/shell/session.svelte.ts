// Who is signed in, for the page. The server decides everything (roles, what each may see); the
// page only asks GET /api/v1/auth/me, shows the sign-in form on 401, and keeps the CSRF token
// the server hands out for the session (sent as X-CSRF-Token on sign-out).
import type { CsrfResponse, Me } from '../../../server/schemas/auth.ts';
import type { ErrorBody } from '../../../server/schemas/v1.ts';

export type { Me } from '../../../server/schemas/auth.ts';

/** Sent by the API client when any request answers 401: the session has ended. */
export const SIGNED_OUT_EVENT = 'odstat:signed-out';

async function call<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T | ErrorBody | null }> {
  const res = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers }, credentials: 'same-origin' });
  const text = await res.text();
  let body: T | ErrorBody | null = null;
  try {
    body = text ? (JSON.parse(text) as T | ErrorBody) : null;
  } catch {
    body = null;
  }
  return { status: res.status, body };
}

const messageOf = (status: number, body: unknown) =>
  typeof body === 'object' && body !== null && typeof (body as ErrorBody).message === 'string' ? (body as ErrorBody).message : `the server answered ${status}`;

export class Session {
  state: 'checking' | 'signed-out' | 'signed-in' | 'public' | 'unreachable' = $state('checking');
  me: Me | null = $state.raw(null);
  /** Why the last sign-in failed, in the server's words. */
  error: string | null = $state(null);
  busy = $state(false);
  /** The public view is on and the person asked for the sign-in form. */
  wantsSignIn = $state(false);

  constructor() {
    window.addEventListener(SIGNED_OUT_EVENT, () => {
      if (this.state === 'signed-in') {
        this.me = null;
        this.state = 'signed-out';
        this.error = 'Your session has ended. Please sign in again.';
      }
    });
  }

  async check(): Promise<void> {
    try {
      const { status, body } = await call<Me>('/api/v1/auth/me');
      if (status === 200 && body && 'role' in body) this.accept(body as Me);
      else this.state = 'signed-out';
    } catch {
      this.state = 'unreachable';
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const csrf = await call<CsrfResponse>('/api/v1/auth/csrf');
      const token = csrf.body && 'csrfToken' in csrf.body ? csrf.body.csrfToken : '';
      const { status, body } = await call<Me>('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ email, password }),
      });
      if (status === 200 && body && 'role' in body) {
        this.wantsSignIn = false;
        this.accept(body as Me);
      } else {
        this.error = messageOf(status, body);
      }
    } catch {
      this.error = 'Could not reach the ODStat server.';
    } finally {
      this.busy = false;
    }
  }

  async signOut(): Promise<void> {
    const token = this.me?.csrfToken ?? '';
    try {
      await call<null>('/api/v1/auth/logout', { method: 'POST', headers: { 'x-csrf-token': token } });
    } finally {
      this.me = null;
      this.error = null;
      // Reload: nothing fetched for the previous session stays on screen.
      location.reload();
    }
  }

  private accept(me: Me): void {
    this.me = me;
    this.state = me.user ? 'signed-in' : 'public';
  }
}
