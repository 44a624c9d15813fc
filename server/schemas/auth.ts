// Request and response schemas of sign-in (/api/v1/auth) and administration (/api/v1/admin).
// Kept apart from v1.ts (the data API) so each can change without the other; web/ imports the
// static types, type-only.
import { Type, type Static } from 'typebox';

export const RoleName = Type.Union(
  [Type.Literal('admin'), Type.Literal('analyst'), Type.Literal('commander'), Type.Literal('partner'), Type.Literal('public')],
  { description: 'admin, analyst (health department), commander (police), partner (other agencies), public (no account).' },
);

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const SessionUser = Type.Object({
  email: Type.String(),
  name: Type.String(),
  role: RoleName,
  agency: Type.String(),
});
export type SessionUser = Static<typeof SessionUser>;

export const CsrfToken = Type.String({
  description: 'Send as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE. Bound to the session it was issued for.',
});

export const Me = Type.Object({
  user: Type.Union([SessionUser, Type.Null()], { description: 'null in the public view (no one signed in).' }),
  role: RoleName,
  agency: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'Absolute end of the session; it also ends after a period without requests.',
  }),
  publicView: Type.Boolean({ description: 'Whether the server serves the public view to anyone not signed in.' }),
  csrfToken: CsrfToken,
});
export type Me = Static<typeof Me>;

export const CsrfResponse = Type.Object({ csrfToken: CsrfToken });
export type CsrfResponse = Static<typeof CsrfResponse>;

export const AuditQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  // audit_log.id is a bigserial, users.id a serial: larger values are refused here, not by Postgres (a 500).
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The "next" of the previous page: entries older than this id.' })),
  userId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  action: Type.Optional(Type.String({ pattern: '^[a-z_.]{1,60}$', examples: ['data.read', 'auth.login_failed'] })),
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  userId: Type.Union([Type.Integer(), Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  agency: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  endpoint: Type.Union([Type.String(), Type.Null()]),
  params: Type.Record(Type.String(), Type.Unknown()),
  status: Type.Union([Type.Integer(), Type.Null()]),
  rowsReturned: Type.Union([Type.Integer(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry, { description: 'Newest first.' }),
  next: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as "before" for the next page; null on the last.' }),
});
export type AuditPage = Static<typeof AuditPage>;
