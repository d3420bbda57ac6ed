import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One issued refresh token, stored by the SHA-256 of its value (the token is 256 random bits, so
 * a fast hash is enough; the value itself is never stored). Tokens of one sign-in share a family:
 * each refresh spends its token and issues the next one in the same family.
 */
@Schema({ collection: 'refresh_tokens', timestamps: { createdAt: true, updatedAt: false } })
export class RefreshToken {
  @Prop({ required: true, unique: true }) tokenHash!: string;
  @Prop({ required: true, index: true }) familyId!: string;
  @Prop({ required: true, index: true }) userId!: string;
  /** Checked in code and swept: no TTL index locally (docs/decisions/0003-local-stores.md). */
  @Prop({ required: true, index: true }) expiresAt!: Date;
  /** When the sign-in ends however often it is refreshed (REFRESH_TOKEN_ABSOLUTE_TTL after it). */
  @Prop() signInExpiresAt?: Date;
  @Prop() usedAt?: Date;
  @Prop() revokedAt?: Date;
  createdAt!: Date;
}

export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshToken);
