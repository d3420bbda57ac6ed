import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const NOTIFICATION_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One mail per event: the unique eventId is what makes redelivered events send nothing. The
 * rendered mail is kept so delivery can be retried later, independently of the Kafka message.
 */
@Schema({ collection: 'notifications', timestamps: true })
export class Notification {
  /** The eventId: `_id` lookups avoid a scan locally (docs/decisions/0003-local-stores.md). */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true, unique: true }) eventId!: string;
  @Prop({ required: true }) type!: string;
  @Prop({ required: true }) recipient!: string;
  /** Lower-cased recipient: addresses are looked up case-insensitively. */
  @Prop({ required: true }) recipientKey!: string;
  @Prop({ required: true }) subject!: string;
  @Prop({ type: String, required: true, enum: NOTIFICATION_STATUSES }) status!: NotificationStatus;
  @Prop({ required: true, default: 0 }) attempts!: number;
  @Prop() text!: string;
  @Prop() html!: string;
  /** When the next delivery attempt is due (PENDING only). */
  @Prop() nextAttemptAt?: Date;
  /** A delivery attempt in progress until then; keeps two workers from sending the same mail. */
  @Prop() leaseUntil?: Date;
  @Prop() sentAt?: Date;
  @Prop() lastError?: string;
  createdAt!: Date;
}

export const NotificationSchema = SchemaFactory.createForClass(Notification);
NotificationSchema.index({ status: 1, nextAttemptAt: 1 });
NotificationSchema.index({ recipientKey: 1, createdAt: -1 });
NotificationSchema.index({ createdAt: -1 });
