import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { addOutbox, OutboxEntry } from '@microshop/events';
import { HydratedDocument } from 'mongoose';

export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

@Schema({ collection: 'users', timestamps: true })
export class User {
  @Prop({ required: true }) email!: string;
  /** Lower-cased email: uniqueness and lookups are case-insensitive. */
  @Prop({ required: true, unique: true }) emailKey!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) passwordHash!: string;
  @Prop({ type: [String], enum: ROLES, default: ['customer'] }) roles!: Role[];
  createdAt!: Date;
  updatedAt!: Date;
  outbox!: OutboxEntry[];
}

export type UserDocument = HydratedDocument<User>;
export const UserSchema = SchemaFactory.createForClass(User);
addOutbox(UserSchema);
