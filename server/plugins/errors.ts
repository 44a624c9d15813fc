import fp from 'fastify-plugin';

/**
 * One error handler. 4xx errors say what was wrong (validation names the parameter); 5xx bodies
 * never carry internals — the detail goes to the log with the request id.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown; validationContext?: string }, req, reply) => {
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

function httpError(status: number): string {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 406: 'Not Acceptable', 409: 'Conflict', 413: 'Payload Too Large', 429: 'Too Many Requests' } as Record<number, string>
  )[status] ?? 'Error';
}
