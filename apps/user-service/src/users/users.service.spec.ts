import { Model, mongo } from 'mongoose';
import { RefreshTokensService } from '../refresh-tokens/refresh-tokens.service';
import { PasswordHasher } from './password-hasher';
import { User } from './schemas/user.schema';
import { UsersService } from './users.service';

const lean = <T>(value: T) => ({ lean: () => Promise.resolve(value) });

describe('UsersService.verifyCredentials', () => {
  const id = new mongo.ObjectId();
  const stored = {
    _id: id,
    email: 'Ada@Example.com',
    roles: ['customer'],
    passwordHash: '$argon2id$h',
  };
  let users: { findOne: jest.Mock; updateOne: jest.Mock };
  let hasher: jest.Mocked<PasswordHasher>;
  let service: UsersService;

  beforeEach(() => {
    users = { findOne: jest.fn(), updateOne: jest.fn() };
    hasher = {
      hash: jest.fn().mockResolvedValue('$argon2id$new'),
      verify: jest.fn(),
      verifyNothing: jest.fn().mockResolvedValue(false),
      needsRehash: jest.fn().mockReturnValue(false),
    };
    service = new UsersService(users as unknown as Model<User>, hasher, {} as RefreshTokensService);
  });

  it('looks the email up case-insensitively among live accounts', async () => {
    users.findOne.mockReturnValue(lean(stored));
    hasher.verify.mockResolvedValue(true);
    await expect(service.verifyCredentials(' ADA@example.com ', 'pw')).resolves.toEqual({
      id: id.toHexString(),
      email: 'Ada@Example.com',
      roles: ['customer'],
    });
    expect(users.findOne.mock.calls[0][0]).toEqual({
      emailKey: 'ada@example.com',
      deletedAt: { $exists: false },
    });
  });

  it('does the same argon2 work for an unknown email as for a wrong password', async () => {
    users.findOne.mockReturnValue(lean(null));
    await expect(service.verifyCredentials('nobody@example.com', 'pw')).resolves.toBeNull();
    expect(hasher.verifyNothing).toHaveBeenCalledWith('pw');

    users.findOne.mockReturnValue(lean(stored));
    hasher.verify.mockResolvedValue(false);
    await expect(service.verifyCredentials('ada@example.com', 'pw')).resolves.toBeNull();
    expect(hasher.verify).toHaveBeenCalledWith('$argon2id$h', 'pw');
  });

  it('rehashes a password stored with other parameters on a successful sign-in', async () => {
    users.findOne.mockReturnValue(lean(stored));
    hasher.verify.mockResolvedValue(true);
    hasher.needsRehash.mockReturnValue(true);
    await service.verifyCredentials('ada@example.com', 'pw');
    expect(users.updateOne).toHaveBeenCalledWith(
      { _id: id, passwordHash: '$argon2id$h' },
      { $set: { passwordHash: '$argon2id$new' } },
    );
  });
});

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id at OWASP minimum parameters and verifies', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    const [, type, version, params] = hash.split('$');
    expect([type, version]).toEqual(['argon2id', 'v=19']);
    expect(params.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    await expect(hasher.verify(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'wrong')).resolves.toBe(false);
    expect(hasher.needsRehash(hash)).toBe(false);
    expect(hasher.needsRehash('$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA')).toBe(true);
    await expect(hasher.verifyNothing('anything')).resolves.toBe(false);
  });
});
