import type { FastifyInstance } from 'fastify';

interface KnownPath {
  pattern: RegExp;
  /** Per segment 0 static, 1 parameter, 2 wildcard: lower wins, as in Fastify's router. */
  rank: number[];
  methods: Set<string>;
}

const rankOf = (url: string) =>
  url.split('/').map((segment) => (segment.includes('*') ? 2 : segment.includes(':') ? 1 : 0));

/** Negative when `a` is the more specific route (`/users/me` before `/users/:id`). */
function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
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
 * 405 and an `Allow` header listing the methods it does (RFC 9110) instead of 404 (or instead of
 * a less specific route that happens to match). Runs before
 * authentication and body parsing, so the answer is the same for any method, `TRACE` or `QUERY`
 * included. Must be registered before the routes.
 */
export function registerMethodNotAllowed(fastify: FastifyInstance): void {
  const paths = new Map<string, KnownPath>();
  fastify.addHook('onRoute', (route) => {
    const known = paths.get(route.url) ?? {
      pattern: routePattern(route.url),
      rank: rankOf(route.url),
      methods: new Set<string>(),
    };
    for (const method of [route.method].flat()) {
      known.methods.add(method);
      if (method === 'GET') known.methods.add('HEAD');
    }
    paths.set(route.url, known);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?')[0];
    // The resource is the most specific route matching the path (those equally specific merge):
    // `DELETE /users/me` is not `DELETE /users/:id` with the id "me".
    const matches = [...paths.values()].filter((known) => known.pattern.test(path));
    if (!matches.length) return done();
    const best = matches.reduce((a, b) => (compareRanks(b.rank, a.rank) < 0 ? b : a));
    const allowed = new Set<string>();
    for (const known of matches) {
      if (compareRanks(known.rank, best.rank) === 0) known.methods.forEach((m) => allowed.add(m));
    }
    if (allowed.has(request.method)) return done();
    const allow = [...allowed].sort().join(', ');
    void reply
      .code(405)
      .header('allow', allow)
      .send({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: `${request.method} is not allowed on ${path}; allowed: ${allow}`,
      });
  });
}
