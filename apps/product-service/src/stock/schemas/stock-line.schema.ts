import { Schema } from 'mongoose';

export interface StockLineDoc {
  productId: string;
  quantity: number;
}

export interface UnavailableLineDoc {
  productId: string;
  requested: number;
  available: number;
}

export const StockLineSchema = new Schema<StockLineDoc>(
  { productId: { type: String, required: true }, quantity: { type: Number, required: true } },
  { _id: false },
);

export const UnavailableLineSchema = new Schema<UnavailableLineDoc>(
  {
    productId: { type: String, required: true },
    requested: { type: Number, required: true },
    available: { type: Number, required: true },
  },
  { _id: false },
);
