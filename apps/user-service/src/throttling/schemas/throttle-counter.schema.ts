import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Requests of one client key in one fixed window: `_id` is `<key>:<window index>`. Kept until its
 * window can no longer count as the previous one (`expiresAt`), then swept: the local store has
 * no TTL indexes (docs/decisions/0003-local-stores.md).
 */
@Schema({ collection: 'throttle_counters', versionKey: false })
export class ThrottleCounter {
  @Prop({ type: String }) _id!: string;
  @Prop({ required: true, default: 0 }) hits!: number;
  @Prop({ required: true, index: true }) expiresAt!: Date;
}

export const ThrottleCounterSchema = SchemaFactory.createForClass(ThrottleCounter);
