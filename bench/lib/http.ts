/** A keep-alive HTTP client per origin (undici pools), failing on unexpected statuses. */
import { Pool } from 'undici';

const pools = new Map<string, Pool>();

function pool(origin: string): Pool {
  let p = pools.get(origin);
  if (!p) {
    p = new Pool(origin, { connections: 64, pipelining: 1 });
    pools.set(origin, p);
  }
  return p;
}

export interface Call {
  method?: 'GET' | 'POST' | 'PATCH';
  token?: string;
  body?: unknown;
  expect?: number[];
  headers?: Record<string, string>;
}

export async function call<T = unknown>(
  url: string,
  opts: Call = {},
): Promise<{ status: number; body: T }> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await pool(u.origin).request({
    path: u.pathname + u.search,
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.body.text();
  const expect = opts.expect ?? [200];
  if (!expect.includes(res.statusCode)) {
    throw new Error(
      `${opts.method ?? 'GET'} ${u.pathname} -> ${res.statusCode} ${text.slice(0, 150)}`,
    );
  }
  return { status: res.statusCode, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function closePools(): Promise<void> {
  await Promise.all([...pools.values()].map((p) => p.close()));
  pools.clear();
}
