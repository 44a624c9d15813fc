// Demo accounts, one per role, for trying the embedded default city on a laptop. Created only on
// the embedded database's first start (no account yet) with the synthetic default city, never
// with DATABASE_URL (a configured deployment), and announced loudly with their passwords.
import type { Kysely } from 'kysely';
import type { Database, UserRole } from '../sql/postgres/schema.ts';
import { countUsers, createUser } from '../sql/postgres/users.ts';
import { writeAudit } from '../sql/postgres/audit.ts';
import { generatePassword, hashPassword } from '../server/auth/passwords.ts';

export const DEMO_ACCOUNTS: readonly { role: UserRole; email: string; name: string; agency: string }[] = [
  { role: 'admin', email: 'admin@odstat.example', name: 'Demo administrator', agency: 'ODStat (demo)' },
  { role: 'analyst', email: 'analyst@odstat.example', name: 'Demo analyst', agency: 'Health Department (demo)' },
  { role: 'commander', email: 'commander@odstat.example', name: 'Demo commander', agency: 'Police Department (demo)' },
  { role: 'partner', email: 'partner@odstat.example', name: 'Demo partner', agency: 'EMS (demo)' },
];

/** Creates the demo accounts when there is no account at all; says so in capitals. */
export async function createDemoAccounts(db: Kysely<Database>, log: (s: string) => void): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  const made: { role: string; email: string; password: string }[] = [];
  for (const a of DEMO_ACCOUNTS) {
    const password = generatePassword();
    await createUser(db, { ...a, passwordHash: await hashPassword(password) });
    made.push({ role: a.role, email: a.email, password });
  }
  await writeAudit(db, {
    userId: null,
    actor: 'odstat serve (first start)',
    role: 'admin',
    agency: null,
    action: 'user.add_demo',
    endpoint: 'cli',
    params: { emails: made.map((m) => m.email) },
  });
  const bar = '#'.repeat(78);
  log(bar);
  log('##  DEMO ACCOUNTS CREATED — FOR TRYING ODSTAT ON SYNTHETIC DATA ONLY');
  log('##  The passwords are shown only now:');
  for (const m of made) log(`##    ${m.role.padEnd(10)} ${m.email.padEnd(26)} password: ${m.password}`);
  log('##  Anyone who can read this output can sign in with them. Before real data is');
  log('##  loaded, disable them (odstat user disable EMAIL) and add real accounts');
  log('##  (odstat user add). A deployment with DATABASE_URL never gets demo accounts.');
  log(bar);
  return true;
}
