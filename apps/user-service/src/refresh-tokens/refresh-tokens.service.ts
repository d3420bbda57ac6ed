import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { UserServiceConfig } from '../config';
import { USER_SERVICE_CONFIG } from '../config.module';
import { RefreshToken } from './schemas/refresh-token.schema';

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A refresh token that was accepted and spent: who it belonged to, its family and its end. */
export interface SpentRefreshToken {
  userId: string;
  familyId: string;
  signInExpiresAt: Date;
}

/**
 * Opaque refresh tokens with rotation: every token can be used once; using it again (a sign that
 * it was stolen and one of the two holders is an attacker) revokes its whole family, so both
 * holders have to sign in again. Each token lives REFRESH_TOKEN_TTL unused, and no token of a
 * family outlives the sign-in's REFRESH_TOKEN_ABSOLUTE_TTL: a stolen family ends for good then.
 */
@Injectable()
export class RefreshTokensService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RefreshTokensService.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectModel(RefreshToken.name) private readonly tokens: Model<RefreshToken>,
    @Inject(USER_SERVICE_CONFIG) private readonly config: UserServiceConfig,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => {
      this.sweepExpired().catch((err: Error) =>
        this.logger.warn(`Expired refresh tokens not swept: ${err.message}`),
      );
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** A new token for the user: a new family, whose sign-in ends REFRESH_TOKEN_ABSOLUTE_TTL from now. */
  issue(userId: string): Promise<string> {
    return this.insert(userId, randomUUID(), this.absoluteEndFromNow());
  }

  private absoluteEndFromNow(): Date {
    return new Date(Date.now() + this.config.refreshToken.absoluteTtlSeconds * 1000);
  }

  private async insert(userId: string, familyId: string, signInExpiresAt: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const unusedUntil = Date.now() + this.config.refreshToken.ttlSeconds * 1000;
    await this.tokens.create({
      tokenHash: hashOf(token),
      familyId,
      userId,
      expiresAt: new Date(Math.min(unusedUntil, signInExpiresAt.getTime())),
      signInExpiresAt,
    });
    return token;
  }

  /** Spends a token, or fails with 401; a spent token presented again revokes its family. */
  async spend(token: string): Promise<SpentRefreshToken> {
    const now = new Date();
    const record = await this.tokens
      .findOne(
        { tokenHash: hashOf(token) },
        { familyId: 1, userId: 1, expiresAt: 1, signInExpiresAt: 1, usedAt: 1, revokedAt: 1 },
      )
      .lean();
    if (!record || record.revokedAt || record.expiresAt <= now) throw invalid();
    if (!record.usedAt) {
      const spent = await this.tokens.updateOne(
        { _id: record._id, usedAt: { $exists: false }, revokedAt: { $exists: false } },
        { $set: { usedAt: now } },
      );
      if (spent.modifiedCount === 1) {
        return {
          userId: record.userId,
          familyId: record.familyId,
          // Tokens issued before sign-ins had an end: theirs starts now.
          signInExpiresAt: record.signInExpiresAt ?? this.absoluteEndFromNow(),
        };
      }
    }
    // Spent before (or just now, by a concurrent request with the same token): reuse.
    await this.revokeFamily(record.familyId);
    this.logger.warn(
      `Refresh token reused; family ${record.familyId} of user ${record.userId} revoked`,
    );
    throw invalid();
  }

  /**
   * Issues the next token of a family. A revocation racing with the rotation (the reuse of an
   * older token arriving at the same moment) may have missed the new token, so the family is
   * checked after the insert and the new token revoked with it.
   */
  async rotate(spent: SpentRefreshToken): Promise<string> {
    const token = await this.insert(spent.userId, spent.familyId, spent.signInExpiresAt);
    if (await this.tokens.exists({ familyId: spent.familyId, revokedAt: { $exists: true } })) {
      await this.revokeFamily(spent.familyId);
      throw invalid();
    }
    return token;
  }

  /** Logout: ends the sign-in the token belongs to. Unknown tokens are ignored. */
  async revokeFamilyOf(token: string): Promise<void> {
    const record = await this.tokens.findOne({ tokenHash: hashOf(token) }, { familyId: 1 }).lean();
    if (record) await this.revokeFamily(record.familyId);
  }

  /** Every sign-in of the user (password change, account deletion). */
  async revokeAllOf(userId: string): Promise<void> {
    await this.tokens.updateMany(
      { userId, revokedAt: { $exists: false } },
      { $set: { revokedAt: new Date() } },
    );
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.tokens.updateMany(
      { familyId, revokedAt: { $exists: false } },
      { $set: { revokedAt: new Date() } },
    );
  }

  /** Expired tokens can neither be used nor reused: nothing to keep them for. */
  async sweepExpired(): Promise<number> {
    const { deletedCount } = await this.tokens.deleteMany({ expiresAt: { $lt: new Date() } });
    return deletedCount;
  }
}

const invalid = () => new UnauthorizedException('The refresh token is invalid or expired');
