import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { OutboxEntry, outboxPlugin } from '@microshop/events';
import { Types } from 'mongoose';

const integer = { validator: Number.isInteger, message: '{PATH} must be an integer' };

/**
 * A catalog entry; its stock level is the stock module's (StockLevel). Every write is a
 * single-document conditional update that increments `version` and records its event in the same
 * write (outbox).
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
  version: 1,
  createdAt: 1,
  updatedAt: 1,
} as const;

export type ProductState = Pick<Product, '_id' | keyof typeof PRODUCT_PROJECTION>;
