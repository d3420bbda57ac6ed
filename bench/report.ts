/** Writes bench/results/<date>.md and <date>.svg from a run's results. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measured, Results, StoreWrites } from './run';
import { MONGO_WRITES, MYSQL_WRITES, WriteCounts } from './lib/store-ops';
import type { LoadResult } from './lib/load';

const fmt = (n: number | undefined, d = 1) =>
  n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(d);
const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

function verdict(value: number, target: number, higherIsBetter = true): string {
  if (!Number.isFinite(value)) return 'not measured';
  const met = higherIsBetter ? value >= target : value <= target;
  if (met) return `met (${fmt(value, 2)} vs ${target})`;
  const by = higherIsBetter ? (1 - value / target) * 100 : (value / target - 1) * 100;
  return `**missed by ${fmt(by, 0)} %** (${fmt(value, 2)} vs ${target})`;
}

function procCells(m: Measured, names: string[]): string {
  return names
    .map((n) =>
      m.procs[n]
        ? `${fmt(m.procs[n].cpuCores, 2)} cores / ${fmt(m.procs[n].peakRssMb, 0)} MB`
        : '–',
    )
    .join(' | ');
}

function loadRow(label: string, l: LoadResult): string {
  return `| ${label} | ${l.model === 'open' ? `${l.offered}/s` : `${l.offered} in flight`} | ${fmt(l.throughput)} | ${fmt(l.p50, 2)} | ${fmt(l.p99, 2)} | ${fmt(l.max, 1)} | ${l.errors}${l.firstError ? ` (${l.firstError.replace(/\|/g, '/')})` : ''} |`;
}

export function chartSvg(r: Results): string {
  const W = 720;
  const H = 420;
  const pad = { l: 70, r: 20, t: 40, b: 60 };
  type Series = { name: string; color: string; dash?: string; points: [number, number][] };
  const series: Series[] = [];
  const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
  const curves = r.products?.curves ?? [];
  for (const [i, target] of ['GET /products', 'GET /products/:id'].entries()) {
    const c = curves.filter((x) => x.target === target);
    if (!c.length) continue;
    series.push({
      name: `${target} MicroShop p99`,
      color: colors[i * 2],
      points: c.map((x) => [x.rate, x.app.p99]),
    });
    series.push({
      name: `${target} raw p99`,
      color: colors[i * 2],
      dash: '5,4',
      points: c.map((x) => [x.rate, x.raw.p99]),
    });
  }
  const e2e = (r.orders?.e2e ?? []).filter((x) => x.confirmed.count > 0);
  if (e2e.length) {
    series.push({
      name: 'order placed→CONFIRMED p99',
      color: colors[4],
      points: e2e.map((x) => [x.rate, x.confirmed.p99]),
    });
    series.push({
      name: 'order placed→mail received p99',
      color: colors[5],
      points: e2e.filter((x) => x.mailed.count > 0).map((x) => [x.rate, x.mailed.p99]),
    });
  }
  const all = series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map((p) => p[0])) * 1.05;
  const ys = all.map((p) => Math.max(0.1, p[1]));
  const minY = Math.pow(10, Math.floor(Math.log10(Math.min(1, ...ys))));
  const maxY = Math.pow(10, Math.ceil(Math.log10(Math.max(10, ...ys))));
  const x = (v: number) => pad.l + (v / maxX) * (W - pad.l - pad.r);
  const y = (v: number) =>
    H -
    pad.b -
    ((Math.log10(Math.max(minY, v)) - Math.log10(minY)) / (Math.log10(maxY) - Math.log10(minY))) *
      (H - pad.t - pad.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">p99 latency vs offered load (open model), ${r.date}</text>`,
    `<line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="black"/>`,
    `<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 25}" text-anchor="middle">offered load (requests per second)</text>`,
    `<text transform="translate(18 ${H / 2}) rotate(-90)" text-anchor="middle">p99 latency (ms, log scale)</text>`,
  ];
  for (let d = minY; d <= maxY; d *= 10) {
    out.push(`<line x1="${pad.l}" y1="${y(d)}" x2="${W - pad.r}" y2="${y(d)}" stroke="#ddd"/>`);
    out.push(`<text x="${pad.l - 6}" y="${y(d) + 4}" text-anchor="end">${d}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const v = (maxX / 5) * i;
    out.push(
      `<text x="${x(v)}" y="${H - pad.b + 16}" text-anchor="middle">${Math.round(v)}</text>`,
    );
  }
  series.forEach((s, i) => {
    const pts = s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ');
    out.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''} points="${pts}"/>`,
    );
    for (const [a, b] of s.points)
      out.push(`<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const ly = pad.t + 4 + i * 15;
    out.push(
      `<line x1="${pad.l + 10}" y1="${ly}" x2="${pad.l + 35}" y2="${ly}" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''}/>`,
    );
    out.push(
      `<text x="${pad.l + 40}" y="${ly + 4}">${s.name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</text>`,
    );
  });
  if (!series.length)
    out.push(
      `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no latency curves were measured in this run</text>`,
    );
  out.push('</svg>');
  return out.join('\n');
}

function storeWritesSection(w: StoreWrites): string[] {
  const cells = (counts: WriteCounts, names: readonly string[]) =>
    names.map((n) => fmt(counts[n], 2)).join(' | ');
  const total = (counts: WriteCounts) => Object.values(counts).reduce((a, b) => a + b, 0);
  return [
    '## Store writes per order',
    '',
    `${w.orders} orders per line count, placed one at a time, each settled before the next; the stores' own counters (FerretDB \`serverStatus\` commands, MariaDB \`Com_*\` statements), less the background rate measured over ${w.idleSeconds} s idle. FerretDB serves product-service here (notification-service stopped for the phase, user-service idle); MariaDB serves order-service.`,
    '',
    `| lines | ${MONGO_WRITES.map((c) => `FerretDB ${c}`).join(' | ')} | FerretDB total | ${MYSQL_WRITES.map((c) => `MariaDB ${c.replace('Com_', '')}`).join(' | ')} | MariaDB total |`,
    `|---|${[...MONGO_WRITES, 'total', ...MYSQL_WRITES, 'total'].map(() => '---').join('|')}|`,
    ...w.byLines.map(
      (b) =>
        `| ${b.lines} | ${cells(b.mongo, MONGO_WRITES)} | ${fmt(total(b.mongo), 2)} | ${cells(b.mysql, MYSQL_WRITES)} | ${fmt(total(b.mysql), 2)} |`,
    ),
    '',
    `Background, idle: FerretDB ${fmt(total(w.idle.mongo), 2)}/s, MariaDB ${fmt(total(w.idle.mysql), 2)}/s.`,
    '',
  ];
}

export function writeReport(r: Results, dir: string, stem = r.date): void {
  const md: string[] = [];
  md.push(`# MicroShop benchmark, ${r.date}`, '');
  md.push(
    'MicroShop against its raw floor, measured side by side in one run on the same local infrastructure (2 shared cores,',
    'Kafka 3.9 KRaft, FerretDB 1.24 on SQLite, MariaDB). Absolute numbers are context only; the ratios are the result.',
    `Saturation: closed model, ${r.config.concurrency} requests in flight for ${r.config.saturationS} s. Latency curves: open model`,
    `(fixed arrival rate, latency from the scheduled send time) for ${r.config.openS} s per step at ${r.config.fractions.join(', ')} of MicroShop's saturation rate.`,
    `CPU is the average number of cores a process used during the phase; memory is its peak RSS during the phase.`,
    `Code: \`${r.commit}\`. Tokens: real sign-ins (POST /auth/register and /auth/login on user-service; the admin account for catalog writes).`,
    '',
    `![p99 latency vs load](${stem}.svg)`,
    '',
  );
  for (const n of r.notes) md.push(`> ${n}`, '');
  const targets: string[] = [];

  md.push('## Catalog reads', '');
  const p = r.products;
  if (p) {
    const names = ['product-service', 'raw-fastify-mongodb'];
    md.push(
      `Catalog of ${p.catalogSize}+ live products; pages of 20 sorted by \`-createdAt\`; by id round-robin over ${p.catalogSize} ids.`,
      '',
    );
    md.push(
      '| phase | load | ok/s | p50 ms | p99 ms | max ms | errors | product-service CPU / RSS | raw server CPU / RSS |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const [label, m] of [
      ['raw list page', p.listRaw],
      ['MicroShop GET /products', p.listApp],
      ['raw by id', p.byIdRaw],
      ['MicroShop GET /products/:id', p.byIdApp],
    ] as const) {
      md.push(`${loadRow(label, m.load)} ${procCells(m, names)} |`);
    }
    const rl = ratio(p.listApp.load.throughput, p.listRaw.load.throughput);
    const ri = ratio(p.byIdApp.load.throughput, p.byIdRaw.load.throughput);
    md.push(
      '',
      `Throughput ratio: list **${fmt(rl, 2)}** × raw, by id **${fmt(ri, 2)}** × raw.`,
      '',
    );
    targets.push(`| GET /products throughput ≥ 0.7 × raw | ${fmt(rl, 2)} | ${verdict(rl, 0.7)} |`);
    targets.push(
      `| GET /products/:id throughput ≥ 0.7 × raw | ${fmt(ri, 2)} | ${verdict(ri, 0.7)} |`,
    );
    md.push(
      '### Latency vs load (open model)',
      '',
      '| target | offered/s | raw p50 | raw p99 | MicroShop p50 | MicroShop p99 | p99 ratio | MicroShop errors |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const c of p.curves) {
      md.push(
        `| ${c.target} | ${c.rate} | ${fmt(c.raw.p50, 2)} | ${fmt(c.raw.p99, 2)} | ${fmt(c.app.p50, 2)} | ${fmt(c.app.p99, 2)} | ${fmt(ratio(c.app.p99, c.raw.p99), 1)} | ${c.app.errors} |`,
      );
    }
    md.push(
      '',
      'Store note: on the local FerretDB 1.24/SQLite only filters with an `_id` equality use the primary key; every other filter and',
      'sort (the list page: `deletedAt` absent, sorted by `createdAt`) scans the collection, and writes are serialized. The list',
      'page cost is therefore dominated by the store for both servers and grows with the catalog; production runs MongoDB 7 with indexes.',
      '',
    );
  } else {
    md.push('Not measured in this run.', '');
  }

  md.push('## Order placement', '');
  const o = r.orders;
  if (o) {
    md.push(
      '| phase | load | ok/s | p50 ms | p99 ms | max ms | errors | order-service CPU / RSS | product-service CPU / RSS | bench process CPU / RSS | MariaDB CPU / RSS | FerretDB CPU / RSS |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    const names = ['order-service', 'product-service', 'bench (raw mysql2)', 'mariadb', 'ferretdb'];
    md.push(
      `${loadRow('raw mysql2 transaction (order, line, outbox)', o.raw.load)} ${procCells(o.raw, names)} |`,
    );
    if (o.app) {
      md.push(`${loadRow('MicroShop POST /orders', o.app.load)} ${procCells(o.app, names)} |`);
      const ro = ratio(o.app.load.throughput, o.raw.load.throughput);
      const perOrder = (m: Measured, name: string) =>
        m.procs[name] ? (m.procs[name].cpuSeconds * 1000) / Math.max(1, m.load.ok) : NaN;
      md.push(
        '',
        `Throughput ratio: **${fmt(ro, 2)}** × raw mysql2. CPU per order at saturation: order-service ${fmt(perOrder(o.app, 'order-service'), 2)} ms,`,
        `product-service ${fmt(perOrder(o.app, 'product-service'), 2)} ms (the raw transaction: ${fmt(perOrder(o.raw, 'bench (raw mysql2)'), 2)} ms in the bench process).`,
        '',
      );
      targets.push(
        `| POST /orders throughput ≥ 0.6 × raw mysql2 | ${fmt(ro, 2)} | ${verdict(ro, 0.6)} |`,
      );
    } else {
      md.push('', 'MicroShop POST /orders: not measured (see Skipped).', '');
      targets.push('| POST /orders throughput ≥ 0.6 × raw mysql2 | – | not measured |');
    }
    if (o.relay && r.kafka) {
      const b = o.relay;
      const rr = ratio(b.allEventsRate, r.kafka.publish.rate);
      md.push(
        '### Outbox relay with a backlog',
        '',
        `Kafka was stopped and orders were placed for ${r.config.backlogS} s (${b.placedWhileDown.ok} placed, ${fmt(b.placedWhileDown.throughput)}/s, p99 ${fmt(b.placedWhileDown.p99, 1)} ms, ${b.placedWhileDown.errors} errors):`,
        `${b.backlog} \`order.created\` events waited in order-service's outbox. Kafka was started again; the relay's first publish came`,
        `${b.resumeMs} ms after Kafka was back (its retry backoff), then the backlog drained in ${b.drainMs} ms: **${b.orderCreatedRate} order.created/s**,`,
        `and **${b.allEventsRate} events/s** counting everything the relay published meanwhile (${b.allEvents} events in all, with the`,
        `\`order.confirmed\` events of the orders product-service reserved during the drain).`,
        `order-service used ${fmt(b.procs['order-service']?.cpuCores, 2)} cores, product-service ${fmt(b.procs['product-service']?.cpuCores, 2)} cores over the drain.`,
        `Raw kafkajs batch publish: ${r.kafka.publish.rate}/s of ${r.kafka.publish.bytes}-byte messages.`,
        '',
      );
      targets.push(
        `| Outbox relay publish ≥ 0.5 × raw kafkajs batch | ${fmt(rr, 3)} (${b.allEventsRate}/s vs ${r.kafka.publish.rate}/s) | ${verdict(rr, 0.5)} |`,
      );
    } else {
      targets.push('| Outbox relay publish ≥ 0.5 × raw kafkajs batch | – | not measured |');
    }
    const cores = (procs: Record<string, { cpuCores: number }>) =>
      Object.entries(procs)
        .map(([n, u]) => `${n} ${fmt(u.cpuCores, 2)}`)
        .join(', ');
    if (o.flow) {
      const fl = o.flow;
      md.push(
        '### The whole flow at saturation',
        '',
        `The ${fl.placed} orders placed at saturation were settled (CONFIRMED or REJECTED) by the saga at **${fl.rate} orders/s**`,
        `(${fl.settled} of ${fl.placed} within ${r.config.settleS} s; the last one ${fl.lastSettledAfterLoadMs} ms after the load ended): this is the`,
        `flow's saturation rate, and the open-model steps below are fractions of it. CPU (cores) while it settled: ${cores(fl.procs)}.`,
        '',
      );
    }
    if (o.e2e.length && r.kafka && p) {
      md.push(
        '### Order placed → CONFIRMED → mail (open model)',
        '',
        "Latency from each order's scheduled send time: `POST` until its 201, `CONFIRMED` until `order.confirmed` reached a Kafka",
        'consumer of the bench, `mail` until the SMTP server received the confirmation mail (ms).',
        '',
        '| fraction | offered/s | POST p50 | POST p99 | CONFIRMED p50 | CONFIRMED p99 | mail p50 | mail p99 | confirmed | mailed | rejected | unresolved | CPU order / product / notification / user / FerretDB / MariaDB / Kafka |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      );
      for (const e of o.e2e) {
        const cpu = [
          'order-service',
          'product-service',
          'notification-service',
          'user-service',
          'ferretdb',
          'mariadb',
          'kafka',
        ]
          .map((n) => fmt(e.procs[n]?.cpuCores, 2))
          .join(' / ');
        md.push(
          `| ${e.fraction} | ${e.rate} | ${fmt(e.placed.p50, 1)} | ${fmt(e.placed.p99, 1)} | ${fmt(e.confirmed.p50, 1)} | ${fmt(e.confirmed.p99, 1)} | ${fmt(e.mailed.p50, 0)} | ${fmt(e.mailed.p99, 0)} | ${e.confirmed.count} | ${e.mailed.count} | ${e.rejected} | ${e.unresolved} | ${cpu} |`,
        );
      }
      md.push(
        '',
        'Where the time goes, step by step (p50 / p99 ms, confirmed orders; each step ends when its event reached the bench):',
        '',
        `| fraction | ${Object.keys(o.e2e[0].hops ?? {}).join(' | ')} |`,
        `|---|${Object.keys(o.e2e[0].hops ?? {})
          .map(() => '---')
          .join('|')}|`,
      );
      for (const e of o.e2e) {
        md.push(
          `| ${e.fraction} | ${Object.values(e.hops ?? {})
            .map((h) => `${fmt(h.p50, 1)} / ${fmt(h.p99, 1)}`)
            .join(' | ')} |`,
        );
      }
      const half = o.e2e.find((e) => e.fraction === 0.5);
      const httpFloor =
        p.curves.find((c) => c.target === 'GET /products/:id' && c.fraction === 0.5)?.raw.p99 ??
        NaN;
      const floor = httpFloor + 3 * r.kafka.hop.p99;
      md.push(
        '',
        `Floor: one raw HTTP round trip (raw by-id p99 ${fmt(httpFloor, 2)} ms) + three raw Kafka hops (p99 ${fmt(r.kafka.hop.p99, 1)} ms each at ${r.kafka.hop.rate}/s) = ${fmt(floor, 1)} ms.`,
        '',
      );
      const v = half && half.confirmed.count ? half.confirmed.p99 / floor : NaN;
      targets.push(
        `| placed → CONFIRMED p99 at 0.5 × saturation < 4 × floor | ${fmt(v, 2)} × floor | ${verdict(v, 4, false)} |`,
      );
    } else {
      targets.push('| placed → CONFIRMED p99 at 0.5 × saturation < 4 × floor | – | not measured |');
    }
  } else {
    md.push('Not measured in this run.', '');
  }

  md.push('## Raw Kafka (kafkajs)', '');
  if (r.kafka) {
    const h = r.kafka.hop;
    md.push(
      `Batch publish (batches of 100, acks=all): **${r.kafka.publish.rate}/s** of ${r.kafka.publish.bytes}-byte messages.`,
      `Produce→consume, one hop at ${h.rate}/s: p50 ${fmt(h.p50, 1)} ms, p99 ${fmt(h.p99, 1)} ms, max ${fmt(h.max, 1)} ms (${h.count} messages, ${h.lost} not received).`,
      '',
    );
  }

  if (r.storeWrites) md.push(...storeWritesSection(r.storeWrites));

  md.push(
    '## Peak memory per app',
    '',
    '| app | peak RSS over its lifetime (VmHWM) |',
    '|---|---|',
  );
  for (const [n, mb] of Object.entries(r.peakRssMb)) md.push(`| ${n} | ${mb} MB |`);
  const rss = Object.values(r.peakRssMb);
  const worst = rss.length ? Math.max(...rss) : NaN;
  targets.push(
    `| Peak memory per app under 200 MB | max ${fmt(worst, 0)} MB | ${verdict(worst, 200, false)} |`,
  );
  md.push('');

  md.push('## Targets', '', '| target | measured | verdict |', '|---|---|---|', ...targets, '');
  if (r.profiles.length) {
    md.push(
      '## CPU profiles (self time during the phase)',
      '',
      'Sampled with the V8 inspector (1 ms interval) in each app during the saturation phases (`BENCH_CPU_PROF=1`).',
      "Self time is grouped by where the code lives: an npm package, node's built-in modules, V8's own work",
      '(`(garbage collector)`, `(program)`), or our bundle. `writeBuffer`/`writev` are socket writes, whose',
      'kernel side (loopback delivery, waking the peer) is charged to them. The sampler ticks on wall time, so',
      'with the cores oversubscribed "busy" also holds time spent waiting for a core: it exceeds the CPU used,',
      'which is the per-order figure from /proc in the tables above.',
      '',
    );
    for (const pr of r.profiles) {
      const per = pr.operations ? pr.busyMs / pr.operations : NaN;
      md.push(
        `### ${pr.app} during ${pr.phase}`,
        '',
        `Busy (not idle) ${pr.busyMs} ms of ${pr.wallMs} ms sampled; ${pr.operations} operations completed: **${fmt(per, 2)} ms busy per operation**.`,
        '',
        '| module | self ms | share |',
        '|---|---|---|',
        ...pr.modules.slice(0, 10).map((m) => `| ${m.module} | ${m.selfMs} | ${m.share} % |`),
        '',
        '| function | where | self ms | share |',
        '|---|---|---|---|',
        ...pr.functions
          .slice(0, 12)
          .map((f) => `| \`${f.fn}\` | ${f.where} | ${f.selfMs} | ${f.share} % |`),
        '',
      );
    }
  }
  if (r.skipped.length) md.push('## Skipped', '', ...r.skipped.map((s) => `- ${s}`), '');
  writeFileSync(join(dir, `${stem}.md`), md.join('\n'));
  writeFileSync(join(dir, `${stem}.svg`), chartSvg(r));
}
