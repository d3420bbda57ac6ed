import type { FastifyInstance } from 'fastify';

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** A Fastify route path (`/users/:id/roles`, `/api-docs/*`) as a regular expression. */
export function routePattern(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Answers a request for a path the service serves, with a method it does not serve there, with
 * 405 and an `Allow` header listing the methods it does (RFC 9110) instead of 404. Runs before
 * authentication and body parsing, so the answer is the same for any method, `TRACE` or `QUERY`
 * included. Must be registered before the routes.
 */
export function registerMethodNotAllowed(fastify: FastifyInstance): void {
  const paths = new Map<string, KnownPath>();
  fastify.addHook('onRoute', (route) => {
    const known = paths.get(route.url) ?? { pattern: routePattern(route.url), methods: new Set() };
    for (const method of [route.method].flat()) {
      known.methods.add(method);
      if (method === 'GET') known.methods.add('HEAD');
    }
    paths.set(route.url, known);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allowed = new Set<string>();
    for (const known of paths.values()) {
      if (known.pattern.test(path)) known.methods.forEach((method) => allowed.add(method));
    }
    if (!allowed.size) return done();
    void reply
      .code(405)
      .header('allow', [...allowed].sort().join(', '))
      .send({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `${request.method} is not allowed on ${path}; allowed: ${[...allowed].sort().join(', ')}`,
      });
  });
}
