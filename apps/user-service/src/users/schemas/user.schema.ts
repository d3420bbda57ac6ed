import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ROLES, Role } from '@microshop/auth';
import { OutboxEntry, outboxPlugin } from '@microshop/events';
import { HydratedDocument } from 'mongoose';

export { ROLES };
export type { Role };

@Schema({ collection: 'users', timestamps: true })
export class User {
  @Prop({ required: true }) email!: string;
  /**
   * Lower-cased email: uniqueness and lookups are case-insensitive. A deleted account's key is a
   * tombstone (`deleted:<id>`), which frees the address for a new registration.
   */
  @Prop({ required: true, unique: true }) emailKey!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) passwordHash!: string;
  @Prop({ type: [String], enum: ROLES, default: ['customer'] }) roles!: Role[];
  /** Set when an admin deletes the account; deleted accounts are invisible everywhere. */
  @Prop() deletedAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
  outbox!: OutboxEntry[];
}

export type UserDocument = HydratedDocument<User>;
export const UserSchema = SchemaFactory.createForClass(User);
UserSchema.index({ createdAt: 1, _id: 1 });
UserSchema.plugin(outboxPlugin);

/** The filter every read and write of a live account adds. */
export const ACTIVE = { deletedAt: { $exists: false } } as const;
