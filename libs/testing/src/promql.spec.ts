import { exposedMetricNames, isExposed, metricNamesIn } from './promql';

describe('metricNamesIn', () => {
  it('finds metric names and leaves out functions, labels, strings, ranges and variables', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_seconds_bucket{service="a",route=~"/x|y"}[$__rate_interval])))',
      ),
    ).toEqual(['http_seconds_bucket']);
    expect(
      metricNamesIn(
        `sum by (service) (rate(a_total{status_code=~"5.."}[5m])) / on (service) group_left sum without (x) (b_total offset 1h) > 0.05 and c unless d_total`,
      ),
    ).toEqual(['a_total', 'b_total', 'c', 'd_total']);
    expect(metricNamesIn('up{job=~"microshop"} == 0 or vector(0)')).toEqual(['up']);
    expect(metricNamesIn('max by (ns) (kube_pod_status_ready{condition="false"}) == 1')).toEqual([
      'kube_pod_status_ready',
    ]);
  });
});

describe('exposure', () => {
  const exposition = [
    '# HELP x_seconds A histogram',
    '# TYPE x_seconds histogram',
    'x_seconds_bucket{le="0.1",service="s"} 1',
    'x_seconds_count{service="s"} 1',
    'x_seconds_sum{service="s"} 0.05',
    '# HELP lonely_total declared but without a sample',
    '# TYPE lonely_total counter',
    'plain_total 3',
  ].join('\n');
  const exposed = exposedMetricNames(exposition);

  it('counts only names with a sample', () => {
    expect([...exposed].sort()).toEqual([
      'plain_total',
      'x_seconds_bucket',
      'x_seconds_count',
      'x_seconds_sum',
    ]);
    expect(isExposed('lonely_total', exposed)).toBe(false);
  });

  it('accepts histogram series and nothing made up', () => {
    expect(isExposed('x_seconds_bucket', exposed)).toBe(true);
    expect(isExposed('x_seconds_sum', exposed)).toBe(true);
    expect(isExposed('y_seconds_bucket', exposed)).toBe(false);
    expect(isExposed('plain_total', exposed)).toBe(true);
  });
});
