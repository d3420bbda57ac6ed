import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** The stock documents that carry events: an order's decision, and its release. */
export type StockEventCarrier = 'decision' | 'release';

/**
 * One entry per order whose stock documents have events waiting for the relay. Written before
 * the document that carries the events, deleted once they are published (only if no newer write
 * announced itself meanwhile: `seq`). Keeps the relay's search for work to a small collection.
 */
@Schema({ collection: 'stock_outbox_pending', versionKey: false })
export class StockOutboxPending {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) seq!: number;
  @Prop({ required: true }) since!: Date;
  /** Which of the order's documents carry the events, so the relay reads only those. */
  @Prop({ type: [String], default: undefined }) carriers?: StockEventCarrier[];
}

export const StockOutboxPendingSchema = SchemaFactory.createForClass(StockOutboxPending);
