import fp from 'fastify-plugin';
import { migrate, type Ops } from '../../../sql/postgres/db.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ops: Ops;
  }
}

/** The operational database (users, audit, ingest runs): migrated on start, closed on close. */
export default fp<{ ops: Ops }>(
  async (app, opts) => {
    await migrate(opts.ops.db);
    app.decorate('ops', opts.ops);
    app.addHook('onClose', async () => opts.ops.close());
  },
  { name: 'ops' },
);
