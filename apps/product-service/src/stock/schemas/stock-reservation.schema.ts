import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { OutboxEntry, outboxPlugin } from '@microshop/events';
import {
  StockLineDoc,
  StockLineSchema,
  UnavailableLineDoc,
  UnavailableLineSchema,
} from './stock-line.schema';

export const RESERVATION_OUTCOMES = ['RESERVED', 'REJECTED', 'CANCELLED'] as const;
export type ReservationOutcome = (typeof RESERVATION_OUTCOMES)[number];

/**
 * The one decision about an order's stock, keyed by the order id and written once: inserting it
 * is the atomic step that settles a race (two deliveries of `order.created`, or `order.cancelled`
 * overtaking it). It carries its event (`stock.reserved` / `stock.rejected`) in the same insert,
 * and later `stock.released` in the update that records the release.
 * `CANCELLED` means the order was cancelled before any decision: nothing will be reserved.
 */
@Schema({ collection: 'stock_reservations', versionKey: false })
export class StockReservation {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true, enum: RESERVATION_OUTCOMES })
  outcome!: ReservationOutcome;
  /** The order's lines: what is held when RESERVED. */
  @Prop({ type: [StockLineSchema], default: [] }) items!: StockLineDoc[];
  @Prop() reason?: string;
  @Prop({ type: [UnavailableLineSchema], default: undefined }) unavailable?: UnavailableLineDoc[];
  @Prop({ required: true }) causeEventId!: string;
  @Prop({ required: true }) decidedAt!: Date;
  /** Set when a RESERVED order's stock was returned, by the update that records `stock.released`. */
  @Prop() releasedAt?: Date;
  @Prop() releaseCauseEventId?: string;
  outbox!: OutboxEntry[];
}

export const StockReservationSchema = SchemaFactory.createForClass(StockReservation);
StockReservationSchema.plugin(outboxPlugin);
