import fp from 'fastify-plugin';

/**
 * One error handler. 4xx errors say what was wrong (validation names the parameter); 5xx bodies
 * never carry internals — the detail goes to the log with the request id.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; validationContext?: string }, req, reply) => {
      if (postgresUnreachable(err)) {
        req.log.error({ err }, 'Postgres unreachable');
        return reply.code(503).send({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'the user and audit database (Postgres) is unreachable: sign-in and changes are unavailable until it is back; figures already open keep being served',
        });
      }
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
      if (status >= 500) {
        req.log.error({ err }, 'request failed');
        return reply.code(status).send({
          statusCode: status,
          error: status === 503 ? 'Service Unavailable' : 'Internal Server Error',
          message: status === 503 ? err.message : `the server could not complete this request (request id ${req.id})`,
        });
      }
      const message = err.validation
        ? `invalid ${err.validationContext ?? 'request'}: ${err.message.replace(/^(querystring|params|body|headers)\/?/, '')}`
        : err.message;
      return reply.code(status).send({ statusCode: status, error: httpError(status), message });
    });
  },
  { name: 'errors' },
);

/** Connection-level failures of the Postgres client (node-postgres), not query errors. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);
export function postgresUnreachable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/.test(e.message)) return true;
  }
  return false;
}

function httpError(status: number): string {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 406: 'Not Acceptable', 409: 'Conflict', 413: 'Payload Too Large', 429: 'Too Many Requests' } as Record<number, string>
  )[status] ?? 'Error';
}
