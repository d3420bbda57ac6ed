import { ConflictException, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  createEnvelope,
  currentEventContext,
  MongoOutboxSource,
  outboxFieldsForInsert,
  OutboxRelay,
  TOPICS,
  WithOutbox,
} from '@microshop/events';
import { Model, mongo } from 'mongoose';
import { SERVICE_NAME } from '../config';
import { toProfile, UserProfileDto } from './dto/user-profile.dto';
import { PasswordHasher } from './password-hasher';
import { Role, User } from './schemas/user.schema';

export interface NewAccount {
  email: string;
  password: string;
  name: string;
  roles?: Role[];
}

const isDuplicateKey = (err: unknown) =>
  err instanceof mongo.MongoServerError && err.code === 11000;

@Injectable()
export class UsersService implements OnModuleInit {
  constructor(
    @InjectModel(User.name) private readonly users: Model<User>,
    private readonly hasher: PasswordHasher,
    private readonly relay: OutboxRelay,
  ) {}

  onModuleInit(): void {
    this.relay.register(new MongoOutboxSource('users', this.users as unknown as Model<WithOutbox>));
  }

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
      const created = await this.users.create({
        _id: id,
        email,
        emailKey: email.toLowerCase(),
        name: account.name,
        passwordHash: await this.hasher.hash(account.password),
        roles: account.roles ?? ['customer'],
        ...outboxFieldsForInsert([{ key: id.toHexString(), envelope: event }]),
      });
      this.relay.nudge();
      return toProfile(created);
    } catch (err) {
      if (isDuplicateKey(err))
        throw new ConflictException('An account with this email already exists');
      throw err;
    }
  }
}
