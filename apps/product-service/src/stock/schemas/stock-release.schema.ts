import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { addOutbox, OutboxEntry } from '@microshop/events';
import { StockLineDoc, StockLineSchema } from './stock-line.schema';

/** The release of a cancelled order's reservation, written once with its `stock.released`. */
@Schema({ collection: 'stock_releases', versionKey: false })
export class StockRelease {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: [StockLineSchema], default: [] }) items!: StockLineDoc[];
  @Prop({ required: true }) causeEventId!: string;
  @Prop({ required: true }) releasedAt!: Date;
  outbox!: OutboxEntry[];
}

export const StockReleaseSchema = SchemaFactory.createForClass(StockRelease);
addOutbox(StockReleaseSchema);
