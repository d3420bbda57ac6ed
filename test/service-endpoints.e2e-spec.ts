import { request } from '@microshop/testing';
import { APP_NAMES, baseUrl } from '../scripts/platform';

describe.each(APP_NAMES)('%s operational endpoints', (app) => {
  const url = baseUrl(app);

  it('GET /health and /health/ready answer 200 with every dependency up', async () => {
    for (const path of ['/health', '/health/ready']) {
      const res = await request(url, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.info.kafka).toEqual({ status: 'up' });
    }
  });

  it('GET /health/live answers 200', async () => {
    expect((await request(url, 'GET', '/health/live')).status).toBe(200);
  });

  it('GET /metrics serves Prometheus text with process and HTTP metrics', async () => {
    await request(url, 'GET', '/health');
    const res = await request<string>(url, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toContain('process_cpu_seconds_total');
    expect(res.body).toMatch(
      /microshop_http_request_duration_seconds_count\{.*route="\/health".*\}/,
    );
  });

  it('GET /api-docs-json is an OpenAPI 3 document and /api-docs serves the UI', async () => {
    const doc = await request(url, 'GET', '/api-docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect((await request(url, 'GET', '/api-docs')).status).toBe(200);
  });

  it('answers unknown routes with the contract error body', async () => {
    const res = await request(url, 'GET', '/no-such-route');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('answers a method a path does not serve with 405, the methods it does serve in Allow', async () => {
    for (const method of ['PUT', 'DELETE', 'QUERY']) {
      const res = await request(url, method, '/health/live');
      expect({ method, status: res.status }).toEqual({ method, status: 405 });
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.body).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
    }
  });
});
