import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ThrottlerStorage } from '@nestjs/throttler';
import { isMongoDuplicateKey } from '@microshop/runtime';
import { Model } from 'mongoose';
import { ThrottleCounter } from './schemas/throttle-counter.schema';
import { estimateHits, secondsUntilAllowed, windowAt } from './sliding-window';

const SWEEP_INTERVAL_MS = 60_000;

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Throttler counters in MongoDB, shared by every replica (in-memory counters would let N
 * replicas allow N times the limit). Each hit is one atomic `$inc` upsert on the key's counter
 * for the current window; the limit applies to the sliding-window estimate. Requests over the
 * limit still count, so a client that keeps hammering stays blocked until it slows down; the
 * throttler's `blockDuration` is therefore not used.
 */
@Injectable()
export class MongoThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(MongoThrottlerStorage.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectModel(ThrottleCounter.name) private readonly counters: Model<ThrottleCounter>,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      this.sweep().catch((err: Error) =>
        this.logger.warn(`Old throttle counters not swept: ${err.message}`),
      );
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const { index, elapsed } = windowAt(now, ttl);
    const current = await this.hit(`${key}:${index}`, new Date((index + 2) * ttl));
    const previous =
      (await this.counters.findById(`${key}:${index - 1}`, { hits: 1 }).lean())?.hits ?? 0;
    const counts = { previous, current };
    const estimate = estimateHits(counts, elapsed);
    const isBlocked = estimate > limit;
    return {
      totalHits: Math.ceil(estimate),
      timeToExpire: Math.ceil(((index + 1) * ttl - now) / 1000),
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsUntilAllowed(counts, elapsed, ttl, limit) : 0,
    };
  }

  /** Counters whose window can no longer count. */
  async sweep(): Promise<number> {
    const { deletedCount } = await this.counters.deleteMany({ expiresAt: { $lt: new Date() } });
    return deletedCount;
  }

  private async hit(id: string, expiresAt: Date, retried = false): Promise<number> {
    // No projection: findAndModify takes none locally (docs/decisions/0003-local-stores.md).
    try {
      const counter = await this.counters
        .findOneAndUpdate(
          { _id: id },
          { $inc: { hits: 1 }, $setOnInsert: { expiresAt } },
          { upsert: true, new: true },
        )
        .lean();
      return counter.hits;
    } catch (err) {
      // Two first hits racing to insert the same counter: the loser increments the winner's.
      if (!retried && isMongoDuplicateKey(err)) {
        return this.hit(id, expiresAt, true);
      }
      throw err;
    }
  }
}
