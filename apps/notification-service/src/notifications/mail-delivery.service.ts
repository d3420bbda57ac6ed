import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { backoffDelay } from '@microshop/events';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import CircuitBreaker from 'opossum';
import { Counter } from 'prom-client';
import { Model } from 'mongoose';
import { MailSender, OutgoingMail } from '../mail/mail-sender';
import { MAIL_TEMPLATES } from '../templates';
import { Notification } from './schemas/notification.schema';

const METRICS = {
  sent: 'microshop_mails_sent_total',
  failed: 'microshop_mails_failed_total',
  attemptFailures: 'microshop_mail_attempt_failures_total',
} as const;

export const mailMetricProviders = [
  makeCounterProvider({
    name: METRICS.sent,
    help: 'Mails accepted by the SMTP server',
    labelNames: ['type'],
  }),
  makeCounterProvider({
    name: METRICS.failed,
    help: 'Mails given up on after every attempt failed',
    labelNames: ['type'],
  }),
  makeCounterProvider({
    name: METRICS.attemptFailures,
    help: 'Failed SMTP delivery attempts (retried later)',
    labelNames: ['type'],
  }),
];

/** Attempts before a mail is recorded as FAILED; with the backoff below, about an hour of retrying. */
export const MAX_ATTEMPTS = 12;
const RETRY_BACKOFF = { firstDelayMs: 2_000, maxDelayMs: 10 * 60_000, jitter: true };
const LEASE_MS = 60_000;
const POLL_MS = 1_000;
/**
 * With nothing pending here, how long until the store is searched again anyway: for mails whose
 * retry another replica scheduled, or whose first attempt a crash cut short.
 */
const IDLE_SCAN_MS = 30_000;
const BATCH = 20;

export const nextAttemptDelay = (attempts: number, random = Math.random) =>
  backoffDelay(attempts, RETRY_BACKOFF, random);

/**
 * Whether the SMTP server refused the mail for good: a 5xx reply (RFC 5321 4.2.1) such as
 * `501 Bad recipient address syntax` fails the same way on every retry, while 4xx replies and
 * connection errors are transient.
 */
export const isPermanentSmtpFailure = (err: unknown): boolean => {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code <= 599;
};

/**
 * Delivers recorded notifications over SMTP, decoupled from Kafka: a failed attempt is scheduled
 * again with exponential backoff and jitter, up to MAX_ATTEMPTS, then recorded as FAILED. A
 * circuit breaker stops hammering a mail server that is down; when it closes again, everything
 * pending is retried at once instead of waiting for its backoff.
 */
@Injectable()
export class MailDeliveryService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MailDeliveryService.name);
  private readonly breaker: CircuitBreaker<[OutgoingMail], void>;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private flushAll = false;
  /**
   * When to search the store for due mails next: the earliest retry known to be pending, else
   * IDLE_SCAN_MS on; not every tick, as the local store scans the collection for it
   * (docs/decisions/0003-local-stores.md).
   */
  private nextScanAt = 0;

  constructor(
    @InjectModel(Notification.name) private readonly notifications: Model<Notification>,
    sender: MailSender,
    @InjectMetric(METRICS.sent) private readonly sent: Counter<'type'>,
    @InjectMetric(METRICS.failed) private readonly failed: Counter<'type'>,
    @InjectMetric(METRICS.attemptFailures) private readonly attemptFailures: Counter<'type'>,
  ) {
    this.breaker = new CircuitBreaker((mail: OutgoingMail) => sender.send(mail), {
      timeout: 15_000,
      resetTimeout: 5_000,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      // A server that answers, refusing one mail, is up: that must not pause every other mail.
      errorFilter: isPermanentSmtpFailure,
    });
    this.breaker.on('open', () => this.logger.warn('SMTP circuit opened: mail delivery paused'));
    this.breaker.on('close', () => {
      this.logger.log('SMTP circuit closed: retrying every pending mail now');
      this.flushAll = true;
    });
  }

  onModuleInit(): void {
    // Every mail type is exported from the start (0), so rates and alerts work before the first.
    for (const type of Object.keys(MAIL_TEMPLATES)) {
      for (const counter of [this.sent, this.failed, this.attemptFailures])
        counter.inc({ type }, 0);
    }
    this.timer = setInterval(() => {
      if (!this.flushAll && Date.now() < this.nextScanAt) return;
      // A store outage fails a round; the next one tries again.
      this.polling ??= this.deliverDue()
        .catch((err: Error) => this.logger.warn(`Mail delivery round failed: ${err.message}`))
        .finally(() => (this.polling = null));
    }, POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([this.polling, ...this.inFlight]);
    this.breaker.shutdown();
  }

  /**
   * Runs a delivery attempt without holding up the caller (a Kafka handler, done once the mail is
   * recorded); shutdown waits for it. Should it fail, the mail's lease runs out and the worker
   * tries again.
   */
  inBackground(eventId: string, attempt: () => Promise<void>): void {
    const running: Promise<void> = attempt()
      .catch((err: Error) =>
        this.logger.warn(`Delivery attempt for event ${eventId} failed: ${err.message}`),
      )
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** How long a delivery attempt starting `now` holds its mail. */
  leaseFrom(now: Date): Date {
    return new Date(now.getTime() + LEASE_MS);
  }

  /** One delivery attempt now, unless another worker holds it or it is no longer pending. */
  async attempt(eventId: string): Promise<void> {
    const now = new Date();
    const claimed = await this.notifications
      .findOneAndUpdate(
        {
          _id: eventId,
          status: 'PENDING',
          $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lt: now } }],
        },
        { $set: { leaseUntil: this.leaseFrom(now) } },
        { new: true },
      )
      .lean();
    if (claimed) await this.deliver(claimed);
  }

  /** Sends a mail whose lease the caller holds, and records how it went. */
  async deliver(claimed: Notification): Promise<void> {
    const eventId = claimed.eventId;
    const mail = {
      to: claimed.recipient,
      subject: claimed.subject,
      text: claimed.text,
      html: claimed.html,
    };
    try {
      await this.breaker.fire(mail);
    } catch (err) {
      await this.recordFailure(claimed, err as Error);
      return;
    }
    await this.notifications.updateOne(
      { _id: eventId },
      {
        $set: { status: 'SENT', sentAt: new Date() },
        $inc: { attempts: 1 },
        $unset: { leaseUntil: 1, nextAttemptAt: 1, lastError: 1 },
      },
    );
    this.sent.inc({ type: claimed.type });
  }

  private async recordFailure(notification: Notification, error: Error): Promise<void> {
    const attempts = notification.attempts + 1;
    const givesUp = attempts >= MAX_ATTEMPTS || isPermanentSmtpFailure(error);
    // An open breaker rejects without trying: that is not an attempt on this mail.
    const tried = (error as Error & { code?: string }).code !== 'EOPENBREAKER';
    const nextAttemptAt = new Date(Date.now() + nextAttemptDelay(attempts));
    this.nextScanAt = Math.min(this.nextScanAt, nextAttemptAt.getTime());
    await this.notifications.updateOne(
      { _id: notification.eventId },
      {
        $set: {
          status: givesUp && tried ? 'FAILED' : 'PENDING',
          nextAttemptAt,
          lastError: error.message,
        },
        $inc: { attempts: tried ? 1 : 0 },
        $unset: { leaseUntil: 1 },
      },
    );
    if (!tried) return;
    this.attemptFailures.inc({ type: notification.type });
    if (givesUp) {
      this.failed.inc({ type: notification.type });
      this.logger.error(
        `Mail for event ${notification.eventId} FAILED after ${attempts} attempts: ${error.message}`,
      );
    } else {
      this.logger.warn(
        `Mail for event ${notification.eventId} failed (attempt ${attempts}), retrying later: ${error.message}`,
      );
    }
  }

  private async deliverDue(): Promise<void> {
    if (this.breaker.opened) return;
    const all = this.flushAll;
    this.flushAll = false;
    const now = Date.now();
    // PENDING without nextAttemptAt: recorded, but its first attempt never finished (a crash).
    const pending = await this.notifications
      .find({ status: 'PENDING' }, { eventId: 1, nextAttemptAt: 1 })
      .sort({ nextAttemptAt: 1 })
      .limit(all ? 1_000 : BATCH)
      .lean();
    const isDue = (n: { nextAttemptAt?: Date }) =>
      all || !n.nextAttemptAt || n.nextAttemptAt.getTime() <= now;
    const due = pending.filter(isDue);
    const later = pending.find((n) => !isDue(n))?.nextAttemptAt?.getTime();
    // A full batch of due mails may have more behind it: look again on the next tick.
    this.nextScanAt =
      due.length === pending.length && pending.length >= BATCH
        ? now
        : Math.min(later ?? Infinity, now + IDLE_SCAN_MS);
    for (const { eventId } of due) {
      if (this.breaker.opened) return;
      await this.attempt(eventId);
    }
  }
}
