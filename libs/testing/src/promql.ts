/**
 * Names of the metrics a PromQL expression reads. Good enough for the expressions we write:
 * strings, label matchers, ranges, grouping clauses, Grafana variables, numbers, keywords and
 * function names are removed; what is left are metric names.
 */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ') // string literals
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ') // Grafana variables
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\boffset\s+-?\w+/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][\w:]*(?=\s*(\(?))/g)) {
    const [name, call] = [match[0], match[1]];
    if (call === '(' || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}

/** Metric names that have at least one sample in a Prometheus text exposition. */
export function exposedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const match = /^([A-Za-z_:][\w:]*)(?:\{|\s)/.exec(line);
    if (match) names.add(match[1]);
  }
  return names;
}

const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

/**
 * Whether `name` is exposed: itself, or as a series of a histogram or summary (`x_bucket`, ...),
 * which the exposition lists under those suffixed names anyway.
 */
export const isExposed = (name: string, exposed: Set<string>): boolean =>
  exposed.has(name) ||
  (HISTOGRAM_SERIES.test(name) && exposed.has(`${name.replace(HISTOGRAM_SERIES, '')}_count`));
