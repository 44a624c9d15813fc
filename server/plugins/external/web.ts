import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

/** The built page (dist/web), with index.html for any non-API path so links into views work. */
export default fp<{ root: string }>(
  async (app, opts) => {
    if (!existsSync(join(opts.root, 'index.html'))) {
      throw new Error(`the web app is not built: ${join(opts.root, 'index.html')} is missing (run "npm run build")`);
    }
    await app.register(fastifyStatic, { root: opts.root, index: 'index.html', cacheControl: false });
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/') && (req.headers.accept ?? '').includes('text/html')) {
        return reply.header('cache-control', 'no-cache').sendFile('index.html');
      }
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route for ${req.method} ${req.url.split('?')[0]}` });
    });
  },
  { name: 'web' },
);
