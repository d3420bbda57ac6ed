import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';
import { TokenVerifier } from './token-verifier';

const ISSUER = 'microshop-user-service';
const AUDIENCE = 'microshop';

const keyPair = async (kid: string) => {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
};

const sign = (key: { kid: string; privateKey: KeyLike }, subject: string) =>
  new SignJWT({ email: `${subject}@example.com`, roles: ['customer'] })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject(subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(key.privateKey);

describe('TokenVerifier with a JWKS', () => {
  let server: Server;
  let published: JWK[] = [];
  let reachable = true;
  let url = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (!reachable) return req.socket.destroy();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  afterEach(() => {
    jest.restoreAllMocks();
    reachable = true;
  });

  it('stops honouring a key withdrawn from the JWKS once JWT_JWKS_CACHE_SECONDS have passed', async () => {
    const [old, next] = await Promise.all([keyPair('old'), keyPair('next')]);
    published = [old.jwk];
    const verifier = new TokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: url,
      jwksCacheSeconds: 60,
    });
    await expect(verifier.verify(await sign(old, 'first'))).resolves.toMatchObject({ id: 'first' });

    // The key is withdrawn: within the cache age, the fetched JWKS still holds it.
    published = [next.jwk];
    const start = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(start + 30_000);
    await expect(verifier.verify(await sign(old, 'second'))).resolves.toMatchObject({
      id: 'second',
    });
    jest.spyOn(Date, 'now').mockReturnValue(start + 61_000);
    await expect(verifier.verify(await sign(old, 'third'))).rejects.toThrow();
    await expect(verifier.verify(await sign(next, 'fourth'))).resolves.toMatchObject({
      id: 'fourth',
    });
  });

  it('keeps verifying with the last keys while the JWKS cannot be fetched, and no longer than an hour', async () => {
    const key = await keyPair('current');
    published = [key.jwk];
    const verifier = new TokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: url,
      jwksCacheSeconds: 60,
    });
    await expect(verifier.verify(await sign(key, 'before'))).resolves.toMatchObject({
      id: 'before',
    });

    // user-service is away (its JWKS answers nothing) past the cache age: the last keys still work.
    const start = Date.now();
    reachable = false;
    jest.spyOn(Date, 'now').mockReturnValue(start + 61_000);
    await expect(verifier.verify(await sign(key, 'during'))).resolves.toMatchObject({
      id: 'during',
    });
    // Not forever: an hour after the last verification with them, they are no longer trusted.
    jest.spyOn(Date, 'now').mockReturnValue(start + 61_000 + 60 * 60_000 + 1_000);
    await expect(verifier.verify(await sign(key, 'much later'))).rejects.toThrow();
    // Once it answers again, its keys are fetched and trusted anew.
    reachable = true;
    await expect(verifier.verify(await sign(key, 'back'))).resolves.toMatchObject({ id: 'back' });
  });
});
