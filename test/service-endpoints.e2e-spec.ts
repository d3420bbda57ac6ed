import { request } from '@microshop/testing';
import { APP_NAMES, baseUrl, stopProcess } from '../scripts/platform';
import { startReplica, waitForReplica } from './support/replica';

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

describe('an app with API_DOCS_ENABLED=false and METRICS_PORT set, as the production values run it', () => {
  const [port, metricsPort] = [4106, 4107];
  const apiUrl = `http://127.0.0.1:${port}`;
  const metricsUrl = `http://127.0.0.1:${metricsPort}`;
  const replica = startReplica('user-service', port, {
    API_DOCS_ENABLED: 'false',
    METRICS_PORT: String(metricsPort),
  });

  beforeAll(() => waitForReplica('user-service', port));
  afterAll(() => stopProcess(replica));

  it('serves no OpenAPI documents', async () => {
    for (const path of ['/api-docs', '/api-docs-json']) {
      const res = await request(apiUrl, 'GET', path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
  });

  it('serves /metrics on the metrics port only, with the API port’s HTTP metrics', async () => {
    expect((await request(apiUrl, 'GET', '/metrics')).status).toBe(404);
    await request(apiUrl, 'GET', '/health');
    const res = await request<string>(metricsUrl, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('process_cpu_seconds_total{service="user-service"}');
    expect(res.body).toMatch(
      /microshop_http_request_duration_seconds_count\{.*route="\/health".*\}/,
    );
  });
});
