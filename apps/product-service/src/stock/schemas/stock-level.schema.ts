import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

const integer = { validator: Number.isInteger, message: '{PATH} must be an integer' };

/**
 * How many of a product can be sold, keyed by the product's id: the stock module's, apart from the
 * catalog entry, so a reservation writes only here and the catalog's `version` is the catalog's.
 */
@Schema({ collection: 'stock_levels', versionKey: false })
export class StockLevel {
  _id!: Types.ObjectId;
  @Prop({ required: true, min: 0, validate: integer }) available!: number;
  /**
   * Orders that took stock of this product: an order's id is added by the update that takes its
   * quantity, so taking it again does nothing. Removed when it is given back, or by the sweep once
   * the order's reservation is recorded (StockMarksSweep).
   */
  @Prop({ type: [String], default: [] }) holds!: string[];
  /** Reserved orders whose stock was returned on cancellation: the same kind of marks. */
  @Prop({ type: [String], default: [] }) returns!: string[];
  /** Set when the product is deleted: nothing can be taken any more. */
  @Prop() retiredAt?: Date;
}

export const StockLevelSchema = SchemaFactory.createForClass(StockLevel);
