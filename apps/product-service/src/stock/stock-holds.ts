import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { parseObjectId } from '@microshop/runtime';
import { Model } from 'mongoose';
import { Product } from '../products/schemas/product.schema';

export type HoldResult =
  { status: 'held' } | { status: 'insufficient'; available: number } | { status: 'unknown' };

/**
 * Stock an order holds on a product. Taking stock and recording which order took it are one
 * conditional single-document update (`stock >= quantity` and no hold of that order yet), and so
 * is giving it back; the order id in `stockHolds` is the durable per-line progress that makes
 * both idempotent and lets a retry after a crash tell a line already taken from one still to do.
 * Returning a reserved order's stock works the same way with `stockReturns`. Both marks are
 * removed once the step they guard is recorded elsewhere, so a product keeps only those of the
 * orders in flight. Concurrent orders never oversell: each update applies atomically or not at all.
 */
@Injectable()
export class StockHolds {
  constructor(@InjectModel(Product.name) private readonly products: Model<Product>) {}

  async hold(productId: string, orderId: string, quantity: number): Promise<HoldResult> {
    const _id = parseObjectId(productId);
    if (!_id) return { status: 'unknown' };
    const taken = await this.products.updateOne(
      {
        _id,
        deletedAt: { $exists: false },
        stock: { $gte: quantity },
        stockHolds: { $ne: orderId },
      },
      { $inc: { stock: -quantity }, $push: { stockHolds: orderId } },
    );
    if (taken.matchedCount === 1) return { status: 'held' };
    const product = await this.products
      .findOne({ _id }, { stock: 1, stockHolds: 1, deletedAt: 1 })
      .lean<Pick<Product, 'stock' | 'stockHolds' | 'deletedAt'>>();
    if (product?.stockHolds?.includes(orderId)) return { status: 'held' }; // an earlier attempt
    if (!product || product.deletedAt) return { status: 'unknown' };
    return { status: 'insufficient', available: product.stock };
  }

  /** Gives back what `orderId` holds of the product; false when it holds nothing (any more). */
  async release(productId: string, orderId: string, quantity: number): Promise<boolean> {
    const _id = parseObjectId(productId);
    if (!_id) return false;
    const returned = await this.products.updateOne(
      { _id, stockHolds: orderId },
      { $inc: { stock: quantity }, $pull: { stockHolds: orderId } },
    );
    return returned.matchedCount === 1;
  }

  /** Drops the mark of a reservation that is recorded: its stock stays taken. */
  async forget(productId: string, orderId: string): Promise<void> {
    const _id = parseObjectId(productId);
    if (!_id) return;
    await this.products.updateOne({ _id, stockHolds: orderId }, { $pull: { stockHolds: orderId } });
  }

  /**
   * Returns a reserved order's quantity, once: the order's id in `stockReturns` marks it done
   * until `forgetReturn` (called once the release is recorded) removes the mark.
   */
  async returnOnce(productId: string, orderId: string, quantity: number): Promise<void> {
    const _id = parseObjectId(productId);
    if (!_id) return;
    await this.products.updateOne(
      { _id, stockReturns: { $ne: orderId } },
      { $inc: { stock: quantity }, $push: { stockReturns: orderId } },
    );
  }

  async forgetReturn(productId: string, orderId: string): Promise<void> {
    const _id = parseObjectId(productId);
    if (!_id) return;
    await this.products.updateOne(
      { _id, stockReturns: orderId },
      { $pull: { stockReturns: orderId } },
    );
  }

  /** Current availability, for telling the customer which other lines fall short too. */
  async available(productId: string): Promise<number> {
    const _id = parseObjectId(productId);
    if (!_id) return 0;
    const product = await this.products
      .findOne({ _id, deletedAt: { $exists: false } }, { stock: 1 })
      .lean<Pick<Product, 'stock'>>();
    return product?.stock ?? 0;
  }
}
