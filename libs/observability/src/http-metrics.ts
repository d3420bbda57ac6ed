import type { FastifyInstance } from 'fastify';
import { Histogram, register } from 'prom-client';

const NAME = 'microshop_http_request_duration_seconds';

const histogram = (): Histogram<'method' | 'route' | 'status_code'> =>
  (register.getSingleMetric(NAME) as Histogram<'method' | 'route' | 'status_code'> | undefined) ??
  new Histogram({
    name: NAME,
    help: 'HTTP request duration by route template and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });

/**
 * Records every response, including 404s and errors raised before a controller runs, by route
 * template (`/orders/:id`, never the concrete id) so label cardinality stays bounded.
 */
export function registerHttpMetrics(fastify: FastifyInstance): void {
  const duration = histogram();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics') {
      duration.observe(
        { method: request.method, route, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    }
    done();
  });
}
