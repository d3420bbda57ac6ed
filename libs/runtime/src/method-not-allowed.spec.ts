import Fastify from 'fastify';
import { registerMethodNotAllowed, routePattern } from './method-not-allowed';

describe('routePattern', () => {
  it('matches parameters within one segment and wildcards across segments', () => {
    expect(routePattern('/users/:id/roles').test('/users/abc/roles')).toBe(true);
    expect(routePattern('/users/:id/roles').test('/users/a/b/roles')).toBe(false);
    expect(routePattern('/.well-known/jwks.json').test('/.well-known/jwksXjson')).toBe(false);
    expect(routePattern('/api-docs/*').test('/api-docs/swagger-ui.css')).toBe(true);
  });
});

describe('registerMethodNotAllowed', () => {
  const app = Fastify();
  registerMethodNotAllowed(app);
  app.get('/things', () => []);
  app.post('/things', () => ({}));
  app.get('/things/:id', () => ({}));
  app.delete('/things/:id', () => undefined);
  app.get('/things/mine', () => []);
  app.patch('/things/mine', () => ({}));

  afterAll(() => app.close());

  it.each(['PUT', 'PATCH', 'TRACE', 'OPTIONS', 'QUERY'])(
    'answers %s on a served path with 405 and the methods it serves there',
    async (method) => {
      const res = await app.inject({ method: method as 'PUT', url: '/things/42?x=1' });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('DELETE, GET, HEAD');
      expect(res.json()).toEqual({
        statusCode: 405,
        error: 'Method Not Allowed',
        message: expect.stringContaining(method),
      });
    },
  );

  it.each(['OPTIONS', 'DELETE'])(
    'answers %s on a static path by its own methods, not those of a parametric neighbour',
    async (method) => {
      const res = await app.inject({ method: method as 'DELETE', url: '/things/mine' });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD, PATCH');
    },
  );

  it('leaves served methods and unknown paths alone', async () => {
    expect((await app.inject({ method: 'GET', url: '/things/42' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'HEAD', url: '/things' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: '/nothing-here' })).statusCode).toBe(404);
  });
});
