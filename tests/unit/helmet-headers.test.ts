// The security headers worked out once at start (server/plugins/external/security.ts) are exactly
// the ones @fastify/helmet sets on every response with the same options.
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import { HELMET_OPTIONS, helmetHeaders } from '../../server/plugins/external/security.ts';

describe('precomputed security headers', () => {
  it('equal what @fastify/helmet sets per request', async () => {
    const app = Fastify();
    await app.register(helmet, HELMET_OPTIONS);
    app.get('/', async () => ({ ok: true }));
    const res = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    const ours = new Map(helmetHeaders(HELMET_OPTIONS));
    const theirs = new Map(Object.entries(res.headers).filter(([k]) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(k)));
    expect(ours).toEqual(theirs);
    expect(ours.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(ours.get('x-frame-options')).toBe('DENY');
    expect(ours.get('strict-transport-security')).toBe('max-age=31536000');
  });
});
