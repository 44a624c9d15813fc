import fp from 'fastify-plugin';
import type { Duck } from '../../../sql/duckdb.ts';

declare module 'fastify' {
  interface FastifyInstance {
    duck: Duck;
  }
}

/** The analytic store, opened once per process by the caller; the app closes it on close. */
export default fp<{ duck: Duck }>(
  async (app, opts) => {
    app.decorate('duck', opts.duck);
    app.addHook('onClose', async () => opts.duck.close());
  },
  { name: 'duckdb' },
);
