import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import pLimit from 'p-limit';

/** argon2id at OWASP's minimum parameters: 19 MiB memory, 2 iterations, 1 lane. */
export const ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Hashes and verifications run at most one per core at a time, the rest wait their turn: a burst
 * of sign-ins queues instead of taking every core (and 19 MiB each) from the app's other work.
 */
export const ARGON2_CONCURRENCY = availableParallelism();
const argon2Slot = pLimit(ARGON2_CONCURRENCY);

@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2Slot(() => argon2.hash(password, ARGON2_OPTIONS));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return argon2Slot(() => argon2.verify(hash, password));
  }

  /**
   * The same work as a real verification, for an email nobody has: a failed sign-in takes as long
   * whether the account exists or not, so timing does not reveal which emails are registered.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash(randomBytes(16).toString('hex'));
    const dummy = await this.dummyHash;
    await argon2Slot(() => argon2.verify(dummy, password));
    return false;
  }

  /** Whether a stored hash was made with other parameters than today's (rehash on sign-in). */
  needsRehash(hash: string): boolean {
    return !hash.startsWith('$argon2id$') || argon2.needsRehash(hash, ARGON2_OPTIONS);
  }
}
