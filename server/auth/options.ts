// Settings of sign-in, sessions, rate limits, audit and the role policy. cli/config.ts reads them
// from the environment; tests pass them directly. Every field has a default, so an app built
// without them is closed (no public view) and audited.
import { randomBytes } from 'node:crypto';
import { DEFAULT_POLICY, type PolicyTable } from '../policy.ts';
import { DEFAULT_PARAMS, type ScryptParams } from './passwords.ts';

export interface SecurityOptions {
  /** Serve the data routes to anyone not signed in, as the "public" role (ODSTAT_PUBLIC_VIEW). */
  publicView: boolean;
  /**
   * A session ends after this long without a request, and this long after sign-in whatever the
   * activity: 30 minutes and 12 hours are NIST SP 800-63B's limits for AAL2 (§ 7.2 reauthentication).
   */
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /**
   * A session found live in Postgres is trusted this long without asking again (0: every request
   * asks). A sign-out in this process ends it at once; a disable or revocation made by another
   * process (odstat user disable against the same Postgres) within this time.
   */
  sessionRecheckMs: number;
  /** This many failed sign-ins for one email within the lockout window lock it for the window. */
  loginMaxFailures: number;
  loginLockoutMinutes: number;
  /** Sign-in attempts per minute from one address (the rate limit; lockout is per account). */
  loginPerMinute: number;
  /** Requests per minute from one address, everything else. */
  apiPerMinute: number;
  /** 'auto': cookies are Secure when the request came over TLS (or X-Forwarded-Proto with trustProxy). */
  cookieSecure: 'auto' | 'always';
  /** Key of the CSRF tokens' HMAC; a file beside the data keeps tokens valid across restarts. */
  csrfKey: string;
  /** Audit rows older than this are deleted at start and daily; 0 keeps them all. */
  auditRetentionDays: number;
  policy: PolicyTable;
  /**
   * scrypt cost of the dummy hash an unknown email is checked against, so a failed sign-in takes
   * as long as one against a real account (server/auth/passwords.ts). Production: the OWASP cost
   * every account is hashed at. Tests pass a cheap cost, with accounts hashed at the same cost.
   */
  scrypt: ScryptParams;
}

/**
 * Six years: HIPAA keeps the security rule's documentation that long (45 CFR 164.316(b)(2)), the
 * period health departments commonly keep access logs of protected health data.
 */
export const DEFAULT_AUDIT_RETENTION_DAYS = 6 * 365;

export function securityDefaults(): SecurityOptions {
  return {
    publicView: false,
    sessionIdleMinutes: 30,
    sessionMaxHours: 12,
    sessionRecheckMs: 5_000,
    loginMaxFailures: 5,
    loginLockoutMinutes: 15,
    loginPerMinute: 10,
    apiPerMinute: 600,
    cookieSecure: 'auto',
    csrfKey: randomBytes(32).toString('base64url'),
    auditRetentionDays: DEFAULT_AUDIT_RETENTION_DAYS,
    policy: DEFAULT_POLICY,
    scrypt: DEFAULT_PARAMS,
  };
}
