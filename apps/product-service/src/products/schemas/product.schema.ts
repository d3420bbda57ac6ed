import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { OutboxEntry, outboxPlugin } from '@microshop/events';
import { Types } from 'mongoose';

const integer = { validator: Number.isInteger, message: '{PATH} must be an integer' };

/**
 * A catalog entry. `stock` and `version` change only in single-document conditional updates;
 * every write increments `version` and records its event in the same write (outbox).
 * Deleting is soft: `deletedAt` is set and `skuKey` becomes a tombstone, which frees the sku.
 */
@Schema({ collection: 'products', versionKey: false })
export class Product {
  _id!: Types.ObjectId;
  @Prop({ required: true }) sku!: string;
  /** Unique among live products: the sku, or `deleted:<id>` once the product is deleted. */
  @Prop({ required: true, unique: true }) skuKey!: string;
  @Prop({ required: true }) name!: string;
  /** Case- and accent-folded name, the key of `sort=name`. */
  @Prop({ required: true }) nameKey!: string;
  @Prop({ default: '' }) description!: string;
  @Prop({ required: true }) category!: string;
  @Prop({ required: true, min: 0, validate: integer }) priceCents!: number;
  @Prop({ required: true, default: 'USD' }) currency!: string;
  @Prop({ required: true, min: 0, validate: integer }) stock!: number;
  /**
   * Orders taking stock of this product whose decision is not settled yet (stock/): an order's id
   * is added by the update that takes its quantity, and removed by the one that gives it back or
   * once the reservation is recorded. Marks make each step idempotent and stay only while needed,
   * so the document does not grow with the product's sales.
   */
  @Prop({ type: [String], default: [] }) stockHolds!: string[];
  /** Reserved orders whose stock is being returned on cancellation; the same kind of marks. */
  @Prop({ type: [String], default: [] }) stockReturns!: string[];
  @Prop({ required: true, min: 1, validate: integer }) version!: number;
  /** Distinct words of name and description (search-tokens.ts), for `q`. */
  @Prop({ type: [String], default: [] }) searchTokens!: string[];
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop() deletedAt?: Date;
  outbox!: OutboxEntry[];
}

export const ProductSchema = SchemaFactory.createForClass(Product);
ProductSchema.plugin(outboxPlugin);
// Built at boot in the background, retried while the store is down (ProductsService.buildIndexes).
ProductSchema.index({ sku: 1 });
ProductSchema.index({ category: 1 });
ProductSchema.index({ searchTokens: 1 });
ProductSchema.index({ createdAt: 1, _id: 1 });
ProductSchema.index({ priceCents: 1, _id: 1 });
ProductSchema.index({ nameKey: 1, _id: 1 });

/** The fields of the public product shape; reads project to these. */
export const PRODUCT_PROJECTION = {
  sku: 1,
  name: 1,
  description: 1,
  category: 1,
  priceCents: 1,
  currency: 1,
  stock: 1,
  version: 1,
  createdAt: 1,
  updatedAt: 1,
} as const;

export type ProductState = Pick<Product, '_id' | keyof typeof PRODUCT_PROJECTION>;
