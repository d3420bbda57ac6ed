import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { AuthUser } from '@microshop/auth';
import {
  createEnvelope,
  currentEventContext,
  insertWithEvents,
  TOPICS,
  updateWithEvents,
} from '@microshop/events';
import { isMongoDuplicateKey, parseObjectId } from '@microshop/runtime';
import { Model, mongo } from 'mongoose';
import { SERVICE_NAME } from '../config';
import { RefreshTokensService } from '../refresh-tokens/refresh-tokens.service';
import { UpdateMeDto } from './dto/update-me.dto';
import { toProfile, UserProfileDto } from './dto/user-profile.dto';
import { UsersPageDto } from './dto/users-page.dto';
import { PasswordHasher } from './password-hasher';
import { ACTIVE, Role, User } from './schemas/user.schema';

export interface NewAccount {
  email: string;
  password: string;
  name: string;
  roles?: Role[];
}

/**
 * Projection for reads; findAndModify takes none on the local store, so toProfile picks the fields
 * there (docs/decisions/0003-local-stores.md).
 */
const PROFILE = { email: 1, name: 1, roles: 1, createdAt: 1 } as const;

/** A syntactically valid id, or null: a malformed id is simply an account that does not exist. */

const notFound = () => new NotFoundException('No such user');

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectModel(User.name) private readonly users: Model<User>,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokensService,
  ) {}

  /** Creates the account and its `user.registered` event in one document write. */
  async register(account: NewAccount): Promise<UserProfileDto> {
    const id = new mongo.ObjectId();
    const email = account.email.trim();
    const now = new Date();
    const event = createEnvelope(
      TOPICS.USER_REGISTERED,
      { userId: id.toHexString(), email, name: account.name, registeredAt: now.toISOString() },
      { producer: SERVICE_NAME, ...currentEventContext() },
    );
    try {
      const created = await this.users.create(
        insertWithEvents(
          {
            _id: id,
            email,
            emailKey: email.toLowerCase(),
            name: account.name,
            passwordHash: await this.hasher.hash(account.password),
            roles: account.roles ?? ['customer'],
          },
          [{ key: id.toHexString(), envelope: event }],
        ),
      );
      return toProfile(created);
    } catch (err) {
      if (isMongoDuplicateKey(err))
        throw new ConflictException('An account with this email already exists');
      throw err;
    }
  }

  /**
   * The account behind an email and password, or null. Unknown emails cost the same argon2 work
   * as wrong passwords, so neither the answer nor its timing tells them apart.
   */
  async verifyCredentials(email: string, password: string): Promise<AuthUser | null> {
    const user = await this.users
      .findOne(
        { emailKey: email.trim().toLowerCase(), ...ACTIVE },
        { email: 1, roles: 1, passwordHash: 1 },
      )
      .lean();
    if (!user) return this.hasher.verifyNothing(password).then(() => null);
    if (!(await this.hasher.verify(user.passwordHash, password))) return null;
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.updateOne(
        { _id: user._id, passwordHash: user.passwordHash },
        { $set: { passwordHash: await this.hasher.hash(password) } },
      );
    }
    return { id: user._id.toHexString(), email: user.email, roles: user.roles };
  }

  /** The live account as an access token describes it, or null once deleted. */
  async findActive(id: string): Promise<AuthUser | null> {
    const _id = parseObjectId(id);
    if (!_id) return null;
    const user = await this.users.findOne({ _id, ...ACTIVE }, { email: 1, roles: 1 }).lean();
    return user ? { id, email: user.email, roles: user.roles } : null;
  }

  /** The caller's own profile; a token outliving its deleted account gets 401. */
  async me(id: string): Promise<UserProfileDto> {
    const user = await this.findProfile(id);
    if (!user) throw accountGone();
    return user;
  }

  /**
   * Renames and/or changes the password. A new password needs the current one, and ends every
   * sign-in (refresh token) of the account: whoever knew the old password is out.
   */
  async updateMe(id: string, changes: UpdateMeDto): Promise<UserProfileDto> {
    const set: Partial<Pick<User, 'name' | 'passwordHash'>> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.password !== undefined) {
      const current = await this.users
        .findOne({ _id: parseObjectId(id), ...ACTIVE }, { passwordHash: 1 })
        .lean();
      if (!current) throw accountGone();
      if (!(await this.hasher.verify(current.passwordHash, changes.currentPassword ?? ''))) {
        throw new UnauthorizedException('The current password is wrong');
      }
      set.passwordHash = await this.hasher.hash(changes.password);
    }
    if (Object.keys(set).length === 0) return this.me(id);
    const updated = await this.users
      .findOneAndUpdate({ _id: parseObjectId(id), ...ACTIVE }, { $set: set }, { new: true })
      .lean();
    if (!updated) throw accountGone();
    if (set.passwordHash) await this.refreshTokens.revokeAllOf(id);
    return toProfile(updated);
  }

  async list(limit: number, offset: number): Promise<UsersPageDto> {
    const [items, total] = await Promise.all([
      this.users
        .find(ACTIVE, PROFILE)
        .sort({ createdAt: 1, _id: 1 })
        .skip(offset)
        .limit(limit)
        .lean(),
      this.users.countDocuments(ACTIVE),
    ]);
    return { items: items.map(toProfile), total };
  }

  async get(id: string): Promise<UserProfileDto> {
    const user = await this.findProfile(id);
    if (!user) throw notFound();
    return user;
  }

  /**
   * Takes effect at the account's next token: refreshing reads the roles afresh. An admin cannot
   * take their own admin role away (nobody might be left to give it back).
   */
  async setRoles(id: string, roles: Role[], callerId: string): Promise<UserProfileDto> {
    const _id = parseObjectId(id);
    if (!_id) throw notFound();
    if (id === callerId && !roles.includes('admin')) {
      throw new ConflictException('You cannot remove your own admin role');
    }
    const updated = await this.users
      .findOneAndUpdate({ _id, ...ACTIVE }, { $set: { roles: [...new Set(roles)] } }, { new: true })
      .lean();
    if (!updated) throw notFound();
    this.logger.log(
      `Audit: account ${id} given roles [${updated.roles.join(', ')}] by ${callerId}`,
    );
    return toProfile(updated);
  }

  /**
   * Soft-deletes the account and records `user.deleted` in the same document write. The email
   * key becomes a tombstone, so the address can register again; the account's sign-ins end. An
   * admin cannot delete their own account.
   */
  async delete(id: string, callerId: string): Promise<void> {
    const _id = parseObjectId(id);
    if (!_id) throw notFound();
    if (id === callerId) throw new ConflictException('You cannot delete your own account');
    const user = await this.users.findOne({ _id, ...ACTIVE }, { email: 1 }).lean();
    if (!user) throw notFound();
    const deletedAt = new Date();
    const event = createEnvelope(
      TOPICS.USER_DELETED,
      { userId: id, email: user.email, deletedAt: deletedAt.toISOString() },
      { producer: SERVICE_NAME, ...currentEventContext() },
    );
    const deleted = await this.users.updateOne(
      { _id, ...ACTIVE },
      updateWithEvents({ $set: { deletedAt, emailKey: `deleted:${id}` } }, [
        { key: id, envelope: event },
      ]),
    );
    if (deleted.modifiedCount !== 1) throw notFound();
    await this.refreshTokens.revokeAllOf(id);
  }

  /**
   * Creates the configured admin account if no account has its address, and keeps its password
   * the configured one: a changed ADMIN_PASSWORD replaces it at the next boot and ends the
   * account's sessions. An account that has the address without the admin role is never promoted
   * here: registration does not prove who owns an address, so whoever registered it first would
   * become admin at the next boot. Safe when several replicas boot at once (the unique email key
   * lets one create it; the others then find it).
   */
  async ensureAdmin(
    email: string,
    password: string,
  ): Promise<'created' | 'present' | 'password-changed' | 'not-admin'> {
    const emailKey = email.trim().toLowerCase();
    for (let attempt = 0; ; attempt++) {
      const existing = await this.users
        .findOne({ emailKey, ...ACTIVE }, { roles: 1, passwordHash: 1 })
        .lean();
      if (existing && !existing.roles.includes('admin')) return 'not-admin';
      if (existing) {
        if (await this.hasher.verify(existing.passwordHash, password)) return 'present';
        const passwordHash = await this.hasher.hash(password);
        await this.users.updateOne({ _id: existing._id, ...ACTIVE }, { $set: { passwordHash } });
        await this.refreshTokens.revokeAllOf(existing._id.toHexString());
        return 'password-changed';
      }
      try {
        await this.register({ email, password, name: 'Administrator', roles: ['admin'] });
        return 'created';
      } catch (err) {
        if (!(err instanceof ConflictException) || attempt >= 2) throw err;
      }
    }
  }

  private async findProfile(id: string): Promise<UserProfileDto | null> {
    const _id = parseObjectId(id);
    if (!_id) return null;
    const user = await this.users.findOne({ _id, ...ACTIVE }, PROFILE).lean();
    return user ? toProfile(user) : null;
  }
}

const accountGone = () => new UnauthorizedException('The account no longer exists');
