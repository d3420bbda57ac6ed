import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isMongoDuplicateKey, parseObjectId } from '@microshop/runtime';
import { Model, Types } from 'mongoose';
import { StockLevel } from './schemas/stock-level.schema';

export type HoldResult =
  { status: 'held' } | { status: 'insufficient'; available: number } | { status: 'unknown' };

export type AdjustResult =
  | { status: 'adjusted'; available: number }
  | { status: 'out-of-range'; available: number }
  | { status: 'unknown' };

const LIVE = { retiredAt: { $exists: false } } as const;

/**
 * The stock levels of products. Every change is one conditional single-document update, so
 * concurrent orders never oversell: each applies atomically or not at all. Taking an order's
 * quantity and recording which order took it are the same update (`holds`), and so is giving it
 * back, which makes both idempotent and lets a retry after a crash tell a line already taken
 * from one still to do. Returning a reserved order's stock works the same way with `returns`.
 */
@Injectable()
export class StockLevels {
  constructor(@InjectModel(StockLevel.name) private readonly levels: Model<StockLevel>) {}

  /** The level of a new product; written before the product, so a product never lacks one. */
  async open(productId: Types.ObjectId, available: number): Promise<void> {
    try {
      await this.levels.create({ _id: productId, available, holds: [], returns: [] });
    } catch (err) {
      if (!isMongoDuplicateKey(err)) throw err;
    }
  }

  /** Removes the level of a product that was never created (its insert failed). */
  async discard(productId: Types.ObjectId): Promise<void> {
    await this.levels.deleteOne({ _id: productId });
  }

  /** After the product is deleted: nothing more can be taken. */
  async retire(productId: Types.ObjectId): Promise<void> {
    await this.levels.updateOne({ _id: productId, ...LIVE }, { $set: { retiredAt: new Date() } });
  }

  /** What can be sold now; 0 for a product without a live level. */
  async available(productId: string | Types.ObjectId): Promise<number> {
    const _id = typeof productId === 'string' ? parseObjectId(productId) : productId;
    if (!_id) return 0;
    // By `_id` alone through the driver: the one filter the local store serves from its key.
    const level = await this.levels.collection.findOne<Pick<StockLevel, 'available' | 'retiredAt'>>(
      { _id },
      { projection: { available: 1, retiredAt: 1 } },
    );
    return level && !level.retiredAt ? level.available : 0;
  }

  /** Sets the level to `available`; null when the product has no live level. */
  async set(productId: Types.ObjectId, available: number): Promise<number | null> {
    const written = await this.levels.updateOne(
      { _id: productId, ...LIVE },
      { $set: { available } },
    );
    return written.matchedCount === 1 ? available : null;
  }

  /** Adds `delta` (negative: takes) unless the level would leave 0..max; answers the new level. */
  async adjust(productId: Types.ObjectId, delta: number, max: number): Promise<AdjustResult> {
    const bound = delta < 0 ? { $gte: -delta } : { $lte: max - delta };
    const adjusted = await this.levels.collection.findOneAndUpdate(
      { _id: productId, ...LIVE, available: bound },
      { $inc: { available: delta } },
      { returnDocument: 'after' },
    );
    if (adjusted) return { status: 'adjusted', available: (adjusted as StockLevel).available };
    const level = await this.levels.collection.findOne<Pick<StockLevel, 'available' | 'retiredAt'>>(
      { _id: productId },
      { projection: { available: 1, retiredAt: 1 } },
    );
    if (!level || level.retiredAt) return { status: 'unknown' };
    return { status: 'out-of-range', available: level.available };
  }

  /** Takes `quantity` for `orderId`, once. */
  async hold(productId: string, orderId: string, quantity: number): Promise<HoldResult> {
    const _id = parseObjectId(productId);
    if (!_id) return { status: 'unknown' };
    const taken = await this.levels.updateOne(
      { _id, ...LIVE, available: { $gte: quantity }, holds: { $ne: orderId } },
      { $inc: { available: -quantity }, $push: { holds: orderId } },
    );
    if (taken.matchedCount === 1) return { status: 'held' };
    const level = await this.levels
      .findOne({ _id }, { available: 1, holds: 1, retiredAt: 1 })
      .lean<Pick<StockLevel, 'available' | 'holds' | 'retiredAt'>>();
    if (level?.holds?.includes(orderId)) return { status: 'held' }; // an earlier attempt
    if (!level || level.retiredAt) return { status: 'unknown' };
    return { status: 'insufficient', available: level.available };
  }

  /** Gives back what `orderId` holds of the product; false when it holds nothing (any more). */
  async giveBack(productId: string, orderId: string, quantity: number): Promise<boolean> {
    const _id = parseObjectId(productId);
    if (!_id) return false;
    const returned = await this.levels.updateOne(
      { _id, holds: orderId },
      { $inc: { available: quantity }, $pull: { holds: orderId } },
    );
    return returned.matchedCount === 1;
  }

  /** Returns a reserved order's quantity, once: the order's id in `returns` marks it done. */
  async returnOnce(productId: string, orderId: string, quantity: number): Promise<void> {
    const _id = parseObjectId(productId);
    if (!_id) return;
    await this.levels.updateOne(
      { _id, returns: { $ne: orderId } },
      { $inc: { available: quantity }, $push: { returns: orderId } },
    );
  }
}
