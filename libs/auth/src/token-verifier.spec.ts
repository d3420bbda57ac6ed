import { exportSPKI, generateKeyPair, KeyLike, SignJWT, UnsecuredJWT } from 'jose';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const settings = {
  issuer: 'microshop-user-service',
  audience: 'microshop',
  jwksUrl: 'http://127.0.0.1:1/unused',
  jwksCacheSeconds: 60,
};

let cachePair: { publicKey: KeyLike; privateKey: KeyLike };
const pairForCache = async () => {
  cachePair = await generateKeyPair('ES256', { extractable: true });
  return cachePair;
};

describe('TokenVerifier', () => {
  let verifier: TokenVerifier;
  let privateKey: KeyLike;
  let otherKey: KeyLike;

  const sign = (
    overrides: { iss?: string; aud?: string; exp?: string | number; key?: KeyLike } = {},
  ) =>
    new SignJWT({ email: 'ada@example.com', roles: ['customer'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('u1')
      .setIssuer(overrides.iss ?? settings.issuer)
      .setAudience(overrides.aud ?? settings.audience)
      .setIssuedAt()
      .setExpirationTime(overrides.exp ?? '5m')
      .sign(overrides.key ?? privateKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    verifier = new TokenVerifier({ ...settings, publicKeyPem: await exportSPKI(pair.publicKey) });
  });

  it('accepts a token signed by the key, returning the caller', async () => {
    await expect(verifier.verify(await sign())).resolves.toEqual({
      id: 'u1',
      email: 'ada@example.com',
      roles: ['customer'],
    });
  });

  it.each([
    ['signed with another key', () => sign({ key: otherKey })],
    ['expired', () => sign({ exp: Math.floor(Date.now() / 1000) - 10 })],
    ['for another issuer', () => sign({ iss: 'evil' })],
    ['for another audience', () => sign({ aud: 'other' })],
    [
      'unsigned (alg none)',
      () =>
        Promise.resolve(
          new UnsecuredJWT({ email: 'a@b.c', roles: ['admin'] })
            .setSubject('u1')
            .setIssuer(settings.issuer)
            .setAudience(settings.audience)
            .setExpirationTime('5m')
            .encode(),
        ),
    ],
    ['garbage', () => Promise.resolve('not.a.token')],
  ])('rejects a token %s', async (_, token) => {
    await expect(verifier.verify(await token())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects HS256 signed with the public key as secret (algorithm confusion)', async () => {
    const pem = await exportSPKI((await generateKeyPair('ES256', { extractable: true })).publicKey);
    const token = await new SignJWT({ email: 'a@b.c', roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(pem));
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  describe('verified tokens', () => {
    afterEach(() => jest.useRealTimers());

    it('are checked once and trusted until they expire', async () => {
      jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate'] });
      const cached = new TokenVerifier({
        ...settings,
        publicKeyPem: await exportSPKI((await pairForCache()).publicKey),
      });
      const token = await sign({ key: cachePair.privateKey, exp: '30s' });
      const user = await cached.verify(token);
      await expect(cached.verify(token)).resolves.toBe(user);

      jest.advanceTimersByTime(31_000);
      await expect(cached.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    });

    it('are matched whole: a token with another signature is checked on its own', async () => {
      const token = await sign();
      await verifier.verify(token);
      const [header, payload] = token.split('.');
      const forged = `${header}.${payload}.${(await sign({ key: otherKey })).split('.')[2]}`;
      await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    });
  });
});
