/**
 * The Grafana dashboards of deploy/observability/dashboards, as code: one per service and one for
 * the order flow. `npm run dashboards` rewrites the JSON files; a unit spec fails when they are
 * out of step with this file. Panels query only metrics the services expose (an e2e spec checks
 * every expression against live /metrics).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DASHBOARD_DIR = join(__dirname, '..', 'deploy', 'observability', 'dashboards');

const DATASOURCE = { type: 'prometheus', uid: 'prometheus' };
const RATE = '$__rate_interval';
const HTTP = 'microshop_http_request_duration_seconds';
const FLOW_TOPICS =
  'order.created|order.cancelled|stock.reserved|stock.rejected|stock.released|order.confirmed|order.rejected';

interface Target {
  expr: string;
  legend?: string;
}
interface PanelSpec {
  title: string;
  targets: Target[];
  unit?: string;
  description?: string;
  type?: 'timeseries' | 'stat';
  width?: number;
}
interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

function dashboard(uid: string, title: string, description: string, rows: RowSpec[]) {
  let id = 0;
  let y = 0;
  const panels: object[] = [];
  for (const row of rows) {
    panels.push({
      id: ++id,
      type: 'row',
      title: row.title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    for (const p of row.panels) {
      const w = p.width ?? 8;
      if (x + w > 24) {
        x = 0;
        y += 8;
      }
      panels.push({
        id: ++id,
        type: p.type ?? 'timeseries',
        title: p.title,
        description: p.description ?? '',
        datasource: DATASOURCE,
        gridPos: { h: 8, w, x, y },
        fieldConfig: { defaults: { unit: p.unit ?? 'short' }, overrides: [] },
        options:
          p.type === 'stat'
            ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } }
            : { legend: { displayMode: 'list', placement: 'bottom', showLegend: true } },
        targets: p.targets.map((t, i) => ({
          refId: String.fromCharCode(65 + i),
          datasource: DATASOURCE,
          expr: t.expr,
          legendFormat: t.legend ?? '__auto',
        })),
      });
      x += w;
    }
    y += 8;
  }
  return {
    uid,
    title,
    description,
    tags: ['microshop'],
    editable: true,
    schemaVersion: 39,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    timezone: 'browser',
    templating: { list: [] },
    annotations: { list: [] },
    panels,
  };
}

const httpRow = (sel: string): RowSpec => ({
  title: 'HTTP',
  panels: [
    {
      title: 'Requests per second by route and status',
      unit: 'reqps',
      targets: [
        {
          expr: `sum by (method, route, status_code) (rate(${HTTP}_count{${sel}}[${RATE}]))`,
          legend: '{{method}} {{route}} {{status_code}}',
        },
      ],
    },
    {
      title: 'Server error ratio (5xx)',
      unit: 'percentunit',
      targets: [
        {
          expr: `sum(rate(${HTTP}_count{${sel},status_code=~"5.."}[${RATE}])) / sum(rate(${HTTP}_count{${sel}}[${RATE}]))`,
          legend: '5xx',
        },
      ],
    },
    {
      title: 'Latency p50 / p95 / p99',
      unit: 's',
      targets: [0.5, 0.95, 0.99].map((q) => ({
        expr: `histogram_quantile(${q}, sum by (le) (rate(${HTTP}_bucket{${sel}}[${RATE}])))`,
        legend: `p${q * 100}`,
      })),
    },
    {
      title: 'Latency p95 by route',
      unit: 's',
      width: 24,
      targets: [
        {
          expr: `histogram_quantile(0.95, sum by (le, method, route) (rate(${HTTP}_bucket{${sel}}[${RATE}])))`,
          legend: '{{method}} {{route}}',
        },
      ],
    },
  ],
});

const kafkaRow = (sel: string): RowSpec => ({
  title: 'Kafka',
  panels: [
    {
      title: 'Messages consumed and produced per second',
      unit: 'ops',
      targets: [
        {
          expr: `sum by (topic) (rate(microshop_kafka_messages_consumed_total{${sel}}[${RATE}]))`,
          legend: 'consumed {{topic}}',
        },
        {
          expr: `sum by (topic) (rate(microshop_kafka_messages_produced_total{${sel}}[${RATE}]))`,
          legend: 'produced {{topic}}',
        },
      ],
    },
    {
      title: 'Handler retries, failures and dead letters',
      unit: 'short',
      targets: [
        ['retried', 'microshop_kafka_messages_retried_total'],
        ['failed', 'microshop_kafka_messages_failed_total'],
        ['dead-lettered', 'microshop_kafka_messages_dead_lettered_total'],
      ].map(([what, metric]) => ({
        expr: `sum by (topic) (increase(${metric}{${sel}}[${RATE}]))`,
        legend: `${what} {{topic}}`,
      })),
    },
    {
      title: 'Consumer lag by topic and partition',
      unit: 'short',
      targets: [
        {
          expr: `sum by (topic, partition) (microshop_kafka_consumer_lag_messages{${sel}})`,
          legend: '{{topic}}[{{partition}}]',
        },
      ],
    },
  ],
});

const outboxRow = (sel: string): RowSpec => ({
  title: 'Outbox',
  panels: [
    {
      title: 'Pending events',
      targets: [
        {
          expr: `sum by (outbox) (microshop_outbox_pending_events{${sel}})`,
          legend: '{{outbox}}',
        },
      ],
    },
    {
      title: 'Age of the oldest pending event',
      unit: 's',
      targets: [
        {
          expr: `max by (outbox) (microshop_outbox_oldest_pending_age_seconds{${sel}})`,
          legend: '{{outbox}}',
        },
      ],
    },
    {
      title: 'Published and failed publish rounds per second',
      unit: 'ops',
      targets: [
        {
          expr: `sum by (outbox) (rate(microshop_outbox_published_total{${sel}}[${RATE}]))`,
          legend: 'published {{outbox}}',
        },
        {
          expr: `sum by (outbox) (rate(microshop_outbox_publish_failures_total{${sel}}[${RATE}]))`,
          legend: 'failures {{outbox}}',
        },
      ],
    },
  ],
});

const processRow = (sel: string): RowSpec => ({
  title: 'Process',
  panels: [
    {
      title: 'CPU',
      unit: 'percentunit',
      targets: [{ expr: `sum by (instance) (rate(process_cpu_seconds_total{${sel}}[${RATE}]))` }],
    },
    {
      title: 'Memory',
      unit: 'bytes',
      targets: [
        { expr: `process_resident_memory_bytes{${sel}}`, legend: 'rss {{instance}}' },
        { expr: `nodejs_heap_size_used_bytes{${sel}}`, legend: 'heap used {{instance}}' },
      ],
    },
    {
      title: 'Event loop lag p99',
      unit: 's',
      targets: [{ expr: `nodejs_eventloop_lag_p99_seconds{${sel}}`, legend: '{{instance}}' }],
    },
  ],
});

const NOTIFY = 'service="notification-service"';
const mailRow: RowSpec = {
  title: 'Mail',
  panels: [
    {
      title: 'Mails sent per second, by type',
      unit: 'ops',
      targets: [
        {
          expr: `sum by (type) (rate(microshop_mails_sent_total{${NOTIFY}}[${RATE}]))`,
          legend: '{{type}}',
        },
      ],
    },
    {
      title: 'Failed SMTP attempts (retried) and mails given up',
      unit: 'short',
      targets: [
        {
          expr: `sum by (type) (increase(microshop_mail_attempt_failures_total{${NOTIFY}}[${RATE}]))`,
          legend: 'attempt failed {{type}}',
        },
        {
          expr: `sum by (type) (increase(microshop_mails_failed_total{${NOTIFY}}[${RATE}]))`,
          legend: 'given up {{type}}',
        },
      ],
    },
    {
      title: 'SMTP attempt failure ratio',
      unit: 'percentunit',
      targets: [
        {
          expr: `sum(rate(microshop_mail_attempt_failures_total{${NOTIFY}}[${RATE}])) / (sum(rate(microshop_mails_sent_total{${NOTIFY}}[${RATE}])) + sum(rate(microshop_mail_attempt_failures_total{${NOTIFY}}[${RATE}])))`,
          legend: 'failed / attempted',
        },
      ],
    },
  ],
};

const sagaPanel: PanelSpec = {
  title: 'Saga outcomes',
  unit: 'short',
  width: 12,
  targets: [
    {
      expr: `sum by (outcome) (increase(microshop_orders_total{service="order-service"}[${RATE}]))`,
      legend: '{{outcome}}',
    },
  ],
};

const SERVICES = {
  'user-service': 'Accounts, sign-in and tokens',
  'product-service': 'Catalog, stock and reservations',
  'order-service': 'Orders and the order saga',
  'notification-service': 'Mails sent on domain events',
} as const;

function serviceDashboard(service: keyof typeof SERVICES) {
  const sel = `service="${service}"`;
  const rows = [httpRow(sel), kafkaRow(sel), outboxRow(sel)];
  if (service === 'order-service') {
    rows.push({
      title: 'Saga',
      panels: [
        {
          title: 'Orders placed per second',
          unit: 'ops',
          width: 12,
          targets: [
            {
              expr: `sum(rate(microshop_orders_placed_total{${sel}}[${RATE}]))`,
              legend: 'placed',
            },
          ],
        },
        sagaPanel,
      ],
    });
  }
  if (service === 'notification-service') rows.push(mailRow);
  rows.push(processRow(sel));
  return dashboard(`microshop-${service}`, `MicroShop / ${service}`, SERVICES[service], rows);
}

const orderFlow = dashboard(
  'microshop-order-flow',
  'MicroShop / Order flow',
  'POST /orders → order.created → stock reservation (product-service) → confirmation (order-service) → mail (notification-service)',
  [
    {
      title: 'Orders',
      panels: [
        {
          title: 'Orders placed per second',
          unit: 'reqps',
          targets: [
            {
              expr: `sum(rate(microshop_orders_placed_total{service="order-service"}[${RATE}]))`,
              legend: 'placed',
            },
          ],
        },
        { ...sagaPanel, width: 8 },
        {
          title: 'Confirmed share of decided orders',
          unit: 'percentunit',
          targets: [
            {
              expr: `sum(increase(microshop_orders_total{outcome="confirmed"}[${RATE}])) / sum(increase(microshop_orders_total{outcome=~"confirmed|rejected"}[${RATE}]))`,
              legend: 'confirmed',
            },
          ],
        },
        {
          title: 'POST /orders latency p95',
          unit: 's',
          width: 12,
          targets: [
            {
              expr: `histogram_quantile(0.95, sum by (le) (rate(${HTTP}_bucket{service="order-service",method="POST",route="/orders"}[${RATE}])))`,
              legend: 'p95',
            },
          ],
        },
        {
          title: 'Order API errors (5xx) per second',
          unit: 'reqps',
          width: 12,
          targets: [
            {
              expr: `sum by (route) (rate(${HTTP}_count{service="order-service",status_code=~"5.."}[${RATE}]))`,
              legend: '{{route}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Events along the saga',
      panels: [
        {
          title: 'Events handled per second, by service and topic',
          unit: 'ops',
          targets: [
            {
              expr: `sum by (service, topic) (rate(microshop_kafka_messages_consumed_total{topic=~"${FLOW_TOPICS}"}[${RATE}]))`,
              legend: '{{service}} {{topic}}',
            },
          ],
        },
        {
          title: 'Consumer lag on saga topics',
          targets: [
            {
              expr: `sum by (service, topic) (microshop_kafka_consumer_lag_messages{topic=~"${FLOW_TOPICS}"})`,
              legend: '{{service}} {{topic}}',
            },
          ],
        },
        {
          title: 'Dead-lettered saga events',
          targets: [
            {
              expr: `sum by (service, topic) (increase(microshop_kafka_messages_dead_lettered_total{topic=~"${FLOW_TOPICS}"}[${RATE}]))`,
              legend: '{{service}} {{topic}}',
            },
          ],
        },
        {
          title: 'Outbox: oldest pending event',
          unit: 's',
          width: 12,
          targets: [
            {
              expr: `max by (service, outbox) (microshop_outbox_oldest_pending_age_seconds{service=~"order-service|product-service"})`,
              legend: '{{service}} {{outbox}}',
            },
          ],
        },
        {
          title: 'Order mails sent per second, and given up',
          unit: 'ops',
          width: 12,
          targets: [
            {
              expr: `sum by (type) (rate(microshop_mails_sent_total{type=~"order[.].+"}[${RATE}]))`,
              legend: 'sent {{type}}',
            },
            {
              expr: `sum by (type) (rate(microshop_mails_failed_total{type=~"order[.].+"}[${RATE}]))`,
              legend: 'given up {{type}}',
            },
          ],
        },
      ],
    },
  ],
);

/** File name → dashboard JSON model. */
export function dashboards(): Record<string, object> {
  const all: Record<string, object> = { 'order-flow.json': orderFlow };
  for (const service of Object.keys(SERVICES) as (keyof typeof SERVICES)[]) {
    all[`${service}.json`] = serviceDashboard(service);
  }
  return all;
}

export const render = (model: object) => `${JSON.stringify(model, null, 2)}\n`;

if (require.main === module) {
  for (const [file, model] of Object.entries(dashboards())) {
    writeFileSync(join(DASHBOARD_DIR, file), render(model));
    console.log(`wrote deploy/observability/dashboards/${file}`);
  }
}
