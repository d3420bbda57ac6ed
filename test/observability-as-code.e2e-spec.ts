import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exposedMetricNames, isExposed, metricNamesIn, request, waitFor } from '@microshop/testing';
import { parse } from 'yaml';
import { APP_NAMES, baseUrl, ROOT } from '../scripts/platform';

const DIR = join(ROOT, 'deploy', 'observability');

/**
 * Metrics from the platform, not from our services: Prometheus' per-target `up`, and
 * kube-state-metrics' pod readiness (Kubernetes only).
 */
const PLATFORM_METRICS = new Set(['up', 'kube_pod_status_ready']);

interface Expression {
  source: string;
  expr: string;
}

function dashboardExpressions(): Expression[] {
  const found: Expression[] = [];
  const walk = (node: unknown, source: string): void => {
    if (Array.isArray(node)) node.forEach((n) => walk(n, source));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'expr' && typeof value === 'string') found.push({ source, expr: value });
        else walk(value, source);
      }
    }
  };
  for (const file of readdirSync(join(DIR, 'dashboards')).filter((f) => f.endsWith('.json'))) {
    walk(JSON.parse(readFileSync(join(DIR, 'dashboards', file), 'utf8')), `dashboards/${file}`);
  }
  return found;
}

function ruleExpressions(): Expression[] {
  const found: Expression[] = [];
  for (const file of readdirSync(join(DIR, 'alerts')).filter((f) => /\.ya?ml$/.test(f))) {
    const doc = parse(readFileSync(join(DIR, 'alerts', file), 'utf8')) as {
      groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
    };
    for (const rule of doc.groups.flatMap((g) => g.rules)) {
      found.push({ source: `alerts/${file} ${rule.alert ?? rule.record}`, expr: rule.expr });
    }
  }
  return found;
}

async function exposedByAll(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const app of APP_NAMES) {
    const res = await request<string>(baseUrl(app), 'GET', '/metrics');
    expect(res.status).toBe(200);
    exposedMetricNames(res.body).forEach((n) => names.add(n));
  }
  return names;
}

describe('dashboards and alert rules as code', () => {
  it('name only metrics that the running services expose on /metrics', async () => {
    const expressions = [...dashboardExpressions(), ...ruleExpressions()];
    expect(expressions.filter((e) => e.source.startsWith('dashboards/')).length).toBeGreaterThan(
      40,
    );
    expect(expressions.filter((e) => e.source.startsWith('alerts/')).length).toBeGreaterThan(7);
    const wanted = new Map<string, string[]>();
    for (const { source, expr } of expressions) {
      const names = metricNamesIn(expr);
      expect({ source, expr, names: names.length > 0 }).toEqual({ source, expr, names: true });
      for (const name of names) wanted.set(name, [...(wanted.get(name) ?? []), source]);
    }

    // Every series with labels is exposed from the start (0), except consumer lag, which is
    // measured once a consumer has joined its group: a few seconds after /health turns 200.
    const missing = await waitFor(
      async () => {
        const exposed = await exposedByAll();
        return [...wanted.keys()]
          .filter((name) => !PLATFORM_METRICS.has(name) && !isExposed(name, exposed))
          .map((name) => `${name} (used in ${wanted.get(name)!.join(', ')})`);
      },
      (names) => names.length === 0,
      { what: 'every metric of the dashboards and rules on some /metrics', timeoutMs: 45_000 },
    );
    expect(missing).toEqual([]);
  });
});
