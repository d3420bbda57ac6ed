import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import { Counter, Gauge } from 'prom-client';
import { backoffDelay } from '../backoff';
import { EventPublisher, OutgoingEvent } from '../kafka/event-publisher';
import { onRecorded } from './outbox-signal';
import { ClaimScope, OutboxSource } from './outbox-source';

const METRICS = {
  published: 'microshop_outbox_published_total',
  failures: 'microshop_outbox_publish_failures_total',
  pending: 'microshop_outbox_pending_events',
  oldest: 'microshop_outbox_oldest_pending_age_seconds',
} as const;

export const outboxMetricProviders = [
  makeCounterProvider({
    name: METRICS.published,
    help: 'Outbox events published to Kafka',
    labelNames: ['outbox'],
  }),
  makeCounterProvider({
    name: METRICS.failures,
    help: 'Failed outbox publish rounds',
    labelNames: ['outbox'],
  }),
  makeGaugeProvider({
    name: METRICS.pending,
    help: 'Outbox events waiting to be published',
    labelNames: ['outbox'],
  }),
  makeGaugeProvider({
    name: METRICS.oldest,
    help: 'Age of the oldest unpublished outbox event',
    labelNames: ['outbox'],
  }),
];

/** Aggregates per claim: one produce request (per wave) carries all their events. */
const BATCH_SIZE = 500;
/**
 * How often every outbox is searched. Own writes wake the relay (outbox-signal.ts), so the search
 * only finds events that another process wrote and did not publish (it died), and should be rare:
 * the local store answers it by scanning each outbox's collection
 * (docs/decisions/0003-local-stores.md).
 */
export const OUTBOX_POLL_MS = 5_000;
const FAILURE_BACKOFF = { firstDelayMs: 500, maxDelayMs: 10_000, jitter: true };
const BACKLOG_REFRESH_MS = 5_000;
/** A publish slower than this is logged: its leases are held (renewed) all that time. */
const SLOW_PUBLISH_MS = 5_000;
/**
 * A publish still unfinished after this is given up: the producer is replaced and the claim is
 * released unacknowledged, so its events go out again (possibly twice; consumers dedupe). Longer
 * than the producer's own request timeout (30 s) with a retry.
 */
export const PUBLISH_DEADLINE_MS = 45_000;

/**
 * Publishes what services recorded in their outboxes, in order per aggregate, retrying with
 * backoff while Kafka is away. A write that records events wakes it at once (outbox-signal.ts);
 * the outboxes are registered by their modules (outbox-providers.ts). Delivery is at-least-once
 * (a crash between the broker ack and the acknowledge republishes); consumers dedupe by eventId.
 */
@Injectable()
export class OutboxRelay implements OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly sources: OutboxSource[] = [];
  private running = false;
  /** Outboxes written to since their last claim: the next round claims only these. */
  private readonly signalled = new Set<string>();
  private readonly stopListening: () => void;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private stopped: Promise<void> | null = null;
  /** Set while stop() waits for the loop: its round ends after the claim in hand. */
  private interrupted = false;
  private failures = 0;
  private lastBacklogRefresh = 0;

  constructor(
    private readonly publisher: EventPublisher,
    @InjectMetric(METRICS.published) private readonly published: Counter<'outbox'>,
    @InjectMetric(METRICS.failures) private readonly failed: Counter<'outbox'>,
    @InjectMetric(METRICS.pending) private readonly pending: Gauge<'outbox'>,
    @InjectMetric(METRICS.oldest) private readonly oldest: Gauge<'outbox'>,
  ) {
    this.stopListening = onRecorded((outbox, id) => this.wakeFor(outbox, id));
  }

  register<S extends OutboxSource>(source: S): S {
    this.sources.push(source);
    // Exposed from the start (0), so rates and alerts see the series before the first event.
    this.published.inc({ outbox: source.name }, 0);
    this.failed.inc({ outbox: source.name }, 0);
    return source;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Publishes everything pending now, one claim per outbox in turn (a busy outbox does not starve
   * the others); resolves when a whole round found every outbox empty.
   */
  async drain(sources: OutboxSource[] = this.sources, scope: ClaimScope = 'all'): Promise<number> {
    let total = 0;
    for (;;) {
      let round = 0;
      for (const source of sources.filter(isConnected)) {
        // Stopping: the loop's round ends after the claim in hand (stop() drains what is left).
        if (this.interrupted) return total;
        round += await this.publishClaim(source, scope);
      }
      total += round;
      if (round === 0) return total;
    }
  }

  /**
   * Stops after the claim in progress, then publishes what this process recorded since (the
   * writes of the last requests and messages, which no other replica's relay would take before
   * their lease ran out).
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.running = false;
      this.interrupted = true;
      this.wake?.();
      await this.loop;
      this.interrupted = false;
      this.stopListening();
      await this.drain(this.sources, 'recorded').catch((err: Error) =>
        this.logger.warn(`Outbox not drained at shutdown: ${err.message}`),
      );
    })();
    return this.stopped;
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** A write in this process recorded events in `outbox` (in document `id`): claim them now. */
  private wakeFor(outbox: string, id?: unknown): void {
    const source = this.sources.find((s) => s.name === outbox);
    if (!source) return;
    source.recorded?.(id);
    this.signalled.add(outbox);
    this.wake?.();
  }

  private async run(): Promise<void> {
    // The first round, and a round every OUTBOX_POLL_MS however busy the relay is, claims every outbox:
    // that is how events written by another process (one that crashed before publishing) are found.
    let pollAll = true;
    let lastPollAll = 0;
    while (this.running) {
      pollAll ||= Date.now() - lastPollAll >= OUTBOX_POLL_MS;
      if (pollAll) lastPollAll = Date.now();
      const sources = pollAll ? this.sources : this.takeNudged();
      try {
        await this.drain(sources, pollAll ? 'all' : 'recorded');
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        for (const source of sources) this.failed.inc({ outbox: source.name });
        this.logger.warn(
          `Outbox publish failed (${this.failures} in a row): ${(err as Error).message}`,
        );
      }
      if (!this.running) break;
      await this.refreshBacklog().catch((err: Error) =>
        this.logger.warn(`Outbox backlog not measured: ${err.message}`),
      );
      if (this.signalled.size > 0 && this.failures === 0) {
        pollAll = false;
        continue;
      }
      pollAll = !(await this.sleep(this.delay()));
    }
  }

  private takeNudged(): OutboxSource[] {
    const sources = this.sources.filter((source) => this.signalled.has(source.name));
    this.signalled.clear();
    return sources;
  }

  /**
   * Publishes one claim: all its events at once (the publisher keeps each aggregate's order),
   * then acknowledges them. A failed publish acknowledges nothing; the next round offers the
   * events again and consumers drop what they already had by eventId.
   */
  private async publishClaim(source: OutboxSource, scope: ClaimScope): Promise<number> {
    const claim = await source.claim(BATCH_SIZE, scope);
    try {
      const events = claim.batches.flatMap((batch) => batch.events);
      if (events.length === 0) return 0;
      const started = Date.now();
      await this.publishWithin(events, PUBLISH_DEADLINE_MS);
      const tookMs = Date.now() - started;
      if (tookMs > SLOW_PUBLISH_MS) {
        this.logger.warn(
          `Outbox ${source.name}: ${events.length} event(s) took ${tookMs} ms to publish`,
        );
      }
      for (const batch of claim.batches) await batch.acknowledge();
      this.published.inc({ outbox: source.name }, events.length);
      return events.length;
    } finally {
      await claim.release();
    }
  }

  private async publishWithin(events: OutgoingEvent[], deadlineMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deadlineMs);
    });
    const published = this.publisher.publish(events);
    published.catch(() => undefined); // abandoned after the deadline, it must not go unhandled
    try {
      if ((await Promise.race([published, deadline])) !== 'late') return;
    } finally {
      clearTimeout(timer);
    }
    await this.publisher.reset();
    throw new Error(`publish of ${events.length} event(s) unfinished after ${deadlineMs} ms`);
  }

  private async refreshBacklog(): Promise<void> {
    if (Date.now() - this.lastBacklogRefresh < BACKLOG_REFRESH_MS) return;
    this.lastBacklogRefresh = Date.now();
    for (const source of this.sources.filter(isConnected)) {
      const backlog = await source.backlog();
      this.pending.set({ outbox: source.name }, backlog.pendingEvents);
      this.oldest.set({ outbox: source.name }, backlog.oldestAgeSeconds);
    }
  }

  private delay(): number {
    return this.failures === 0 ? OUTBOX_POLL_MS : backoffDelay(this.failures, FAILURE_BACKOFF);
  }

  /** Resolves true when a signal ended the sleep, false when the time ran out. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), ms);
      const done = (signalled: boolean) => {
        clearTimeout(timer);
        this.wake = null;
        resolve(signalled);
      };
      this.wake = () => done(true);
    });
  }
}

const isConnected = (source: OutboxSource) => source.connected?.() ?? true;
